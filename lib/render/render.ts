/**
 * `helm template` of a chart directory with a values object, parsed: the manifests as the cluster
 * would receive them (hooks included), offline. Used for LangSmith, the local charts/k8s-manifests
 * chart and Langfuse (whose sub-chart dependencies are dropped from a temporary copy).
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { KUBERNETES_VERSION } from "../../versions";
import { HelmBinary } from "./helm";
import { defaultRenderCache, RenderCache, RenderOutcome } from "./render-cache";

/** One rendered Kubernetes object. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string>; readonly labels?: Record<string, string> };
  readonly [key: string]: any;
  /** The template it came from (helm's `# Source:` line), e.g. `langsmith/templates/backend/deployment.yaml`. */
  readonly source?: string;
}

export interface RenderOptions {
  readonly releaseName: string;
  readonly namespace: string;
  /**
   * Remove `dependencies` from a temporary copy of Chart.yaml (deleted afterwards): for charts whose
   * sub-charts stay disabled and are not vendored (Langfuse 2.0.0), which `helm template` refuses otherwise.
   * @default false
   */
  readonly dropDependencies?: boolean;
  /** @default KUBERNETES_VERSION (versions.ts), so `.Capabilities` gates render as on the cluster */
  readonly kubeVersion?: string;
  /** Extra `--api-versions` (CRDs the chart checks for). */
  readonly apiVersions?: readonly string[];
  /**
   * Where results are kept by the hash of every input (render-cache.ts says why that is sound);
   * `false` always runs helm (templates with random functions, when two renders must differ).
   * @default the repository's cache in node_modules/.cache/helm-renders, off with LS_RENDER_CACHE=0
   */
  readonly cache?: RenderCache | false;
}

export class RenderError extends Error {
  constructor(
    readonly chartDir: string,
    readonly stderr: string,
  ) {
    super(`helm template ${chartDir} failed:\n${stderr.trim()}`);
    this.name = "RenderError";
  }
}

/** Parses `helm template` output into manifests, keeping each one's `# Source:` template. */
export function parseManifests(text: string): Manifest[] {
  const out: Manifest[] = [];
  for (const part of text.split(/^---\s*$/m)) {
    const source = /^# Source: (.+)$/m.exec(part)?.[1];
    const body = parse(part) as Manifest | null;
    if (!body || typeof body !== "object" || !body.kind) continue;
    out.push(source ? { ...body, source } : body);
  }
  return out;
}

/** The temporary chart copy (dropDependencies) and values file of one render, and helm's arguments. */
function prepare(work: string, chartDir: string, values: unknown, options: RenderOptions): string[] {
  let chart = chartDir;
  if (options.dropDependencies) {
    chart = join(work, "chart");
    cpSync(chartDir, chart, { recursive: true });
    const meta = parse(readFileSync(join(chart, "Chart.yaml"), "utf8")) as Record<string, unknown>;
    delete meta.dependencies;
    writeFileSync(join(chart, "Chart.yaml"), stringify(meta));
    rmSync(join(chart, "Chart.lock"), { force: true });
  }
  const valuesFile = join(work, "values.json");
  writeFileSync(valuesFile, JSON.stringify(values));
  const args = ["template", options.releaseName, chart, "--namespace", options.namespace, "--values", valuesFile, "--kube-version", options.kubeVersion ?? KUBERNETES_VERSION];
  for (const v of options.apiVersions ?? []) args.push("--api-versions", v);
  return args;
}

/** Temporary directories of renders: `ls-render-<pid>-*`, so a test can tell its own from another process's. */
export const workPrefix = (): string => join(tmpdir(), `ls-render-${process.pid}-`);

/** The cache and key of one render, or undefined when it is bypassed. */
function cached(helm: HelmBinary, chartDir: string, values: unknown, options: RenderOptions): { cache: RenderCache; key: string } | undefined {
  const cache = options.cache === undefined ? defaultRenderCache() : options.cache || undefined;
  if (!cache) return undefined;
  const flags = { releaseName: options.releaseName, namespace: options.namespace, dropDependencies: options.dropDependencies === true, kubeVersion: options.kubeVersion ?? KUBERNETES_VERSION, apiVersions: options.apiVersions ?? [] };
  return { cache, key: cache.key({ helm, chartDir, values, options: flags }) };
}

/**
 * What helm's stderr may be kept as: the chart's own failure (exit 1, helm ran to the end), and
 * only when it does not name this render's temporary files (it would not be true of the next one).
 */
function cacheableFailure(status: number | null, failedToRun: boolean, stderr: string, work: string): boolean {
  return status === 1 && !failedToRun && stderr !== "" && !stderr.includes(work);
}

/** helm's raw output for one render (from the cache when it has it). Throws RenderError on a chart failure. */
export function renderChartTextSync(helm: HelmBinary, chartDir: string, values: unknown, options: RenderOptions): string {
  return outcomeText(chartDir, renderOutcomeSync(helm, chartDir, values, options, cached(helm, chartDir, values, options)));
}

function outcomeText(chartDir: string, outcome: RenderOutcome): string {
  if ("stderr" in outcome) throw new RenderError(chartDir, outcome.stderr);
  return outcome.text;
}

function renderOutcomeSync(helm: HelmBinary, chartDir: string, values: unknown, options: RenderOptions, slot: { cache: RenderCache; key: string } | undefined): RenderOutcome {
  const hit = slot?.cache.get(slot.key);
  if (hit) return hit;
  const work = mkdtempSync(workPrefix());
  try {
    const r = spawnSync(helm.path, prepare(work, chartDir, values, options), { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    if (r.status === 0) {
      const outcome = { text: r.stdout };
      slot?.cache.put(slot.key, outcome);
      return outcome;
    }
    const stderr = r.stderr || r.error?.message || `exit ${r.status}`;
    if (slot && cacheableFailure(r.status, r.error !== undefined, r.stderr, work)) slot.cache.put(slot.key, { stderr });
    return { stderr };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Renders `chartDir` with `values` (an object; written to a temporary file that is deleted), parsed.
 * With the cache, the parsed manifests are kept beside the output, so a hit parses JSON, not YAML.
 */
export function renderChart(helm: HelmBinary, chartDir: string, values: unknown, options: RenderOptions): Manifest[] {
  const slot = cached(helm, chartDir, values, options);
  const parsed = slot?.cache.getParsed<Manifest[]>(slot.key);
  if (parsed) return parsed;
  const manifests = parseManifests(outcomeText(chartDir, renderOutcomeSync(helm, chartDir, values, options, slot)));
  slot?.cache.putParsed(slot.key, manifests);
  return manifests;
}

/** `renderChart` without blocking, so several renders can run at once; the raw helm output. */
export async function renderChartText(helm: HelmBinary, chartDir: string, values: unknown, options: RenderOptions): Promise<string> {
  const slot = cached(helm, chartDir, values, options);
  const hit = slot?.cache.get(slot.key);
  if (hit) return outcomeText(chartDir, hit);
  const work = mkdtempSync(workPrefix());
  try {
    const child = spawn(helm.path, prepare(work, chartDir, values, options), { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    const stderr = Buffer.concat(err).toString("utf8");
    if (code !== 0) {
      if (slot && cacheableFailure(code, false, stderr, work)) slot.cache.put(slot.key, { stderr });
      throw new RenderError(chartDir, stderr || `exit ${code}`);
    }
    const text = Buffer.concat(out).toString("utf8");
    slot?.cache.put(slot.key, { text });
    return text;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
