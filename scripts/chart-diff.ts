/**
 * `npm run chart:diff -- <version | chart directory>`: what bumping the LangSmith chart from the
 * pinned version (versions.ts) to a candidate changes for every environment of environments/:
 * value keys we set that are gone or retyped, new validate.yaml rules and required values, service
 * accounts, secret keys and Services, and the rendered manifests (real `helm template`, offline).
 *
 *   npm run chart:diff -- ../shared/reference/charts/langsmith-0.17.0-rc.12   # a directory
 *   npm run chart:diff -- 0.17.0                                              # helm pull from the chart repository
 *
 * Exits 1 when a value we set is gone or changed type, or the candidate does not render with an
 * environment's values (a new rule fails); 2 on a usage or setup error. The README's "Upgrading
 * the chart" section walks a bump with it.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { ENVIRONMENTS } from "../environments";
import { loadEnvironments } from "../lib/config/load";
import { EnvironmentConfig, runs } from "../lib/config/schema";
import { buildLangsmithValues, LangsmithValuesInputs, RELEASE } from "../lib/langsmith-values";
import { chartDiff, ChartDiffReport, formatChartDiff } from "../lib/render/chart-diff";
import { chartMeta, extractTarGz, HelmBinary, LANGSMITH_CHART, locateChart, locateHelm, renderChart, standIn } from "../lib/render";

/** Well-formed stand-ins for the infrastructure outputs the values are built from. */
export function standInInputs(env: EnvironmentConfig): LangsmithValuesInputs {
  const r = env.aws.region;
  return {
    appRoleArn: standIn("aws_iam_role.langsmith-app.arn", r),
    blobStorage: env.blobStorage.enabled ? { bucketName: standIn("aws_s3_bucket.blob.bucket", r), kmsKeyArn: standIn("aws_kms_key.blob.arn", r) } : undefined,
  };
}

/** The LangSmith values of every environment that runs LangSmith, as the stacks build them. */
export function environmentValues(): { name: string; values: Record<string, unknown> }[] {
  return loadEnvironments(ENVIRONMENTS)
    .map((e) => e.config)
    .filter((c) => runs(c, "langsmith"))
    .map((c) => ({ name: c.name, values: buildLangsmithValues(c, standInInputs(c)) as Record<string, unknown> }));
}

/** A candidate directory, or the version pulled from the chart repository into a temporary directory. */
function candidateDir(arg: string, helm: HelmBinary, work: string): string {
  const dir = resolve(arg);
  if (existsSync(join(dir, "Chart.yaml"))) return dir;
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/.test(arg)) throw new Error(`${arg} is neither a chart directory (no Chart.yaml at ${dir}) nor a chart version such as 0.17.0`);
  const r = spawnSync(helm.path, ["pull", LANGSMITH_CHART.chart, "--repo", LANGSMITH_CHART.repository, "--version", arg, "-d", work], { encoding: "utf8", timeout: 120_000 });
  const archive = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (r.status !== 0 || !archive) throw new Error(`helm pull ${LANGSMITH_CHART.chart} --repo ${LANGSMITH_CHART.repository} --version ${arg} failed: ${(r.stderr || "").trim()}`);
  const bytes = readFileSync(join(work, archive));
  console.log(`pulled ${archive}: sha256:${createHash("sha256").update(bytes).digest("hex")} (pin this as LANGSMITH_CHART_DIGEST when you bump; compare with the repository's index.yaml)`);
  extractTarGz(bytes, join(work, "unpacked"));
  return join(work, "unpacked", LANGSMITH_CHART.chart);
}

/** Runs the diff; the report, or throws with a message for setup errors. */
export function runChartDiff(candidate: string): ChartDiffReport {
  const helm = locateHelm();
  if ("missing" in helm) throw new Error(helm.missing);
  const pinned = locateChart(LANGSMITH_CHART, helm);
  if ("missing" in pinned) throw new Error(`pinned chart: ${pinned.missing}`);
  const work = mkdtempSync(join(tmpdir(), "ls-chart-diff-"));
  try {
    const dir = candidateDir(candidate, helm, work);
    if (chartMeta(dir)?.name !== LANGSMITH_CHART.chart) throw new Error(`${dir} is not a ${LANGSMITH_CHART.chart} chart`);
    return chartDiff({
      pinnedDir: pinned.dir,
      candidateDir: dir,
      environments: environmentValues(),
      render: (chartDir, values) => renderChart(helm, chartDir, values, { releaseName: RELEASE.name, namespace: RELEASE.namespace }),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0] === "--help" || args[0] === "-h") {
    console.error("usage: npm run chart:diff -- <version | chart directory>\n  e.g. npm run chart:diff -- ../shared/reference/charts/langsmith-0.17.0-rc.12");
    process.exitCode = args[0] === "--help" || args[0] === "-h" ? 0 : 2;
    return;
  }
  try {
    const report = runChartDiff(args[0]);
    console.log(formatChartDiff(report));
    process.exitCode = report.failed ? 1 : 0;
  } catch (e) {
    console.error(`chart:diff: ${(e as Error).message}`);
    process.exitCode = 2;
  }
}

if (require.main === module) main();
