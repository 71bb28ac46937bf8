import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseYamlCached } from "../../../lib/render/render-cache";
import { CHART_DEFAULTS, chartRuleViolations, SECRET_VALUE_PATHS, valueAt } from "../../../lib/langsmith-values/chart-rules";
import { buildLangsmithValues } from "../../../lib/langsmith-values";
import { deepMerge } from "../../../lib/merge";
import { DEFAULT_VALUES } from "../../../scripts/chart-keys";
import { Json } from "../../helpers";
import { combinations, INPUTS, shipped } from "./envs";

const ROOT = join(__dirname, "..", "..", "..");
const REFERENCE = join(ROOT, DEFAULT_VALUES);
const dev = buildLangsmithValues(shipped("dev"), INPUTS);
const prod = buildLangsmithValues(shipped("prod"), INPUTS);
const withDev = (changes: Json) => chartRuleViolations(deepMerge(dev, changes));
const withProd = (changes: Json) => chartRuleViolations(deepMerge(prod, changes));

describe("validate.yaml rules (chart's messages)", () => {
  test("the shipped values break none", () => {
    expect(chartRuleViolations(dev)).toEqual([]);
    expect(chartRuleViolations(prod)).toEqual([]);
  });

  test("no option combination breaks any", () => {
    expect(combinations().flatMap((c) => chartRuleViolations(buildLangsmithValues(c.env, INPUTS)).map((m) => `${c.label}: ${m}`))).toEqual([]);
  });

  test.each<[string, () => string[], string]>([
    ["basic and OAuth", () => withDev({ config: { oauth: { enabled: true } } }), "Basic auth and OAuth are both enabled. Please enable only one."],
    ["neither auth", () => withDev({ config: { basicAuth: { enabled: false } } }), "Neither Basic auth nor OAuth are enabled. Please enable one of them."],
    ["authType unset", () => withProd({ config: { authType: "" } }), "config.authType must be either 'mixed' or 'oauth'."],
    ["basic with authType oauth", () => withDev({ config: { authType: "oauth" } }), "Basic auth is enabled but config.authType is not set to 'mixed'."],
    ["basic without admin email", () => withDev({ config: { initialOrgAdminEmail: "" } }), "initialOrgAdminEmail is required if basic auth is enabled. Please set config.initialOrgAdminEmail."],
    ["no existing secret: salt", () => withDev({ config: { existingSecretName: "" } }), "config.apiKeySalt is required."],
    ["no existing secret: license", () => withDev({ config: { existingSecretName: "" } }), "config.langsmithLicenseKey is required."],
    ["two ingress kinds", () => withDev({ ingress: { enabled: true }, gateway: { enabled: true } }), "Only one of ingress, gateway, or istioGateway can be enabled at the same time."],
    ["deployments without ingress", () => withDev({ config: { deployment: { enabled: true } } }), "Either ingress, gateway, or istioGateway must be enabled if LangSmith Deployments is enabled."],
    ["deployments without hostname", () => withDev({ config: { deployment: { enabled: true }, hostname: "" } }), "config.hostname is required when LangSmith Deployments is enabled."],
    ["frontend off with ingress", () => withDev({ frontend: { enabled: false }, ingress: { enabled: true } }), "frontend.enabled must be true when ingress or gateway is enabled."],
    ["ingress.hostname", () => withDev({ ingress: { hostname: "x" } }), "As of v12, ingress.hostname has been moved to config.hostname."],
    ["ingress.subdomain", () => withDev({ ingress: { subdomain: "x" } }), "As of v12, ingress.subdomain has been moved to config.basePath."],
    ["config.insights", () => withDev({ config: { insights: { enabled: false } } }), "config.insights is no longer supported"],
    ["config.polly", () => withDev({ config: { polly: { enabled: false } } }), "config.polly is no longer supported"],
    ["insights.apiServer", () => withDev({ insights: { apiServer: {} } }), "insights.apiServer has moved to engineInsightsAgent.apiServer"],
    ["blob engine", () => withDev({ config: { blobStorage: { engine: "minio" } } }), "When blob storage is enabled (config.blobStorage.enabled=true), config.blobStorage.engine must be one of [S3, GCS, Azure]"],
    ["tracing without endpoint", () => withDev({ config: { observability: { tracing: { enabled: true } } } }), "config.observability.tracing.endpoint must be provided"],
    ["redis cluster without external", () => withDev({ redis: { external: { enabled: false, cluster: { enabled: true } } } }), "redis.external.enabled must be true when redis.external.cluster.enabled is true."],
    ["postgres client cert without custom TLS", () => withDev({ postgres: { external: { clientCert: { secretName: "c" } } } }), "postgres.external.customTls must be true when postgres.external.clientCert.secretName is set."],
    ["custom CA without key", () => withDev({ config: { customCa: { secretName: "ca" } } }), "config.customCa.secretKey is required when config.customCa.secretName is set."],
    ["ClickHouse quoted", () => withDev({ clickhouse: { enabled: "true" } }), "clickhouse.enabled must be a boolean. Do not quote true or false."],
    ["ClickHouse external while disabled", () => withProd({ clickhouse: { enabled: false } }), "clickhouse.external.enabled must be false when clickhouse.enabled is false."],
    ["no ingestion backend", () => withDev({ clickhouse: { enabled: false } }), "At least one ingestion backend must be enabled: clickhouse.enabled or smithdb.langsmith.ingestion.enabled."],
    ["HPA and KEDA", () => withDev({ backend: { autoscaling: { keda: { enabled: true } } } }), "Only one of backend.autoscaling.hpa.enabled or backend.autoscaling.keda.enabled can be enabled at the same time."],
    ["old autoscaling.enabled (examples/medium_size.yaml)", () => withDev({ queue: { autoscaling: { enabled: true } } }), "queue.autoscaling.enabled is deprecated. Please use queue.autoscaling.hpa.enabled and/or queue.autoscaling.keda.enabled instead."],
    ["agent IAM provider", () => withDev({ polly: { redis: { external: { iamProvider: "ibm" } } } }), "polly.redis.external.iamProvider must be one of [azure, gcp, aws]"],
    ["agent without key or secret", () => withDev({ config: { existingSecretName: "" }, polly: { enabled: true } }), "polly.encryptionKey is required when polly.enabled is true"],
    ["agent Postgres without URL", () => withDev({ polly: { enabled: true, postgres: { external: { enabled: true } }, redis: { external: { enabled: true, existingSecretName: "r" } } } }), "polly.postgres.external.host or connectionUrl or existingSecretName is required when polly.postgres.external.enabled is true"],
    ["agent Redis without URL", () => withDev({ insights: { enabled: true }, engineInsightsAgent: { postgres: { external: { enabled: true, existingSecretName: "p" } }, redis: { external: { enabled: true } } } }), "insights.redis.external.connectionUrl or insights.redis.external.existingSecretName is required when insights.redis.external.enabled is true"],
    ["agent builder without deployments", () => withDev({ config: { agentBuilder: { enabled: true } } }), "config.deployment.enabled must be true when agentBuilder is enabled. Agent Builder requires LangSmith Deployments."],
    ["engine without key", () => withDev({ config: { existingSecretName: "" }, engine: { enabled: true } }), "engine.encryptionKey is required when engine.enabled is true"],
  ])("%s", (_title, violations, message) => {
    expect(violations().join("\n")).toContain(message);
  });
});

describe("project rules", () => {
  test.each(SECRET_VALUE_PATHS.map((p) => [p]))("%s is refused as a secret in values", (path) => {
    const changes = path.split(".").reduceRight<unknown>((v, k) => ({ [k]: v }), "not-a-real-secret") as Json;
    expect(withDev(changes).join("\n")).toContain(`project: ${path} must not be set in Helm values (it is a secret)`);
  });

  test.each<[string, Json, string]>([
    ["another app secret", { config: { existingSecretName: "mine" } }, 'project: config.existingSecretName must be langsmith-config (the ESO-synced secret), got "mine"'],
    ["in-cluster Postgres", { postgres: { external: { enabled: false } } }, "project: postgres.external.enabled must be true"],
    ["in-cluster Redis", { redis: { external: { enabled: false } } }, "project: redis.external.enabled must be true"],
    ["chart Ingress", { ingress: { enabled: true } }, "project: ingress.enabled must stay false"],
    ["LoadBalancer Service", { frontend: { service: { type: "LoadBalancer" } } }, 'project: frontend.service.type must be ClusterIP (the chart\'s default LoadBalancer would create a second, unmanaged load balancer), got "LoadBalancer"'],
    ["LangSmith Deployments", { config: { deployment: { enabled: true } } }, "project: config.deployment.enabled (LangSmith Deployments) needs the chart's Ingress"],
    ["Polly with in-cluster Redis", { polly: { enabled: true, postgres: { external: { enabled: true, existingSecretName: "p" } } } }, "project: polly is enabled with its in-cluster redis (polly.redis.external.enabled is false)"],
  ])("%s", (_title, changes, message) => {
    expect(withDev(changes).join("\n")).toContain(message);
  });
});

describe("chart defaults the rules assume", () => {
  test("fall back when a key is not set", () => {
    expect(valueAt({}, "insights.enabled")).toBe(true);
    expect(valueAt({ insights: { enabled: false } }, "insights.enabled")).toBe(false);
  });

  (existsSync(REFERENCE) ? test : test.skip)("agree with the pinned chart's values.yaml", () => {
    const chart = parseYamlCached<Json>(readFileSync(REFERENCE, "utf8"));
    for (const [path, value] of Object.entries(CHART_DEFAULTS)) expect([path, path.split(".").reduce((v, k) => v[k], chart)]).toEqual([path, value]);
  });
});
