import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { digestProblems, fileDigest, indexDigest } from "../../scripts/verify-chart-digest";
import { CHARTS, LANGSMITH_CHART_DIGEST } from "../../versions";

const dir = mkdtempSync(join(tmpdir(), "chart-digest-"));
const archive = join(dir, "chart.tgz");
writeFileSync(archive, "not the chart");
const actual = `sha256:${createHash("sha256").update("not the chart").digest("hex")}`;
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
