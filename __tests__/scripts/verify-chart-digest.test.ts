import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { allChartsReport, checkAllCharts, checkChart, digestProblems, Fetcher, fileDigest, indexDigest } from "../../scripts/verify-chart-digest";
import { CHART_DIGESTS, CHARTS, LANGSMITH_CHART_DIGEST } from "../../versions";

const dir = mkdtempSync(join(tmpdir(), "chart-digest-"));
const archive = join(dir, "chart.tgz");
writeFileSync(archive, "not the chart");
const actual = `sha256:${createHash("sha256").update("not the chart").digest("hex")}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const index = (digest: string) => `entries:\n  ${CHARTS.langsmith.chart}:\n    - version: ${CHARTS.langsmith.version}\n      digest: ${digest}\n`;

describe("chart digest check", () => {
  test("computes sha256 of the archive", () => expect(fileDigest(archive)).toBe(actual));

  test("reads the digest a repository index publishes (with or without the sha256: prefix)", () => {
    expect(indexDigest(index(LANGSMITH_CHART_DIGEST.replace("sha256:", "")), CHARTS.langsmith.chart, CHARTS.langsmith.version)).toBe(LANGSMITH_CHART_DIGEST);
    expect(indexDigest(index("x"), CHARTS.langsmith.chart, "0.0.0")).toBeUndefined();
  });

  test("a different archive or index entry is reported against the pin", () => {
    expect(digestProblems(archive, index(actual))).toEqual([
      `${archive} has digest ${actual}, versions.ts pins ${LANGSMITH_CHART_DIGEST}`,
      `the repository index publishes ${actual} for ${CHARTS.langsmith.chart} ${CHARTS.langsmith.version}, versions.ts pins ${LANGSMITH_CHART_DIGEST}`,
    ]);
  });

  test("the index alone can confirm the pin", () => {
    expect(digestProblems(archive, index(LANGSMITH_CHART_DIGEST))).toHaveLength(1);
  });
});

describe("--all: every chart the stacks install, against its repository", () => {
  const bytes = Buffer.from("an archive");
  const digestOf = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
  /** A repository that publishes `published` for each chart at its pinned version, archive at a relative URL. */
  const fakeRepo = (published: (chart: string) => string | undefined, archive = bytes): Fetcher & { urls: string[] } => {
    const urls: string[] = [];
    return {
      urls,
      async text(url) {
        urls.push(url);
        const pin = Object.values(CHARTS).find((c) => url === `${c.repository.replace(/\/+$/, "")}/index.yaml`);
        if (!pin) throw new Error(`unexpected ${url}`);
        const digest = published(pin.chart);
        return digest === undefined ? "entries: {}\n" : `entries:\n  ${pin.chart}:\n    - version: ${pin.version}\n      digest: ${digest}\n      urls: [${pin.chart}-${pin.version}.tgz]\n`;
      },
      async bytes(url) {
        urls.push(url);
        return archive;
      },
    };
  };

  test("every chart of CHARTS has a record: a sha256 digest, or null with a reason", () => {
    expect(Object.keys(CHART_DIGESTS).sort()).toEqual(Object.keys(CHARTS).sort());
    for (const [name, r] of Object.entries(CHART_DIGESTS)) {
      if (r.digest === null) expect([name, "reason" in r && r.reason.length > 20]).toEqual([name, true]);
      else expect([name, r.digest]).toEqual([name, expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    }
    expect(CHART_DIGESTS.langsmith.digest).toBe(LANGSMITH_CHART_DIGEST);
  });

  test("a chart without a recorded digest is reported UNVERIFIED with its reason and the published digest, never as verified", async () => {
    const pin = CHARTS.metricsServer;
    const check = await checkChart(pin, { digest: null, reason: "not recorded: offline" }, fakeRepo(() => digestOf(bytes)));
    expect(check).toEqual({
      chart: pin.chart,
      status: "unverified",
      line: `UNVERIFIED ${pin.chart} ${pin.version}: versions.ts CHART_DIGESTS records no digest (not recorded: offline); the repository publishes ${digestOf(bytes)}: record it after checking the archive`,
    });
  });

  test("a recorded digest is verified against the index and the downloaded archive (relative URL resolved against the repository)", async () => {
    const pin = CHARTS.metricsServer;
    const repo = fakeRepo(() => digestOf(bytes));
    expect(await checkChart(pin, { digest: digestOf(bytes), source: "test" }, repo)).toMatchObject({ status: "verified" });
    expect(repo.urls).toEqual([`${pin.repository.replace(/\/+$/, "")}/index.yaml`, `${pin.repository.replace(/\/+$/, "")}/${pin.chart}-${pin.version}.tgz`]);
  });

  test.each([
    ["the index publishes another digest", () => "sha256:" + "0".repeat(64), bytes, "the repository index publishes sha256:" + "0".repeat(64) + ", versions.ts records"],
    ["the archive differs from the index", (d: string) => d, Buffer.from("tampered"), "has digest"],
    ["the version is gone from the index", () => undefined, bytes, "index.yaml no longer lists this version"],
  ] as const)("fails when %s", async (_t, published, archive, expected) => {
    const pin = CHARTS.metricsServer;
    const check = await checkChart(pin, { digest: digestOf(bytes), source: "test" }, fakeRepo(() => published(digestOf(bytes)), archive));
    expect(check.status).toBe("failed");
    expect(check.line).toContain(`FAILED ${pin.chart} ${pin.version}: `);
    expect(check.line).toContain(expected);
  });

  test("the report counts unverified charts apart and fails only on a failure", async () => {
    const checks = await checkAllCharts(fakeRepo((chart) => (chart === CHARTS.langsmith.chart ? LANGSMITH_CHART_DIGEST : digestOf(bytes))));
    const unverified = Object.values(CHART_DIGESTS).filter((r) => r.digest === null).length;
    const report = allChartsReport(checks);
    // The fake serves the wrong bytes for langsmith's archive: that pin fails, the unrecorded ones are listed.
    expect(report.lines.filter((l) => l.startsWith("UNVERIFIED "))).toHaveLength(unverified);
    expect(report.lines.at(-1)).toBe(`0 verified, ${unverified} UNVERIFIED (no digest recorded), ${checks.length - unverified} failed, of ${checks.length} charts`);
    expect(report.exitCode).toBe(1);
    expect(allChartsReport(checks.filter((c) => c.status !== "failed")).exitCode).toBe(0);
  });
});
