/**
 * Names the Langfuse release, its values and its neighbours agree on, from the pinned chart
 * `langfuse` 2.0.0 (../shared/reference/charts/langfuse-2.0.0). Plain data; no CDKTF.
 *
 * - fullname: the release name when it contains the chart name (`_helpers.tpl` langfuse.fullname),
 *   so release `langfuse` names everything `langfuse-*`.
 * - ONE service account for web and worker: `langfuse.serviceAccountName` = fullname, used by
 *   both `web/deployment.yaml` and `worker/deployment.yaml`; the IRSA role trusts exactly it.
 * - the web Service `<fullname>-web`, port `langfuse.web.service.port` 3000 -> container port
 *   `http` 3000; liveness `GET /api/public/health`, readiness `/api/public/ready`.
 */

/** `helm install langfuse ... -n langfuse`. */
export const LANGFUSE_RELEASE = { name: "langfuse", namespace: "langfuse" } as const;

/** The service account web and worker pods run as (the chart renders one, named fullname). */
export const LANGFUSE_SERVICE_ACCOUNT = LANGFUSE_RELEASE.name;

/** The Service the Terraform-owned Langfuse target group is bound to (TargetGroupBinding). */
export const LANGFUSE_WEB_SERVICE = {
  name: `${LANGFUSE_RELEASE.name}-web`,
  port: 3000,
  containerPort: 3000,
  /** The chart's liveness path; answers 200 without touching ClickHouse (the ALB health check). */
  healthCheckPath: "/api/public/health",
  /** The chart's readiness path; fails while PostgreSQL, Redis or ClickHouse is unreachable (verify checks it). */
  readinessPath: "/api/public/ready",
} as const;

/**
 * Kubernetes secrets in namespace `langfuse` that the values point at; ESO builds them from
 * Secrets Manager (lib/langfuse-values/secrets.ts). None is `langfuse-app`: the chart renders a
 * Secret of that name itself (templates/langfuse-app-secret.yaml), empty when every credential is
 * given by secretKeyRef, as here.
 */
export const LANGFUSE_SECRETS = {
  /** SALT, ENCRYPTION_KEY, NEXTAUTH_SECRET, headless-init password and API keys, OIDC client secret. */
  config: "langfuse-config",
  /** DATABASE_URL, REDIS_CONNECTION_STRING (composed by ESO templates), the ClickHouse password. */
  connections: "langfuse-connections",
  /** The database Job's admin URL and the `langfuse` role's password (namespace langfuse, Job only). */
  databaseSetup: "langfuse-database-setup",
} as const;

/** Keys of the secrets above (the values' secretKeyRefs and the ExternalSecret templates agree on these). */
export const LANGFUSE_SECRET_KEYS = {
  salt: "salt",
  encryptionKey: "encryption-key",
  nextauthSecret: "nextauth-secret",
  initUserPassword: "init-user-password",
  initPublicKey: "init-public-key",
  initSecretKey: "init-secret-key",
  ssoClientSecret: "sso-client-secret",
  databaseUrl: "database-url",
  redisUrl: "redis-url",
  clickhousePassword: "clickhouse-password",
} as const;

/**
 * Langfuse's trace ingestion (public API, key-pair authenticated): the batch endpoint and the
 * OpenTelemetry endpoint. Traces carry arbitrary model inputs and outputs, so the ALB's
 * body-inspecting WAF groups skip them, as they skip LangSmith's ingestion paths.
 */
export const LANGFUSE_INGEST_PATH_PREFIXES = ["/api/public/ingestion", "/api/public/otel/"] as const;

/** Langfuse's database and role on the shared (or its own) PostgreSQL. */
export const LANGFUSE_DATABASE = { name: "langfuse", role: "langfuse" } as const;

/** Key prefixes of Langfuse's S3 bucket (one bucket, three upload types). */
export const LANGFUSE_S3_PREFIXES = { eventUpload: "events/", mediaUpload: "media/", batchExport: "exports/" } as const;

/** IRSA annotation key read by the EKS pod identity webhook (one definition, lib/iam.ts). */
export { IRSA_ANNOTATION } from "../iam";
