import { Testing } from "cdktf";
import { AWS_MANAGED_POLICIES, CONTROL_PLANE_LOG_TYPES, EksCluster, EksClusterProps, nodeGroupSpecs } from "../../modules/eks";
import { Namer } from "../../lib/naming";
import { NodePool } from "../../lib/config/schema";
import { EKS_ADDONS, KUBERNETES_VERSION } from "../../versions";
import { Json, resource, resources } from "../helpers";

const general: NodePool = { instanceTypes: ["m6i.2xlarge"], minSize: 3, desiredSize: 3, maxSize: 6, capacityType: "ON_DEMAND", diskSizeGib: 100 };
const clickhouse: NodePool = { instanceTypes: ["r6i.2xlarge"], minSize: 1, desiredSize: 1, maxSize: 1, capacityType: "ON_DEMAND", diskSizeGib: 50 };

const BASE: EksClusterProps = {
  namer: new Namer("ls", "test"),
  clusterName: "ls-test-eks",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  endpointPublicAccess: false,
  publicAccessCidrs: [],
  adminPrincipalArns: ["arn:aws:iam::111111111111:role/platform-admin", "arn:aws:iam::111111111111:user/alice"],
  controlPlaneLogRetentionDays: 90,
  logsKmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/logs",
  secretsKmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/secrets",
  ebsKmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/ebs",
  nodeGroups: nodeGroupSpecs({ general, clickhouse }),
  instanceTags: { app: "langsmith", environment: "test" },
};

function synth(changes: Partial<EksClusterProps> = {}): Json {
  return JSON.parse(Testing.synthScope((scope) => new EksCluster(scope, "eks", { ...BASE, ...changes })));
}

/** `type.name` reference prefix of the one resource of a type whose name contains `fragment`. */
function ref(json: Json, type: string, fragment: string): string {
  const found = resources(json, type).filter(([n]) => n.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one ${type} ~ ${fragment}`);
  return `${type}.${found[0][0]}`;
}

function trustOf(json: Json, roleFragment: string): Json {
  return JSON.parse(resource(json, "aws_iam_role", roleFragment).assume_role_policy);
}

describe("EksCluster", () => {
  const json = synth();
  const cluster = resource(json, "aws_eks_cluster");

  test("runs the pinned Kubernetes version with access entries only (API mode), no implicit creator admin", () => {
    expect(cluster.version).toBe(KUBERNETES_VERSION);
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
  });

  test("encrypts Kubernetes secrets with the CMK and lets the cluster role use only that key", () => {
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: BASE.secretsKmsKeyArn } });
    const policy = JSON.parse(resource(json, "aws_iam_role_policy", "cluster-secrets-kms").policy);
    expect(policy.Statement).toEqual([{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: BASE.secretsKmsKeyArn }]);
    expect(resource(json, "aws_iam_role_policy_attachment", "cluster-policy").policy_arn).toBe(AWS_MANAGED_POLICIES.cluster);
  });

  test("logs every control-plane log type to a KMS-encrypted group with retention, created first", () => {
    expect(cluster.enabled_cluster_log_types).toEqual([...CONTROL_PLANE_LOG_TYPES]);
    expect(cluster.enabled_cluster_log_types).toHaveLength(5);
    const group = resource(json, "aws_cloudwatch_log_group", "control-plane-logs");
    expect(group).toMatchObject({ name: "/aws/eks/ls-test-eks/cluster", retention_in_days: 90, kms_key_id: BASE.logsKmsKeyArn });
    expect(cluster.depends_on).toContain(ref(json, "aws_cloudwatch_log_group", "control-plane-logs"));
  });

  test("an OIDC provider for IRSA with the STS audience and no thumbprint lookup", () => {
    const oidc = resource(json, "aws_iam_openid_connect_provider");
    expect(oidc.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(oidc.url).toMatch(/^\$\{aws_eks_cluster\.[^}]+\.identity\[0\]\.oidc\[0\]\.issuer\}$/);
    expect(oidc.thumbprint_list).toBeUndefined();
    expect(Object.keys(json.data ?? {})).toEqual([]);
    expect(Object.values(json.locals)).toEqual([expect.stringMatching(/^\$\{replace\(aws_iam_openid_connect_provider\.[^.]+\.url, "https:\/\/", ""\)\}$/)]);
  });

  test("cluster-admin access entries for each listed principal, keyed by principal", () => {
    const entries = resources(json, "aws_eks_access_entry").map(([name, e]) => [name, e.principal_arn, e.type]);
    expect(entries).toEqual([
      [expect.stringContaining("admin-111111111111-role-platform-admin"), BASE.adminPrincipalArns[0], "STANDARD"],
      [expect.stringContaining("admin-111111111111-user-alice"), BASE.adminPrincipalArns[1], "STANDARD"],
    ]);
    for (const [, assoc] of resources(json, "aws_eks_access_policy_association")) {
      expect(assoc).toMatchObject({ policy_arn: AWS_MANAGED_POLICIES.clusterAdminAccess, access_scope: { type: "cluster" } });
    }
    expect(resources(json, "aws_eks_access_policy_association")).toHaveLength(2);
  });
});

describe("EksCluster endpoint access", () => {
  test.each([
    ["private only", false, [], { endpoint_private_access: true, endpoint_public_access: false }],
    ["public from listed CIDRs", true, ["203.0.113.0/24", "198.51.100.7/32"], { endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24", "198.51.100.7/32"] }],
  ])("%s", (_name, endpointPublicAccess, publicAccessCidrs, expected) => {
    const vpc = resource(synth({ endpointPublicAccess, publicAccessCidrs }), "aws_eks_cluster").vpc_config;
    expect(vpc).toEqual({ ...expected, subnet_ids: BASE.subnetIds });
  });

  test("public access without CIDRs is refused (AWS would default to 0.0.0.0/0)", () => {
    expect(() => synth({ endpointPublicAccess: true, publicAccessCidrs: [] })).toThrow(
      "EksCluster eks: publicAccessCidrs must list at least one CIDR when endpointPublicAccess is true (AWS would open it to 0.0.0.0/0)",
    );
  });
});

describe("EksCluster nodes", () => {
  const json = synth();
  const groups = Object.fromEntries(resources(json, "aws_eks_node_group").map(([n, g]) => [n.includes("clickhouse") ? "clickhouse" : "general", g]));
  const templates = Object.fromEntries(resources(json, "aws_launch_template").map(([n, t]) => [n.includes("clickhouse") ? "clickhouse" : "general", t]));

  test("node role has the worker and ECR policies only; the CNI policy is on vpc-cni's own IRSA role", () => {
    const nodePolicies = resources(json, "aws_iam_role_policy_attachment").filter(([n]) => n.startsWith("eks_node-")).map(([, a]) => a.policy_arn).sort();
    expect(nodePolicies).toEqual([AWS_MANAGED_POLICIES.ecrReadOnly, AWS_MANAGED_POLICIES.workerNode].sort());
    expect(trustOf(json, "node-role").Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
    expect(resource(json, "aws_iam_role_policy_attachment", "vpc-cni-irsa").policy_arn).toBe(AWS_MANAGED_POLICIES.cni);
  });

  test.each([
    ["vpc-cni", "kube-system:aws-node"],
    ["ebs-csi", "kube-system:ebs-csi-controller-sa"],
  ])("IRSA role %s trusts exactly system:serviceaccount:%s with the STS audience", (role, subject) => {
    const statement = trustOf(json, `${role}-irsa`).Statement[0];
    expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(statement.Principal.Federated).toMatch(/aws_iam_openid_connect_provider\..+\.arn/);
    const conditions = statement.Condition.StringEquals;
    expect(Object.entries(conditions).filter(([k]) => k.endsWith(":sub")).map(([, v]) => v)).toEqual([`system:serviceaccount:${subject}`]);
    expect(Object.entries(conditions).filter(([k]) => k.endsWith(":aud")).map(([, v]) => v)).toEqual(["sts.amazonaws.com"]);
  });

  test("launch templates: IMDSv2 required with hop limit 1, encrypted gp3 root of diskSizeGib, both security groups", () => {
    for (const [name, size] of [["general", 100], ["clickhouse", 50]] as const) {
      const t = templates[name];
      expect(t.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(t.block_device_mappings).toEqual([
        { device_name: "/dev/xvda", ebs: { volume_size: size, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
      ]);
      expect(t.vpc_security_group_ids).toEqual([expect.stringMatching(/aws_eks_cluster\..+\.vpc_config\[0\]\.cluster_security_group_id/), expect.stringMatching(/aws_security_group\..+\.id/)]);
      expect(t.tag_specifications.map((s: Json) => s.resource_type)).toEqual(["instance", "volume", "network-interface"]);
      expect(t.tag_specifications[0].tags).toMatchObject({ app: "langsmith", environment: "test" });
    }
  });

  test("node groups: private subnets, sizes, autoscaler discovery tags, desired size left to the autoscaler", () => {
    expect(groups.general).toMatchObject({
      subnet_ids: BASE.subnetIds,
      instance_types: ["m6i.2xlarge"],
      capacity_type: "ON_DEMAND",
      ami_type: "AL2023_x86_64_STANDARD",
      scaling_config: { min_size: 3, desired_size: 3, max_size: 6 },
      labels: {},
      taint: [],
      tags: { "k8s.io/cluster-autoscaler/enabled": "true", "k8s.io/cluster-autoscaler/ls-test-eks": "owned" },
      lifecycle: { create_before_destroy: true, ignore_changes: ["scaling_config[0].desired_size"] },
    });
    expect(groups.general.launch_template.version).toMatch(/latest_version/);
    expect(groups.general.node_group_name_prefix).toBe("ls-test-general-");
  });

  test("the ClickHouse pool is labelled and tainted dedicated=clickhouse, in one zone", () => {
    expect(groups.clickhouse.labels).toEqual({ dedicated: "clickhouse" });
    expect(groups.clickhouse.taint).toEqual([{ key: "dedicated", value: "clickhouse", effect: "NO_SCHEDULE" }]);
    expect(groups.clickhouse.subnet_ids).toEqual(["subnet-a"]);
  });

  test("no ClickHouse pool when the environment has none", () => {
    const only = synth({ nodeGroups: nodeGroupSpecs({ general }) });
    expect(resources(only, "aws_eks_node_group")).toHaveLength(1);
    expect(resources(only, "aws_launch_template")).toHaveLength(1);
  });

  test("Graviton pools get the arm64 AMI type", () => {
    const arm = synth({ nodeGroups: nodeGroupSpecs({ general: { ...general, instanceTypes: ["m7g.2xlarge"] } }) });
    expect(resource(arm, "aws_eks_node_group").ami_type).toBe("AL2023_ARM_64_STANDARD");
  });

  test("node group name prefixes leave room for Terraform's 26-character suffix", () => {
    const long = synth({ namer: new Namer("abcdefghij", "envnameabcd"), nodeGroups: { "a-very-long-pool-name-indeed": general } });
    expect(resource(long, "aws_eks_node_group").node_group_name_prefix.length + 26).toBeLessThanOrEqual(63);
  });
});

describe("EksCluster node security group", () => {
  const json = synth();
  const sg = ref(json, "aws_security_group", "node-sg");

  test("is not tagged for the cluster (the load balancer controller wants one such group per ENI)", () => {
    const tags = resource(json, "aws_security_group", "node-sg").tags;
    expect(Object.keys(tags).filter((k) => k.startsWith("kubernetes.io/cluster/"))).toEqual([]);
  });

  test("egress anywhere; ingress from itself and from the control plane on 443 and 10250 only", () => {
    expect(resources(json, "aws_vpc_security_group_egress_rule").map(([, r]) => [r.ip_protocol, r.cidr_ipv4])).toEqual([["-1", "0.0.0.0/0"]]);
    const ingress = resources(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    expect(ingress.every((r) => r.security_group_id === `\${${sg}.id}`)).toBe(true);
    expect(ingress.every((r) => r.cidr_ipv4 === undefined)).toBe(true);
    const summary = ingress.map((r) => [r.ip_protocol, r.from_port ?? "all", r.referenced_security_group_id.includes("cluster_security_group_id") ? "control plane" : "nodes"]);
    expect(summary).toEqual(expect.arrayContaining([["-1", "all", "nodes"], ["tcp", 443, "control plane"], ["tcp", 10250, "control plane"]]));
    expect(summary).toHaveLength(3);
  });
});

describe("EksCluster managed add-ons", () => {
  const json = synth();
  const addon = (name: string) => resources(json, "aws_eks_addon").find(([, a]) => a.addon_name === name)?.[1] as Json;
  const nodeGroupRefs = resources(json, "aws_eks_node_group").map(([n]) => `aws_eks_node_group.${n}`);

  test.each([
    ["vpc-cni", EKS_ADDONS.vpcCni],
    ["kube-proxy", EKS_ADDONS.kubeProxy],
    ["coredns", EKS_ADDONS.coredns],
    ["aws-ebs-csi-driver", EKS_ADDONS.ebsCsiDriver],
  ])("%s at the pinned %s", (name, version) => {
    expect(addon(name)).toMatchObject({ addon_version: version, resolve_conflicts_on_create: "OVERWRITE", resolve_conflicts_on_update: "OVERWRITE" });
  });

  test("networking add-ons come before the nodes, Deployments after them", () => {
    for (const group of resources(json, "aws_eks_node_group").map(([, g]) => g)) {
      expect(group.depends_on).toEqual(expect.arrayContaining([expect.stringContaining("vpc-cni"), expect.stringContaining("kube-proxy")]));
    }
    expect([...addon("coredns").depends_on].sort()).toEqual([...nodeGroupRefs].sort());
    expect(addon("aws-ebs-csi-driver").depends_on).toEqual(expect.arrayContaining(nodeGroupRefs));
    expect(addon("vpc-cni").depends_on ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining("aws_eks_node_group")]));
  });

  test("vpc-cni and the EBS CSI driver run with their own IRSA roles", () => {
    expect(addon("vpc-cni").service_account_role_arn).toMatch(/aws_iam_role\.eks_vpc-cni-irsa/);
    expect(addon("aws-ebs-csi-driver").service_account_role_arn).toMatch(/aws_iam_role\.eks_ebs-csi-irsa/);
    expect(addon("coredns").service_account_role_arn).toBeUndefined();
  });

  test("the EBS CSI role has the AWS-managed driver policy and use of the EBS CMK only", () => {
    expect(resource(json, "aws_iam_role_policy_attachment", "ebs-csi-irsa").policy_arn).toBe(AWS_MANAGED_POLICIES.ebsCsi);
    const kms = JSON.parse(resource(json, "aws_iam_role_policy", "ebs-csi-irsa").policy);
    expect(kms.Statement.map((s: Json) => s.Resource)).toEqual([BASE.ebsKmsKeyArn, BASE.ebsKmsKeyArn]);
    expect(kms.Statement[0]).toMatchObject({ Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } });
  });
});
