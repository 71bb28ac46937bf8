/** Langfuse on the platform: beside LangSmith (dev), alone (a fork), and in production. */
import { runs } from "../../lib/config/schema";
import { LANGFUSE_SECRETS } from "../../lib/langfuse-values/chart";
import { findSecrets } from "../../lib/policy/secrets";
import { Json, resource, resources, synthEnv } from "../helpers";
import { langfuseOnly, langfuseOnlyProduction, withLangfuse } from "../langfuse-envs";

const release = (json: Json, name: string) => resources(json, "helm_release").find(([, r]) => r.name === name)?.[1] as Json | undefined;
const manifests = (json: Json, name: string): Json[] => JSON.parse(release(json, name)!.values[0]).manifests;
const subjects = (role: Json): string[] =>
  JSON.parse(role.assume_role_policy).Statement.flatMap((s: Json) => Object.entries(s.Condition?.StringEquals ?? {}).filter(([k]) => k.endsWith(":sub")).flatMap(([, v]) => [v].flat()));

describe.each([
  ["dev with LangSmith and Langfuse", () => withLangfuse("dev")],
  ["a Langfuse-only fork", () => langfuseOnly()],
  ["a Langfuse-only fork in tier production", () => langfuseOnlyProduction()],
])("%s", (_label, make) => {
  const env = make();
  const json = synthEnv(env);
  const both = runs(env, "langsmith");
  const policyOf = (fragment: string) => JSON.parse(resources(json, "aws_iam_role_policy").find(([n]) => n.includes(fragment))![1].policy);

  test("the Langfuse release: chart 2.0.0 from the pinned repository, in namespace langfuse, no secret in its values", () => {
    const r = release(json, "langfuse")!;
    expect(r).toMatchObject({ chart: "langfuse", version: "2.0.0", repository: "https://langfuse.github.io/langfuse-k8s", namespace: expect.stringContaining("langfuse"), atomic: true });
    expect(findSecrets(JSON.parse(r.values[0]))).toEqual([]);
  });

  test("LangSmith's release, role and bucket exist exactly when LangSmith runs", () => {
    expect(release(json, "langsmith") !== undefined).toBe(both);
    expect(resources(json, "aws_iam_role").some(([n]) => n.includes("langsmith-app"))).toBe(both);
    expect(resources(json, "aws_s3_bucket").some(([n]) => n.includes("blob"))).toBe(both);
  });

  test("IRSA: trusted by exactly the one service account the chart renders for web and worker", () => {
    const [, role] = resources(json, "aws_iam_role").find(([n]) => n.includes("langfuse-data_role"))!;
    expect(subjects(role)).toEqual(["system:serviceaccount:langfuse:langfuse"]);
  });

  test("the bucket: own CMK with a bucket key, TLS only, objects only for the Langfuse role", () => {
    const sse = resource(json, "aws_s3_bucket_server_side_encryption_configuration", "langfuse-data");
    expect(sse.rule[0]).toMatchObject({ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: true });
    const policy = JSON.parse(resource(json, "aws_s3_bucket_policy", "langfuse-data").policy);
    const sids = policy.Statement.map((s: Json) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(["DenyOutdatedTls", "DenyObjectAccessExceptLangsmithAndAdmins"]));
    const deny = policy.Statement.find((s: Json) => s.Condition?.ArnNotLike);
    expect(deny.Condition.ArnNotLike["aws:PrincipalArn"]).toEqual([expect.stringMatching(/aws_iam_role\.langfuse-data_role.*\.arn/)]);
    expect(resource(json, "aws_s3_bucket_public_access_block", "langfuse-data")).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
  });

  test("the ALB: a target group on the Langfuse web pods' /api/public/health, and its host name on the certificate", () => {
    const tg = resources(json, "aws_lb_target_group").find(([n]) => n.includes("langfuse"))![1];
    expect(tg).toMatchObject({ port: 3000, target_type: "ip", health_check: { path: "/api/public/health", matcher: "200" } });
    const cert = resource(json, "aws_acm_certificate", "");
    const host = env.langfuse!.hostname ?? env.dns.hostname;
    if (both) {
      expect(cert).toMatchObject({ domain_name: env.dns.hostname, subject_alternative_names: [host] });
      const rule = resource(json, "aws_lb_listener_rule", "langfuse");
      expect(rule.condition).toEqual([{ host_header: { values: [host] } }]);
      expect(rule.action[0].target_group_arn).toMatch(/aws_lb_target_group\.ingress_langfuse/);
      expect(resources(json, "aws_route53_record").filter(([n]) => n.includes("validation-record"))).toHaveLength(2);
    } else {
      expect(cert.domain_name).toBe(host);
      const rule = resource(json, "aws_lb_listener_rule", "langfuse");
      expect(rule).toMatchObject({ priority: 1, condition: [{ host_header: { values: [host] } }] });
      expect(rule.action[0].target_group_arn).toMatch(/aws_lb_target_group\.ingress_langfuse/);
      expect(resource(json, "aws_lb_listener", "https").default_action[0]).toMatchObject({ type: "fixed-response", fixed_response: { status_code: "404" } });
    }
    expect(resources(json, "aws_route53_record").some(([, r]) => r.name === host && r.type === "A")).toBe(true);
  });

  test("the WAF treats Langfuse's ingestion paths like LangSmith's (body-inspecting groups skip them)", () => {
    const acl = resource(json, "aws_wafv2_web_acl", "");
    const regexes = JSON.stringify(acl).match(/\^\([^"]*\)/g) ?? [];
    expect(regexes.length).toBeGreaterThan(0);
    for (const r of regexes) expect(r).toContain("/api/public/ingestion|/api/public/otel/");
  });

  test("the TargetGroupBinding binds the langfuse-web Service to that target group", () => {
    const [tgb] = manifests(json, "langfuse-target-group-binding");
    expect(tgb).toMatchObject({ kind: "TargetGroupBinding", metadata: { namespace: "langfuse" }, spec: { serviceRef: { name: "langfuse-web", port: 3000 }, targetType: "ip" } });
    expect(tgb.spec.targetGroupARN).toMatch(/aws_lb_target_group\.ingress_langfuse/);
  });

  test("secrets: Secrets Manager entries without versions; ESO composes the URLs; only Langfuse's store role may read them", () => {
    const names = resources(json, "aws_secretsmanager_secret").map(([, s]) => s.name as string).filter((n) => n.includes("/langfuse/"));
    expect(names.map((n) => n.split("/langfuse/")[1]).sort()).toEqual(
      ["clickhouse-password", "database-password", "encryption-key", "init-public-key", "init-secret-key", "init-user-password", "nextauth-secret", "redis-password", "salt"],
    );
    expect(resources(json, "aws_secretsmanager_secret_version")).toEqual([]);
    const objects = manifests(json, "langfuse-secrets");
    expect(objects.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      "ServiceAccount/langfuse-secret-store",
      "SecretStore/langfuse-secrets-manager",
      `ExternalSecret/${LANGFUSE_SECRETS.config}`,
      `ExternalSecret/${LANGFUSE_SECRETS.connections}`,
      `ExternalSecret/${LANGFUSE_SECRETS.databaseSetup}`,
      "Job/langfuse-create-database",
    ]);
    const conn = objects.find((m) => m.metadata.name === LANGFUSE_SECRETS.connections)!.spec.target.template.data;
    expect(conn["database-url"]).toMatch(/^postgresql:\/\/langfuse:\{\{ \.database_password \| urlquery \}\}@\$\{aws_db_instance\.[^}]+\.address\}:5432\/langfuse\?sslmode=require$/);
    expect(conn["redis-url"]).toMatch(/^rediss:\/\/\$\{aws_elasticache_user\.[^}]+langfuse[^}]*\.user_name\}:\{\{ \.redis_password \| urlquery \}\}@\$\{aws_elasticache_replication_group\.[^}]+\.primary_endpoint_address\}:6379\/\d+$/);
    expect(objects[1].spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: "langfuse-secret-store" } } });
    const store = resources(json, "aws_iam_role").find(([n]) => n.includes("secret-store-role"))![1];
    expect(subjects(store)).toEqual(["system:serviceaccount:langfuse:langfuse-secret-store"]);
    const readable = (policyOf("secret-store-role").Statement[0].Resource as string[]);
    expect(readable.filter((r) => r.includes("aws_secretsmanager_secret.data_secrets_langfuse-"))).toHaveLength(names.length);
    const langsmithStore = resources(json, "aws_iam_role_policy").find(([n]) => n.includes("eso-role"));
    if (langsmithStore) expect(JSON.stringify(JSON.parse(langsmithStore[1].policy))).not.toContain("secrets_langfuse-");
  });

  test("Redis: Langfuse's own user, off and without a password until secrets:seed sets one", () => {
    const user = resources(json, "aws_elasticache_user").find(([n]) => n.includes("user-langfuse"))![1];
    expect(user).toMatchObject({ access_string: "off -@all", no_password_required: true });
    expect(user.passwords).toBeUndefined();
    expect(user.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["access_string", "passwords", "authentication_mode"]));
    // default (off), Langfuse's, and LangSmith's IAM user only where LangSmith runs.
    expect(resource(json, "aws_elasticache_user_group", "").user_ids).toHaveLength(both ? 3 : 2);
  });

  test("alarms on the Langfuse target group go to the environment's topic", () => {
    const alarms = resources(json, "aws_cloudwatch_metric_alarm").filter(([n]) => n.includes("langfuse"));
    expect(alarms.map(([, a]) => a.metric_name).sort()).toEqual(["HTTPCode_Target_5XX_Count", "HealthyHostCount", "TargetResponseTime", "UnHealthyHostCount"]);
    for (const [, a] of alarms) expect(a.alarm_actions[0]).toMatch(/aws_sns_topic/);
    const latency = alarms.find(([, a]) => a.metric_name === "TargetResponseTime")![1];
    expect(latency).toMatchObject({ extended_statistic: "p95", threshold: env.observability.thresholds.targetResponseTimeP95Seconds, dimensions: { TargetGroup: expect.stringMatching(/aws_lb_target_group\.ingress_langfuse/) } });
    expect(latency.statistic).toBeUndefined();
    // One p95 latency alarm per target group: none on Langfuse's from the platform's table.
    const latencies = resources(json, "aws_cloudwatch_metric_alarm").filter(([, a]) => a.metric_name === "TargetResponseTime");
    expect(latencies).toHaveLength(both ? 2 : 1);
  });

  test("outputs name the Langfuse URL, bucket, role and target group", () => {
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(["langfuse_url", "langfuse_bucket_name", "langfuse_role_arn", "langfuse_target_group_arn"]));
    expect(json.output.langfuse_url.value).toBe(`https://${env.langfuse!.hostname ?? env.dns.hostname}`);
  });
});

// Beside LangSmith only: alone, Langfuse has the environment's instance to itself (the loader refuses own-instance).
describe("Langfuse on its own PostgreSQL instance", () => {
  const json = synthEnv(withLangfuse("dev", (i) => (i.langfuse.database = "own-instance")));
  test("a second instance; DATABASE_URL and the database Job point at it; ESO may read its master secret", () => {
    expect(resources(json, "aws_db_instance").map(([, d]) => d.identifier).sort()).toEqual(["ls-dev-langfuse-postgres", "ls-dev-postgres"]);
    const objects = manifests(json, "langfuse-secrets");
    expect(objects.find((m) => m.metadata.name === LANGFUSE_SECRETS.connections)!.spec.target.template.data["database-url"]).toMatch(/aws_db_instance\.data_langfuse-postgres/);
    expect(objects.find((m) => m.metadata.name === LANGFUSE_SECRETS.databaseSetup)!.spec.data[0].remoteRef.key).toMatch(/aws_db_instance\.data_langfuse-postgres/);
    const store = resources(json, "aws_iam_role_policy").find(([n]) => n.includes("secret-store-role"))![1];
    expect(JSON.stringify(JSON.parse(store.policy).Statement[0].Resource)).toMatch(/aws_db_instance\.data_langfuse-postgres/);
  });
});

describe("Langfuse in production (prod with both applications)", () => {
  const json = synthEnv(withLangfuse("prod"));
  test("its bucket, bucket key and secrets are prevent_destroy", () => {
    expect(resource(json, "aws_s3_bucket", "langfuse-data").lifecycle).toEqual({ prevent_destroy: true });
    expect(resources(json, "aws_kms_key").find(([n]) => n.includes("langfuse-data"))![1].lifecycle).toMatchObject({ prevent_destroy: true });
    for (const [n, s] of resources(json, "aws_secretsmanager_secret").filter(([, s]) => String(s.name).includes("/langfuse/"))) expect([n, s.lifecycle]).toEqual([n, { prevent_destroy: true }]);
  });
});
