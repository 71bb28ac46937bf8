import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { langfuseHostname, runs } from "../../lib/config/schema";
import { CHARTS } from "../../versions";
import { secretFindings } from "../modules/data-fixtures";
import { resource, resources, synthEnv, Json, describeEach } from "../helpers";

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
const release = (json: Json, name: string) => resources(json, "helm_release").find(([, r]) => r.name === name)?.[1] as Json;

describeEach(shipped.map((env) => [env.name, env] as const))("langsmith-%s, end to end", (_name, env) => {
  const json = synthEnv(env);

  test("the release is the pinned chart in the langsmith namespace, after everything it needs", () => {
    const ls = release(json, "langsmith");
    if (!runs(env, "langsmith")) return expect(ls).toBeUndefined(); // Langfuse alone: tests/langfuse files cover its release
    expect(ls).toMatchObject({ chart: CHARTS.langsmith.chart, repository: CHARTS.langsmith.repository, version: CHARTS.langsmith.version, atomic: false, wait: false });
    expect(ls.namespace).toMatch(/kubernetes_namespace_v1\./);
    const deps = (ls.depends_on as string[]).join(" ");
    for (const needed of ["target-group-binding", "external-secrets", "app-secrets", "aws_eks_addon.eks_aws-ebs-csi-driver", "kubernetes_storage_class_v1", "metrics-server", "aws_elasticache_replication_group"]) {
      expect(deps).toContain(needed);
    }
    expect(deps).toMatch(env.postgres.engine === "aurora" ? /aws_rds_cluster/ : /aws_db_instance/);
  });

  test("custom resources arrive through the manifests chart after the controllers that own their CRDs", () => {
    expect(resources(json, "kubernetes_manifest")).toHaveLength(0);
    if (!runs(env, "langsmith")) return expect(release(json, "langsmith-secrets")).toBeUndefined();
    expect(release(json, "langsmith-secrets").depends_on.join(" ")).toContain("external-secrets");
    const tgb = release(json, "langsmith-target-group-binding");
    expect(tgb.depends_on.join(" ")).toContain("aws-load-balancer-controller");
    expect(tgb.values[0]).toContain("TargetGroupBinding");
    expect(tgb.values[0]).toMatch(/aws_lb_target_group\./);
  });

  test("ESO's controller has no AWS identity; the namespaced store's service account has the role that reads exactly this environment's secrets", () => {
    const eso = JSON.parse(release(json, "external-secrets").values[0]);
    expect(eso.serviceAccount.annotations).toBeUndefined();
    if (!runs(env, "langsmith")) return;
    const manifests = JSON.parse(release(json, "langsmith-secrets").values[0]).manifests as Json[];
    const sa = manifests.find((m) => m.kind === "ServiceAccount");
    expect(sa?.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(/aws_iam_role\.data_secrets_/);
    const store = manifests.find((m) => m.kind === "SecretStore");
    expect(store?.spec.provider.aws.auth.jwt.serviceAccountRef.name).toBe(sa?.metadata.name);
    expect(manifests.some((m) => m.kind === "ClusterSecretStore")).toBe(false);
  });

  test("data stores, bucket and ALB are all in the plan", () => {
    expect(resources(json, env.postgres.engine === "aurora" ? "aws_rds_cluster" : "aws_db_instance")).toHaveLength(1);
    expect(resources(json, "aws_elasticache_replication_group")).toHaveLength(1);
    expect(resources(json, "aws_s3_bucket").length).toBeGreaterThanOrEqual(1);
    expect(resource(json, "aws_lb").internal).toBe(env.exposure === "private");
    expect(resource(json, "aws_wafv2_web_acl_association")).toBeDefined();
    // One alias record per application: LangSmith's on dns.hostname, Langfuse's on its own name (or dns.hostname alone).
    const aliases = resources(json, "aws_route53_record").filter(([n]) => n.includes("alias")).map(([, r]) => r.name).sort();
    expect(aliases).toEqual([...new Set([...(runs(env, "langsmith") ? [env.dns.hostname] : []), ...(runs(env, "langfuse") ? [langfuseHostname(env)] : [])])].sort());
  });

  test("alarms, dashboard and log shipping are in the plan", () => {
    expect(resources(json, "aws_sns_topic").length).toBeGreaterThanOrEqual(1);
    expect(resources(json, "aws_cloudwatch_metric_alarm").length).toBeGreaterThanOrEqual(10);
    expect(resources(json, "aws_cloudwatch_dashboard")).toHaveLength(1);
    expect(resource(json, "aws_eks_addon", "cloudwatch").addon_name).toBe("amazon-cloudwatch-observability");
  });

  test("no secret value appears anywhere in the synthesized stack", () => {
    expect(secretFindings(json)).toEqual([]);
  });
});

describe("the secret scan", () => {
  test("flags a credential in a URL, also inside encoded Helm values, but not an e-mail after a URL", () => {
    const values = JSON.stringify({ a: "https://h.example.com", b: "x+dev@example.com", c: "postgres://admin:hunter2@db:5432/x" });
    expect(secretFindings({ resource: { helm_release: { r: { values: [values] } } } })).toHaveLength(1);
  });
});
