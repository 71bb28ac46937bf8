/**
 * Secrets Manager resource policies: among the environment's roles (`<prefix>-<env>-*`), only the
 * secret stores that read a secret (and the cluster admins) get its value; none puts one.
 */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { EnvironmentConfig, runs } from "../../lib/config/schema";
import { Json, resources, shippedStack, synthEnv, testEach } from "../helpers";
import { langfuseOnly, withLangfuse } from "../langfuse-envs";

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => [`langsmith-${e.config.name}`, e.config] as const);

/** Each secret by name (`<base>/langsmith/<id>`, `<base>/langfuse/<id>`) with the readers its policy exempts. */
function readersBySecret(json: Json): Record<string, { readers: string[]; statements: Json[] }> {
  const policies = resources(json, "aws_secretsmanager_secret_policy");
  return Object.fromEntries(
    resources(json, "aws_secretsmanager_secret").map(([address, secret]) => {
      const mine = policies.filter(([, p]) => p.secret_arn === `\${aws_secretsmanager_secret.${address}.arn}`);
      expect([secret.name, mine.length]).toEqual([secret.name, 1]);
      const statements = JSON.parse(mine[0][1].policy).Statement as Json[];
      const read = statements.find((s) => s.Action === "secretsmanager:GetSecretValue")!;
      return [String(secret.name).split("/").slice(1).join("/"), { readers: read.Condition.ArnNotLike?.["aws:PrincipalArn"] ?? [], statements }];
    }),
  );
}

const role = (json: Json, fragment: string) => `\${aws_iam_role.${resources(json, "aws_iam_role").find(([n]) => n.includes(fragment))![0]}.arn}`;

function expectReaders(json: Json, env: EnvironmentConfig, langfuse: boolean): void {
  const bySecret = readersBySecret(json);
  // LangSmith's store exists exactly when LangSmith runs (a Langfuse-only environment has none).
  const langsmithStore = runs(env, "langsmith") ? role(json, "secrets_eso-role") : undefined;
  expect(resources(json, "aws_iam_role").some(([n]) => n.includes("secrets_eso-role"))).toBe(runs(env, "langsmith"));
  const langfuseStore = langfuse ? role(json, "secret-store-role") : undefined;
  expect(Object.keys(bySecret).length).toBeGreaterThan(0);
  for (const [id, { readers, statements }] of Object.entries(bySecret)) {
    const ofLangfuse = id.startsWith("langfuse/");
    const expected = [
      ...(ofLangfuse || !langsmithStore ? [] : [langsmithStore]),
      ...(langfuseStore && (ofLangfuse || id === "langsmith/oauth-client-secret") ? [langfuseStore] : []),
      ...env.eks.adminPrincipalArns,
    ];
    expect([id, readers]).toEqual([id, expected]);
    const environmentRoles = `arn:aws:iam::${env.aws.accountId}:role/${env.prefix}-${env.name}-*`;
    expect(statements.map((s) => [s.Effect, s.Principal, s.Condition.ArnLike["aws:PrincipalArn"]])).toEqual([
      ["Deny", "*", environmentRoles],
      ["Deny", "*", environmentRoles],
    ]);
  }
}

testEach(shipped)("%s: each secret's value is denied to the environment's roles except the stores that read it (and cluster admins)", (name, env) => {
  expectReaders(shippedStack(name), env, env.langfuse !== undefined && runs(env, "langfuse"));
});

test.each([
  ["dev with LangSmith and Langfuse", () => withLangfuse("dev")],
  ["prod (OIDC) with LangSmith and Langfuse", () => withLangfuse("prod")],
  ["a Langfuse-only fork", () => langfuseOnly()],
])("%s: Langfuse's secrets are read by Langfuse's store, the shared OIDC client secret by both", (_label, make) => {
  const env = make();
  const json = synthEnv(env);
  expectReaders(json, env, true);
  if (env.auth.model === "oidc") expect(readersBySecret(json)["langsmith/oauth-client-secret"].readers).toHaveLength((runs(env, "langsmith") ? 2 : 1) + env.eks.adminPrincipalArns.length);
});
