import { ENVIRONMENTS } from "../../../environments";
import { loadEnvironments } from "../../../lib/config/load";
import { EnvironmentConfig, runs } from "../../../lib/config/schema";
import { LangsmithData } from "../../../modules/langsmith-data";
import { envWith, Json, resource, resources, describeEach } from "../../helpers";
import { namerOf, PLATFORM, ref, secretFindings, synthWith } from "../data-fixtures";

function build(env: EnvironmentConfig): { json: Json; data: LangsmithData } {
  let data: LangsmithData | undefined;
  const json = synthWith(env, (scope) => (data = new LangsmithData(scope, "data", { env, namer: namerOf(env), ...PLATFORM })));
  return { json, data: data! };
}

/** The langsmith-app role's inline `data-access` policy document (fails if the role has none). */
function dataAccessPolicy(json: Json): Json {
  const policy = resources(json, "aws_iam_role_policy").map(([, p]) => p).find((p) => p.name === "data-access");
  if (!policy) throw new Error("no aws_iam_role_policy named data-access");
  return JSON.parse(policy.policy);
}

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => e.config);

describeEach(shipped.map((env) => [env.name, env] as const))("LangsmithData %s", (_name, env) => {
  const { json, data } = build(env);

  test("builds PostgreSQL, Redis, the bucket, the roles, the secrets and, in-cluster only, ClickHouse snapshots", () => {
    expect(resources(json, env.postgres.engine === "aurora" ? "aws_rds_cluster" : "aws_db_instance")).toHaveLength(1);
    expect(resources(json, "aws_elasticache_replication_group")).toHaveLength(1);
    // LangSmith's blob bucket (+ the access-log bucket); Langfuse alone has its bucket in modules/langfuse-data.
    expect(resources(json, "aws_s3_bucket")).toHaveLength(runs(env, "langsmith") && env.blobStorage.enabled ? (env.blobStorage.accessLogs ? 2 : 1) : 0);
    expect(resources(json, "aws_dlm_lifecycle_policy")).toHaveLength(env.clickhouse.mode === "in-cluster" ? 1 : 0);
    expect(resources(json, "aws_secretsmanager_secret").length).toBe(data.secrets.catalog.length);
    expect(data.secrets.manifests).toHaveLength(runs(env, "langsmith") ? 8 : 0); // the store's ServiceAccount, the SecretStore, 3 ExternalSecrets, the Postgres app and Redis Secrets, the setup Job
  });

  test("no secret value in the synthesized JSON or the ESO manifests", () => {
    expect(secretFindings(json)).toEqual([]);
    expect(secretFindings({ output: { manifests: JSON.parse(JSON.stringify(data.secrets.manifests)) } })).toEqual([]);
  });

  test("every KMS key rotates; every stateful resource is protected exactly in production", () => {
    const keys = resources(json, "aws_kms_key").map(([, k]) => k);
    expect(keys.length).toBeGreaterThanOrEqual(runs(env, "langsmith") ? 4 : 3); // Langfuse alone: no LangSmith bucket key
    expect(keys.every((k) => k.enable_key_rotation === true)).toBe(true);
    const production = env.tier === "production";
    const stateful = [
      ...keys,
      ...resources(json, "aws_db_instance").map(([, r]) => r),
      ...resources(json, "aws_rds_cluster").map(([, r]) => r),
      ...resources(json, "aws_elasticache_replication_group").map(([, r]) => r),
      ...resources(json, "aws_s3_bucket").map(([, r]) => r),
      ...resources(json, "aws_secretsmanager_secret").map(([, r]) => r),
    ];
    expect(stateful.every((r) => (r.lifecycle?.prevent_destroy ?? false) === production)).toBe(true);
  });

  test("the langsmith-app role's grants name this bucket and this Redis; the bucket policy names the role", () => {
    if (!runs(env, "langsmith")) return expect(resources(json, "aws_iam_role_policy").map(([, p]) => p.name)).not.toContain("data-access");
    const doc = dataAccessPolicy(json);
    const resourcesOf = (sid: string) => [doc.Statement.find((s: Json) => s.Sid === sid)?.Resource].flat();
    // IAM database auth as the application user of this database (resource id), never the master.
    expect(resourcesOf("PostgresIamAuth")).toEqual([
      `arn:aws:rds-db:${env.aws.region}:${env.aws.accountId}:dbuser:${ref(json, env.postgres.engine === "aurora" ? "aws_rds_cluster" : "aws_db_instance", "", env.postgres.engine === "aurora" ? "cluster_resource_id" : "resource_id")}/langsmith_app`,
    ]);
    expect(resourcesOf("RedisIamAuth")).toEqual([
      ref(json, "aws_elasticache_replication_group", "redis", "arn"),
      ref(json, "aws_elasticache_user", "iam-user", "arn"),
    ]);
    if (env.blobStorage.enabled) {
      expect(resourcesOf("BlobList")).toEqual([ref(json, "aws_s3_bucket", "blob_bucket", "arn")]);
      const policy = JSON.parse(resource(json, "aws_s3_bucket_policy", "blob_policy").policy);
      const restricted = policy.Statement.find((s: Json) => s.Sid === "DenyObjectAccessExceptLangsmithAndAdmins");
      expect(restricted.Condition.ArnNotLike["aws:PrincipalArn"][0]).toBe(ref(json, "aws_iam_role", "langsmith-app", "arn"));
    }
  });

  test("data stores sit in the data subnets behind the node security group only", () => {
    const rules = resources(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    expect(rules.map((r) => r.from_port).sort()).toEqual([5432, 6379]);
    expect(rules.every((r) => r.referenced_security_group_id === PLATFORM.nodeSecurityGroupId && r.cidr_ipv4 === undefined)).toBe(true);
  });
});

describe("LangsmithData without blob storage", () => {
  test("a development environment that turns blob storage off gets no bucket and no S3 grants", () => {
    const { json } = build(envWith("dev", { blobStorage: { enabled: false } }));
    expect(resources(json, "aws_s3_bucket")).toEqual([]);
    const doc = dataAccessPolicy(json);
    expect(doc.Statement.map((s: Json) => s.Sid)).toEqual(["PostgresIamAuth", "RedisIamAuth"]);
  });
});

describe("the secret scan", () => {
  test.each([
    ["a password attribute", { resource: { aws_db_instance: { db: { password: "hunter2hunter2" } } } }],
    ["an ElastiCache auth token", { resource: { aws_elasticache_replication_group: { r: { auth_token: "x".repeat(32) } } } }],
    ["a secret version", { resource: { aws_secretsmanager_secret_version: { v: { secret_id: "s" } } } }],
    ["a write-only secret string", { resource: { aws_secretsmanager_secret_version: { v: { secret_string_wo: "s" } } } }],
    ["credentials in a URL", { output: { url: { value: "postgres://admin:s3cret@db:5432/x" } } }],
    ["an access key id", { locals: { k: "AKIAABCDEFGHIJKLMNOP" } }],
  ])("finds %s", (_l, json) => {
    expect(secretFindings(json)).not.toEqual([]);
  });
});
