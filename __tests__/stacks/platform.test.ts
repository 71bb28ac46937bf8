import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { runs } from "../../lib/config/schema";
import { reduceForOffline } from "../../scripts/offline/reduce";
import { EKS_ADDONS, KUBERNETES_VERSION } from "../../versions";
import { ADDON_DEFAULTS } from "../../modules/cluster-addons";
import { envWith, Json, resource, resources, synthEnv, describeEach } from "../helpers";

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
const list = (v: unknown) => (Array.isArray(v) ? v : [v]);

describeEach(shipped.map((env) => [env.name, env] as const))("platform of langsmith-%s", (_name, env) => {
  const json = synthEnv(env);
  const clusterName = `ls-${env.name}-eks`;

  test("one EKS cluster at the pinned version, private endpoint, in the private subnets", () => {
    const cluster = resource(json, "aws_eks_cluster");
    expect(cluster).toMatchObject({ name: clusterName, version: KUBERNETES_VERSION, access_config: { authentication_mode: "API" } });
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    expect(cluster.vpc_config.endpoint_public_access).toBe(env.eks.endpointPublicAccess);
    expect(cluster.vpc_config.subnet_ids).toHaveLength(env.aws.availabilityZones.length);
    expect(cluster.vpc_config.subnet_ids.every((s: string) => s.includes("aws_subnet.network_private-"))).toBe(true);
    expect(resource(json, "aws_cloudwatch_log_group", "control-plane-logs").retention_in_days).toBe(env.eks.controlPlaneLogRetentionDays);
  });

  test("node groups follow env.nodePools (ClickHouse pool only when present)", () => {
    const groups = resources(json, "aws_eks_node_group").map(([, g]) => g);
    expect(groups).toHaveLength(env.nodePools.clickhouse ? 2 : 1);
    const general = groups.find((g) => g.node_group_name_prefix.includes("general")) as Json;
    expect(general.instance_types).toEqual(env.nodePools.general.instanceTypes);
    expect(general.scaling_config).toEqual({
      min_size: env.nodePools.general.minSize,
      desired_size: env.nodePools.general.desiredSize,
      max_size: env.nodePools.general.maxSize,
    });
    for (const [, t] of resources(json, "aws_launch_template")) {
      expect(t.metadata_options.http_tokens).toBe("required");
      expect(t.block_device_mappings[0].ebs).toMatchObject({ volume_type: "gp3", encrypted: "true" });
    }
  });

  test("managed add-ons at the pinned versions", () => {
    const addons = Object.fromEntries(resources(json, "aws_eks_addon").map(([, a]) => [a.addon_name, a.addon_version]));
    expect(addons).toEqual({
      "vpc-cni": EKS_ADDONS.vpcCni,
      "kube-proxy": EKS_ADDONS.kubeProxy,
      coredns: EKS_ADDONS.coredns,
      "aws-ebs-csi-driver": EKS_ADDONS.ebsCsiDriver,
      "amazon-cloudwatch-observability": EKS_ADDONS.cloudwatchObservability,
    });
  });

  test("the Helm add-ons beside the LangSmith releases, the default gp3 StorageClass and the langsmith namespace", () => {
    const releases = [
      ...Object.values(ADDON_DEFAULTS).map((d) => d.releaseName),
      // The CI plan role's read-only RBAC (environments with a ci block).
      ...(env.ci ? ["langsmith-ci-plan-reader"] : []),
      // Each application's release, secrets, TargetGroupBinding and NetworkPolicies.
      ...(runs(env, "langsmith") ? ["langsmith", "langsmith-secrets", "langsmith-target-group-binding", "langsmith-network-policies"] : []),
      ...(runs(env, "langfuse") ? ["langfuse", "langfuse-secrets", "langfuse-target-group-binding", "langfuse-network-policies"] : []),
    ];
    expect(resources(json, "helm_release").map(([, r]) => r.name).sort()).toEqual(releases.sort());
    const gp3 = resource(json, "kubernetes_storage_class_v1", "addons_gp3");
    expect(gp3.metadata.annotations).toEqual({ "storageclass.kubernetes.io/is-default-class": "true" });
    expect(gp3.parameters.kmsKeyId).toMatch(/aws_kms_key\.ebs-key/);
    // In-cluster ClickHouse gets its own class with provisioned IOPS/throughput and the backup tag.
    const classes = resources(json, "kubernetes_storage_class_v1").map(([, c]) => c.metadata.name).sort();
    expect(classes).toEqual(env.clickhouse.mode === "in-cluster" ? ["gp3", "gp3-clickhouse"] : ["gp3"]);
    const namespaces = resources(json, "kubernetes_namespace_v1").map(([, n]) => n.metadata.name).sort();
    expect(namespaces).toEqual((["langfuse", "langsmith"] as const).filter((app) => runs(env, app)));
    if (!runs(env, "langsmith")) return;
    const ns = resource(json, "kubernetes_namespace_v1", "langsmith-namespace");
    expect(ns.metadata.name).toBe("langsmith");
    expect(ns.depends_on).toEqual([expect.stringContaining("aws-load-balancer-controller")]);
  });

  test("no ExternalDNS release or role: Terraform owns the alias record", () => {
    expect(resources(json, "helm_release").map(([, r]) => r.name)).not.toContain("external-dns");
    expect(resources(json, "aws_iam_role").map(([n]) => n).filter((n) => n.includes("external-dns"))).toEqual([]);
  });

  test("kubernetes and helm providers connect to this cluster with `aws eks get-token` (exec mode)", () => {
    expect(env.eks.clusterAuth).toBe("exec");
    const k8s = json.provider.kubernetes[0];
    const helm = json.provider.helm[0].kubernetes;
    for (const p of [k8s, helm]) {
      expect(p.host).toMatch(/aws_eks_cluster\..+\.endpoint/);
      expect(p.cluster_ca_certificate).toMatch(/^\$\{base64decode\(aws_eks_cluster\..+\.certificate_authority\[0\]\.data\)\}$/);
      expect(p.token).toBeUndefined();
    }
    expect(k8s.exec[0]).toEqual(helm.exec);
    expect(helm.exec).toMatchObject({ command: "aws", args: ["eks", "get-token", "--cluster-name", expect.stringMatching(/aws_eks_cluster\..+\.name/), "--region", env.aws.region, "--output", "json"] });
    expect(json.data?.aws_eks_cluster_auth).toBeUndefined();
  });

  test("every IRSA role trusts exact service accounts of this cluster's OIDC provider, with the STS audience", () => {
    const irsa = resources(json, "aws_iam_role")
      .map(([, r]) => JSON.parse(r.assume_role_policy).Statement[0])
      .filter((s) => s.Action === "sts:AssumeRoleWithWebIdentity");
    const subjects = irsa.flatMap((s) => {
      const eq = s.Condition.StringEquals as Record<string, string>;
      expect(Object.keys(s.Condition)).toEqual(["StringEquals"]);
      expect(Object.entries(eq).find(([k]) => k.endsWith(":aud"))?.[1]).toBe("sts.amazonaws.com");
      expect(s.Principal.Federated).toMatch(/aws_iam_openid_connect_provider\.eks_oidc-provider/);
      return list(Object.entries(eq).find(([k]) => k.endsWith(":sub"))?.[1]);
    });
    expect(subjects.sort()).toEqual(
      [
        "system:serviceaccount:amazon-cloudwatch:cloudwatch-agent",
        // LangSmith's namespaced SecretStore's own service account (not the ESO controller's), and its pods: only where LangSmith runs.
        ...(runs(env, "langsmith")
          ? ["langsmith-secrets-reader", "langsmith-backend", "langsmith-ingest-queue", "langsmith-platform-backend", "langsmith-queue"].map((sa) => `system:serviceaccount:langsmith:${sa}`)
          : []),
        // Langfuse's web and worker (one service account) and its namespace's own secret store.
        ...(runs(env, "langfuse") ? ["system:serviceaccount:langfuse:langfuse", "system:serviceaccount:langfuse:langfuse-secret-store"] : []),
        "system:serviceaccount:kube-system:aws-load-balancer-controller",
        "system:serviceaccount:kube-system:aws-node",
        "system:serviceaccount:kube-system:cluster-autoscaler",
        "system:serviceaccount:kube-system:ebs-csi-controller-sa",
      ].sort(),
    );
  });

  test("no IAM statement allows * on *, and no iam:PassRole", () => {
    const statements = resources(json, "aws_iam_role_policy").flatMap(([, p]) => JSON.parse(p.policy).Statement as Json[]);
    for (const s of statements) {
      const star = list(s.Action).some((a) => a === "*") && list(s.Resource).some((r) => r === "*");
      expect(star).toBe(false);
      expect(list(s.Action)).not.toContain("iam:PassRole");
    }
  });

  test("Kubernetes secrets and EBS volumes use their own rotating CMKs", () => {
    for (const key of ["eks-secrets-key", "ebs-key"]) expect(resource(json, "aws_kms_key", key).enable_key_rotation).toBe(true);
    expect(resource(json, "aws_eks_cluster").encryption_config.provider.key_arn).toMatch(/aws_kms_key\.eks-secrets-key/);
  });

  test("custom resources never go through kubernetes_manifest (CRDs do not exist at plan time)", () => {
    expect(JSON.stringify(json)).not.toContain("kubernetes_manifest");
  });

  test("outputs for operators and CI", () => {
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(["cluster_name", "cluster_endpoint", "region", "oidc_issuer", "oidc_provider_arn", "node_security_group_id", "kubeconfig_command"]));
    expect(json.output.region.value).toBe(env.aws.region);
  });

  test("the offline copy keeps every AWS resource and drops only helm/kubernetes objects", () => {
    const { config, dropped } = reduceForOffline(json);
    expect(Object.keys(config.resource).filter((t) => /^(helm|kubernetes)_/.test(t))).toEqual([]);
    expect(dropped.length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(config.resource)).toEqual(expect.arrayContaining(["aws_eks_cluster", "aws_eks_node_group", "aws_eks_addon", "aws_iam_openid_connect_provider"]));
  });
});

describe("token cluster auth (Terraform Cloud)", () => {
  const env = envWith("dev", { eks: { clusterAuth: "token" } });
  const json = synthEnv(env);

  test("providers use the aws_eks_cluster_auth token of this cluster, no exec", () => {
    const auth = resource({ resource: json.data }, "aws_eks_cluster_auth");
    expect(auth.name).toMatch(/aws_eks_cluster\..+\.name/);
    const token = expect.stringMatching(/^\$\{data\.aws_eks_cluster_auth\..+\.token\}$/);
    expect(json.provider.kubernetes[0]).toMatchObject({ token });
    expect(json.provider.kubernetes[0].exec).toBeUndefined();
    expect(json.provider.helm[0].kubernetes).toMatchObject({ token });
    expect(json.provider.helm[0].kubernetes.exec).toBeUndefined();
  });

  test("the offline plan keeps the data source (it presigns locally, no API call)", () => {
    const { config } = reduceForOffline(json);
    // and the secret-value checks of the release preconditions (their secret_id is unknown until the secrets exist)
    expect(Object.keys(config.data)).toEqual(["aws_eks_cluster_auth", "aws_secretsmanager_secret_versions"]);
  });
});

describe("public API endpoint", () => {
  test("restricted to the configured CIDRs", () => {
    const env = envWith("prod", { eks: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } });
    expect(resource(synthEnv(env), "aws_eks_cluster").vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24"],
    });
  });

  test("0.0.0.0/0 is refused in production", () => {
    expect(() => envWith("prod", { eks: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } })).toThrow(
      "environments/prod.ts: eks.publicAccessCidrs.0 must not open the EKS API to the whole internet in production, got 0.0.0.0/0",
    );
  });

  test("a principal listed twice is refused (one access entry per principal)", () => {
    const arn = "arn:aws:iam::111111111111:role/platform-admin";
    expect(() => envWith("dev", { eks: { adminPrincipalArns: [arn, arn] } })).toThrow(
      `environments/dev.ts: eks.adminPrincipalArns.1 must not repeat a principal (EKS allows one access entry per principal), got ${arn}`,
    );
  });

  test("admins from config get access entries", () => {
    const env = envWith("dev", { eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:role/platform-admin"] } });
    expect(resource(synthEnv(env), "aws_eks_access_entry", "platform-admin").principal_arn).toBe("arn:aws:iam::111111111111:role/platform-admin");
  });
});
