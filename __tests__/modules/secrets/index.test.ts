import { EnvironmentConfig, protectsData } from "../../../lib/config/schema";
import { Secrets, secretResourcePolicy } from "../../../modules/secrets";
import { envWith, Json, resource, resources } from "../../helpers";
import { namerOf, PLATFORM, ref, secretFindings, synthWith } from "../data-fixtures";

const RDS_SECRET = "arn:aws:secretsmanager:us-west-2:111111111111:secret:rds!db-0123-abcdef";
const RDS_KEY = "arn:aws:kms:us-west-2:111111111111:key/postgres";
const MAIN_MANIFESTS = ["ServiceAccount/langsmith-secrets-reader", "SecretStore/langsmith-secrets-manager", "ExternalSecret/langsmith-config", "ExternalSecret/langsmith-postgres", "Secret/langsmith-postgres-app", "Secret/langsmith-redis", "ExternalSecret/langsmith-clickhouse"];

function build(env: EnvironmentConfig, then?: (secrets: Secrets) => void): { json: Json; secrets: Secrets } {
  let secrets: Secrets | undefined;
  const json = synthWith(env, (scope) => {
    secrets = new Secrets(scope, "secrets", {
      namer: namerOf(env),
      environment: env,
      settings: env,
      preventDestroy: protectsData(env),
      oidcProviderArn: PLATFORM.oidcProviderArn,
      oidcIssuer: PLATFORM.oidcIssuer,
      postgres: { endpointAddress: "db.example.internal", port: 5432, databaseName: "langsmith", masterUserSecretArn: RDS_SECRET, kmsKeyArn: RDS_KEY },
      redis: { connectionUrl: "rediss://ls-dev-langsmith@redis.example.internal:6379" },
    });
    then?.(secrets);
  });
  return { json, secrets: secrets! };
}

describe.each([
  ["dev: basic auth, in-cluster ClickHouse", envWith("dev"), ["license-key", "api-key-salt", "jwt-secret", "initial-org-admin-password", "clickhouse-password"], [...MAIN_MANIFESTS, "Job/langsmith-database-setup"]],
  ["prod: OIDC, external ClickHouse", envWith("prod"), ["license-key", "api-key-salt", "oauth-client-secret", "clickhouse-password"], [...MAIN_MANIFESTS, "Job/langsmith-database-setup"]],
  [
    "dev with insights and polly",
    envWith("dev", { langsmith: { insights: "shared", polly: "shared" } }),
    ["license-key", "api-key-salt", "jwt-secret", "initial-org-admin-password", "insights-encryption-key", "polly-encryption-key", "clickhouse-password"],
    [...MAIN_MANIFESTS, "ExternalSecret/langsmith-insights-db", "ExternalSecret/langsmith-polly-db", "Job/langsmith-database-setup"],
  ],
] as const)("Secrets %s", (_label, env, ids, manifests) => {
  const { json, secrets } = build(env);
  const all = resources(json, "aws_secretsmanager_secret").map(([, s]) => s);

  test("one Secrets Manager secret per catalog entry, named {prefix}-{env}/langsmith/{id}, under the secrets CMK", () => {
    expect(all.map((s) => s.name).sort()).toEqual(ids.map((id) => `ls-${env.name}/langsmith/${id}`).sort());
    expect(all.every((s) => s.kms_key_id === ref(json, "aws_kms_key", "secrets", "arn"))).toBe(true);
    expect(all.every((s) => s.recovery_window_in_days === (env.tier === "production" ? 30 : 7))).toBe(true);
    expect(all.every((s) => (s.lifecycle?.prevent_destroy ?? false) === (env.tier === "production"))).toBe(true);
    expect(Object.keys(secrets.secretArns)).toEqual([...ids]);
  });

  test("no secret version, no value: nothing secret is in the configuration or the state", () => {
    expect(resources(json, "aws_secretsmanager_secret_version")).toEqual([]);
    expect(all.every((s) => s.secret_string === undefined)).toBe(true);
    expect(secretFindings(json)).toEqual([]);
  });

  test("store role: trusted only by the store's service account langsmith/langsmith-secrets-reader (not the ESO controller); reads exactly these secrets and the RDS secret", () => {
    const role = resources(json, "aws_iam_role").map(([, r]) => r)[0];
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Condition.StringEquals).toEqual({
      [`${PLATFORM.oidcIssuer}:sub`]: "system:serviceaccount:langsmith:langsmith-secrets-reader",
      [`${PLATFORM.oidcIssuer}:aud`]: "sts.amazonaws.com",
    });
    const doc = JSON.parse(resource(json, "aws_iam_role_policy").policy);
    const secretArns = ids.map((id) => ref(json, "aws_secretsmanager_secret", `secrets_${id}_`, "arn"));
    expect(doc.Statement).toEqual([
      { Sid: "ReadLangsmithSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [...secretArns, RDS_SECRET] },
      {
        Sid: "DecryptViaSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: [ref(json, "aws_kms_key", "secrets", "arn"), RDS_KEY],
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${env.aws.region}.amazonaws.com` } },
      },
    ]);
  });

  test("manifests: a store, the ExternalSecrets, the Redis Secret (and the agent database Job), referencing the secrets by ARN", () => {
    expect(secrets.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(manifests);
    const refs = secrets.manifests.flatMap((m) => (m.kind === "ExternalSecret" ? m.spec.data.map((d) => d.remoteRef.key) : []));
    expect(new Set(refs)).toEqual(new Set([...Object.values(secrets.secretArns), RDS_SECRET]));
  });
});

describe("secret resource policies (restrictReads): among the environment's roles only the readers of a secret get its value", () => {
  const ADMIN = "arn:aws:iam::111111111111:role/ops-admin";
  const OTHER_STORE = "arn:aws:iam::111111111111:role/ls-dev-irsa-other-store";
  const { json, secrets } = build(envWith("dev"), (s) =>
    s.restrictReads([
      { principalArn: s.esoRoleArn!, secretIds: s.storeSecretIds },
      { principalArn: OTHER_STORE, secretIds: ["license-key"] },
      { principalArn: ADMIN, secretIds: Object.keys(s.secretArns) },
    ]),
  );
  const policies = resources(json, "aws_secretsmanager_secret_policy").map(([, p]) => p);
  const esoArn = ref(json, "aws_iam_role", "eso-role", "arn");
  const policyOf = (id: string) => JSON.parse(policies.find((p) => p.secret_arn === ref(json, "aws_secretsmanager_secret", `secrets_${id}`, "arn"))!.policy).Statement;

  test("one policy per secret of the catalog", () => {
    expect(policies.map((p) => p.secret_arn).sort()).toEqual(Object.keys(secrets.secretArns).map((id) => ref(json, "aws_secretsmanager_secret", `secrets_${id}`, "arn")).sort());
  });

  test("GetSecretValue is denied to every role named ls-dev-* except the secret's readers; PutSecretValue to every one of them", () => {
    expect(policyOf("license-key")).toEqual([
      {
        Sid: "OnlyItsSecretStoresReadAmongEnvironmentRoles",
        Effect: "Deny",
        Principal: "*",
        Action: "secretsmanager:GetSecretValue",
        Resource: "*",
        Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/ls-dev-*" }, ArnNotLike: { "aws:PrincipalArn": [esoArn, OTHER_STORE, ADMIN] } },
      },
      { Sid: "NoEnvironmentRolePutsValues", Effect: "Deny", Principal: "*", Action: "secretsmanager:PutSecretValue", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/ls-dev-*" } } },
    ]);
    // The other store reads license-key only.
    expect(policyOf("jwt-secret")[0].Condition.ArnNotLike["aws:PrincipalArn"]).toEqual([esoArn, ADMIN]);
  });

  test("a secret nobody reads is denied to every environment role; the policy never allows anything", () => {
    expect(secretResourcePolicy({ environmentRoles: "arn:aws:iam::1:role/ls-dev-*", readerArns: [] }).Statement[0].Condition).toEqual({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::1:role/ls-dev-*" } });
    expect(policies.flatMap((p) => JSON.parse(p.policy).Statement).filter((st: Json) => st.Effect !== "Deny")).toEqual([]);
  });

  test("restrictReads names unknown secrets and refuses a second call", () => {
    expect(() => build(envWith("dev"), (s) => s.restrictReads([{ principalArn: ADMIN, secretIds: ["licence-key"] }]))).toThrow(
      "Secrets stack/secrets: readers name secrets not in the catalog: licence-key (catalog: license-key, api-key-salt, jwt-secret, initial-org-admin-password, clickhouse-password)",
    );
    expect(() => build(envWith("dev"), (s) => { s.restrictReads([]); s.restrictReads([]); })).toThrow("Secrets stack/secrets: restrictReads was already called; pass every store in one call");
  });
});
