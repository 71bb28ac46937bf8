/**
 * Every application secret of an environment, as data: its Secrets Manager name, who provides
 * the value, how it is generated, and which key of which Kubernetes secret it becomes.
 *
 * Terraform creates each secret WITHOUT a version (no value ever passes through Terraform or its
 * state). Values arrive out of band, once:
 *   - `operator`: the operator runs `aws secretsmanager put-secret-value` (license key, OIDC client
 *     secret, external ClickHouse password);
 *   - `generated`: `node dist/scripts/seed-secrets.js <env> --apply` generates the value locally
 *     and stores it with PutSecretValue, only where the secret has no value yet (idempotent).
 * ESO then syncs them into namespace `langsmith` (lib/secrets/manifests.ts).
 */
import { EnvironmentConfig, runs } from "../config/schema";
import { clickhouseConnection } from "../clickhouse";
import { SECRET_NAMES } from "../langsmith-values/chart";
import { langfuseSecretSpecs, LANGFUSE_ID_PREFIX } from "./langfuse";

/** The Kubernetes secrets the chart reads that ESO produces (names from the values' SECRET_NAMES). */
export const K8S_SECRETS = {
  /** `config.existingSecretName` */
  config: SECRET_NAMES.config,
  /** `postgres.external.existingSecretName`, key `connection_url` (the app user, no password) */
  postgres: SECRET_NAMES.postgres,
  /** The master user's URL, key `connection_url`: the database setup Job only */
  postgresAdmin: SECRET_NAMES.postgresAdmin,
  /** `redis.external.existingSecretName`, key `connection_url` */
  redis: SECRET_NAMES.redis,
  /** `clickhouse.external.existingSecretName`, the seven `clickhouse_*` keys */
  clickhouse: SECRET_NAMES.clickhouse,
} as const;

export type SecretSource = "operator" | "generated";

/**
 * How a generated value is made (lib/secrets/generate.ts):
 * `token` 32 random bytes base64url; `fernet` a Fernet key (insights/polly, chart.md §2);
 * `password` 24 characters meeting the chart's admin-password policy; `alphanumeric` 32 [A-Za-z0-9];
 * `hex` 64 hex digits (Langfuse ENCRYPTION_KEY, 256 bits); `langfuse-public-key` / `langfuse-secret-key`
 * a Langfuse project key (`pk-lf-` / `sk-lf-` and a UUID, the format Langfuse itself issues).
 */
export type Generator = "token" | "fernet" | "password" | "alphanumeric" | "hex" | "langfuse-public-key" | "langfuse-secret-key";

export interface SecretSpec {
  /** Stable id, also the last part of the Secrets Manager name and the Terraform construct id. */
  readonly id: string;
  readonly description: string;
  readonly source: SecretSource;
  /** Set exactly when `source` is `generated`. */
  readonly generator?: Generator;
  /** Where the value lands in Kubernetes. */
  readonly target: { readonly secret: (typeof K8S_SECRETS)["config" | "clickhouse"] | string; readonly key: string };
}

/**
 * Secrets Manager name of a secret: `{prefix}-{env}/langsmith/{id}`, and for Langfuse's
 * (`langfuse-<x>` ids) `{prefix}-{env}/langfuse/<x>`.
 */
export function secretName(base: string, id: string): string {
  if (id.startsWith(LANGFUSE_ID_PREFIX)) return `${base}/langfuse/${id.slice(LANGFUSE_ID_PREFIX.length)}`;
  return `${base}/langsmith/${id}`;
}

/**
 * The secrets an environment needs, derived from its applications, auth model, features and
 * ClickHouse mode. With OIDC, both applications sign in through the same client: one
 * `oauth-client-secret`.
 */
export function secretCatalog(env: Pick<EnvironmentConfig, "auth" | "langsmith" | "clickhouse" | "applications" | "langfuse">): SecretSpec[] {
  const langfuse = runs(env, "langfuse") ? langfuseSecretSpecs(env) : [];
  if (!runs(env, "langsmith")) return [...(env.auth.model === "oidc" ? [oauthClientSecret(env.auth.clientId)] : []), ...langfuse];
  return [...langsmithSecretSpecs(env), ...langfuse];
}

const oauthClientSecret = (clientId: string): SecretSpec => ({
  id: "oauth-client-secret",
  description: `OIDC client secret of client ${clientId}`,
  source: "operator",
  target: { secret: K8S_SECRETS.config, key: "oauth_client_secret" },
});

function langsmithSecretSpecs(env: Pick<EnvironmentConfig, "auth" | "langsmith" | "clickhouse">): SecretSpec[] {
  const config = K8S_SECRETS.config;
  const specs: SecretSpec[] = [
    {
      id: "license-key",
      description: "LangSmith license key (supplied by LangChain; never generated)",
      source: "operator",
      target: { secret: config, key: "langsmith_license_key" },
    },
    {
      // Also signs service-to-service JWTs (X_SERVICE_AUTH_JWT_SECRET); changing it invalidates every API key.
      id: "api-key-salt",
      description: "Salt for LangSmith API key hashes; never change after first use",
      source: "generated",
      generator: "token",
      target: { secret: config, key: "api_key_salt" },
    },
  ];
  if (env.auth.model === "token") {
    // Basic auth (chart config.basicAuth): JWT signing secret and the first admin's password.
    specs.push(
      { id: "jwt-secret", description: "Basic-auth JWT signing secret", source: "generated", generator: "token", target: { secret: config, key: "jwt_secret" } },
      {
        id: "initial-org-admin-password",
        description: "Password of the initial organization admin (basic auth); read it once, then change it in the UI",
        source: "generated",
        generator: "password",
        target: { secret: config, key: "initial_org_admin_password" },
      },
    );
  } else {
    specs.push(oauthClientSecret(env.auth.clientId));
  }
  if (env.langsmith.insights !== "disabled") {
    specs.push({ id: "insights-encryption-key", description: "Insights (CLIO) Fernet key", source: "generated", generator: "fernet", target: { secret: config, key: "insights_encryption_key" } });
  }
  if (env.langsmith.polly !== "disabled") {
    specs.push({ id: "polly-encryption-key", description: "Polly Fernet key", source: "generated", generator: "fernet", target: { secret: config, key: "polly_encryption_key" } });
  }
  const ch = clickhouseConnection(env.clickhouse);
  specs.push(
    ch.password === "generated"
      ? {
          id: "clickhouse-password",
          description: "Password of the in-cluster ClickHouse user default",
          source: "generated",
          generator: "alphanumeric",
          target: { secret: K8S_SECRETS.clickhouse, key: "clickhouse_password" },
        }
      : {
          id: "clickhouse-password",
          description: `Password of ClickHouse user ${ch.user} at ${ch.host}`,
          source: "operator",
          target: { secret: K8S_SECRETS.clickhouse, key: "clickhouse_password" },
        },
  );
  return specs;
}
