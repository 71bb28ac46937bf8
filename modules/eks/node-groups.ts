/** The nodes: their security group and role, and one launch template + managed node group per pool. */
import { Construct } from "constructs";
import { ITerraformDependable, Token } from "cdktf";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { NodePool } from "../../lib/config/schema";
import { CLICKHOUSE_NODE_TAINT } from "../../lib/langsmith-values/chart";
import { architectureOf } from "../../lib/capacity";
import { policyJson, serviceTrust } from "../../lib/iam";
import { Namer } from "../../lib/naming";
import { AWS_MANAGED_POLICIES } from "./policies";

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

/** The nodes' own security group, created in `scope` as `node-sg` with its rules. */
export function nodeSecurityGroup(scope: Construct, p: { readonly namer: Namer; readonly vpcId: string; readonly clusterSecurityGroupId: string }): SecurityGroup {
  const n = p.namer;
  // Dedicated node security group. Not tagged kubernetes.io/cluster/<name>: the load balancer
  // controller expects exactly one such group per ENI, and that is the EKS cluster group.
  const nodeSg = new SecurityGroup(scope, "node-sg", {
    name: n.name("eks-nodes"),
    description: "EKS nodes of this environment: data stores and the ALB admit traffic from/to it",
    vpcId: p.vpcId,
    tags: { Name: n.name("eks-nodes") },
  });
  new VpcSecurityGroupEgressRule(scope, "node-egress", {
    securityGroupId: nodeSg.id,
    description: "Image pulls, AWS APIs (NAT or endpoints), data stores",
    ipProtocol: "-1",
    cidrIpv4: "0.0.0.0/0",
  });
  new VpcSecurityGroupIngressRule(scope, "node-from-nodes", {
    securityGroupId: nodeSg.id,
    description: "Pod-to-pod and node-to-node traffic (CoreDNS, services) across nodes",
    ipProtocol: "-1",
    referencedSecurityGroupId: nodeSg.id,
  });
  for (const [port, why] of [[443, "admission webhooks"], [10250, "kubelet (logs, exec, metrics)"]] as const) {
    new VpcSecurityGroupIngressRule(scope, `node-from-control-plane-${port}`, {
      securityGroupId: nodeSg.id,
      description: `Control plane to ${why}`,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: p.clusterSecurityGroupId,
    });
  }
  return nodeSg;
}

/** The node role (`node-role`) and its managed-policy attachments. */
export function nodeRole(scope: Construct, n: Namer): { readonly role: IamRole; readonly policies: IamRolePolicyAttachment[] } {
  const nodeRole = new IamRole(scope, "node-role", {
    name: n.name("eks-node", "iamRole"),
    assumeRolePolicy: policyJson(serviceTrust("ec2.amazonaws.com")),
  });
  // No AmazonEKS_CNI_Policy here: vpc-cni has its own IRSA role, so pods cannot borrow it from the node.
  const nodePolicies = [
    new IamRolePolicyAttachment(scope, "node-worker-policy", { role: nodeRole.name, policyArn: AWS_MANAGED_POLICIES.workerNode }),
    new IamRolePolicyAttachment(scope, "node-ecr-policy", { role: nodeRole.name, policyArn: AWS_MANAGED_POLICIES.ecrReadOnly }),
  ];
  return { role: nodeRole, policies: nodePolicies };
}

export interface NodeGroupsProps {
  readonly namer: Namer;
  readonly specs: Readonly<Record<string, NodeGroupSpec>>;
  /** The cluster resource's name (a reference: groups follow the cluster). */
  readonly clusterName: string;
  /** The configured cluster name (a plain string), for the autoscaler discovery tag key. */
  readonly clusterNameTag: string;
  /** The cluster resource's version: groups follow the control plane. */
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  readonly clusterSecurityGroupId: string;
  readonly nodeSecurityGroupId: string;
  readonly instanceTags?: Readonly<Record<string, string>>;
  /** Nodes join only with their role's policies attached and the CNI/kube-proxy add-ons present. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** One launch template (`<pool>-launch-template`) and node group (`<pool>-node-group`) per spec. */
export function nodeGroups(scope: Construct, p: NodeGroupsProps): { readonly launchTemplates: Record<string, LaunchTemplate>; readonly nodeGroups: Record<string, EksNodeGroup> } {
  const n = p.namer;
  const launchTemplates: Record<string, LaunchTemplate> = {};
  const nodeGroups: Record<string, EksNodeGroup> = {};
  for (const [name, spec] of Object.entries(p.specs)) {
    const instanceName = n.name(`eks-${name}`);
    const lt = new LaunchTemplate(scope, `${name}-launch-template`, {
      name: n.name(`eks-${name}`),
      description: `EKS node group ${name}: IMDSv2, encrypted gp3 root volume, cluster and node security groups`,
      updateDefaultVersion: true,
      // Both groups: with security groups in a launch template EKS adds none of its own.
      vpcSecurityGroupIds: [p.clusterSecurityGroupId, p.nodeSecurityGroupId],
      // IMDSv2 only, hop limit 1: a pod on the pod network cannot reach IMDS (one more hop), so
      // it cannot take the node role's credentials. Host-network pods (aws-node, kube-proxy)
      // still can; the add-ons get their region and VPC explicitly (cluster-addons), IRSA pods
      // get AWS_REGION from the EKS webhook, and the EBS CSI node plugin falls back to the
      // Kubernetes node object for its instance id and zone.
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
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
        tags: { ...p.instanceTags, Name: instanceName },
      })),
      tags: { Name: instanceName },
    });
    launchTemplates[name] = lt;
    nodeGroups[name] = new EksNodeGroup(scope, `${name}-node-group`, {
      clusterName: p.clusterName,
      // A prefix, so changing instance types (a replacement) creates the new group before the old one goes.
      nodeGroupNamePrefix: `${n.name(name, "nodeGroupPrefix")}-`,
      version: p.kubernetesVersion,
      nodeRoleArn: p.nodeRoleArn,
      subnetIds: spec.singleZone ? p.subnetIds.slice(0, 1) : [...p.subnetIds],
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
        [`k8s.io/cluster-autoscaler/${p.clusterNameTag}`]: "owned",
      },
      lifecycle: {
        createBeforeDestroy: true,
        // Cluster Autoscaler owns the desired size after creation; Terraform must not reset it.
        ignoreChanges: ["scaling_config[0].desired_size"],
      },
      // Nodes join only with their role's policies attached and the CNI/kube-proxy add-ons present.
      dependsOn: [...p.dependsOn],
    });
  }
  return { launchTemplates, nodeGroups };
}
