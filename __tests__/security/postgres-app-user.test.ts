/**
 * LangSmith connects to PostgreSQL as a dedicated IAM-authenticated role, not the master user:
 * no password in its secret, `rds-db:connect` for that one user, the master URL only for the
 * setup Job.
 */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { runs } from "../../lib/config/schema";
import { POSTGRES_APP_USER, SECRET_NAMES } from "../../lib/langsmith-values/chart";
import { boundaryPolicy, CiScope } from "../../modules/ci-role/policies";
import { Json, resources, shippedStack } from "../helpers";

// LangSmith's database user: the environments that run LangSmith (Langfuse's role: __tests__ files on Langfuse).
const envs = loadEnvironments(ENVIRONMENTS).map((e) => e.config).filter((e) => runs(e, "langsmith"));
const release = (json: Json, name: string) => resources(json, "helm_release").find(([, r]) => r.name === name)![1] as Json;

describe.each(envs.map((e) => [e.name, e] as const))("environment %s", (_n, env) => {
  const json = shippedStack(`langsmith-${env.name}`);
  const manifests = JSON.parse(release(json, "langsmith-secrets").values[0]).manifests as Json[];

  test("the chart reads a URL naming the app user with no password, and signs IAM tokens", () => {
    const values = JSON.parse(release(json, "langsmith").values[0]);
    expect(values.postgres.external).toMatchObject({ existingSecretName: SECRET_NAMES.postgres, iamAuthProvider: "aws" });
    const secret = manifests.find((m) => m.metadata.name === SECRET_NAMES.postgres)!;
    expect(secret.kind).toBe("Secret");
    expect(secret.stringData.connection_url).toMatch(new RegExp(`^${POSTGRES_APP_USER}@[^:]+:5432/langsmith\\?sslmode=require$`));
    expect(JSON.stringify(secret)).not.toMatch(/password/i);
  });

  test("the master URL is read only by the setup Job", () => {
    const readers = JSON.stringify(manifests.filter((m) => m.kind !== "ExternalSecret" && JSON.stringify(m).includes(`"name":"${SECRET_NAMES.postgresAdmin}"`)).map((m) => `${m.kind}/${m.metadata.name}`));
    expect(readers).toBe('["Job/langsmith-database-setup"]');
    const values = JSON.stringify(JSON.parse(release(json, "langsmith").values[0]));
    expect(values).not.toContain(`"${SECRET_NAMES.postgresAdmin}"`);
  });

  test("the app role may connect as the app user of this database only", () => {
    const policy = JSON.parse(resources(json, "aws_iam_role_policy").find(([n]) => n.includes("langsmith-app"))![1].policy);
    const connect = policy.Statement.filter((s: Json) => [s.Action].flat().includes("rds-db:connect"));
    expect(connect).toHaveLength(1);
    expect(connect[0].Resource).toMatch(new RegExp(`^arn:aws:rds-db:${env.aws.region}:${env.aws.accountId}:dbuser:\\$\\{aws_(db_instance|rds_cluster)\\.[^}]+\\}/${POSTGRES_APP_USER}$`));
  });
});

test("the permissions boundary lets roles connect as database users (IAM auth), in the region only", () => {
  const doc = boundaryPolicy({ accountId: "111111111111", region: "us-west-2", resourcePrefix: "ls-dev-", environmentTag: "dev" } as CiScope);
  const st = doc.Statement.find((s) => [s.Action].flat().includes("rds-db:connect"));
  expect(st?.Resource).toBe("arn:aws:rds-db:us-west-2:111111111111:dbuser:*/*");
});
