import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { EKS_ADDONS, KUBERNETES_VERSION } from "../../versions";
import { Namer } from "../../lib/naming";
import { EksAddonVersions, managedAddons } from "./addons";
import { controlPlane } from "./cluster";
import { NodeGroupSpec, nodeGroups, nodeRole, nodeSecurityGroup } from "./node-groups";

export { AWS_MANAGED_POLICIES, CONTROL_PLANE_LOG_TYPES } from "./policies";
export { ADDON_SERVICE_ACCOUNTS } from "./addons";
export type { EksAddonVersions } from "./addons";
export { CLICKHOUSE_PLACEMENT, nodeGroupSpecs } from "./node-groups";
export type { NodeGroupSpec, NodeTaint } from "./node-groups";

export interface EksClusterProps {
  readonly namer: Namer;
  /** Cluster name (also in subnet tags and log group names, so it is a plain string, not a token). */
  readonly clusterName: string;
  /**
   * Control-plane Kubernetes minor; node groups follow it.
   * @default KUBERNETES_VERSION (versions.ts)
   */
  readonly kubernetesVersion?: string;
  readonly vpcId: string;
  /** Private subnets, one per AZ: control-plane ENIs and nodes. */
  readonly subnetIds: readonly string[];
  /** Public API endpoint on or off. The private endpoint is always on. */
  readonly endpointPublicAccess: boolean;
  /** The only sources allowed to reach the public endpoint (not set when it is off). */
  readonly publicAccessCidrs: readonly string[];
  /**
   * IAM principals given cluster-admin through access entries: the principal that applies the
   * stack (the CI apply role) first, then people. The cluster creator gets no entry of its own.
   */
  readonly adminPrincipalArns: readonly string[];
  /** Retention of `/aws/eks/<cluster>/cluster`. */
  readonly controlPlaneLogRetentionDays: number;
  /** CMK for the control-plane log group (its key policy must allow CloudWatch Logs). */
  readonly logsKmsKeyArn: string;
  /** CMK for envelope encryption of Kubernetes secrets. */
  readonly secretsKmsKeyArn: string;
  /** CMK the EBS CSI driver encrypts volumes with (its role gets use of it). */
  readonly ebsKmsKeyArn: string;
  /** Managed node groups by name (`nodeGroupSpecs(env.nodePools)`). */
  readonly nodeGroups: Readonly<Record<string, NodeGroupSpec>>;
  /**
   * Tags for instances, volumes and ENIs the launch templates start (provider `default_tags`
   * do not reach what an Auto Scaling group launches).
   * @default {}
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /**
   * Managed add-on builds.
   * @default EKS_ADDONS (versions.ts)
   */
  readonly addonVersions?: EksAddonVersions;
}

/**
 * An EKS cluster with access entries, encrypted secrets, logged control plane, IRSA, managed
 * node groups behind launch templates, and the EKS managed add-ons (vpc-cni, kube-proxy,
 * coredns, aws-ebs-csi-driver) in the order they can become healthy.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly clusterEndpoint: string;
  /** Base64 PEM of the cluster CA (`certificate_authority[0].data`). */
  readonly clusterCertificateAuthority: string;
  /** The control-plane security group EKS creates; nodes carry it too. */
  readonly clusterSecurityGroupId: string;
  /** The nodes' own security group: data stores and the ALB admit traffic from/to it. */
  readonly nodeSecurityGroupId: string;
  readonly nodeRoleArn: string;
  readonly oidcProviderArn: string;
  /** OIDC issuer host and path, without `https://` (the IRSA trust condition prefix). */
  readonly oidcIssuer: string;
  readonly ebsCsiRoleArn: string;
  readonly logGroupName: string;
  readonly nodeGroups: Readonly<Record<string, EksNodeGroup>>;
  readonly launchTemplates: Readonly<Record<string, LaunchTemplate>>;
  readonly addons: Readonly<Record<"vpcCni" | "kubeProxy" | "coredns" | "ebsCsiDriver", EksAddon>>;
  /**
   * What in-cluster workloads need before they can run: nodes, DNS and the EBS CSI driver.
   * Helm releases and Kubernetes objects that must schedule pods `dependsOn` these.
   */
  readonly readyDependencies: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const n = props.namer;
    if (props.endpointPublicAccess && props.publicAccessCidrs.length === 0) {
      throw new Error(`EksCluster ${id}: publicAccessCidrs must list at least one CIDR when endpointPublicAccess is true (AWS would open it to 0.0.0.0/0)`);
    }

    // Control plane (cluster.ts): log group first, then the cluster, IRSA's provider, admin entries.
    const cp = controlPlane(this, { ...props, kubernetesVersion: props.kubernetesVersion ?? KUBERNETES_VERSION });
    this.cluster = cp.cluster;
    this.logGroupName = cp.logGroupName;
    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.clusterEndpoint = this.cluster.endpoint;
    this.clusterCertificateAuthority = this.cluster.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;
    this.oidcProviderArn = cp.oidcProviderArn;
    this.oidcIssuer = cp.oidcIssuer;

    // Nodes (node-groups.ts): security group and role; the groups follow the networking add-ons.
    const nodeSg = nodeSecurityGroup(this, { namer: n, vpcId: props.vpcId, clusterSecurityGroupId: this.clusterSecurityGroupId });
    this.nodeSecurityGroupId = nodeSg.id;
    const nodes = nodeRole(this, n);
    this.nodeRoleArn = nodes.role.arn;

    // Add-ons (addons.ts): networking before the nodes, Deployments after them.
    const addons = managedAddons(this, {
      namer: n,
      clusterName: this.cluster.name,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      versions: props.addonVersions ?? EKS_ADDONS,
      ebsKmsKeyArn: props.ebsKmsKeyArn,
    });
    const { vpcCni, kubeProxy } = addons.beforeNodes();

    const built = nodeGroups(this, {
      namer: n,
      specs: props.nodeGroups,
      clusterName: this.cluster.name,
      clusterNameTag: props.clusterName,
      kubernetesVersion: this.cluster.version,
      nodeRoleArn: nodes.role.arn,
      subnetIds: props.subnetIds,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      nodeSecurityGroupId: nodeSg.id,
      instanceTags: props.instanceTags,
      dependsOn: [...nodes.policies, vpcCni, kubeProxy],
    });
    this.launchTemplates = built.launchTemplates;
    this.nodeGroups = built.nodeGroups;
    const groups = Object.values(built.nodeGroups);

    const { coredns, ebsCsi, ebsCsiRoleArn } = addons.afterNodes(groups);
    this.ebsCsiRoleArn = ebsCsiRoleArn;
    this.addons = { vpcCni, kubeProxy, coredns, ebsCsiDriver: ebsCsi };
    // The helm/kubernetes providers act as the applying principal: its access entry comes first.
    this.readyDependencies = [...groups, coredns, ebsCsi, ...cp.adminAccess];
  }
}
