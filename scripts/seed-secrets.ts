/**
 * `node dist/scripts/seed-secrets.js <env> [--apply]` (after `npx tsc`): fills the application
 * secrets of one environment in Secrets Manager, outside Terraform, so no value is in state.
 *
 * - `generated` secrets (API key salt, JWT secret, admin password, Fernet keys, in-cluster
 *   ClickHouse password) with no value yet are generated locally and stored with PutSecretValue
 *   (only with `--apply`; without it the script reports what it would do). A secret that already
 *   has a value is never touched, so re-running is safe.
 * - `operator` secrets (license key, OIDC client secret, external ClickHouse password) are only
 *   checked; for each missing one the script prints the `put-secret-value` command to run.
 *
 * Values are never printed. Exit code 1 while any secret still has no value.
 * Needs `secretsmanager:DescribeSecret`, `secretsmanager:PutSecretValue` and `kms:GenerateDataKey`
 * (via Secrets Manager) on the environment's secrets: an operator, not ESO.
 */
import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ElastiCacheClient, ModifyUserCommand } from "@aws-sdk/client-elasticache";
import { runs } from "../lib/config/schema";
import { LANGFUSE_SECRET_IDS } from "../lib/secrets/langfuse";
import { passwordUserName, PASSWORD_USER_ACCESS_STRING } from "../modules/redis";
import { ENVIRONMENTS } from "../environments";
import { loadEnvironments } from "../lib/config/load";
import { EnvironmentConfig } from "../lib/config/schema";
import { Namer } from "../lib/naming";
import { secretCatalog, secretName, SecretSpec } from "../lib/secrets/catalog";
import { generateSecretValue } from "../lib/secrets/generate";

/** The two Secrets Manager calls the seeding needs (a fake in tests). */
export interface SecretsApi {
  /** True when the secret has a current (AWSCURRENT) version. */
  hasValue(name: string): Promise<boolean>;
  putValue(name: string, value: string): Promise<void>;
  /** The current value (only for a secret that must also be set elsewhere: Langfuse's Redis password). */
  getValue(name: string): Promise<string>;
}

/**
 * Langfuse's ElastiCache user (modules/redis `passwordUsers`): Terraform creates it switched off
 * without a password; seeding sets the password from Secrets Manager and switches it on.
 */
export interface RedisUsersApi {
  setPassword(userId: string, password: string): Promise<void>;
}

export type SeedStatus = "present" | "seeded" | "would-seed" | "operator-missing" | "user-updated";

export interface SeedResult {
  readonly id: string;
  readonly name: string;
  readonly status: SeedStatus;
  /** For `operator-missing`: the command that supplies the value. */
  readonly command?: string;
}

export function operatorCommand(region: string, name: string, spec: SecretSpec): string {
  return `aws secretsmanager put-secret-value --region ${region} --secret-id ${name} --secret-string file://<file holding the ${spec.id}>`;
}

export async function seedSecrets(
  env: EnvironmentConfig,
  api: SecretsApi,
  apply: boolean,
  generate = generateSecretValue,
  redisUsers?: RedisUsersApi,
): Promise<SeedResult[]> {
  const namer = new Namer(env.prefix, env.name);
  const base = namer.base;
  const results: SeedResult[] = [];
  for (const spec of secretCatalog(env)) {
    const name = secretName(base, spec.id);
    if (await api.hasValue(name)) {
      results.push({ id: spec.id, name, status: "present" });
    } else if (spec.source === "operator" || !spec.generator) {
      results.push({ id: spec.id, name, status: "operator-missing", command: operatorCommand(env.aws.region, name, spec) });
    } else if (apply) {
      await api.putValue(name, generate(spec.generator));
      results.push({ id: spec.id, name, status: "seeded" });
    } else {
      results.push({ id: spec.id, name, status: "would-seed" });
    }
  }
  // Langfuse's Redis password must also be on its ElastiCache user: set it (idempotent) on every
  // --apply, so a re-created user or a rotated secret is brought in line.
  if (apply && runs(env, "langfuse") && redisUsers) {
    const name = secretName(base, LANGFUSE_SECRET_IDS.redisPassword);
    const user = passwordUserName(namer, "langfuse");
    await redisUsers.setPassword(user, await api.getValue(name));
    results.push({ id: LANGFUSE_SECRET_IDS.redisPassword, name: `elasticache user ${user}`, status: "user-updated" });
  }
  return results;
}

function awsApi(region: string): SecretsApi {
  const client = new SecretsManagerClient({ region });
  return {
    async hasValue(name) {
      const out = await client.send(new DescribeSecretCommand({ SecretId: name }));
      return Object.values(out.VersionIdsToStages ?? {}).some((stages) => stages.includes("AWSCURRENT"));
    },
    async putValue(name, value) {
      await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    },
    async getValue(name) {
      const out = await client.send(new GetSecretValueCommand({ SecretId: name }));
      if (out.SecretString === undefined) throw new Error(`${name} has no string value`);
      return out.SecretString;
    },
  };
}

function elasticacheApi(region: string): RedisUsersApi {
  const client = new ElastiCacheClient({ region });
  return {
    async setPassword(userId, password) {
      await client.send(
        new ModifyUserCommand({ UserId: userId, AccessString: PASSWORD_USER_ACCESS_STRING, AuthenticationMode: { Type: "password", Passwords: [password] } }),
      );
    },
  };
}

async function main(): Promise<void> {
  const [name] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const apply = process.argv.includes("--apply");
  const envs = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
  const env = envs.find((e) => e.name === name);
  if (!env) {
    console.error(`usage: node dist/scripts/seed-secrets.js <${envs.map((e) => e.name).join("|")}> [--apply]`);
    process.exit(2);
  }
  const results = await seedSecrets(env, awsApi(env.aws.region), apply, generateSecretValue, elasticacheApi(env.aws.region));
  for (const r of results) console.log(`${r.status.padEnd(17)} ${r.name}${r.command ? `\n                  ${r.command}` : ""}`);
  const open = results.filter((r) => r.status === "operator-missing" || r.status === "would-seed");
  if (open.length > 0) {
    console.log(`${open.length} secret(s) still without a value${apply ? "" : " (run again with --apply to generate the generated ones)"}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
