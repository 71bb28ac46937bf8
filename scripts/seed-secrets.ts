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
 * (via Secrets Manager) on the environment's secrets: an operator, not ESO. Where Langfuse runs,
 * `--apply` also reads its Redis password (`GetSecretValue`) and sets it on its ElastiCache user
 * (`elasticache:ModifyUser`).
 */
import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ElastiCacheClient, ModifyUserCommand } from "@aws-sdk/client-elasticache";
import { runs } from "../lib/config/schema";
import { LANGFUSE_SECRET_IDS } from "../lib/secrets/langfuse";
import { passwordUserName, PASSWORD_USER_ACCESS_STRING } from "../modules/redis";
import { ENVIRONMENTS } from "../environments";
import { quietSdkNodeVersionWarning } from "../lib/aws-sdk-node";
import { EnvironmentSource, loadEnvironments } from "../lib/config/load";
import { EnvironmentConfig } from "../lib/config/schema";
import { Namer } from "../lib/naming";
import { secretCatalog, secretName, SecretSpec } from "../lib/secrets/catalog";
import { generateSecretValue } from "../lib/secrets/generate";
import { unknownOptions, unknownOptionsMessage } from "./cli";

/** The two Secrets Manager calls the seeding needs (a fake in tests). */
export interface SecretsApi {
  /** True when the secret has a current (AWSCURRENT) version. */
  hasValue(name: string): Promise<boolean>;
  putValue(name: string, value: string): Promise<void>;
  /** The current value: only read for Langfuse's Redis password, which is also set on its ElastiCache user. */
  getValue?(name: string): Promise<string>;
}

/**
 * Langfuse's ElastiCache user (modules/redis `passwordUsers`): Terraform creates it switched off
 * without a password; seeding sets the password from Secrets Manager and switches it on.
 */
export interface RedisUsersApi {
  setPassword(userId: string, password: string): Promise<void>;
}

export type SeedStatus = "present" | "seeded" | "would-seed" | "operator-missing" | "user-updated" | "user-missing";

export interface SeedResult {
  readonly id: string;
  readonly name: string;
  readonly status: SeedStatus;
  /** For `operator-missing`: the command that supplies the value; for `user-missing`: what to do. */
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
  if (apply && runs(env, "langfuse") && redisUsers && api.getValue) {
    const name = secretName(base, LANGFUSE_SECRET_IDS.redisPassword);
    const user = passwordUserName(namer, "langfuse");
    try {
      await redisUsers.setPassword(user, await api.getValue(name));
      results.push({ id: LANGFUSE_SECRET_IDS.redisPassword, name: `elasticache user ${user}`, status: "user-updated" });
    } catch (e) {
      // Seeding usually runs while the first apply creates the data stores: the user may not exist yet.
      // By name: the SDK's error classes may come from another realm (tests), where instanceof fails.
      if (!/UserNotFound/.test(String((e as { name?: unknown } | undefined)?.name))) throw e;
      const command = `not created yet (it comes with the data stores, minutes into the first apply): run npm run secrets:seed -- ${env.name} --apply again after it`;
      results.push({ id: LANGFUSE_SECRET_IDS.redisPassword, name: `elasticache user ${user}`, status: "user-missing", command });
    }
  }
  return results;
}

function awsApi(region: string, endpoint?: string): SecretsApi {
  quietSdkNodeVersionWarning();
  const client = new SecretsManagerClient({ region, ...(endpoint ? { endpoint } : {}) });
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

function elasticacheApi(region: string, endpoint?: string): RedisUsersApi {
  const client = new ElastiCacheClient({ region, ...(endpoint ? { endpoint } : {}) });
  return {
    async setPassword(userId, password) {
      await client.send(
        new ModifyUserCommand({ UserId: userId, AccessString: PASSWORD_USER_ACCESS_STRING, AuthenticationMode: { Type: "password", Passwords: [password] } }),
      );
    },
  };
}

const USAGE = [
  "usage: npm run secrets:seed -- <environment> [--apply] [--aws-endpoint <url>]",
  "  Fills the environment's generated secrets in Secrets Manager (values never printed; --apply writes,",
  "  without it this is a dry run that only reads) and lists the operator secrets still missing, with the",
  "  command to set each. Needs AWS credentials of the environment's account with secretsmanager:DescribeSecret,",
  "  secretsmanager:PutSecretValue (with --apply) and kms:GenerateDataKey on its secrets; where Langfuse runs, --apply",
  "  also secretsmanager:GetSecretValue on its Redis password and elasticache:ModifyUser on its ElastiCache user.",
  "  --aws-endpoint: one endpoint for Secrets Manager and ElastiCache (a VPC endpoint, LocalStack, tests).",
  "  Exit 0: every secret has a value; 1: some are missing, or AWS could not be reached; 2: usage.",
].join("\n");

export interface SeedDeps {
  readonly sources?: readonly EnvironmentSource[];
  readonly api?: (region: string) => SecretsApi;
  /** ElastiCache for Langfuse's Redis user. @default the AWS SDK */
  readonly redisUsers?: (region: string) => RedisUsersApi;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

/** AWS SDK errors that mean "no usable credentials", as opposed to a missing permission or secret. */
function isCredentialsError(e: unknown): boolean {
  const name = e instanceof Error ? e.name : "";
  const message = e instanceof Error ? e.message : String(e);
  return /CredentialsProviderError|ExpiredToken|UnrecognizedClientException|InvalidClientTokenId/.test(name) || /Could not load credentials|security token/i.test(message);
}

const SEED_OPTIONS = ["--apply", "--aws-endpoint"];

export async function main(argv: readonly string[], deps: SeedDeps = {}): Promise<number> {
  const out = deps.out ?? ((l: string) => console.log(l));
  const err = deps.err ?? ((l: string) => console.error(l));
  if (argv.includes("--help") || argv.includes("-h")) {
    out(USAGE);
    return 0;
  }
  const bad = unknownOptions(argv, SEED_OPTIONS);
  if (bad.length > 0) {
    err(`${unknownOptionsMessage("secrets:seed", bad, SEED_OPTIONS)}\n${USAGE}`);
    return 2;
  }
  const at = argv.indexOf("--aws-endpoint");
  const endpoint = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && (!endpoint || !/^https?:\/\//.test(endpoint))) {
    err(`secrets:seed: --aws-endpoint needs a URL (http:// or https://), got ${endpoint ?? "nothing"}\n${USAGE}`);
    return 2;
  }
  const [name] = argv.filter((a, i) => !a.startsWith("-") && !(at >= 0 && i === at + 1));
  const apply = argv.includes("--apply");
  const envs = loadEnvironments(deps.sources ?? ENVIRONMENTS).map((e) => e.config);
  const env = envs.find((e) => e.name === name);
  if (!env) {
    err(`secrets:seed: ${name ? `no environment ${name}` : "name one environment"} (known: ${envs.map((e) => e.name).join(", ")})\n${USAGE}`);
    return 2;
  }
  let results: SeedResult[];
  try {
    const api = deps.api ? deps.api(env.aws.region) : awsApi(env.aws.region, endpoint);
    const redisUsers = deps.redisUsers ? deps.redisUsers(env.aws.region) : elasticacheApi(env.aws.region, endpoint);
    results = await seedSecrets(env, api, apply, generateSecretValue, redisUsers);
  } catch (e) {
    if (!isCredentialsError(e)) throw e;
    err(
      `secrets:seed: no usable AWS credentials for account ${env.aws.accountId} in ${env.aws.region} (${e instanceof Error ? e.message.split("\n")[0] : String(e)}).\n` +
        "  Needed: credentials of that account (AWS_PROFILE, aws sso login, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) allowed\n" +
        `  secretsmanager:DescribeSecret${apply ? ", secretsmanager:PutSecretValue" : ""} and kms:GenerateDataKey on the environment's secrets` +
        `${apply && runs(env, "langfuse") ? " (Langfuse: also secretsmanager:GetSecretValue and elasticache:ModifyUser)" : ""}.\n` +
        `  ${apply ? "Nothing was written." : "Dry run (no --apply): nothing was read or written."}`,
    );
    return 1;
  }
  for (const r of results) out(`${r.status.padEnd(17)} ${r.name}${r.command ? `\n                  ${r.command}` : ""}`);
  const open = results.filter((r) => r.status === "operator-missing" || r.status === "would-seed" || r.status === "user-missing");
  if (!apply) out("Dry run (no --apply): nothing was written.");
  if (open.length > 0) {
    out(`${open.length} secret(s) still without a value${apply ? "" : " (run again with --apply to generate the generated ones)"}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
