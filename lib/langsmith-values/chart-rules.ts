/**
 * The pinned chart's `templates/validate.yaml` rules, evaluated on our values before Helm sees
 * them, so a bad combination fails at synth with the chart's own message instead of at apply.
 *
 * Source: langchain-ai/helm `charts/langsmith/templates/validate.yaml`, read at commit 012ecd39
 * (chart 0.17.0-rc.16) and cross-checked at 78079f2b (chart 0.12.0); the 0.16.11 file is not
 * published separately. Only rules whose keys exist in the 0.16.11 values.yaml are kept; rules
 * about features we never render (sandboxes, SmithDB internals, Istio base paths) are left out.
 * The messages are the chart's, verbatim, so a search finds them upstream.
 *
 * Plus the project's own rules (prefixed "project:"): no secret in values, no in-cluster
 * databases for Insights/Polly, no LangSmith Deployments (they need the chart's Ingress).
 */
import { isPlainObject } from "../merge";
import { SECRET_NAMES } from "./chart";

/** Defaults of the pinned chart that the rules read and that are not false/empty (values.yaml). */
export const CHART_DEFAULTS: Readonly<Record<string, unknown>> = {
  "clickhouse.enabled": true,
  "frontend.enabled": true,
  "insights.enabled": true,
  "polly.enabled": true,
  "config.blobStorage.engine": "S3",
  "config.authType": "",
};

/** Read a dotted path, falling back to the chart default. */
export function valueAt(values: unknown, path: string): unknown {
  let v: unknown = values;
  for (const k of path.split(".")) {
    if (!isPlainObject(v) || !(k in v)) return CHART_DEFAULTS[path];
    v = v[k];
  }
  return v;
}

function has(values: unknown, path: string): boolean {
  const parts = path.split(".");
  let v: unknown = values;
  for (const k of parts) {
    if (!isPlainObject(v) || !(k in v)) return false;
    v = v[k];
  }
  return true;
}

const on = (values: unknown, path: string) => Boolean(valueAt(values, path));

/** Services whose autoscaling block the chart validates (validate.yaml `$autoscalingServices`). */
const AUTOSCALED = ["aceBackend", "backend", "frontend", "hostBackend", "listener", "platformBackend", "playground", "queue", "ingestQueue"];

/** Keys that carry secret values in the chart; they must come from the ESO-synced secrets instead. */
export const SECRET_VALUE_PATHS = [
  "config.langsmithLicenseKey",
  "config.apiKeySalt",
  "config.basicAuth.initialOrgAdminPassword",
  "config.basicAuth.jwtSecret",
  "config.oauth.oauthClientSecret",
  "config.signingJwks",
  "config.blobStorage.accessKey",
  "config.blobStorage.accessKeySecret",
  "config.blobStorage.azureStorageAccountKey",
  "config.blobStorage.azureStorageConnectionString",
  "config.agentBuilder.encryptionKey",
  "insights.encryptionKey",
  "insights.encryptionKeyPrevious",
  "polly.encryptionKey",
  "engine.encryptionKey",
  "engine.encryptionKeyPrevious",
  "fleet.encryptionKey",
  "sandboxes.callbackSigningJwk",
  "postgres.external.password",
  "postgres.external.connectionUrl",
  "redis.external.connectionUrl",
  "redis.external.cluster.password",
  "clickhouse.external.password",
  "engineInsightsAgent.postgres.external.password",
  "engineInsightsAgent.postgres.external.connectionUrl",
  "engineInsightsAgent.redis.external.connectionUrl",
  "polly.postgres.external.password",
  "polly.postgres.external.connectionUrl",
  "polly.redis.external.connectionUrl",
] as const;

/** Every rule the values break, as messages (empty: the chart would render). */
export function chartRuleViolations(values: unknown): string[] {
  const out: string[] = [];
  const fail = (cond: boolean, message: string) => cond && out.push(message);
  const v = (p: string) => valueAt(values, p);
  const existingSecret = on(values, "config.existingSecretName");

  // Booleans the templates use as predicates (checked even with skipValidation).
  fail(typeof v("clickhouse.enabled") !== "boolean", "clickhouse.enabled must be a boolean. Do not quote true or false.");

  // Ingress / frontend / deployments.
  fail(on(values, "frontend.enabled") && !on(values, "ingress.enabled") && !on(values, "gateway.enabled") && !on(values, "istioGateway.enabled") && on(values, "config.deployment.enabled"),
    "Either ingress, gateway, or istioGateway must be enabled if LangSmith Deployments is enabled.");
  fail(!on(values, "frontend.enabled") && (on(values, "ingress.enabled") || on(values, "gateway.enabled")),
    "frontend.enabled must be true when ingress or gateway is enabled. These resources route traffic to the frontend service.");
  fail(on(values, "config.deployment.enabled") && !on(values, "config.hostname"), "config.hostname is required when LangSmith Deployments is enabled.");
  fail(on(values, "config.deployment.rootDomain"), "config.rootDomain is deprecated. Please use config.hostname");
  fail(["ingress", "gateway", "istioGateway"].filter((k) => on(values, `${k}.enabled`)).length > 1,
    "Only one of ingress, gateway, or istioGateway can be enabled at the same time.");

  // Authentication.
  const basic = on(values, "config.basicAuth.enabled");
  const oauth = on(values, "config.oauth.enabled");
  fail(basic && oauth, "Basic auth and OAuth are both enabled. Please enable only one.");
  if (!existingSecret) {
    fail(!on(values, "config.apiKeySalt"), "config.apiKeySalt is required. This may have previously been set to your license key by default. Set this value to the license key to avoid invalidating existing API Keys. This can alternatively be set within .Values.config.existingSecretName.");
    fail(!on(values, "config.langsmithLicenseKey"), "config.langsmithLicenseKey is required.  This can alternatively be set within .Values.config.existingSecretName.");
  }
  fail(!basic && !oauth, "Neither Basic auth nor OAuth are enabled. Please enable one of them.");
  fail(v("config.authType") !== "mixed" && v("config.authType") !== "oauth", "config.authType must be either 'mixed' or 'oauth'.");
  fail(basic && v("config.authType") !== "mixed", "Basic auth is enabled but config.authType is not set to 'mixed'.");
  fail(basic && !on(values, "config.initialOrgAdminEmail") && !on(values, "config.basicAuth.initialOrgAdminEmail"),
    "initialOrgAdminEmail is required if basic auth is enabled. Please set config.initialOrgAdminEmail.");
  fail(on(values, "config.customCa.secretName") && !on(values, "config.customCa.secretKey"), "config.customCa.secretKey is required when config.customCa.secretName is set.");
  fail(on(values, "redis.external.cluster.enabled") && !on(values, "redis.external.enabled"), "redis.external.enabled must be true when redis.external.cluster.enabled is true.");

  // Keys moved or removed since v12 / 0.15.1 (hasKey checks: presence alone fails).
  const moved: [string, string][] = [
    ["config.langgraphPlatform", "As of v12, config.langgraphPlatform has been moved to config.deployment. Please update your values.yaml file."],
    ["config.deployment.langgraphPlatformLicenseKey", "As of v12, langgraphPlatform no longer needs a dedicated license key. You can remove this value."],
    ["config.subdomain", "As of v12, istioGateway.subdomain has been moved to istioGateway.basePath. Please update your values.yaml file."],
    ["ingress.hostname", "As of v12, ingress.hostname has been moved to config.hostname. Please update your values.yaml file."],
    ["ingress.subdomain", "As of v12, ingress.subdomain has been moved to config.basePath. Please update your values.yaml file."],
    ["gateway.hostname", "As of v12, gateway.hostname has been moved to config.hostname. Please update your values.yaml file."],
    ["gateway.subdomain", "As of v12, gateway.subdomain has been moved to config.basePath. Please update your values.yaml file."],
    ["istioGateway.hostname", "As of v12, istioGateway.hostname has been moved to config.hostname. Please update your values.yaml file."],
    ["istioGateway.subdomain", "As of v12, istioGateway.subdomain has been moved to config.basePath. Please update your values.yaml file."],
    ["config.insights", "config.insights is no longer supported (the bundled-agent bootstrap path was removed in chart 0.15.1). Use the top-level insights block: insights.enabled, insights.encryptionKey, etc."],
    ["config.polly", "config.polly is no longer supported (the bundled-agent bootstrap path was removed in chart 0.15.1). Use the top-level polly block: polly.enabled, polly.encryptionKey, etc."],
  ];
  for (const [path, message] of moved) fail(has(values, path), message);
  for (const key of ["namePrefix", "apiServer", "queue", "postgres", "redis"]) {
    fail(has(values, `insights.${key}`), `insights.${key} has moved to engineInsightsAgent.${key}: Engine and Insights now run on one shared deployment, so its scaling, database and resource settings live in the engineInsightsAgent block. Move insights.${key} to engineInsightsAgent.${key}. insights.enabled and insights.encryptionKey stay where they are.`);
  }

  // Observability, blob storage, TLS client certificates, ClickHouse.
  fail(on(values, "config.observability.tracing.enabled") && !on(values, "config.observability.tracing.endpoint"),
    "When tracing is enabled (config.observability.tracing.enabled=true), config.observability.tracing.endpoint must be provided");
  const engine = String(v("config.blobStorage.engine") ?? "");
  fail(on(values, "config.blobStorage.enabled") && !["S3", "s3", "GCS", "gcs", "Azure", "azure"].includes(engine),
    "When blob storage is enabled (config.blobStorage.enabled=true), config.blobStorage.engine must be one of [S3, GCS, Azure]");
  fail(on(values, "postgres.external.clientCert.secretName") && !on(values, "postgres.external.customTls"), "postgres.external.customTls must be true when postgres.external.clientCert.secretName is set.");
  fail(!on(values, "clickhouse.enabled") && on(values, "clickhouse.external.enabled"), "clickhouse.external.enabled must be false when clickhouse.enabled is false.");
  fail(!on(values, "clickhouse.enabled") && !on(values, "smithdb.langsmith.ingestion.enabled"), "At least one ingestion backend must be enabled: clickhouse.enabled or smithdb.langsmith.ingestion.enabled.");
  fail(!on(values, "clickhouse.enabled") && !on(values, "smithdb.langsmith.query.enabled"), "At least one query backend must be enabled: clickhouse.enabled or smithdb.langsmith.query.enabled.");

  // Agent Builder.
  if (on(values, "config.agentBuilder.enabled")) {
    fail(!on(values, "config.agentBuilder.encryptionKey") && !existingSecret, "config.agentBuilder.encryptionKey is required when Agent Builder is enabled. Generate one with: python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"");
    fail(!on(values, "config.deployment.enabled"), "config.deployment.enabled must be true when agentBuilder is enabled. Agent Builder requires LangSmith Deployments.");
  }

  // Autoscaling: HPA xor KEDA, no pre-hpa/keda keys.
  for (const s of AUTOSCALED) {
    fail(on(values, `${s}.autoscaling.hpa.enabled`) && on(values, `${s}.autoscaling.keda.enabled`), `Only one of ${s}.autoscaling.hpa.enabled or ${s}.autoscaling.keda.enabled can be enabled at the same time.`);
    for (const old of ["createHpa", "type", "enabled"]) {
      fail(has(values, `${s}.autoscaling.${old}`), `${s}.autoscaling.${old} is deprecated. Please use ${s}.autoscaling.hpa.enabled and/or ${s}.autoscaling.keda.enabled instead.`);
    }
  }

  // Agent features (outside skipValidation in the chart).
  const agents = [
    { n: "fleet", cfg: "fleet", on: on(values, "fleet.enabled") },
    { n: "insights", cfg: "engineInsightsAgent", on: on(values, "insights.enabled") || on(values, "engine.enabled") },
    { n: "polly", cfg: "polly", on: on(values, "polly.enabled") },
  ];
  for (const a of agents) {
    for (const db of ["postgres", "redis"]) {
      const provider = v(`${a.cfg}.${db}.external.iamProvider`);
      fail(Boolean(provider) && !["azure", "gcp", "aws"].includes(String(provider)), `${a.cfg}.${db}.external.iamProvider must be one of [azure, gcp, aws]`);
    }
    fail(on(values, `${a.n}.enabled`) && !on(values, `${a.n}.encryptionKey`) && !existingSecret,
      `${a.n}.encryptionKey is required when ${a.n}.enabled is true (not needed if config.existingSecretName is set with the key already present)`);
    if (!a.on) continue;
    fail(on(values, `${a.cfg}.postgres.external.enabled`) && !on(values, `${a.cfg}.postgres.external.existingSecretName`) && !on(values, `${a.cfg}.postgres.external.connectionUrl`) && !on(values, `${a.cfg}.postgres.external.host`),
      `${a.n}.postgres.external.host or connectionUrl or existingSecretName is required when ${a.n}.postgres.external.enabled is true`);
    fail(on(values, `${a.cfg}.redis.external.enabled`) && !on(values, `${a.cfg}.redis.external.connectionUrl`) && !on(values, `${a.cfg}.redis.external.existingSecretName`),
      `${a.n}.redis.external.connectionUrl or ${a.n}.redis.external.existingSecretName is required when ${a.n}.redis.external.enabled is true`);
  }
  fail(on(values, "engine.enabled") && !on(values, "engine.encryptionKey") && !existingSecret,
    "engine.encryptionKey is required when engine.enabled is true (must match smith-go's ISSUES_AGENT_ENCRYPTION_KEY). Generate one with: python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\" (not needed if config.existingSecretName has engine_encryption_key).");

  return [...out, ...projectRuleViolations(values)];
}

/** This project's own invariants on the rendered values. */
export function projectRuleViolations(values: unknown): string[] {
  const out: string[] = [];
  for (const path of SECRET_VALUE_PATHS) {
    if (has(values, path) && valueAt(values, path) !== "" && valueAt(values, path) !== null) {
      out.push(`project: ${path} must not be set in Helm values (it is a secret); put it in Secrets Manager and let ESO sync it into ${SECRET_NAMES.config} or the data-store secrets`);
    }
  }
  if (valueAt(values, "config.existingSecretName") !== SECRET_NAMES.config) {
    out.push(`project: config.existingSecretName must be ${SECRET_NAMES.config} (the ESO-synced secret), got ${JSON.stringify(valueAt(values, "config.existingSecretName"))}`);
  }
  for (const db of ["postgres", "redis"]) {
    if (!on(values, `${db}.external.enabled`)) out.push(`project: ${db}.external.enabled must be true: LangSmith uses the managed ${db === "postgres" ? "RDS" : "ElastiCache"} instance, never the chart's in-cluster one`);
  }
  for (const [feature, cfg] of [["insights", "engineInsightsAgent"], ["polly", "polly"]] as const) {
    if (!on(values, `${feature}.enabled`)) continue;
    for (const db of ["postgres", "redis"]) {
      if (!on(values, `${cfg}.${db}.external.enabled`)) {
        out.push(`project: ${feature} is enabled with its in-cluster ${db} (${cfg}.${db}.external.enabled is false); set langsmith.${feature} to "shared" or "disabled"`);
      }
    }
  }
  if (on(values, "config.deployment.enabled")) {
    out.push("project: config.deployment.enabled (LangSmith Deployments) needs the chart's Ingress, but Terraform owns the ALB here; it is not supported");
  }
  if (on(values, "ingress.enabled")) {
    out.push("project: ingress.enabled must stay false: Terraform owns the ALB and binds the frontend Service with a TargetGroupBinding");
  }
  if (valueAt(values, "frontend.service.type") !== "ClusterIP") {
    out.push(`project: frontend.service.type must be ClusterIP (the chart's default LoadBalancer would create a second, unmanaged load balancer), got ${JSON.stringify(valueAt(values, "frontend.service.type"))}`);
  }
  return out;
}
