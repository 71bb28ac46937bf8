/**
 * The Langfuse chart's values (`langfuse` 2.0.0) as a plain object, built in the same layers as
 * LangSmith's (lib/langsmith-values) and deep-merged once:
 *
 *   1. base            what every environment runs: the chart's bundled PostgreSQL, Valkey,
 *                      SeaweedFS and ClickHouse off (external stores only), no chart Ingress
 *                      (Terraform owns the ALB), every credential by secretKeyRef to the
 *                      ESO-built secrets, telemetry and public sign-up off
 *   2. infrastructure  values derived from other resources' outputs: URL, IRSA role, bucket, region,
 *                      ClickHouse endpoint
 *   3. sizing          resources, HPA bounds and PDBs of `langfuse.sizing` (sizing.ts)
 *   4. features        headless initialisation, OIDC SSO where the environment uses OIDC
 *   5. overrides       `langfuse.valuesOverrides`, last
 *
 * No secret value is ever part of it (helm_release.values is plain text in state). The URLs
 * that carry a password (DATABASE_URL, REDIS_CONNECTION_STRING) are composed by ESO templates in
 * the cluster (secrets.ts) and reach the pods through `langfuse.additionalEnv` secretKeyRefs.
 * Every key set here exists in the chart (`__tests__/fixtures/langfuse-chart-keys.json`).
 */
import { EnvironmentConfig, LangfuseConfig, langfuseHostname } from "../config/schema";
import { deepMerge, isPlainObject } from "../merge";
import { droppedMessage, withOverrides } from "../values-overrides";
import { IRSA_ANNOTATION, LANGFUSE_RELEASE, LANGFUSE_S3_PREFIXES, LANGFUSE_SECRET_KEYS as K, LANGFUSE_SECRETS } from "./chart";
import { LANGFUSE_SIZING, LangfuseWorkloadSize } from "./sizing";
import { ALB_TARGET_LIFECYCLE } from "../langsmith-values/chart";

export * from "./chart";
export { LANGFUSE_SIZING } from "./sizing";

/** Langfuse values: a JSON object (the chart's schema is its values.yaml; the key test checks paths). */
export type LangfuseValues = Record<string, unknown>;

/** Outputs of other resources the values depend on. Strings may be CDKTF tokens. */
export interface LangfuseValuesInputs {
  /** ARN of the Langfuse IRSA role (S3 through the web identity token; no access keys). */
  readonly roleArn: string;
  /** Langfuse's S3 bucket (events, media, exports under their prefixes). */
  readonly bucketName: string;
}

export interface LangfuseValuesLayer {
  readonly name: "base" | "infrastructure" | "sizing" | "features" | "overrides";
  readonly values: LangfuseValues;
}

const secretRef = (key: string, name: string = LANGFUSE_SECRETS.config) => ({ secretKeyRef: { name, key } });
const envFromSecret = (name: string, key: string, secret: string = LANGFUSE_SECRETS.config) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

function langfuseOf(env: EnvironmentConfig): LangfuseConfig {
  if (!env.langfuse) throw new Error(`Langfuse values: environment ${env.name} does not run Langfuse (applications: ${env.applications.join(", ")})`);
  return env.langfuse;
}

/** 1. What every environment runs. */
export function baseLayer(): LangfuseValues {
  return {
    langfuse: {
      // The three credentials Langfuse cannot regenerate, pinned to Secrets Manager through ESO.
      // Without them the chart generates values with `lookup`, which rotate under `helm template`
      // based tooling and live only in the cluster (templates/langfuse-app-secret.yaml).
      salt: secretRef(K.salt),
      encryptionKey: secretRef(K.encryptionKey),
      nextauth: { secret: secretRef(K.nextauthSecret) },
      // Self-hosted for a company: no usage reports to Langfuse, accounts only by invitation or SSO.
      features: { telemetryEnabled: false, signUpDisabled: true },
      logging: { format: "json" },
      // Terraform owns the ALB; the web Service stays ClusterIP and is bound to its target group.
      ingress: { enabled: false },
      web: { service: { type: "ClusterIP" } },
      image: { pullPolicy: "IfNotPresent" },
      // The ALB targets the web pods: they keep serving while the ALB drains them (ALB_DRAIN_SECONDS).
      // The chart has one lifecycle for web and worker; the worker merely stops 15 s later.
      extraLifecycle: ALB_TARGET_LIFECYCLE,
      // Pod Security restricted: no privilege escalation, no Linux capabilities, non-root. The images
      // name their user (`USER nextjs` / `USER expressjs`, both uid and gid 1001 in langfuse's
      // web/ and worker/Dockerfile), which the kubelet cannot check for runAsNonRoot, so the uid is
      // given: runAsNonRoot with a named user alone stops the container ("non-numeric user").
      // The root filesystem stays writable: the web entrypoint runs migrations and Next.js writes its cache.
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true },
      podSecurityContext: { seccompProfile: { type: "RuntimeDefault" }, runAsNonRoot: true, runAsUser: LANGFUSE_UID, runAsGroup: LANGFUSE_UID, fsGroup: LANGFUSE_UID },
    },
    // External stores only: the bundled PostgreSQL, Valkey, SeaweedFS and operator ClickHouse are
    // single-pod, in-cluster and unbacked-up; the environment's RDS, ElastiCache and S3 are not.
    postgresql: { deploy: false },
    redis: { deploy: false },
    s3: { deploy: false },
    clickhouse: { deploy: false },
  };
}

/** 2. Values derived from the environment's infrastructure. */
export function infrastructureLayer(env: EnvironmentConfig, inputs: LangfuseValuesInputs): LangfuseValues {
  const lf = langfuseOf(env);
  const region = env.aws.region;
  const ch = lf.clickhouse;
  if (ch.mode !== "external") throw new Error('Langfuse values: langfuse.clickhouse.mode must be "external" (the loader refuses in-cluster)');
  const scheme = ch.tls ? "https" : "http";
  return {
    langfuse: {
      nextauth: { url: `https://${langfuseHostname(env)}` },
      serviceAccount: { create: true, annotations: { [IRSA_ANNOTATION]: inputs.roleArn } },
      additionalEnv: [
        { name: "AWS_REGION", value: region },
        { name: "AWS_DEFAULT_REGION", value: region },
        // Composed by ESO (password URL-escaped): the chart then renders no DATABASE_* or Redis
        // variables of its own (_helpers.tpl langfuse.databaseEnv / langfuse.redisEnv).
        envFromSecret("DATABASE_URL", K.databaseUrl, LANGFUSE_SECRETS.connections),
        envFromSecret("REDIS_CONNECTION_STRING", K.redisUrl, LANGFUSE_SECRETS.connections),
      ],
    },
    // The chart's own path for an external ClickHouse: the URLs carry no credential; the password
    // comes from the ESO secret (CLICKHOUSE_PASSWORD secretKeyRef).
    clickhouse: {
      host: `${scheme}://${ch.host}`,
      httpPort: ch.port,
      nativePort: ch.nativePort,
      database: ch.database,
      auth: { username: ch.user, existingSecret: LANGFUSE_SECRETS.connections, existingSecretKey: K.clickhousePassword },
      migration: { url: `clickhouse://${ch.host}:${ch.nativePort}`, ssl: ch.tls, autoMigrate: true },
      cluster: { enabled: ch.clusterEnabled },
    },
    // One bucket, three prefixes; credentials from the pod's IRSA web identity (no access keys:
    // the chart renders no *_ACCESS_KEY_ID when none is given). Virtual-hosted style on AWS.
    s3: {
      storageProvider: "s3",
      bucket: inputs.bucketName,
      region,
      forcePathStyle: false,
      eventUpload: { prefix: LANGFUSE_S3_PREFIXES.eventUpload },
      mediaUpload: { prefix: LANGFUSE_S3_PREFIXES.mediaUpload },
      batchExport: { prefix: LANGFUSE_S3_PREFIXES.batchExport },
    },
  };
}

/** The images' user and group (web/ and worker/Dockerfile of langfuse: `ARG UID=1001`, `ARG GID=1001`). */
export const LANGFUSE_UID = 1001;

/**
 * Zone and node spread of one component's pods (`app.kubernetes.io/component` web or worker).
 * `ScheduleAnyway`, as for LangSmith: one Auto Scaling group spans the zones, so the cluster
 * autoscaler cannot pick a zone for a new node and a hard constraint could leave pods pending.
 */
export function langfuseZoneSpread(component: "web" | "worker"): Record<string, unknown>[] {
  const labelSelector = { matchLabels: { "app.kubernetes.io/name": "langfuse", "app.kubernetes.io/instance": LANGFUSE_RELEASE.name, "app.kubernetes.io/component": component } };
  return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector, matchLabelKeys: ["pod-template-hash"] }));
}

const workload = (component: "web" | "worker", s: LangfuseWorkloadSize, cpu: number, spread: boolean) => ({
  resources: { requests: s.requests, limits: s.limits },
  hpa: { enabled: true, minReplicas: s.minReplicas, maxReplicas: s.maxReplicas, targetCPUUtilizationPercentage: cpu },
  // One pod at a time during drains; with one replica a drain still proceeds (maxUnavailable 1).
  pdb: { create: true, maxUnavailable: 1 },
  ...(spread ? { pod: { topologySpreadConstraints: langfuseZoneSpread(component) } } : {}),
});

/** 3. Resources, HPA, PDBs and zone spread of the sizing profile. */
export function sizingLayer(env: EnvironmentConfig): LangfuseValues {
  const p = LANGFUSE_SIZING[langfuseOf(env).sizing];
  return { langfuse: { web: workload("web", p.web, p.targetCpuPercent, p.spreadAcrossZones), worker: workload("worker", p.worker, p.targetCpuPercent, p.spreadAcrossZones) } };
}

/** A Langfuse id from a display name: lowercase letters, digits and dashes. */
export function initId(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "default";
}

/**
 * 4. Headless initialisation (LANGFUSE_INIT_*, Langfuse "Headless Initialization"): organisation,
 * project with its API key pair, and the first user as the organisation's owner; the password
 * and keys from Secrets Manager. OIDC: the chart's `langfuse.auth.providers.custom`
 * (AUTH_CUSTOM_*) with the environment's client; the client secret from Secrets Manager.
 */
export function featuresLayer(env: EnvironmentConfig): LangfuseValues {
  const init = langfuseOf(env).init;
  const initEnv = [
    { name: "LANGFUSE_INIT_ORG_ID", value: initId(init.organization) },
    { name: "LANGFUSE_INIT_ORG_NAME", value: init.organization },
    { name: "LANGFUSE_INIT_PROJECT_ID", value: initId(init.project) },
    { name: "LANGFUSE_INIT_PROJECT_NAME", value: init.project },
    envFromSecret("LANGFUSE_INIT_PROJECT_PUBLIC_KEY", K.initPublicKey),
    envFromSecret("LANGFUSE_INIT_PROJECT_SECRET_KEY", K.initSecretKey),
    { name: "LANGFUSE_INIT_USER_EMAIL", value: init.userEmail },
    { name: "LANGFUSE_INIT_USER_NAME", value: init.userEmail.split("@")[0] },
    envFromSecret("LANGFUSE_INIT_USER_PASSWORD", K.initUserPassword),
  ];
  const web: Record<string, unknown> = { pod: { additionalEnv: initEnv } };
  if (env.auth.model !== "oidc") return { langfuse: { web } };
  return {
    langfuse: {
      web,
      auth: {
        providers: {
          custom: {
            name: "SSO",
            clientId: env.auth.clientId,
            clientSecret: secretRef(K.ssoClientSecret),
            issuer: env.auth.issuerUrl,
            scope: "openid email profile",
            // The headless-init user signs in with SSO under the same email.
            allowAccountLinking: "true",
          },
        },
      },
    },
  };
}

/** The project's four layers, in merge order. */
function projectLayers(env: EnvironmentConfig, inputs: LangfuseValuesInputs): LangfuseValuesLayer[] {
  return [
    { name: "base", values: baseLayer() },
    { name: "infrastructure", values: infrastructureLayer(env, inputs) },
    { name: "sizing", values: sizingLayer(env) },
    { name: "features", values: featuresLayer(env) },
  ];
}

/** The values the project sets for `env`, before the operator's overrides (what an override list must keep). */
export function langfuseProjectValues(env: EnvironmentConfig, inputs: LangfuseValuesInputs): LangfuseValues {
  return deepMerge<LangfuseValues>(...projectLayers(env, inputs).map((l) => l.values));
}

/** The five layers, in merge order (for review and tests); the overrides as merged (lib/values-overrides.ts: named lists by name). */
export function langfuseValueLayers(env: EnvironmentConfig, inputs: LangfuseValuesInputs): LangfuseValuesLayer[] {
  const project = projectLayers(env, inputs);
  const { layer } = withOverrides(deepMerge<LangfuseValues>(...project.map((l) => l.values)), langfuseOf(env).valuesOverrides);
  return [...project, { name: "overrides", values: layer as LangfuseValues }];
}

export class LangfuseValuesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Langfuse Helm values are invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "LangfuseValuesError";
  }
}

const get = (v: unknown, path: string): unknown => path.split(".").reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), v);

/**
 * The chart's own refusals (templates/validations.yaml, _helpers.tpl) that values can trip, plus
 * this project's: external stores only, and no credential as a literal `value`.
 */
export function langfuseChartRuleViolations(values: LangfuseValues): string[] {
  const problems: string[] = [];
  for (const store of ["postgresql", "redis", "s3", "clickhouse"]) {
    if (get(values, `${store}.deploy`) !== false) problems.push(`${store}.deploy must be false: Langfuse uses the environment's managed stores (the bundled ones are single-pod and unbacked-up)`);
  }
  for (const path of ["langfuse.salt.value", "langfuse.encryptionKey.value", "langfuse.nextauth.secret.value", "clickhouse.auth.password", "redis.auth.password", "postgresql.auth.password"]) {
    if (get(values, path)) problems.push(`${path} must not be set: secrets reach Langfuse from Secrets Manager through ESO, never through Helm values (plain text in state)`);
  }
  for (const w of ["web", "worker"]) {
    if (get(values, `langfuse.${w}.keda.enabled`) && (get(values, `langfuse.${w}.hpa.enabled`) || get(values, `langfuse.${w}.vpa.enabled`))) {
      problems.push(`langfuse.${w}: keda cannot be enabled with hpa or vpa (chart validations.yaml)`);
    }
    const pdb = get(values, `langfuse.${w}.pdb`);
    if (isPlainObject(pdb) && pdb.create && pdb.minAvailable !== undefined && pdb.minAvailable !== "" && pdb.maxUnavailable !== undefined && pdb.maxUnavailable !== "") {
      problems.push(`langfuse.${w}.pdb cannot set both minAvailable and maxUnavailable (chart validations.yaml)`);
    }
  }
  if (get(values, "redis.host")) problems.push("redis.host must stay empty: REDIS_CONNECTION_STRING comes from langfuse.additionalEnv (chart validations.yaml allows only one)");
  return problems;
}

/** The merged values for `env`; throws a LangfuseValuesError listing every violated rule. */
export function buildLangfuseValues(env: EnvironmentConfig, inputs: LangfuseValuesInputs): LangfuseValues {
  const { values, dropped } = withOverrides(langfuseProjectValues(env, inputs), langfuseOf(env).valuesOverrides);
  const problems = [...dropped.map((d) => droppedMessage("langfuse.valuesOverrides", d)), ...langfuseChartRuleViolations(values)];
  if (problems.length > 0) throw new LangfuseValuesError(problems);
  return values;
}
