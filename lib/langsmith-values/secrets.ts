/**
 * The Kubernetes secrets the values name, and the keys each must carry for an environment: the
 * contract with the ExternalSecrets that ESO renders from Secrets Manager.
 * Key names are the chart's (`_helpers.tpl` secretKeyRefs; docs/notes chart.md sections 2, 3, 7).
 */
import { IN_CLUSTER_CLICKHOUSE } from "../clickhouse";
import { EnvironmentConfig } from "../config/schema";
import { POSTGRES_PORT, REDIS_PORT } from "../engines";
import { AGENT_DATABASES, CONNECTION_URL_KEY, RELEASE, SECRET_NAMES } from "./chart";

export interface SecretKey {
  readonly key: string;
  /** Where the value comes from and its format. */
  readonly source: string;
}

export interface RequiredSecret {
  readonly name: string;
  readonly namespace: string;
  readonly keys: readonly SecretKey[];
}

/** Every secret (and key) the rendered values reference for `env`. */
export function requiredSecrets(env: EnvironmentConfig): RequiredSecret[] {
  const ns = RELEASE.namespace;
  const config: SecretKey[] = [
    { key: "langsmith_license_key", source: "operator: Secrets Manager secret created without a value (put-secret-value)" },
    { key: "api_key_salt", source: "generated (ESO Password generator or operator); never rotate: API keys are derived from it" },
  ];
  if (env.auth.model === "token") {
    config.push(
      { key: "jwt_secret", source: "generated; rotating it logs every user out" },
      { key: "initial_org_admin_password", source: "generated or operator; >= 12 chars with lower, upper and a symbol of !#$%()+,-./:?@[\\]^_{~} (chart policy)" },
    );
  } else {
    config.push(
      { key: "oauth_client_id", source: `literal from the environment: auth.clientId (${env.auth.clientId})` },
      { key: "oauth_issuer_url", source: `literal from the environment: auth.issuerUrl (${env.auth.issuerUrl})` },
      { key: "oauth_client_secret", source: "operator: the IdP client secret (authType mixed reads it)" },
    );
  }
  if (env.langsmith.insights !== "disabled") config.push({ key: "insights_encryption_key", source: "generated Fernet key (32 url-safe base64 bytes); optional: false in the chart" });
  if (env.langsmith.polly !== "disabled") config.push({ key: "polly_encryption_key", source: "generated Fernet key; optional: false in the chart" });

  const out: RequiredSecret[] = [
    { name: SECRET_NAMES.config, namespace: ns, keys: config },
    {
      name: SECRET_NAMES.postgres,
      namespace: ns,
      keys: [{ key: CONNECTION_URL_KEY, source: `not secret: langsmith_app@<host>:${POSTGRES_PORT}/<db>?sslmode=require (IAM database auth, no password; no scheme: values.yaml postgres.external)` }],
    },
    {
      name: SECRET_NAMES.redis,
      namespace: ns,
      keys: [{ key: CONNECTION_URL_KEY, source: `not secret: rediss://<iam-user-id>@<primary-endpoint>:${REDIS_PORT} (IAM auth, no password)` }],
    },
    {
      name: SECRET_NAMES.clickhouse,
      namespace: ns,
      keys:
        env.clickhouse.mode === "external"
          ? [
              { key: "clickhouse_host", source: `clickhouse.host (${env.clickhouse.host})` },
              { key: "clickhouse_port", source: `clickhouse.port (${env.clickhouse.port})` },
              { key: "clickhouse_native_port", source: `clickhouse.nativePort (${env.clickhouse.nativePort})` },
              { key: "clickhouse_user", source: `clickhouse.user (${env.clickhouse.user})` },
              { key: "clickhouse_password", source: "operator: Secrets Manager secret created without a value" },
              { key: "clickhouse_db", source: `clickhouse.database (${env.clickhouse.database})` },
              { key: "clickhouse_tls", source: `clickhouse.tls (${env.clickhouse.tls})` },
            ]
          : [
              { key: "clickhouse_host", source: IN_CLUSTER_CLICKHOUSE.host },
              { key: "clickhouse_port", source: String(IN_CLUSTER_CLICKHOUSE.port) },
              { key: "clickhouse_native_port", source: String(IN_CLUSTER_CLICKHOUSE.nativePort) },
              { key: "clickhouse_user", source: `${IN_CLUSTER_CLICKHOUSE.user} (must equal clickhouse.external.user: the chart writes it into users.xml)` },
              { key: "clickhouse_password", source: "generated; set before the first start (ClickHouse keeps the user of an existing volume)" },
              { key: "clickhouse_db", source: IN_CLUSTER_CLICKHOUSE.database },
              { key: "clickhouse_tls", source: String(IN_CLUSTER_CLICKHOUSE.tls) },
            ],
    },
  ];
  for (const feature of ["insights", "polly"] as const) {
    if (env.langsmith[feature] === "disabled") continue;
    const { secretName: name, database: db, redisDb } = AGENT_DATABASES[feature];
    out.push({
      name,
      namespace: ns,
      keys: [
        { key: "postgres_connection_url", source: `ESO template over the RDS-managed secret: postgresql://<user>:<password>@<host>:${POSTGRES_PORT}/${db}?sslmode=require (scheme required here; its own database: the chart requires distinct URLs)` },
        { key: "redis_connection_url", source: `rediss://<iam-user-id>@<primary-endpoint>:${REDIS_PORT}/${redisDb} (IAM auth: iamProvider aws)` },
      ],
    });
  }
  return out;
}
