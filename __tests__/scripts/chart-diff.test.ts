/**
 * chart:diff stays honest: run against the next chart (the 0.17.0-rc.12 copy beside the clone),
 * it reports the differences that matter to our values; its parts are checked on small inputs.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chartMirrorDir } from "../../lib/render";
import { ChartDiffReport, formatChartDiff, keyChanges, manifestDiff, setChange } from "../../lib/render/chart-diff";
import { environmentValues, runChartDiff } from "../../scripts/chart-diff";
import { LANGSMITH_ENVIRONMENT_NAMES, TIER } from "../render/rendered";

describe("chart-diff parts", () => {
  test("a key we set that the candidate drops is reported, free-form maps are checked at their parent, type changes too", () => {
    const pinned = { a: { b: 1, annotations: {} }, c: "x", gone: { deep: true } };
    const candidate = { a: { b: "1", annotations: {} }, c: "y" };
    const ours = { a: { b: 2, annotations: { "k/v": "z" } }, c: "mine", gone: { deep: false }, notAChartKey: 1 };
    expect(keyChanges(pinned, candidate, ours)).toEqual([
      { path: "a.b", key: "a.b", change: "type", before: "number", after: "string" },
      { path: "gone.deep", key: "gone", change: "gone", before: "map" },
    ]);
  });
  test("manifest diff: added, removed, changed fields without checksum/chart-label noise", () => {
    const m = (name: string, image: string, chart: string) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, labels: { "helm.sh/chart": chart } }, spec: { image } });
    expect(manifestDiff([m("a", "1", "c-1"), m("b", "1", "c-1")], [m("a", "2", "c-2"), m("c", "1", "c-2")])).toEqual({
      added: ["Deployment/c"],
      removed: ["Deployment/b"],
      changed: [{ id: "Deployment/a", fields: ['spec.image: "1" -> "2"'] }],
    });
    expect(setChange(["x", "y"], ["y", "z"])).toEqual({ added: ["z"], removed: ["x"] });
  });
  test("the report fails on a dropped key and says so", () => {
    const r: ChartDiffReport = { pinned: "p", candidate: "c", keys: [{ path: "a.b", key: "a", change: "gone", before: "map" }], rules: { added: [], removed: [] }, required: { added: [], removed: [] }, environments: [], failed: true };
    expect(formatChartDiff(r)).toMatch(/gone: a \(we set a\.b\)[\s\S]*chart:diff: FAIL/);
  });
  test("compares the values of every environment of environments/ that runs LangSmith", () => {
    expect(environmentValues().map((e) => e.name)).toEqual([...LANGSMITH_ENVIRONMENT_NAMES]);
  });
});

const NEXT = join(chartMirrorDir(), "langsmith-0.17.0-rc.12");

(TIER && existsSync(NEXT) ? describe : describe.skip)("chart:diff 0.16.11 -> 0.17.0-rc.12 (reference copy)", () => {
  let report: ChartDiffReport;
  beforeAll(() => {
    report = runChartDiff(NEXT);
  });

  test("every value we set still exists with its type, and every environment renders", () => {
    expect(report.keys).toEqual([]);
    expect(report.environments.filter((e) => e.renderError)).toEqual([]);
    expect(report.failed).toBe(false);
  });

  test("reports the validate.yaml rules that changed (the sandboxes juicefs rules)", () => {
    expect(report.rules.added.some((r) => r.startsWith("sandboxes.juicefs.hostMount.cacheDirs"))).toBe(true);
    expect(report.rules.removed.some((r) => r.startsWith("config.sandboxes has moved"))).toBe(true);
  });

  // The keys we set are the fleet's LangSmith environments' values: none without one.
  (LANGSMITH_ENVIRONMENT_NAMES.length > 0 ? test : test.skip)("fails when the candidate drops a key we set (a copy of the pinned chart without frontend.keepAliveTimeout)", () => {
    const dir = mkdtempSync(join(tmpdir(), "ls-chart-diff-test-"));
    try {
      const pinned = join(chartMirrorDir(), "langsmith-0.16.11");
      cpSync(pinned, join(dir, "langsmith"), { recursive: true });
      const values = join(dir, "langsmith", "values.yaml");
      writeFileSync(values, readFileSync(values, "utf8").replace(/^  keepAliveTimeout: "75"\n/m, ""));
      const r = runChartDiff(join(dir, "langsmith"));
      expect(r.keys).toEqual([{ path: "frontend.keepAliveTimeout", key: "frontend.keepAliveTimeout", change: "gone", before: "string" }]);
      expect(r.failed).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("reports per environment what changes in the rendered manifests, the app images at least", () => {
    for (const e of report.environments) {
      expect(e.manifests!.changed.some((c) => c.fields.some((f) => /image: .*0\.16\.\d+.* -> .*0\.17/.test(f)))).toBe(true);
    }
    const text = formatChartDiff(report);
    expect(text).toMatch(/^chart:diff langsmith 0\.16\.11 .* -> langsmith 0\.17\.0-rc\.12/);
    for (const name of LANGSMITH_ENVIRONMENT_NAMES) expect(text).toContain(`environment ${name}:`);
  });
});
