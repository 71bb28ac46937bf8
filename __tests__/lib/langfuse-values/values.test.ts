import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { ChartKeys, nonBooleanOverrides, unknownKeyPaths } from "../../../lib/langsmith-values/chart-keys";
import { langfuseChartKeys, TEMPLATE_ONLY_KEYS } from "../../../lib/langfuse-values/chart-keys";
import {
  buildLangfuseValues,
  initId,
  langfuseChartRuleViolations,
  langfuseValueLayers,
  LANGFUSE_SECRETS,
  LANGFUSE_SECRET_KEYS,
  LangfuseValuesInputs,
} from "../../../lib/langfuse-values";
import { LANGFUSE_CHART_DIR } from "../../../scripts/langfuse-chart-keys";
import { CHARTS } from "../../../versions";
import { langfuseOnly, withLangfuse } from "../../langfuse-envs";

const ROOT = join(__dirname, "..", "..", "..");
const FIXTURE: ChartKeys = JSON.parse(readFileSync(join(ROOT, "__tests__", "fixtures", "langfuse-chart-keys.json"), "utf8"));
const CHART_DIR = join(ROOT, LANGFUSE_CHART_DIR);
export const LANGFUSE_INPUTS: LangfuseValuesInputs = { roleArn: "<langfuse IRSA role ARN>", bucketName: "<langfuse bucket name>" };

/** Every Langfuse configuration the builder supports: both tiers' fleet with Langfuse, auth models, a Langfuse-only fork. */
function variants() {
  const out: [string, ReturnType<typeof langfuseOnly>][] = [["fork lf (Langfuse only)", langfuseOnly()]];
  for (const name of ["dev", "staging", "prod"] as const)
    for (const auth of ["token", "oidc"] as const)
      out.push([
        `${name} + langfuse auth=${auth}`,
        withLangfuse(name, (i) => (i.auth = auth === "token" ? { model: "token" } : { model: "oidc", clientId: "platform", issuerUrl: "https://sso.example.com" })),
      ]);
  return out;
}

describe("the Langfuse key-path fixture", () => {
  test("is of the chart and version pinned in versions.ts", () => {
    expect({ chart: FIXTURE.chart, version: FIXTURE.version }).toEqual({ chart: CHARTS.langfuse.chart, version: CHARTS.langfuse.version });
  });

  test("holds sorted, unique key paths, with the template-only keys, and which default to a boolean", () => {
    expect((FIXTURE.booleans ?? []).filter((p) => !FIXTURE.paths.includes(p))).toEqual([]);
    expect(FIXTURE.booleans).toContain("langfuse.web.hpa.enabled");
    expect([...FIXTURE.paths].sort()).toEqual(FIXTURE.paths);
    expect(new Set(FIXTURE.paths).size).toBe(FIXTURE.paths.length);
    for (const k of TEMPLATE_ONLY_KEYS) expect(FIXTURE.paths).toContain(k);
  });

  (existsSync(CHART_DIR) ? test : test.skip)(`is what scripts/langfuse-chart-keys generates from ${CHART_DIR}`, () => {
    expect(langfuseChartKeys(CHART_DIR)).toEqual(FIXTURE);
  });
});

describe("Langfuse values", () => {
  test.each(variants())("%s: every key path exists in the chart, its booleans set as booleans", (_l, env) => {
    expect(unknownKeyPaths(buildLangfuseValues(env, LANGFUSE_INPUTS), FIXTURE)).toEqual([]);
    expect(nonBooleanOverrides(buildLangfuseValues(env, LANGFUSE_INPUTS), FIXTURE)).toEqual([]);
  });

  test("a misspelt override is caught by the key check (the loader refuses it first: __tests__/config/langfuse.test.ts)", () => {
    const loaded = langfuseOnly();
    const env = { ...loaded, langfuse: { ...loaded.langfuse!, valuesOverrides: { langfuse: { web: { replicaz: 3 } } } } };
    expect(unknownKeyPaths(buildLangfuseValues(env, LANGFUSE_INPUTS), FIXTURE)).toEqual(["langfuse.web.replicaz"]);
    expect(() => langfuseOnly({ valuesOverrides: { langfuse: { web: { replicaz: 3 } } } })).toThrow("langfuse.valuesOverrides.langfuse.web.replicaz is not a key of the langfuse chart");
  });

  test("layers come in merge order, overrides last", () => {
    expect(langfuseValueLayers(langfuseOnly(), LANGFUSE_INPUTS).map((l) => l.name)).toEqual(["base", "infrastructure", "sizing", "features", "overrides"]);
    const env = langfuseOnly({ valuesOverrides: { langfuse: { logging: { level: "debug" } } } });
    expect(buildLangfuseValues(env, LANGFUSE_INPUTS)).toMatchObject({ langfuse: { logging: { level: "debug", format: "json" } } });
  });

  test("every bundled store is off and every credential is a secretKeyRef", () => {
    const v = buildLangfuseValues(langfuseOnly(), LANGFUSE_INPUTS) as any;
    expect([v.postgresql.deploy, v.redis.deploy, v.s3.deploy, v.clickhouse.deploy]).toEqual([false, false, false, false]);
    expect(v.langfuse.salt).toEqual({ secretKeyRef: { name: LANGFUSE_SECRETS.config, key: LANGFUSE_SECRET_KEYS.salt } });
    expect(v.langfuse.encryptionKey.secretKeyRef.key).toBe(LANGFUSE_SECRET_KEYS.encryptionKey);
    expect(v.langfuse.nextauth).toEqual({ url: "https://langfuse.lf.example.com", secret: { secretKeyRef: { name: LANGFUSE_SECRETS.config, key: "nextauth-secret" } } });
    expect(v.clickhouse.auth).toEqual({ username: "langfuse", existingSecret: LANGFUSE_SECRETS.connections, existingSecretKey: "clickhouse-password" });
    const env = Object.fromEntries((v.langfuse.additionalEnv as any[]).map((e) => [e.name, e.valueFrom?.secretKeyRef ?? e.value]));
    expect(env.DATABASE_URL).toEqual({ name: LANGFUSE_SECRETS.connections, key: "database-url" });
    expect(env.REDIS_CONNECTION_STRING).toEqual({ name: LANGFUSE_SECRETS.connections, key: "redis-url" });
    // S3 through IRSA: no access keys anywhere, the role on the one service account.
    expect(JSON.stringify(v)).not.toMatch(/accessKeyId|secretAccessKey/);
    expect(v.langfuse.serviceAccount).toEqual({ create: true, annotations: { "eks.amazonaws.com/role-arn": LANGFUSE_INPUTS.roleArn } });
    expect(v.s3).toMatchObject({ bucket: LANGFUSE_INPUTS.bucketName, region: "us-west-2", forcePathStyle: false, eventUpload: { prefix: "events/" } });
  });

  test("headless initialisation names the organisation, project and first user; secrets by reference", () => {
    const v = buildLangfuseValues(langfuseOnly(), LANGFUSE_INPUTS) as any;
    const env = Object.fromEntries((v.langfuse.web.pod.additionalEnv as any[]).map((e) => [e.name, e.valueFrom?.secretKeyRef?.key ?? e.value]));
    expect(env).toEqual({
      LANGFUSE_INIT_ORG_ID: "platform",
      LANGFUSE_INIT_ORG_NAME: "Platform",
      LANGFUSE_INIT_PROJECT_ID: "default",
      LANGFUSE_INIT_PROJECT_NAME: "default",
      LANGFUSE_INIT_PROJECT_PUBLIC_KEY: "init-public-key",
      LANGFUSE_INIT_PROJECT_SECRET_KEY: "init-secret-key",
      LANGFUSE_INIT_USER_EMAIL: "langfuse-admins+lf@example.com",
      LANGFUSE_INIT_USER_NAME: "langfuse-admins+lf",
      LANGFUSE_INIT_USER_PASSWORD: "init-user-password",
    });
    expect(initId("ACME Corp. / R&D")).toBe("acme-corp-r-d");
  });

  test.each([
    ["token", undefined],
    ["oidc", { name: "SSO", clientId: "platform", clientSecret: { secretKeyRef: { name: "langfuse-config", key: "sso-client-secret" } }, issuer: "https://sso.example.com", scope: "openid email profile", allowAccountLinking: "true" }],
  ])("auth %s: SSO through the chart's custom OIDC provider only with OIDC", (model, custom) => {
    const env = withLangfuse("dev", (i) => (i.auth = model === "token" ? { model: "token" } : { model: "oidc", clientId: "platform", issuerUrl: "https://sso.example.com" }));
    expect((buildLangfuseValues(env, LANGFUSE_INPUTS) as any).langfuse.auth?.providers.custom).toEqual(custom);
  });

  test.each([
    ["development", { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } }, 1, false],
    ["production", { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "4", memory: "4Gi" } }, 2, true],
  ] as const)("sizing %s sets resources, HPA floors and (production) the zone spread of web and worker", (sizing, resources, min, spread) => {
    const v = buildLangfuseValues(langfuseOnly({ sizing }), LANGFUSE_INPUTS) as any;
    for (const w of ["web", "worker"]) {
      expect(v.langfuse[w].resources).toEqual(resources);
      expect(v.langfuse[w].hpa).toMatchObject({ enabled: true, minReplicas: min });
      const zones = (v.langfuse[w].pod?.topologySpreadConstraints ?? []).filter((t: any) => t.topologyKey === "topology.kubernetes.io/zone");
      expect(zones.map((t: any) => t.labelSelector.matchLabels["app.kubernetes.io/component"])).toEqual(spread ? [w] : []);
    }
  });

  test("pods run as the images' numeric user: runAsNonRoot with a named USER alone would stop the containers", () => {
    const v = buildLangfuseValues(langfuseOnly(), LANGFUSE_INPUTS) as any;
    expect(v.langfuse.podSecurityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" }, runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001 });
    expect(v.langfuse.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true });
  });

  test.each([
    [{ redis: { deploy: true } }, "redis.deploy must be false: Langfuse uses the environment's managed stores (the bundled ones are single-pod and unbacked-up)"],
    [{ langfuse: { salt: { value: "pepper" } } }, "langfuse.salt.value must not be set: secrets reach Langfuse from Secrets Manager through ESO, never through Helm values (plain text in state)"],
    [{ langfuse: { web: { keda: { enabled: true } } } }, "langfuse.web: keda cannot be enabled with hpa or vpa (chart validations.yaml)"],
    [{ langfuse: { worker: { pdb: { minAvailable: 1 } } } }, "langfuse.worker.pdb cannot set both minAvailable and maxUnavailable (chart validations.yaml)"],
    [{ redis: { host: "redis.example.com" } }, "redis.host must stay empty: REDIS_CONNECTION_STRING comes from langfuse.additionalEnv (chart validations.yaml allows only one)"],
  ])("an override breaking a rule is refused: %j", (valuesOverrides, message) => {
    expect(() => buildLangfuseValues(langfuseOnly({ valuesOverrides }), LANGFUSE_INPUTS)).toThrow(message);
  });

  test("the rules pass the built values", () => {
    expect(langfuseChartRuleViolations(buildLangfuseValues(langfuseOnly(), LANGFUSE_INPUTS))).toEqual([]);
  });

  test("an environment without Langfuse has no Langfuse values", () => {
    expect(() => buildLangfuseValues(withLangfuse("dev", (i) => ((i.applications = ["langsmith"]), delete i.langfuse)), LANGFUSE_INPUTS)).toThrow(
      "Langfuse values: environment dev does not run Langfuse (applications: langsmith)",
    );
  });
});

/** Golden files for review: dev beside LangSmith, and the Langfuse-only fork. */
describe.each([
  ["dev", () => withLangfuse("dev")],
  ["lf", () => langfuseOnly()],
] as const)("golden langfuse-values-%s.yaml", (name, env) => {
  const file = join(ROOT, "__tests__", "golden", `langfuse-values-${name}.yaml`);
  test("matches the rendered values", () => {
    const header = [
      `# Langfuse Helm values of ${name === "dev" ? "dev with applications [langsmith, langfuse]" : "a Langfuse-only fork of dev"} (chart ${CHARTS.langfuse.chart} ${CHARTS.langfuse.version}), as lib/langfuse-values renders them.`,
      "# Infrastructure outputs (IRSA role, bucket) are <placeholders>; at synth they are Terraform references.",
      "# Generated: refresh with UPDATE_GOLDEN=1 npx jest __tests__/lib/langfuse-values, and review the diff.",
    ];
    const rendered = `${header.join("\n")}\n${stringify(buildLangfuseValues(env(), LANGFUSE_INPUTS), { lineWidth: 0 })}`;
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, rendered);
    expect(existsSync(file) ? readFileSync(file, "utf8") : "(missing: run UPDATE_GOLDEN=1 npx jest __tests__/lib/langfuse-values)").toBe(rendered);
  });
});
