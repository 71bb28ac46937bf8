/**
 * Names the LangSmith release, its values and its neighbours agree on: release and namespace
 * (both `langsmith`), the frontend Service the ALB targets, the service accounts of the IRSA
 * role, and the Kubernetes secrets ESO syncs. Plain data; no CDKTF.
 *
 * Service account names follow the chart's `_helpers.tpl`: `<fullname>-<component.name>`, and
 * fullname is the release name when it contains "langsmith" (docs/notes chart.md section 4).
 */

/** `helm install langsmith ... -n langsmith`. */
export const RELEASE = { name: "langsmith", namespace: "langsmith" } as const;

/**
 * The Service the Terraform-owned target group is bound to (TargetGroupBinding). The chart
 * names it `<fullname>-frontend`, `frontend.service.httpPort` 80 -> container port 8080
 * (`frontend.containerPort`), probes `GET /health` on 8080 (values.yaml `frontend.deployment.*Probe`).
 */
export const FRONTEND_SERVICE = {
  name: `${RELEASE.name}-frontend`,
  port: 80,
  containerPort: 8080,
  healthCheckPath: "/health",
} as const;

/** IRSA annotation key read by the EKS pod identity webhook (one definition, lib/iam.ts). */
export { IRSA_ANNOTATION } from "../iam";

/**
 * Chart components whose pods use AWS APIs (S3 blob storage via the shared `langsmith.commonEnv`,
 * ElastiCache IAM auth) and therefore carry the `langsmith-app` IRSA annotation. The render tier
 * (`__tests__/render`) checks the list against the pods that read those settings, hook Jobs included.
 */
export const APP_COMPONENTS = ["backend", "platformBackend", "queue", "ingestQueue"] as const;
/**
 * Components that call AWS too but render only with LangSmith Deployments (`config.deployment.enabled`
 * or `hostBackend.enabled`, chart templates/host-backend/service-account.yaml): annotated and trusted
 * only then, so no value is dead and the role trusts no service account that does not exist.
 */
export const DEPLOYMENTS_APP_COMPONENTS = ["hostBackend"] as const;
export type AppComponent = (typeof APP_COMPONENTS)[number] | (typeof DEPLOYMENTS_APP_COMPONENTS)[number];

/** `<component>.name` defaults of the pinned chart (values.yaml). */
const COMPONENT_NAMES = {
  backend: "backend",
  platformBackend: "platform-backend",
  queue: "queue",
  ingestQueue: "ingest-queue",
  hostBackend: "host-backend",
  frontend: "frontend",
  aceBackend: "ace-backend",
  playground: "playground",
} as const;
export type ChartComponent = keyof typeof COMPONENT_NAMES;

/** Labels the chart's selectors use for every pod (`langsmith.selectorLabels` in _helpers.tpl). */
export const SELECTOR_LABELS = { "app.kubernetes.io/name": "langsmith", "app.kubernetes.io/instance": RELEASE.name } as const;

/**
 * `app.kubernetes.io/component` of a component's pods: `<fullname>-<name>` for the main services,
 * `<fullname>-<namePrefix>-<name>` for the agents (`langsmith-standalone-insights-api-server`).
 */
export function componentLabel(component: ChartComponent): string {
  return `${RELEASE.name}-${COMPONENT_NAMES[component]}`;
}

/**
 * Agent features (Insights, Polly) name their workloads `<fullname>-<namePrefix>-<name>`
 * (`engineInsightsAgent.namePrefix` "standalone-insights", `polly.namePrefix` "standalone-polly").
 * With the shared ElastiCache they authenticate with IAM too, so their service accounts join the role.
 */
export const AGENT_SERVICE_ACCOUNTS = {
  insights: [`${RELEASE.name}-standalone-insights-api-server`, `${RELEASE.name}-standalone-insights-queue`],
  polly: [`${RELEASE.name}-standalone-polly-api-server`, `${RELEASE.name}-standalone-polly-queue`],
} as const;

/** Service account name of a chart component for release `langsmith`. */
export function serviceAccountName(component: AppComponent): string {
  return `${RELEASE.name}-${COMPONENT_NAMES[component]}`;
}

/**
 * Kubernetes secrets in namespace `langsmith` that the values name; ESO creates them from
 * Secrets Manager. `requiredSecrets()` in `secrets.ts` lists their keys.
 */
export const SECRET_NAMES = {
  /** `config.existingSecretName`. */
  config: "langsmith-config",
  /**
   * `postgres.external.existingSecretName`: `POSTGRES_APP_USER@host:5432/db` with no password (IAM
   * database authentication, `postgres.external.iamAuthProvider: aws`).
   */
  postgres: "langsmith-postgres-app",
  /**
   * The master user's URL (ESO over the RDS-managed secret): break-glass, read only by the
   * database setup Job (lib/secrets/database-job.ts) and the agents' secrets, never by LangSmith.
   */
  postgresAdmin: "langsmith-postgres",
  /** `redis.external.existingSecretName`. */
  redis: "langsmith-redis",
  /** `clickhouse.external.existingSecretName` (external and in-cluster alike). */
  clickhouse: "langsmith-clickhouse",
  /** `engineInsightsAgent.{postgres,redis}.external.existingSecretName` with `langsmith.insights: "shared"`. */
  insights: "langsmith-insights-db",
  /** `polly.{postgres,redis}.external.existingSecretName` with `langsmith.polly: "shared"`. */
  polly: "langsmith-polly-db",
} as const;

/**
 * With `"shared"`, each agent feature gets its own database in the shared PostgreSQL and its own
 * logical Redis database (the chart requires URLs distinct from the main ones; README "Insights and Polly").
 */
export const AGENT_DATABASES = {
  insights: { secretName: SECRET_NAMES.insights, database: "langsmith_insights", redisDb: 3 },
  polly: { secretName: SECRET_NAMES.polly, database: "langsmith_polly", redisDb: 2 },
} as const;

/**
 * The PostgreSQL role LangSmith connects as: owns the LangSmith database, logs in only with an IAM
 * token (`rds_iam`), created by the database setup Job. Not the master user (`rds_superuser`).
 */
export const POSTGRES_APP_USER = "langsmith_app";

/** Key of the connection URL in the Postgres and Redis secrets (`*.external.connectionUrlSecretKey`). */
export const CONNECTION_URL_KEY = "connection_url";

/** Node label and taint of the dedicated ClickHouse pool (in-cluster ClickHouse runs alone there). */
export const CLICKHOUSE_NODE_TAINT = { key: "dedicated", value: "clickhouse", effect: "NoSchedule" } as const;

/**
 * Seconds a pod behind the ALB keeps serving after it is told to stop (a `preStop` sleep): the
 * load balancer controller deregisters the pod when termination starts, and the ALB takes several
 * seconds to stop sending it new requests; a pod that exits at once answers those with 502s on
 * every rollout, scale-in and node drain (AWS Load Balancer Controller docs, "Pod readiness gate"
 * and deployment best practices). Below the pods' terminationGracePeriodSeconds (30) so the
 * server still shuts down gracefully afterwards.
 */
export const ALB_DRAIN_SECONDS = 15;

/** The `lifecycle` of a container the ALB targets (Kubernetes' sleep action: no shell or `sleep` binary needed). */
export const ALB_TARGET_LIFECYCLE = { preStop: { sleep: { seconds: ALB_DRAIN_SECONDS } } } as const;

/**
 * `proxy_read_timeout` of the frontend's nginx (pinned chart, frontend ConfigMap): long playground
 * streams and exports run this long. The ALB idle timeout must not be shorter (loader rule; the
 * render tier checks this constant against the rendered ConfigMap).
 */
export const FRONTEND_PROXY_READ_TIMEOUT_SECONDS = 300;

/**
 * Trace-ingestion paths of the frontend's nginx (the chart's `location = /api/v1/runs`,
 * `/api/v1/runs/batch`, `/api/v1/runs/multipart`, the same under `/api/runs`, and `/api/v1/otel/`),
 * as URI prefixes (they also cover run updates, `PATCH /api/v1/runs/<id>`). The WAF
 * exempts them from its body-inspecting managed rules and rate-limits them separately (modules/ingress);
 * the render tier checks every ingestion location of the rendered nginx config is covered.
 */
export const INGEST_PATH_PREFIXES = ["/api/v1/runs", "/api/runs", "/api/v1/otel/"] as const;
