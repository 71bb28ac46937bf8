/**
 * The LangSmith chart's values as a typed object, built in layers and deep-merged once:
 *
 *   1. base            what every environment runs: external Postgres/Redis through the
 *                      ESO-synced secrets, Redis IAM auth, no chart Ingress (Terraform owns the ALB)
 *   2. infrastructure  values derived from other resources' outputs: hostname, IRSA role
 *                      annotations, region
 *   3. sizing          resources, HPA bounds and PDBs of `langsmith.sizing` (sizing.ts)
 *   4. features        auth model, ClickHouse mode, blob storage, Insights, Polly
 *   5. overrides       `langsmith.valuesOverrides`, last
 *
 * The result is checked against the chart's validate.yaml rules and this project's own
 * (chart-rules.ts) and encoded once, as JSON, into the helm_release (`encodeValues`). No secret
 * value is ever part of it: secrets reach pods through the Kubernetes secrets in `chart.ts`.
 */
import { EnvironmentConfig } from "../config/schema";
import { deepMerge } from "../merge";
import { httpsUrl } from "../naming";
import {
  AGENT_SERVICE_ACCOUNTS,
  ALB_TARGET_LIFECYCLE,
  APP_COMPONENTS,
  AppComponent,
  CLICKHOUSE_NODE_TAINT,
  DEPLOYMENTS_APP_COMPONENTS,
  CONNECTION_URL_KEY,
  componentLabel,
  IRSA_ANNOTATION,
  SELECTOR_LABELS,
  SECRET_NAMES,
  serviceAccountName,
} from "./chart";
import { chartRuleViolations } from "./chart-rules";
import { restrictedWorkloads, workloadSecurity } from "./pod-security";
import { generalPoolProblems } from "../general-pool";
import { droppedMessage, withOverrides } from "../values-overrides";
import { AGENT_WORKLOADS, MAIN_SERVICES, MainService, ServiceSize, SIZING_PROFILES, sizingProblems } from "./sizing";
import { AgentComponentValues, ComponentValues, LangsmithValues, RenderedValues } from "./types";

export * from "./chart";
export * from "./types";
export { requiredSecrets } from "./secrets";
export { chartRuleViolations } from "./chart-rules";
export { SIZING_PROFILES, sizingProblems } from "./sizing";
export * from "./pod-security";

/** Outputs of other resources the values depend on. Strings may be CDKTF tokens. */
export interface LangsmithValuesInputs {
  /** ARN of the `langsmith-app` IRSA role (S3 blob storage, Redis IAM auth). */
  readonly appRoleArn: string;
  /** The blob bucket and its KMS key; required when `blobStorage.enabled`. */
  readonly blobStorage?: {
    readonly bucketName: string;
    readonly kmsKeyArn: string;
  };
  /**
   * StorageClass of the in-cluster ClickHouse volume (gp3, EBS CSI). The IOPS and throughput of
   * `clickhouse.storageIops` / `storageThroughputMiBps` are parameters of that StorageClass.
   * @default "gp3"
   */
  readonly clickhouseStorageClassName?: string;
}

export interface ValuesLayer {
  readonly name: "base" | "infrastructure" | "sizing" | "features" | "overrides";
  readonly values: LangsmithValues | Record<string, unknown>;
}

const DEFAULTS = { clickhouseStorageClassName: "gp3" } as const;

/** Seconds the frontend nginx keep-alive exceeds the ALB idle timeout by. */
export const NGINX_KEEPALIVE_MARGIN_SECONDS = 5;

const irsa = (roleArn: string) => ({ serviceAccount: { annotations: { [IRSA_ANNOTATION]: roleArn } } });

/** 1. What every environment runs. */
export function baseLayer(): LangsmithValues {
  return {
    config: { existingSecretName: SECRET_NAMES.config },
    // No chart Ingress: Terraform owns the ALB (TLS, WAF, DNS in one plan) and the frontend Service
    // is bound to its target group. The chart's default Service type LoadBalancer would add an unmanaged NLB/CLB.
    ingress: { enabled: false },
    frontend: { service: { type: "ClusterIP" } },
    // values.yaml postgres.external / redis.external; the URLs live in the secrets (no password
    // for Redis at all: ElastiCache IAM auth, REDIS_IAM_AUTH_PROVIDER=aws).
    // IAM database authentication: the URL names POSTGRES_APP_USER and no password; pods sign a
    // token with the langsmith-app role (rds-db:connect), so an RDS password rotation touches nothing.
    postgres: { external: { enabled: true, existingSecretName: SECRET_NAMES.postgres, connectionUrlSecretKey: CONNECTION_URL_KEY, iamAuthProvider: "aws" } },
    redis: { external: { enabled: true, existingSecretName: SECRET_NAMES.redis, connectionUrlSecretKey: CONNECTION_URL_KEY, iamAuthProvider: "aws" } },
    // Keep true with external ClickHouse too (values.yaml clickhouse.enabled); the chart reads all
    // seven connection keys from this secret in both modes.
    clickhouse: { enabled: true, external: { enabled: false, existingSecretName: SECRET_NAMES.clickhouse } },
    // Standalone agents default to on with their own in-cluster Postgres and Redis: off unless
    // the environment shares the managed ones (features layer).
    insights: { enabled: false },
    polly: { enabled: false },
  };
}

/** True when the operator's overrides turn on LangSmith Deployments (host-backend then renders). */
export function deploymentsEnabled(env: EnvironmentConfig): boolean {
  const o = env.langsmith.valuesOverrides as { config?: { deployment?: { enabled?: unknown } }; hostBackend?: { enabled?: unknown } };
  return o.config?.deployment?.enabled === true || o.hostBackend?.enabled === true;
}

/** The components that carry the app IRSA role in `env` (APP_COMPONENTS, plus host-backend with Deployments). */
export function appComponents(env: EnvironmentConfig): AppComponent[] {
  return [...APP_COMPONENTS, ...(deploymentsEnabled(env) ? DEPLOYMENTS_APP_COMPONENTS : [])];
}

/**
 * Pod security of every pod the chart renders for `env` (pod-security.ts): the Pod Security
 * Standard `restricted` with a read-only root filesystem, from the chart's own tested read-only
 * configuration; `commonPodSecurityContext` gives every pod the runtime's default seccomp profile.
 * Service accounts of pods that call neither AWS nor the Kubernetes API get no API token
 * (`serviceAccount.automountServiceAccountToken: false`). The IRSA-annotated ones keep it: the pod
 * identity webhook projects its own web-identity token, but turning the API token off there is an
 * AWS-auth change this project cannot prove offline (reports of IRSA pods failing with it off exist,
 * aws/amazon-eks-pod-identity-webhook#67), so it waits for a cluster test.
 */
export function podSecurityValues(env: EnvironmentConfig): Record<string, unknown> {
  const irsaComponents = new Set<string>(appComponents(env));
  const noToken = [...MAIN_SERVICES.filter((s) => !irsaComponents.has(s)), ...(env.clickhouse.mode === "in-cluster" ? ["clickhouse"] : [])];
  return deepMerge(
    { commonPodSecurityContext: { seccompProfile: { type: "RuntimeDefault" } } },
    ...restrictedWorkloads(env).map(workloadSecurity),
    ...noToken.map((c) => ({ [c]: { serviceAccount: { automountServiceAccountToken: false } } })),
  );
}

/** 2. Values derived from the environment's infrastructure. */
export function infrastructureLayer(env: EnvironmentConfig, inputs: LangsmithValuesInputs): LangsmithValues {
  const region = env.aws.region;
  const annotated = Object.fromEntries(appComponents(env).map((c) => [c, irsa(inputs.appRoleArn)]));
  return {
    // With a scheme, as the chart's OAuth example: used for redirects and OAuth callbacks.
    config: { hostname: httpsUrl(env.dns.hostname) },
    // As upstream Terraform does; the pod identity webhook sets them only for annotated pods.
    commonEnv: [
      { name: "AWS_REGION", value: region },
      { name: "AWS_DEFAULT_REGION", value: region },
    ],
    // nginx keeps idle connections open longer than the ALB does (its idle timeout), so the ALB
    // never sends a request on a connection nginx has just closed (intermittent 502s).
    // The ALB targets the frontend pods: they keep serving while the ALB drains them (ALB_DRAIN_SECONDS).
    frontend: { keepAliveTimeout: String(env.ingress.idleTimeoutSeconds + NGINX_KEEPALIVE_MARGIN_SECONDS), deployment: { lifecycle: ALB_TARGET_LIFECYCLE } },
    ...annotated,
  };
}

const hpa = (s: ServiceSize, cpu: number, memory: number): ComponentValues => ({
  deployment: { resources: s.resources },
  autoscaling: { hpa: { enabled: true, minReplicas: s.minReplicas, maxReplicas: s.maxReplicas, targetCPUUtilizationPercentage: cpu, targetMemoryUtilizationPercentage: memory } },
  pdb: s.pdb ? { enabled: true, minAvailable: 1 } : { enabled: false },
});

const agentHpa = (s: ServiceSize, cpu: number): AgentComponentValues => ({
  deployment: { resources: s.resources },
  autoscaling: { enabled: true, minReplicas: s.minReplicas, maxReplicas: s.maxReplicas, targetCPUUtilizationPercentage: cpu },
  pdb: s.pdb ? { enabled: true, minAvailable: 1 } : { enabled: false },
});

export const ZONE_KEY = "topology.kubernetes.io/zone";
export const HOST_KEY = "kubernetes.io/hostname";

/**
 * Zone and node spread of one component's pods. `ScheduleAnyway`: the general node group is one
 * Auto Scaling group across the zones, so the cluster autoscaler cannot choose the zone of a new
 * node; a hard `DoNotSchedule` could leave pods pending during a scale-up or a zone outage. The
 * scheduler still places replicas zone by zone while nodes exist there. `pod-template-hash`
 * counts only the current ReplicaSet, so a rollout does not skew on the old pods.
 */
export function zoneSpread(component: string): Record<string, unknown>[] {
  const labelSelector = { matchLabels: { ...SELECTOR_LABELS, "app.kubernetes.io/component": component } };
  return [ZONE_KEY, HOST_KEY].map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector, matchLabelKeys: ["pod-template-hash"] }));
}

/** The agents' equivalent (their chart blocks only take `affinity`): preferred zone anti-affinity. */
export function zoneAntiAffinity(component: string): Record<string, unknown> {
  const labelSelector = { matchLabels: { ...SELECTOR_LABELS, "app.kubernetes.io/component": component } };
  return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: ZONE_KEY, labelSelector } }] } };
}

/** 3. Resources, HPA, PDBs and zone spread of the sizing profile. */
export function sizingLayer(env: EnvironmentConfig): Record<string, unknown> {
  const p = SIZING_PROFILES[env.langsmith.sizing];
  const spread = (s: MainService) => (p.spreadAcrossZones ? { deployment: { topologySpreadConstraints: zoneSpread(componentLabel(s)) } } : {});
  const out: Record<string, unknown> = Object.fromEntries(MAIN_SERVICES.map((s) => [s, deepMerge(hpa(p.services[s], p.targetCpuPercent, p.targetMemoryPercent), spread(s))]));
  const agentSpread = (feature: "insights" | "polly", i: 0 | 1) => (p.spreadAcrossZones ? { deployment: { affinity: zoneAntiAffinity(AGENT_SERVICE_ACCOUNTS[feature][i]) } } : {});
  const agent = (feature: "insights" | "polly") => ({
    apiServer: deepMerge(agentHpa(p.agents.apiServer, p.targetCpuPercent), agentSpread(feature, 0)),
    queue: deepMerge(agentHpa(p.agents.queue, p.targetCpuPercent), agentSpread(feature, 1)),
  });
  // Insights' workloads live under engineInsightsAgent, Polly's under polly (AGENT_WORKLOADS).
  for (const feature of ["insights", "polly"] as const) {
    if (env.langsmith[feature] !== "disabled") out[AGENT_WORKLOADS[feature].apiServer.split(".")[0]] = agent(feature);
  }
  if (env.clickhouse.mode === "in-cluster") out.clickhouse = { statefulSet: { resources: p.clickhouse } };
  return out;
}

/** 4a. Auth: token = basic auth; oidc = OAuth with client secret. Both need authType mixed. */
function authOverlay(env: EnvironmentConfig): LangsmithValues {
  // validate.yaml: basic auth requires "mixed"; OAuth with a client secret (a confidential
  // client, whose secret sits in Secrets Manager) also requires "mixed" ("oauth" is PKCE only,
  // values.yaml config.authType). Client id and issuer are keys of langsmith-config.
  const oidc = env.auth.model === "oidc";
  return {
    config: {
      authType: "mixed",
      initialOrgAdminEmail: env.langsmith.initialOrgAdminEmail,
      basicAuth: { enabled: !oidc },
      oauth: { enabled: oidc },
    },
  };
}

/** 4b. ClickHouse: external over the secret, or one replica on the dedicated tainted pool. */
function clickhouseOverlay(env: EnvironmentConfig, inputs: LangsmithValuesInputs): LangsmithValues {
  const ch = env.clickhouse;
  if (ch.mode === "external") {
    // CLICKHOUSE_CLUSTER: the migrations create replicated tables ON CLUSTER; hybrid: managed ClickHouse.
    return { clickhouse: { external: { enabled: true, hybrid: ch.hybrid ?? false, ...(ch.replicated && ch.cluster ? { cluster: ch.cluster } : {}) } } };
  }
  return {
    clickhouse: {
      statefulSet: {
        nodeSelector: { [CLICKHOUSE_NODE_TAINT.key]: CLICKHOUSE_NODE_TAINT.value },
        tolerations: [{ key: CLICKHOUSE_NODE_TAINT.key, operator: "Equal", value: CLICKHOUSE_NODE_TAINT.value, effect: CLICKHOUSE_NODE_TAINT.effect }],
        persistence: { enabled: true, size: `${ch.storageGib}Gi`, storageClassName: inputs.clickhouseStorageClassName ?? DEFAULTS.clickhouseStorageClassName },
      },
    },
  };
}

/** 4c. Blob storage on S3 through IRSA (no access keys), and trace TTLs equal to the bucket's lifecycle. */
function blobStorageOverlay(env: EnvironmentConfig, inputs: LangsmithValuesInputs): LangsmithValues {
  const b = env.blobStorage;
  const day = 86400;
  // The bucket expires `ttl_s/` and `ttl_l/` after ttlShortDays / ttlLongDays; the app's trace
  // tiers must not outlive their payloads (config.ttl, values.yaml defaults 14 / 400 days).
  const ttl = { enabled: true, ttl_period_seconds: { longlived: String(b.ttlLongDays * day), shortlived: String(b.ttlShortDays * day) } };
  if (!b.enabled) return { config: { blobStorage: { enabled: false }, ttl } };
  if (!inputs.blobStorage) throw new Error("LangSmith values: blobStorage.enabled is true but no blob bucket was given (inputs.blobStorage)");
  return {
    config: {
      blobStorage: {
        enabled: true,
        engine: "S3",
        bucketName: inputs.blobStorage.bucketName,
        apiURL: `https://s3.${env.aws.region}.amazonaws.com`,
        kmsEncryptionEnabled: true,
        kmsKeyArn: inputs.blobStorage.kmsKeyArn,
      },
      ttl,
    },
  };
}

/** 4d. Insights / Polly on the shared RDS and ElastiCache (existing secrets, Redis IAM auth). */
function agentOverlay(env: EnvironmentConfig, inputs: LangsmithValuesInputs, feature: "insights" | "polly"): Record<string, unknown> {
  if (env.langsmith[feature] === "disabled") return { [feature]: { enabled: false } };
  const secret = feature === "insights" ? SECRET_NAMES.insights : SECRET_NAMES.polly;
  const block = {
    // IAM auth for both: the app user (no password) owns the agent databases (lib/secrets/database-job.ts).
    postgres: { external: { enabled: true, iamProvider: "aws", existingSecretName: secret } },
    redis: { external: { enabled: true, iamProvider: "aws", existingSecretName: secret } },
    apiServer: irsa(inputs.appRoleArn),
    queue: irsa(inputs.appRoleArn),
  };
  // Insights' workloads are configured under engineInsightsAgent (validate.yaml: insights.apiServer
  // etc. "moved to engineInsightsAgent"); the encryption key is insights_encryption_key in langsmith-config.
  return feature === "insights" ? { insights: { enabled: true }, engineInsightsAgent: block } : { polly: { enabled: true, ...block } };
}

/** 4. Feature overlays of the environment's options. */
export function featuresLayer(env: EnvironmentConfig, inputs: LangsmithValuesInputs): Record<string, unknown> {
  return deepMerge(authOverlay(env), clickhouseOverlay(env, inputs), blobStorageOverlay(env, inputs), agentOverlay(env, inputs, "insights"), agentOverlay(env, inputs, "polly"));
}

/** The project's four layers, in merge order. */
function projectLayers(env: EnvironmentConfig, inputs: LangsmithValuesInputs): ValuesLayer[] {
  return [
    // Pod security contexts belong to the base (every environment) but come from their own builder.
    { name: "base", values: deepMerge<LangsmithValues>(baseLayer(), podSecurityValues(env)) },
    { name: "infrastructure", values: infrastructureLayer(env, inputs) },
    { name: "sizing", values: sizingLayer(env) },
    { name: "features", values: featuresLayer(env, inputs) },
  ];
}

/** The values the project sets for `env`, before the operator's overrides (what an override list must keep). */
export function projectValues(env: EnvironmentConfig, inputs: LangsmithValuesInputs): LangsmithValues {
  return deepMerge<LangsmithValues>(...projectLayers(env, inputs).map((l) => l.values));
}

/** The five layers, in merge order (for review and tests); the overrides as merged (lib/values-overrides.ts: named lists by name). */
export function valueLayers(env: EnvironmentConfig, inputs: LangsmithValuesInputs): ValuesLayer[] {
  const project = projectLayers(env, inputs);
  const { layer } = withOverrides(deepMerge<LangsmithValues>(...project.map((l) => l.values)), env.langsmith.valuesOverrides);
  return [...project, { name: "overrides", values: layer as LangsmithValues }];
}

export class LangsmithValuesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`LangSmith Helm values are invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "LangsmithValuesError";
  }
}

/**
 * The merged values for `env`. Throws a LangsmithValuesError listing every chart rule, project
 * rule and sizing problem (the environment loader reports sizing problems earlier, per file).
 */
export function buildLangsmithValues(env: EnvironmentConfig, inputs: LangsmithValuesInputs): RenderedValues {
  const { values, dropped } = withOverrides(projectValues(env, inputs) as RenderedValues, env.langsmith.valuesOverrides);
  const problems = [
    ...[...sizingProblems(env), ...generalPoolProblems(env)].map((p) => `${p.path} ${p.message}${p.fix ? `; ${p.fix}` : ""}`),
    ...dropped.map((d) => droppedMessage("langsmith.valuesOverrides", d)),
    ...chartRuleViolations(values),
  ];
  if (problems.length > 0) throw new LangsmithValuesError(problems);
  return values;
}

/** The one encoding of the values for helm_release `values` (JSON is YAML; CDKTF tokens resolve inside). */
export function encodeValues(values: RenderedValues): string {
  return JSON.stringify(values);
}

/**
 * Service accounts the `langsmith-app` IRSA role must trust for `env` (the four main services, host-backend
 * with LangSmith Deployments, plus the
 * Insights / Polly workloads when they use the shared ElastiCache with IAM auth).
 */
export function appServiceAccounts(env: EnvironmentConfig): string[] {
  const main = appComponents(env).map(serviceAccountName);
  const agents = (["insights", "polly"] as const).filter((f) => env.langsmith[f] !== "disabled").flatMap((f) => [...AGENT_SERVICE_ACCOUNTS[f]]);
  return [...main, ...agents];
}
