/**
 * `node dist/scripts/verify-chart-digest.js --all`: for every chart the stacks install (CHARTS),
 * fetches its repository's index.yaml and the pinned archive and checks both against the digest
 * recorded in versions.ts CHART_DIGESTS. A chart recorded as `digest: null` is reported as
 * UNVERIFIED with its reason and the digest the repository publishes (never as passing); a
 * mismatch, or a repository that no longer lists the version, fails. pr.yml runs it on every pull
 * request.
 *
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
import { CHART_DIGESTS, ChartDigest, ChartPin, CHARTS, LANGSMITH_CHART_DIGEST } from "../versions";

/** `sha256:<hex>` of a file. */
export function fileDigest(path: string): string {
  return `sha256:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
}

/** The digest a Helm repository index records for chart `name` at `version`. */
export function indexDigest(indexYaml: string, name: string, version: string): string | undefined {
  return indexEntry(indexYaml, name, version)?.digest;
}

/** The entry of chart `name` at `version` in a repository index: its digest (`sha256:` form) and archive URL. */
export function indexEntry(indexYaml: string, name: string, version: string): { digest?: string; url?: string } | undefined {
  const index = parse(indexYaml) as { entries?: Record<string, { version: string; digest?: string; urls?: string[] }[]> };
  const entry = index.entries?.[name]?.find((e) => e.version === version);
  if (!entry) return undefined;
  return {
    digest: entry.digest ? (entry.digest.startsWith("sha256:") ? entry.digest : `sha256:${entry.digest}`) : undefined,
    url: entry.urls?.[0],
  };
}

/** How one chart fared: `verified` (archive and index match the record), `unverified` (no digest recorded) or `failed`. */
export interface ChartCheck {
  readonly chart: string;
  readonly status: "verified" | "unverified" | "failed";
  readonly line: string;
}

/** Fetches a URL: text for index.yaml, bytes for an archive. Injected so tests run offline. */
export interface Fetcher {
  text(url: string): Promise<string>;
  bytes(url: string): Promise<Buffer>;
}

export const httpFetcher: Fetcher = {
  async text(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
    return r.text();
  },
  async bytes(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
    return Buffer.from(await r.arrayBuffer());
  },
};

const sha256 = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** Checks one chart pin against its repository and the recorded digest. */
export async function checkChart(pin: ChartPin, record: ChartDigest, fetcher: Fetcher): Promise<ChartCheck> {
  const id = `${pin.chart} ${pin.version}`;
  const repo = pin.repository.replace(/\/+$/, "");
  const fail = (why: string): ChartCheck => ({ chart: pin.chart, status: "failed", line: `FAILED ${id}: ${why}` });
  let entry: ReturnType<typeof indexEntry>;
  try {
    entry = indexEntry(await fetcher.text(`${repo}/index.yaml`), pin.chart, pin.version);
  } catch (e) {
    return fail(`cannot read ${repo}/index.yaml (${(e as Error).message})`);
  }
  if (!entry) return fail(`${repo}/index.yaml no longer lists this version`);
  if (record.digest === null) {
    return {
      chart: pin.chart,
      status: "unverified",
      line: `UNVERIFIED ${id}: versions.ts CHART_DIGESTS records no digest (${record.reason}); the repository publishes ${entry.digest ?? "no digest"}: record it after checking the archive`,
    };
  }
  if (entry.digest !== record.digest) return fail(`the repository index publishes ${entry.digest ?? "no digest"}, versions.ts records ${record.digest}`);
  if (!entry.url) return fail("the repository index gives no archive URL");
  const url = new URL(entry.url, `${repo}/`).toString();
  let actual: string;
  try {
    actual = sha256(await fetcher.bytes(url));
  } catch (e) {
    return fail(`cannot download ${url} (${(e as Error).message})`);
  }
  if (actual !== record.digest) return fail(`${url} has digest ${actual}, versions.ts records ${record.digest}`);
  return { chart: pin.chart, status: "verified", line: `verified ${id}: ${record.digest} (index and archive)` };
}

/** Every chart of CHARTS, in order. */
export async function checkAllCharts(fetcher: Fetcher = httpFetcher): Promise<ChartCheck[]> {
  return Promise.all((Object.keys(CHARTS) as (keyof typeof CHARTS)[]).map((k) => checkChart(CHARTS[k], CHART_DIGESTS[k], fetcher)));
}

/** The report of `--all` and its exit code: 1 on any failure; unverified charts are listed and counted, not passed. */
export function allChartsReport(checks: readonly ChartCheck[]): { lines: string[]; exitCode: number } {
  const count = (s: ChartCheck["status"]) => checks.filter((c) => c.status === s).length;
  const lines = checks.map((c) => c.line);
  lines.push(`${count("verified")} verified, ${count("unverified")} UNVERIFIED (no digest recorded), ${count("failed")} failed, of ${checks.length} charts`);
  return { lines, exitCode: count("failed") > 0 ? 1 : 0 };
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

const USAGE = "usage: verify-chart-digest --all | <chart.tgz> [index.yaml]";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return;
  }
  if (args[0] === "--all") {
    const report = allChartsReport(await checkAllCharts());
    for (const line of report.lines) {
      // GitHub Actions shows an annotation for each chart that is not verified.
      const annotate = process.env.GITHUB_ACTIONS === "true" && /^(UNVERIFIED|FAILED) /.test(line) ? (line.startsWith("FAILED") ? "::error::" : "::warning::") : "";
      (line.startsWith("FAILED") ? console.error : console.log)(annotate + line);
    }
    process.exitCode = report.exitCode;
    return;
  }
  const [archive, index] = args;
  if (!archive) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const problems = digestProblems(archive, index === undefined ? undefined : readFileSync(index, "utf8"));
  for (const p of problems) console.error(p);
  if (problems.length === 0) console.log(`${archive}: ${LANGSMITH_CHART_DIGEST} (as pinned)`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}

if (require.main === module) void main();
