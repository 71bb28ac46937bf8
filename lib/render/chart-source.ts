/**
 * Where a chart's sources come from for the render tier, offline first:
 *
 *   1. the mirror `../shared/reference/charts/<chart>-<version>` beside the clone (LS_CHART_MIRROR
 *      overrides the directory), when its Chart.yaml has that name and version;
 *   2. else `node_modules/.cache/charts/<chart>-<version>`, filled by `helm pull` of the pinned
 *      version from its repository, after the archive's sha256 matched the pinned digest;
 *   3. else nothing, with the reason (no network, no digest pinned, digest mismatch).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { HelmBinary } from "./helm";
import { cacheDir, chartMirrorDir } from "./paths";
import { extractTarGz } from "./tar";

export interface ChartRef {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  /** `sha256:<hex>` the repository's index.yaml publishes for the archive; required to pull. */
  readonly digest?: string;
}

export interface ChartSource {
  readonly dir: string;
  readonly source: "mirror" | "pulled";
}

/** name and version of a chart directory's Chart.yaml, or undefined when there is none. */
export function chartMeta(dir: string): { name: string; version: string } | undefined {
  const file = join(dir, "Chart.yaml");
  if (!existsSync(file)) return undefined;
  const meta = parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
  return meta.name && meta.version ? { name: meta.name, version: String(meta.version) } : undefined;
}

const matches = (dir: string, ref: ChartRef) => {
  const meta = chartMeta(dir);
  return meta?.name === ref.chart && meta.version === ref.version;
};

/** The mirror's copy of the chart, when present. */
export function mirroredChart(ref: ChartRef): string | undefined {
  const dir = join(chartMirrorDir(), `${ref.chart}-${ref.version}`);
  return matches(dir, ref) ? dir : undefined;
}

/**
 * `helm pull` of the pinned version into the cache, refusing an archive whose digest differs.
 * Returns the chart directory or the reason it could not.
 */
export function pulledChart(ref: ChartRef, helm: HelmBinary): { dir: string } | { missing: string } {
  const target = join(cacheDir("charts"), `${ref.chart}-${ref.version}`);
  if (matches(target, ref)) return { dir: target };
  if (!ref.digest) return { missing: `no digest is pinned for ${ref.chart} ${ref.version}, so it is not pulled` };
  mkdirSync(cacheDir("charts"), { recursive: true });
  const work = mkdtempSync(join(cacheDir("charts"), ".pull-"));
  try {
    const r = spawnSync(helm.path, ["pull", ref.chart, "--repo", ref.repository, "--version", ref.version, "-d", work], { encoding: "utf8", timeout: 60_000 });
    const archive = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (r.status !== 0 || !archive) return { missing: `helm pull ${ref.chart} --repo ${ref.repository} --version ${ref.version} failed: ${(r.stderr || r.error?.message || "").trim()}` };
    const bytes = readFileSync(join(work, archive));
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (digest !== ref.digest) throw new Error(`${ref.chart}-${ref.version}.tgz from ${ref.repository} has digest ${digest}, versions.ts pins ${ref.digest}: the published archive changed; do not render it`);
    const unpacked = join(work, "unpacked");
    extractTarGz(bytes, unpacked);
    rmSync(target, { recursive: true, force: true });
    renameSync(join(unpacked, ref.chart), target);
    return { dir: target };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The mirror, else a verified pull; the reason when neither is available. */
export function locateChart(ref: ChartRef, helm: HelmBinary): ChartSource | { missing: string } {
  const mirror = mirroredChart(ref);
  if (mirror) return { dir: mirror, source: "mirror" };
  const pulled = pulledChart(ref, helm);
  return "dir" in pulled ? { dir: pulled.dir, source: "pulled" } : { missing: `${join(chartMirrorDir(), `${ref.chart}-${ref.version}`)} is absent and ${pulled.missing}` };
}

/**
 * Every version of `chart` in the mirror (`<chart>-<version>` directories whose Chart.yaml agrees),
 * e.g. the pinned one and the next candidate; empty without a mirror. For tests that render the
 * candidate the README's "Upgrading the chart" bumps to, without naming its version in code.
 */
export function mirroredVersions(chart: string): { version: string; dir: string }[] {
  const root = chartMirrorDir();
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => d.startsWith(`${chart}-`))
    .map((d) => ({ dir: join(root, d), meta: chartMeta(join(root, d)) }))
    .filter((x) => x.meta?.name === chart && x.dir.endsWith(`${chart}-${x.meta.version}`))
    .map((x) => ({ version: x.meta!.version, dir: x.dir }))
    .sort((a, b) => a.version.localeCompare(b.version, "en", { numeric: true }));
}
