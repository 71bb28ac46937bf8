/**
 * The render tier's shared fixture: every environment of environments/index.ts, its synthesized
 * stack (from jest's global setup), and every helm_release in it rendered with real `helm template`
 * (Terraform references replaced by stand-ins). Rendered once per test run: the first worker that
 * needs an environment writes it to the run's cache directory, the others read it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { type EnvironmentConfig, runs } from "../../lib/config/schema";
import { LANGSMITH_CHART, locateChart, Manifest, mirroredVersions, renderChart, RenderTier, replaceTokens, requireRenderTier, stackLookup } from "../../lib/render";
import { CHARTS, LANGFUSE_CHART_DIGEST } from "../../versions";
import { chartDirectory as k8sManifestsChartDir } from "../../modules/k8s-manifests";
import { Json, shippedStack, stackName } from "../synth-cache";

export interface RenderedRelease {
  /** helm_release resource name in the stack. */
  readonly resource: string;
  readonly chart: string;
  readonly name: string;
  readonly namespace: string;
  /** The release's values with stand-ins for Terraform references (what the render used). */
  readonly values: Json;
  /** The rendered manifests; absent when no offline source exists for the chart (`skipped` says why). */
  readonly manifests?: Manifest[];
  readonly skipped?: string;
}

export interface RenderedEnvironment {
  readonly name: string;
  readonly file: string;
  readonly config: EnvironmentConfig;
  readonly stack: Json;
  readonly releases: readonly RenderedRelease[];
  /** The LangSmith release. */
  readonly langsmith: RenderedRelease & { readonly manifests: Manifest[] };
  /** Milliseconds the renders of this environment took (0 when read from the run's cache). */
  readonly renderMs: number;
}

/** Every environment the app synthesizes, from environments/index.ts (never a hard-coded list). */
const LOADED = loadEnvironments(ENVIRONMENTS);
export const ENVIRONMENT_CONFIGS: readonly EnvironmentConfig[] = LOADED.map((e) => e.config);
/**
 * The environments that run LangSmith (a Langfuse-only fork has no LangSmith release to render:
 * its Langfuse release is __tests__/render/langfuse.test.ts's). Possibly empty in a fork's fleet:
 * `describeEach` then says so in one skipped test.
 */
export const LANGSMITH_ENVIRONMENT_NAMES: readonly string[] = ENVIRONMENT_CONFIGS.filter((c) => runs(c, "langsmith")).map((c) => c.name);

/** `describe` for a test that needs one LangSmith environment as its sample; skipped, saying why, in a fleet without one. */
export const describeWithLangsmithSample = (title: string, fn: (sample: string) => void): void =>
  LANGSMITH_ENVIRONMENT_NAMES.length > 0 ? describeRendered(title, () => fn(LANGSMITH_ENVIRONMENT_NAMES[0])) : test.skip(`${title}: no environment of this fleet runs LangSmith`, () => undefined);

/** The tier (helm + chart), undefined when it cannot run here (loud warning; CI=true throws). */
export const TIER: RenderTier | undefined = requireRenderTier();

/** Every LangSmith chart newer than the pinned one in the chart mirror (the next bump), oldest first. */
export const NEXT_CHARTS: readonly { version: string; dir: string }[] = mirroredVersions(LANGSMITH_CHART.chart).filter(
  (c) => c.version.localeCompare(LANGSMITH_CHART.version, "en", { numeric: true }) > 0,
);
if (TIER && NEXT_CHARTS.length === 0) console.warn(`\n${"!".repeat(80)}\nNEXT-CHART RENDERS SKIPPED: no ${LANGSMITH_CHART.chart} newer than ${LANGSMITH_CHART.version} in the chart mirror\n${"!".repeat(80)}\n`);

/** The pinned chart, then NEXT_CHARTS (empty without the tier). */
export const LANGSMITH_CHARTS: readonly { version: string; dir: string }[] = TIER ? [{ version: LANGSMITH_CHART.version, dir: TIER.langsmith.dir }, ...NEXT_CHARTS] : [];

/** `describe` when the tier can run, `describe.skip` otherwise. */
export const describeRendered: jest.Describe = TIER ? describe : describe.skip;

const K8S_MANIFESTS_ASSET = /^assets\/k8s-manifests-chart\//;

/** The pinned Langfuse chart's directory (the mirror, or a verified pull), looked up once per worker; or why there is none. */
let langfuseSource: { dir: string } | { missing: string } | undefined;
export function langfuseChartDir(tier: RenderTier): { dir: string } | { missing: string } {
  langfuseSource ??= locateChart({ ...CHARTS.langfuse, digest: LANGFUSE_CHART_DIGEST }, tier.helm);
  return langfuseSource;
}

/** Renders one helm_release of a synthesized stack, or says why it cannot offline. */
export function renderRelease(tier: RenderTier, resource: string, body: Json, region: string, stack: Json): RenderedRelease {
  const lookup = stackLookup(stack);
  const values = replaceTokens((body.values ?? []).reduce((acc: Json, v: string) => ({ ...acc, ...(JSON.parse(v) as Json) }), {}), region, lookup) as Json;
  const namespace = replaceTokens(String(body.namespace ?? "default"), region, lookup);
  const base = { resource, chart: String(body.chart), name: String(body.name), namespace, values };
  const opts = { releaseName: base.name, namespace: base.namespace };
  if (K8S_MANIFESTS_ASSET.test(base.chart)) return { ...base, manifests: renderChart(tier.helm, k8sManifestsChartDir(), values, opts) };
  if (base.chart === LANGSMITH_CHART.chart && body.version === LANGSMITH_CHART.version && body.repository === LANGSMITH_CHART.repository) {
    return { ...base, manifests: renderChart(tier.helm, tier.langsmith.dir, values, opts) };
  }
  // Langfuse's sub-charts stay disabled: rendered from a copy without its dependencies (lib/render).
  if (base.chart === CHARTS.langfuse.chart && body.version === CHARTS.langfuse.version) {
    const source = langfuseChartDir(tier);
    if ("dir" in source) return { ...base, manifests: renderChart(tier.helm, source.dir, values, { ...opts, dropDependencies: true }) };
    return { ...base, skipped: source.missing };
  }
  return { ...base, skipped: `${base.chart} ${body.version} from ${body.repository}: no chart mirror and no pinned digest, so it is not rendered offline` };
}

function renderEnvironment(tier: RenderTier, config: EnvironmentConfig, stack: Json = shippedStack(stackName(config)), label?: string): RenderedEnvironment {
  const file = label ?? LOADED.find((e) => e.config === config)?.file ?? `environments/${config.name}.ts`;
  const releasesJson = (stack.resource?.helm_release ?? {}) as Json;
  const key = createHash("sha256").update(JSON.stringify([releasesJson, tier.helm.version, tier.langsmith.dir])).digest("hex").slice(0, 16);
  const cacheDir = process.env.LS_SYNTH_CACHE;
  const cacheFile = cacheDir && join(cacheDir, `render-${config.name}${label ? `-${createHash("sha256").update(label).digest("hex").slice(0, 8)}` : ""}-${key}.json`);
  let releases: RenderedRelease[];
  let renderMs = 0;
  if (cacheFile && existsSync(cacheFile)) {
    releases = JSON.parse(readFileSync(cacheFile, "utf8")) as RenderedRelease[];
  } else {
    const start = Date.now();
    releases = Object.entries(releasesJson).map(([resource, body]) => renderRelease(tier, resource, body as Json, config.aws.region, stack));
    renderMs = Date.now() - start;
    if (cacheFile) {
      writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(releases));
      renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    }
  }
  const langsmith = releases.find((r) => r.chart === LANGSMITH_CHART.chart);
  if (runs(config, "langsmith") && !langsmith?.manifests) throw new Error(`${stackName(config)}: no rendered LangSmith release (${langsmith?.skipped ?? "no helm_release of chart langsmith"})`);
  return { name: config.name, file, config, stack, releases, langsmith: langsmith as RenderedEnvironment["langsmith"], renderMs };
}

const memo = new Map<string, RenderedEnvironment>();

/** One environment rendered (memoized per worker, cached per run). Requires the tier. */
export function rendered(name: string): RenderedEnvironment {
  const hit = memo.get(name);
  if (hit) return hit;
  if (!TIER) throw new Error("the render tier is not available (see the warning above)");
  const config = ENVIRONMENT_CONFIGS.find((c) => c.name === name);
  if (!config) throw new Error(`no environment ${name} in environments/index.ts`);
  const env = renderEnvironment(TIER, config);
  memo.set(name, env);
  return env;
}

/**
 * A configuration that is not in environments/ (a fork: another auth model, features, ClickHouse
 * mode), synthesized (helpers' synth cache) and rendered like the shipped ones. Requires the tier.
 */
export function renderedFork(label: string, config: EnvironmentConfig, synth: (c: EnvironmentConfig) => Json): RenderedEnvironment {
  const key = `fork:${label}`;
  const hit = memo.get(key);
  if (hit) return hit;
  if (!TIER) throw new Error("the render tier is not available (see the warning above)");
  const env = renderEnvironment(TIER, config, synth(config), label);
  memo.set(key, env);
  return env;
}

/** Manifests of a kind. */
export const ofKind = (manifests: readonly Manifest[], kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);

/**
 * Every release of one environment rendered, LangSmith or not (a Langfuse-only one has no
 * `langsmith`; its Langfuse and manifests releases are here). Requires the tier.
 */
export function renderedReleases(name: string): readonly RenderedRelease[] {
  if (!TIER) throw new Error("the render tier is not available (see the warning above)");
  const config = ENVIRONMENT_CONFIGS.find((c) => c.name === name);
  if (!config) throw new Error(`no environment ${name} in environments/index.ts`);
  return runs(config, "langsmith") ? rendered(name).releases : renderEnvironment(TIER, config).releases;
}
