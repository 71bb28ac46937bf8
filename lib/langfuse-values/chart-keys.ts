/**
 * Key paths of the Langfuse chart's values.yaml (same extraction rule as LangSmith's,
 * lib/langsmith-values/chart-keys.ts), plus the keys its templates read that values.yaml only
 * shows in a comment.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { ChartKeys, extractBooleanPaths, extractKeyPaths } from "../langsmith-values/chart-keys";

/**
 * Read by the templates but absent from values.yaml (commented example there):
 * `langfuse.auth.disableUsernamePassword` and `langfuse.auth.providers.<provider>.<option>`,
 * rendered as AUTH_<PROVIDER>_<OPTION> by `_helpers.tpl` langfuse.nextauthEnv (`hasKey` checks).
 */
export const TEMPLATE_ONLY_KEYS = ["langfuse.auth.*"] as const;

/** The fixture for the chart directory holding values.yaml and Chart.yaml. */
export function langfuseChartKeys(chartDir: string): ChartKeys {
  const chartYaml = join(chartDir, "Chart.yaml");
  if (!existsSync(chartYaml)) throw new Error(`${chartYaml} not found: the chart's Chart.yaml must sit next to its values.yaml`);
  const meta = parse(readFileSync(chartYaml, "utf8")) as { name?: string; version?: string };
  if (!meta.name || !meta.version) throw new Error(`${chartYaml} has no name or version`);
  const doc = parse(readFileSync(join(chartDir, "values.yaml"), "utf8"));
  const paths = extractKeyPaths(doc);
  return { chart: meta.name, version: String(meta.version), paths: [...new Set([...paths, ...TEMPLATE_ONLY_KEYS])].sort(), booleans: extractBooleanPaths(doc) };
}

/** `values.yaml`'s directory of a chart directory path (for messages). */
export const chartDirOf = (valuesPath: string) => dirname(valuesPath);
