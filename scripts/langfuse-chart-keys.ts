/**
 * `node dist/scripts/langfuse-chart-keys.js [chart dir]`: writes the key paths of the Langfuse
 * chart's values.yaml (plus TEMPLATE_ONLY_KEYS) to `__tests__/fixtures/langfuse-chart-keys.json`.
 *
 * Default input: `../shared/reference/charts/langfuse-<version>` (outside the repository).
 * On a chart bump: `helm pull oci://ghcr.io/langfuse/langfuse-k8s/charts/langfuse --version <new> --untar`,
 * run this on it, review the fixture's diff, then the golden values' diff.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { langfuseChartKeys } from "../lib/langfuse-values/chart-keys";
import { CHARTS } from "../versions";

export const LANGFUSE_FIXTURE = join("__tests__", "fixtures", "langfuse-chart-keys.json");
export const LANGFUSE_CHART_DIR = join("..", "shared", "reference", "charts", `langfuse-${CHARTS.langfuse.version}`);

function main(): void {
  const keys = langfuseChartKeys(resolve(process.argv[2] ?? LANGFUSE_CHART_DIR));
  mkdirSync(dirname(LANGFUSE_FIXTURE), { recursive: true });
  writeFileSync(LANGFUSE_FIXTURE, JSON.stringify(keys, null, 1) + "\n");
  console.log(`${resolve(LANGFUSE_FIXTURE)}: ${keys.chart} ${keys.version}, ${keys.paths.length} key paths`);
}

if (require.main === module) main();
