/**
 * `node dist/scripts/chart-keys.js [values.yaml]`: writes the key paths of the LangSmith chart's
 * values.yaml (no values, no comments; rule in lib/langsmith-values/chart-keys.ts) to
 * `__tests__/fixtures/langsmith-chart-keys.json`, the fixture of the key-path test.
 *
 * Default input: `../shared/reference/langsmith-chart-<version>/values.yaml` (the pinned
 * chart's values, outside the repository). Chart name and version come from the Chart.yaml next
 * to it; a test fails when they disagree with CHARTS.langsmith in versions.ts.
 *
 * On a chart bump: `helm pull langsmith --repo <repo> --version <new> --untar`, run this script on
 * its values.yaml, review the fixture's diff, then the golden values' diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { ChartKeys, extractBooleanPaths, extractKeyPaths } from "../lib/langsmith-values/chart-keys";
import { parseYamlCached } from "../lib/render/render-cache";
import { CHARTS } from "../versions";

export const FIXTURE = join("__tests__", "fixtures", "langsmith-chart-keys.json");
export const DEFAULT_VALUES = join("..", "shared", "reference", `langsmith-chart-${CHARTS.langsmith.version}`, "values.yaml");

/** The fixture for a values.yaml (and its sibling Chart.yaml). */
export function chartKeys(valuesPath: string): ChartKeys {
  const chartYaml = join(dirname(valuesPath), "Chart.yaml");
  if (!existsSync(chartYaml)) throw new Error(`${chartYaml} not found: the chart's Chart.yaml must sit next to its values.yaml`);
  const meta = parse(readFileSync(chartYaml, "utf8")) as { name?: string; version?: string };
  if (!meta.name || !meta.version) throw new Error(`${chartYaml} has no name or version`);
  const doc = parseYamlCached(readFileSync(valuesPath, "utf8"));
  return { chart: meta.name, version: String(meta.version), paths: extractKeyPaths(doc), booleans: extractBooleanPaths(doc) };
}

function main(): void {
  const input = resolve(process.argv[2] ?? DEFAULT_VALUES);
  const keys = chartKeys(input);
  mkdirSync(dirname(FIXTURE), { recursive: true });
  writeFileSync(FIXTURE, JSON.stringify(keys, null, 1) + "\n");
  console.log(`${FIXTURE}: ${keys.chart} ${keys.version}, ${keys.paths.length} key paths (${keys.paths.filter((p) => p.endsWith(".*")).length} open)`);
}

if (require.main === module) main();
