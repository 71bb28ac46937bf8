import { Construct } from "constructs";
import { Fn, ITerraformDependable, TerraformLocal, Token } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon, EksAddonConfig } from "@cdktf/provider-aws/lib/eks-addon";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { EKS_ADDONS, KUBERNETES_VERSION } from "../../versions";
import { NodePool } from "../../lib/config/schema";
import { CLICKHOUSE_NODE_TAINT } from "../../lib/langsmith-values/chart";
import { architectureOf } from "../../lib/capacity";
import { policyDocument, policyJson, serviceTrust } from "../../lib/iam";
import { Namer } from "../../lib/naming";
import { IrsaRole, IrsaRoleProps } from "../irsa";

/** AWS-managed policies and EKS access policies this module attaches (AWS maintains them per EKS release). */
export const AWS_MANAGED_POLICIES = {
  cluster: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
  workerNode: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  ecrReadOnly: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  cni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  ebsCsi: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
  clusterAdminAccess: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
} as const;

/** Every control-plane log type EKS offers (reference architecture section 10: audit trail). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Service accounts of the managed add-ons that get IRSA roles (fixed by the add-ons). */
export const ADDON_SERVICE_ACCOUNTS = {
  vpcCni: { namespace: "kube-system", name: "aws-node" },
  ebsCsi: { namespace: "kube-system", name: "ebs-csi-controller-sa" },
} as const;

/**
 * Where in-cluster ClickHouse runs: the dedicated pool's label and taint (`CLICKHOUSE_NODE_TAINT`,
 * which the chart values use too). `nodeSelector` and `toleration` are the workload forms;
 * `taint` is the EKS API form on the node group.
 */
export const CLICKHOUSE_PLACEMENT = {
  nodeSelector: { [CLICKHOUSE_NODE_TAINT.key]: CLICKHOUSE_NODE_TAINT.value },
  toleration: { key: CLICKHOUSE_NODE_TAINT.key, operator: "Equal", value: CLICKHOUSE_NODE_TAINT.value, effect: CLICKHOUSE_NODE_TAINT.effect },
  taint: { key: CLICKHOUSE_NODE_TAINT.key, value: CLICKHOUSE_NODE_TAINT.value, effect: "NO_SCHEDULE" },
} as const;

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

/** One managed node group: an environment node pool plus its Kubernetes placement. */
export interface NodeGroupSpec extends NodePool {
  /** Kubernetes labels on every node. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints on every node. @default [] */
  readonly taints?: readonly NodeTaint[];
  /**
   * Keep the group in the first subnet's zone: for pools that carry one stateful pod, whose EBS
   * volume is zonal and could not follow a replacement node into another zone.
   * @default false
   */
  readonly singleZone?: boolean;
}

/** The environment's pools as node groups: `general`, and `clickhouse` (labelled and tainted) when present. */
export function nodeGroupSpecs(pools: { readonly general: NodePool; readonly clickhouse?: NodePool }): Record<string, NodeGroupSpec> {
  return {
    general: pools.general,
    ...(pools.clickhouse
      ? { clickhouse: { ...pools.clickhouse, labels: CLICKHOUSE_PLACEMENT.nodeSelector, taints: [CLICKHOUSE_PLACEMENT.taint], singleZone: true } }
      : {}),
  };
}

export interface EksAddonVersions {
  readonly vpcCni: string;
  readonly coredns: string;
  readonly kubeProxy: string;
  readonly ebsCsiDriver: string;
}

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
    const versions = props.addonVersions ?? EKS_ADDONS;
    if (props.endpointPublicAccess && props.publicAccessCidrs.length === 0) {
      throw new Error(`EksCluster ${id}: publicAccessCidrs must list at least one CIDR when endpointPublicAccess is true (AWS would open it to 0.0.0.0/0)`);
    }

    // Created before the cluster: otherwise EKS creates it on first write, unencrypted and kept forever.
    const logGroup = new CloudwatchLogGroup(this, "control-plane-logs", {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.controlPlaneLogRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
    });
    this.logGroupName = logGroup.name;

    const clusterRole = new IamRole(this, "cluster-role", {
      name: n.name("eks-cluster", "iamRole"),
      assumeRolePolicy: policyJson(serviceTrust("eks.amazonaws.com")),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-policy", { role: clusterRole.name, policyArn: AWS_MANAGED_POLICIES.cluster });
    const clusterKms = new IamRolePolicy(this, "cluster-secrets-kms", {
      role: clusterRole.id,
      name: "secrets-envelope-encryption",
      policy: policyJson(
        policyDocument({
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          Resource: props.secretsKmsKeyArn,
        }),
      ),
    });

    this.cluster = new EksClusterResource(this, "cluster", {
      name: props.clusterName,
      version: props.kubernetesVersion ?? KUBERNETES_VERSION,
      roleArn: clusterRole.arn,
      accessConfig: {
        authenticationMode: "API",
        // No admin entry Terraform does not manage for whoever created the cluster (possibly a
        // person): the applying principal is in adminPrincipalArns, with an explicit entry below.
        bootstrapClusterCreatorAdminPermissions: false,
      },
      // vpc-cni, kube-proxy and coredns come from the managed add-ons below instead of
      // unmanaged copies EKS would install (and the add-ons would then have to overwrite).
      bootstrapSelfManagedAddons: false,
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKmsKeyArn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: props.endpointPublicAccess,
        ...(props.endpointPublicAccess ? { publicAccessCidrs: [...props.publicAccessCidrs] } : {}),
      },
      // The log group must exist first (see above); the role needs its policies before EKS assumes it.
      dependsOn: [logGroup, clusterPolicy, clusterKms],
      // The setting forces a new cluster: clusters created with `true` keep it (README, upgrade
      // notes: import the apply role's entry, delete the creator's); new clusters get `false`.
      lifecycle: { ignoreChanges: ["access_config[0].bootstrap_cluster_creator_admin_permissions"] },
    });
    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.clusterEndpoint = this.cluster.endpoint;
    this.clusterCertificateAuthority = this.cluster.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    // IRSA. No thumbprint_list: optional since AWS provider 5.x, and IAM trusts the EKS issuer's
    // CA itself; fetching it (tls_certificate) would call the network at plan time.
    const oidc = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ["sts.amazonaws.com"],
    });
    this.oidcProviderArn = oidc.arn;
    // A local, so policies that embed the issuer reference `local.<name>` and stay parseable JSON
    // at synth (a function call inline would put its quoted arguments inside the JSON text).
    this.oidcIssuer = Token.asString(new TerraformLocal(this, "oidc-issuer", Fn.replace(oidc.url, "https://", "")).expression);

    const adminAccess: ITerraformDependable[] = [];
    for (const arn of props.adminPrincipalArns) {
      // Keyed by the principal (not its position) so removing one admin leaves the others in place.
      const key = `admin-${arn.replace(/^arn:aws[a-z-]*:iam::/, "").replace(/[^A-Za-z0-9]+/g, "-")}`;
      const entry = new EksAccessEntry(this, key, { clusterName: this.cluster.name, principalArn: arn, type: "STANDARD" });
      adminAccess.push(entry);
      const association = new EksAccessPolicyAssociation(this, `${key}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: AWS_MANAGED_POLICIES.clusterAdminAccess,
        accessScope: { type: "cluster" },
      });
      adminAccess.push(association);
    }

    // Dedicated node security group. Not tagged kubernetes.io/cluster/<name>: the load balancer
    // controller expects exactly one such group per ENI, and that is the EKS cluster group.
    const nodeSg = new SecurityGroup(this, "node-sg", {
      name: n.name("eks-nodes"),
      description: "EKS nodes of this environment: data stores and the ALB admit traffic from/to it",
      vpcId: props.vpcId,
      tags: { Name: n.name("eks-nodes") },
    });
    this.nodeSecurityGroupId = nodeSg.id;
    new VpcSecurityGroupEgressRule(this, "node-egress", {
      securityGroupId: nodeSg.id,
      description: "Image pulls, AWS APIs (NAT or endpoints), data stores",
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupIngressRule(this, "node-from-nodes", {
      securityGroupId: nodeSg.id,
      description: "Pod-to-pod and node-to-node traffic (CoreDNS, services) across nodes",
      ipProtocol: "-1",
      referencedSecurityGroupId: nodeSg.id,
    });
    for (const [port, why] of [[443, "admission webhooks"], [10250, "kubelet (logs, exec, metrics)"]] as const) {
      new VpcSecurityGroupIngressRule(this, `node-from-control-plane-${port}`, {
        securityGroupId: nodeSg.id,
        description: `Control plane to ${why}`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: this.clusterSecurityGroupId,
      });
    }

    const nodeRole = new IamRole(this, "node-role", {
      name: n.name("eks-node", "iamRole"),
      assumeRolePolicy: policyJson(serviceTrust("ec2.amazonaws.com")),
    });
    this.nodeRoleArn = nodeRole.arn;
    // No AmazonEKS_CNI_Policy here: vpc-cni has its own IRSA role, so pods cannot borrow it from the node.
    const nodePolicies = [
      new IamRolePolicyAttachment(this, "node-worker-policy", { role: nodeRole.name, policyArn: AWS_MANAGED_POLICIES.workerNode }),
      new IamRolePolicyAttachment(this, "node-ecr-policy", { role: nodeRole.name, policyArn: AWS_MANAGED_POLICIES.ecrReadOnly }),
    ];

    const irsa = (key: string, sa: { namespace: string; name: string }, extra: Pick<IrsaRoleProps, "policies" | "managedPolicyArns">) =>
      new IrsaRole(this, `${key}-irsa`, {
        roleName: n.name(`irsa-${key}`, "iamRole"),
        oidcProviderArn: this.oidcProviderArn,
        oidcIssuer: this.oidcIssuer,
        namespace: sa.namespace,
        serviceAccounts: [sa.name],
        ...extra,
      });
    const addon = (key: string, name: string, version: string, extra: Partial<EksAddonConfig> = {}) =>
      new EksAddon(this, key, {
        clusterName: this.cluster.name,
        addonName: name,
        addonVersion: version,
        // Terraform owns the add-on configuration: manual edits are reverted on the next apply.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        ...extra,
      });

    // Networking add-ons before the nodes: a node is Ready only once the CNI runs on it.
    const cniRole = irsa("vpc-cni", ADDON_SERVICE_ACCOUNTS.vpcCni, { managedPolicyArns: [AWS_MANAGED_POLICIES.cni] });
    const vpcCni = addon("vpc-cni", "vpc-cni", versions.vpcCni, { serviceAccountRoleArn: cniRole.roleArn, dependsOn: cniRole.policyResources });
    const kubeProxy = addon("kube-proxy", "kube-proxy", versions.kubeProxy);

    const launchTemplates: Record<string, LaunchTemplate> = {};
    const nodeGroups: Record<string, EksNodeGroup> = {};
    for (const [name, spec] of Object.entries(props.nodeGroups)) {
      const instanceName = n.name(`eks-${name}`);
      const lt = new LaunchTemplate(this, `${name}-launch-template`, {
        name: n.name(`eks-${name}`),
        description: `EKS node group ${name}: IMDSv2, encrypted gp3 root volume, cluster and node security groups`,
        updateDefaultVersion: true,
        // Both groups: with security groups in a launch template EKS adds none of its own.
        vpcSecurityGroupIds: [this.clusterSecurityGroupId, nodeSg.id],
        // IMDSv2 only; hop limit 2 so containers that read instance metadata (the EBS CSI node
        // plugin: instance id and zone) reach it through the extra network hop.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
        blockDeviceMappings: [
          {
            // Root device of the EKS AL2023 AMIs.
            deviceName: "/dev/xvda",
            // Account's default EBS key: a CMK here would need a key-policy grant for the Auto
            // Scaling service-linked role, which does not exist in a fresh account. Data volumes
            // (PersistentVolumes) use the EBS CMK through the gp3 StorageClass.
            ebs: { volumeSize: spec.diskSizeGib, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
          },
        ],
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags: { ...props.instanceTags, Name: instanceName },
        })),
        tags: { Name: instanceName },
      });
      launchTemplates[name] = lt;
      nodeGroups[name] = new EksNodeGroup(this, `${name}-node-group`, {
        clusterName: this.cluster.name,
        // A prefix, so changing instance types (a replacement) creates the new group before the old one goes.
        nodeGroupNamePrefix: `${n.name(name, "nodeGroupPrefix")}-`,
        version: this.cluster.version,
        nodeRoleArn: nodeRole.arn,
        subnetIds: spec.singleZone ? props.subnetIds.slice(0, 1) : [...props.subnetIds],
        amiType: architectureOf(spec.instanceTypes[0]) === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
        capacityType: spec.capacityType,
        instanceTypes: [...spec.instanceTypes],
        scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: lt.id, version: Token.asString(lt.latestVersion) },
        labels: { ...spec.labels },
        taint: (spec.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
        nodeRepairConfig: { enabled: true },
        tags: {
          Name: instanceName,
          // Cluster Autoscaler auto-discovery (EKS also puts these on the group's ASG).
          "k8s.io/cluster-autoscaler/enabled": "true",
          [`k8s.io/cluster-autoscaler/${props.clusterName}`]: "owned",
        },
        lifecycle: {
          createBeforeDestroy: true,
          // Cluster Autoscaler owns the desired size after creation; Terraform must not reset it.
          ignoreChanges: ["scaling_config[0].desired_size"],
        },
        // Nodes join only with their role's policies attached and the CNI/kube-proxy add-ons present.
        dependsOn: [...nodePolicies, vpcCni, kubeProxy],
      });
    }
    this.launchTemplates = launchTemplates;
    this.nodeGroups = nodeGroups;
    const groups = Object.values(nodeGroups);

    // After the nodes: Deployments (CoreDNS, the CSI controller) stay DEGRADED without nodes,
    // and Terraform would wait for them until it times out.
    const coredns = addon("coredns", "coredns", versions.coredns, { dependsOn: groups });
    const ebsRole = irsa("ebs-csi", ADDON_SERVICE_ACCOUNTS.ebsCsi, {
      managedPolicyArns: [AWS_MANAGED_POLICIES.ebsCsi],
      policies: {
        // AWS EBS CSI docs ("KMS key for encryption"): grants let EC2 attach the encrypted volume.
        "ebs-cmk": policyDocument(
          {
            Sid: "GrantsForAttachedVolumes",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: props.ebsKmsKeyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
          },
          {
            Sid: "EncryptVolumes",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: props.ebsKmsKeyArn,
          },
        ),
      },
    });
    this.ebsCsiRoleArn = ebsRole.roleArn;
    const ebsCsi = addon("aws-ebs-csi-driver", "aws-ebs-csi-driver", versions.ebsCsiDriver, {
      serviceAccountRoleArn: ebsRole.roleArn,
      dependsOn: [...groups, ...ebsRole.policyResources],
    });
    this.addons = { vpcCni, kubeProxy, coredns, ebsCsiDriver: ebsCsi };
    // The helm/kubernetes providers act as the applying principal: its access entry comes first.
    this.readyDependencies = [...groups, coredns, ebsCsi, ...adminAccess];
  }
}
