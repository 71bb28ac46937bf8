import { Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ADDON_DEFAULTS, AddonName, ClusterAddons, ClusterAddonsProps, EXTERNAL_SECRETS_SERVICE_ACCOUNT } from "../../modules/cluster-addons";
import { Namer } from "../../lib/naming";
import { CHARTS, KUBERNETES_VERSION } from "../../versions";
import { ESO_SERVICE_ACCOUNT } from "../../modules/secrets";
import { Json, resource, resources } from "../helpers";

const NODE_GROUP_ARN = "arn:aws:eks:us-west-2:111111111111:nodegroup/ls-test-eks/general/abc";

function synth(changes: Partial<ClusterAddonsProps> = {}): Json {
  return JSON.parse(
    Testing.synthScope((scope) => {
      // Stands in for the cluster's nodes/add-ons that every release must wait for.
      const ready = new CloudwatchLogGroup(scope, "cluster-ready", { name: "ready" });
      new ClusterAddons(scope, "addons", {
        namer: new Namer("ls", "test"),
        cluster: {
          clusterName: "ls-test-eks",
          oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
          oidcIssuer: "oidc.eks.us-west-2.amazonaws.com/id/ABC",
          nodeGroups: { general: { arn: NODE_GROUP_ARN } },
          readyDependencies: [ready],
        },
        region: "us-west-2",
        accountId: "111111111111",
        vpcId: "vpc-0123456789abcdef0",
        ebsKmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/ebs",
        ...changes,
      });
    }),
  );
}

const json = synth();
const release = (j: Json, name: string) => resources(j, "helm_release").find(([, r]) => r.name === name)?.[1] as Json;
const values = (j: Json, name: string) => JSON.parse(release(j, name).values[0]);
const policyOf = (j: Json, roleFragment: string) => JSON.parse(resource(j, "aws_iam_role_policy", roleFragment).policy);
const statements = (j: Json) => resources(j, "aws_iam_role_policy").flatMap(([, p]) => JSON.parse(p.policy).Statement as Json[]);
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

describe("ClusterAddons releases", () => {
  test.each(Object.entries(ADDON_DEFAULTS))("%s: pinned chart, deliberate atomic/wait/timeout, after the cluster is ready", (_key, d) => {
    const r = release(json, d.releaseName);
    expect(r).toMatchObject({
      repository: d.chart.repository,
      chart: d.chart.chart,
      version: d.chart.version,
      namespace: d.namespace,
      atomic: true,
      cleanup_on_fail: true,
      wait: true,
      timeout: 600,
    });
    expect(r.depends_on).toContain("aws_cloudwatch_log_group.cluster-ready");
    expect(r.values).toHaveLength(1);
  });

  test("pins come from versions.ts", () => {
    expect(ADDON_DEFAULTS.awsLoadBalancerController.chart).toBe(CHARTS.awsLoadBalancerController);
    expect(ADDON_DEFAULTS.clusterAutoscaler.chart).toBe(CHARTS.clusterAutoscaler);
    expect(ADDON_DEFAULTS.metricsServer.chart).toBe(CHARTS.metricsServer);
    expect(ADDON_DEFAULTS.externalSecrets.chart).toBe(CHARTS.externalSecrets);
  });

  test("the Cluster Autoscaler it installs matches the Kubernetes minor", () => {
    const installed = release(json, "cluster-autoscaler").version;
    const pin = Object.values(CHARTS).find((c) => c.chart === "cluster-autoscaler" && c.version === installed);
    expect(pin?.appVersion.split(".").slice(0, 2).join(".")).toBe(KUBERNETES_VERSION);
  });

  test("AWS Load Balancer Controller knows its cluster, region and VPC (no IMDS lookups)", () => {
    expect(values(json, "aws-load-balancer-controller")).toMatchObject({
      clusterName: "ls-test-eks",
      region: "us-west-2",
      vpcId: "vpc-0123456789abcdef0",
      enableServiceMutatorWebhook: false,
    });
  });

  test("Cluster Autoscaler discovers this cluster's tagged groups", () => {
    expect(values(json, "cluster-autoscaler")).toMatchObject({ cloudProvider: "aws", autoDiscovery: { clusterName: "ls-test-eks" }, awsRegion: "us-west-2" });
  });

  test("no ExternalDNS: Terraform owns the only record, nothing may write the hosted zone", () => {
    expect(Object.keys(ADDON_DEFAULTS)).not.toContain("externalDns");
    expect(resources(json, "helm_release").map(([, r]) => r.chart)).not.toContain("external-dns");
    expect(statements(json).flatMap((s) => list(s.Action)).filter((a) => a.startsWith("route53:"))).toEqual([]);
  });

  test("External Secrets installs its CRDs as service account external-secrets, with no AWS identity until given one", () => {
    expect(values(json, "external-secrets")).toEqual({ installCRDs: true, serviceAccount: { create: true, name: "external-secrets" } });
    expect(release(json, "external-secrets")).toMatchObject({ namespace: "external-secrets", create_namespace: true });
    expect(EXTERNAL_SECRETS_SERVICE_ACCOUNT).toEqual({ namespace: "external-secrets", name: "external-secrets" });
    // The controller role (modules/secrets) trusts exactly the account this release creates.
    expect(EXTERNAL_SECRETS_SERVICE_ACCOUNT).toEqual(ESO_SERVICE_ACCOUNT);
    const withRole = synth({ externalSecretsRoleArn: "arn:aws:iam::111111111111:role/ls-test-eso" });
    expect(values(withRole, "external-secrets").serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": "arn:aws:iam::111111111111:role/ls-test-eso" });
  });

  test("value overrides merge last, per add-on", () => {
    const j = synth({ valuesOverrides: { metricsServer: { replicas: 2 }, awsLoadBalancerController: { replicaCount: 3 } } });
    expect(values(j, "metrics-server")).toEqual({ replicas: 2 });
    expect(values(j, "aws-load-balancer-controller")).toMatchObject({ replicaCount: 3, clusterName: "ls-test-eks" });
  });
});

describe("ClusterAddons IRSA", () => {
  test.each([
    ["awsLoadBalancerController", "kube-system:aws-load-balancer-controller"],
    ["clusterAutoscaler", "kube-system:cluster-autoscaler"],
  ] as [AddonName, string][])("%s: role trusted by exactly system:serviceaccount:%s, annotated on that service account", (name, subject) => {
    const d = ADDON_DEFAULTS[name];
    const [roleKey, role] = resources(json, "aws_iam_role").find(([n]) => n.includes(`${d.releaseName}-irsa`)) as [string, Json];
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal.Federated).toBe("arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC");
    expect(trust.Condition.StringEquals).toEqual({
      "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": `system:serviceaccount:${subject}`,
      "oidc.eks.us-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
    });
    const v = values(json, d.releaseName);
    const sa = name === "clusterAutoscaler" ? v.rbac.serviceAccount : v.serviceAccount;
    expect(sa.annotations["eks.amazonaws.com/role-arn"]).toBe(`\${aws_iam_role.${roleKey}.arn}`);
    // The chart must run as the trusted account, set by name.
    expect(sa.name ?? release(json, d.releaseName).name).toBe(subject.split(":")[1]);
  });

  test("metrics-server and External Secrets get no role here", () => {
    expect(resources(json, "aws_iam_role").map(([n]) => n).filter((n) => /metrics-server|external-secrets/.test(n))).toEqual([]);
  });

  test("no statement allows every action, and none grants iam:PassRole", () => {
    for (const s of statements(json)) {
      expect(list(s.Action).filter((a: string) => a === "*" || a.endsWith(":*"))).toEqual([]);
      expect(list(s.Action)).not.toContain("iam:PassRole");
    }
  });

  test("Cluster Autoscaler resizes only groups tagged for this cluster and describes only its node groups", () => {
    const policy = policyOf(json, "cluster-autoscaler");
    const scale = policy.Statement.find((s: Json) => list(s.Action).includes("autoscaling:SetDesiredCapacity"));
    expect(scale.Resource).toBe("arn:aws:autoscaling:us-west-2:111111111111:autoScalingGroup:*:autoScalingGroupName/*");
    expect(scale.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true", "aws:ResourceTag/k8s.io/cluster-autoscaler/ls-test-eks": "owned" },
    });
    expect(policy.Statement.find((s: Json) => s.Action === "eks:DescribeNodegroup").Resource).toEqual([NODE_GROUP_ARN]);
    const wildcard = policy.Statement.filter((s: Json) => s.Resource === "*").flatMap((s: Json) => list(s.Action));
    expect(wildcard.every((a: string) => /:(Describe|Get)/.test(a))).toBe(true);
  });

  test("the load balancer controller only reads and registers targets in the environment's target groups (no listener, WAF, Shield or security-group write)", () => {
    const policy = policyOf(json, "aws-load-balancer-controller");
    const readOnly = /:(Describe|Get|List)/;
    const writes = (policy.Statement as Json[]).flatMap((s) => list(s.Action).filter((a: string) => !readOnly.test(a)).map((a: string) => [a, list(s.Resource)]));
    expect(writes).toEqual([
      ["elasticloadbalancing:DeregisterTargets", ["arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/ls-test-*/*"]],
      ["elasticloadbalancing:RegisterTargets", ["arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/ls-test-*/*"]],
    ]);
  });

  test("the load balancer controller's WAF and Shield features are off", () => {
    expect(values(json, "aws-load-balancer-controller")).toMatchObject({ enableShield: false, enableWaf: false, enableWafv2: false });
  });
});

describe("ClusterAddons storage", () => {
  test("a default gp3 StorageClass: EBS CSI, encrypted with the EBS CMK, WaitForFirstConsumer, expandable", () => {
    expect(resource(json, "kubernetes_storage_class_v1", "gp3")).toMatchObject({
      metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: "arn:aws:kms:us-west-2:111111111111:key/ebs" },
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      reclaim_policy: "Delete",
    });
  });

  test("gp2 stops being a default (forced annotation)", () => {
    expect(resource(json, "kubernetes_annotations")).toMatchObject({
      api_version: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "gp2" },
      annotations: { "storageclass.kubernetes.io/is-default-class": "false" },
      force: true,
    });
    expect(resources(synth({ demoteGp2: false }), "kubernetes_annotations")).toEqual([]);
  });
});

