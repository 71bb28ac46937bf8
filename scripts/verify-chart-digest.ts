/**
 * `node dist/scripts/verify-chart-digest.js <langsmith-<version>.tgz> [index.yaml]`: checks that the
 * chart archive is the one pinned in versions.ts (LANGSMITH_CHART_DIGEST), and, given the
 * repository's index.yaml, that the repository still publishes that digest for the version.
 *
 * The helm provider cannot pin a digest (its `verify` needs a provenance file), so run this in CI
 * and before every chart bump:
 *
 *   helm pull langsmith --repo https://langchain-ai.github.io/helm --version <version>
 *   curl -sO https://langchain-ai.github.io/helm/index.yaml
 *   node dist/scripts/verify-chart-digest.js langsmith-<version>.tgz index.yaml
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CHARTS, LANGSMITH_CHART_DIGEST } from "../versions";

/** `sha256:<hex>` of a file. */
export function fileDigest(path: string): string {
  return `sha256:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
}

/** The digest a Helm repository index records for chart `name` at `version`. */
export function indexDigest(indexYaml: string, name: string, version: string): string | undefined {
  const index = parse(indexYaml) as { entries?: Record<string, { version: string; digest?: string }[]> };
  const entry = index.entries?.[name]?.find((e) => e.version === version);
  return entry?.digest ? (entry.digest.startsWith("sha256:") ? entry.digest : `sha256:${entry.digest}`) : undefined;
}

/** Problems, empty when everything matches the pin. */
export function digestProblems(archive: string, indexYaml?: string): string[] {
  const problems: string[] = [];
  const actual = fileDigest(archive);
  if (actual !== LANGSMITH_CHART_DIGEST) problems.push(`${archive} has digest ${actual}, versions.ts pins ${LANGSMITH_CHART_DIGEST}`);
  if (indexYaml !== undefined) {
    const published = indexDigest(indexYaml, CHARTS.langsmith.chart, CHARTS.langsmith.version);
    if (published !== LANGSMITH_CHART_DIGEST) {
      problems.push(`the repository index publishes ${published ?? "no entry"} for ${CHARTS.langsmith.chart} ${CHARTS.langsmith.version}, versions.ts pins ${LANGSMITH_CHART_DIGEST}`);
    }
  }
  return problems;
}

function main(): void {
  const [archive, index] = process.argv.slice(2);
  if (!archive) {
    console.error("usage: verify-chart-digest <chart.tgz> [index.yaml]");
    process.exitCode = 2;
    return;
  }
  const problems = digestProblems(archive, index === undefined ? undefined : readFileSync(index, "utf8"));
  for (const p of problems) console.error(p);
  if (problems.length === 0) console.log(`${archive}: ${LANGSMITH_CHART_DIGEST} (as pinned)`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}

if (require.main === module) main();
