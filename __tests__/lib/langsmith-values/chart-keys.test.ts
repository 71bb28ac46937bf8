import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ChartKeys, extractBooleanPaths, extractKeyPaths, nonBooleanOverrides, unknownKeyPaths } from "../../../lib/langsmith-values/chart-keys";
import { buildLangsmithValues } from "../../../lib/langsmith-values";
import { chartKeys, DEFAULT_VALUES } from "../../../scripts/chart-keys";
import { CHARTS } from "../../../versions";
import { combinations, INPUTS, loadWith, shipped, SHIPPED } from "./envs";

const ROOT = join(__dirname, "..", "..", "..");
const FIXTURE: ChartKeys = JSON.parse(readFileSync(join(ROOT, "__tests__", "fixtures", "langsmith-chart-keys.json"), "utf8"));
const REFERENCE = join(ROOT, DEFAULT_VALUES);

describe("the key-path fixture", () => {
  test("is of the chart and version pinned in versions.ts", () => {
    expect({ chart: FIXTURE.chart, version: FIXTURE.version }).toEqual({ chart: CHARTS.langsmith.chart, version: CHARTS.langsmith.version });
  });

  test("holds key paths and which of them default to a boolean (no values), sorted and unique", () => {
    expect(Object.keys(FIXTURE)).toEqual(["chart", "version", "paths", "booleans"]);
    expect(FIXTURE.paths.every((p) => /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?$/.test(p))).toBe(true);
    expect([...FIXTURE.paths].sort()).toEqual(FIXTURE.paths);
    expect(new Set(FIXTURE.paths).size).toBe(FIXTURE.paths.length);
    const booleans = FIXTURE.booleans ?? [];
    expect(booleans.length).toBeGreaterThan(0);
    expect(booleans.filter((p) => !FIXTURE.paths.includes(p))).toEqual([]);
    expect([...booleans].sort()).toEqual(booleans);
  });

  // The pinned chart's values.yaml sits outside the repository (../shared/reference); where it
  // exists, the committed fixture must be exactly what the script generates from it.
  (existsSync(REFERENCE) ? test : test.skip)("is what scripts/chart-keys generates from the pinned chart's values.yaml", () => {
    expect(chartKeys(REFERENCE)).toEqual(FIXTURE);
  });
});

describe("key-path extraction rule", () => {
  const doc = parse(`
a:
  b: 1
  list: [1, 2]
  empty: {}
  annotations: {}
  deployment:
    resources:
      limits: { cpu: 1 }
    readinessProbe:
      httpGet: { path: /health }
  agent:
    resources:
      cpu: 2
`);
  test("maps expand, lists and scalars are leaves, empty maps and Kubernetes objects are open", () => {
    expect(extractKeyPaths(doc)).toEqual([
      "a",
      "a.agent",
      "a.agent.resources",
      "a.agent.resources.cpu",
      "a.annotations.*",
      "a.b",
      "a.deployment",
      "a.deployment.readinessProbe.*",
      "a.deployment.resources.*",
      "a.empty.*",
      "a.list",
    ]);
  });

  test("boolean defaults are recorded, and an override that is not a boolean there is found", () => {
    const flags = parse("a:\n  enabled: false\n  n: 1\n  annotations: {}\n  b:\n    on: true\n");
    const keys = { booleans: extractBooleanPaths(flags) };
    expect(keys.booleans).toEqual(["a.b.on", "a.enabled"]);
    expect(nonBooleanOverrides({ a: { enabled: "false", n: "2", b: { on: true } } }, keys)).toEqual([{ path: "a.enabled", value: "false" }]);
    expect(nonBooleanOverrides({ a: { enabled: false, b: { on: 0 } } }, keys)).toEqual([{ path: "a.b.on", value: 0 }]);
  });

  test("open paths accept children; anything else must exist", () => {
    const keys = { paths: extractKeyPaths(doc) };
    expect(unknownKeyPaths({ a: { b: 2, list: [3], annotations: { "x.io/y": "z" }, deployment: { resources: { requests: { memory: "1Gi" } } } } }, keys)).toEqual([]);
    expect(unknownKeyPaths({ a: { c: 1, agent: { resources: { gpu: 1 } }, b: { nested: 1 } } }, keys)).toEqual(["a.c", "a.agent.resources.gpu", "a.b.nested"]);
  });

  test("catches upstream's own dead key (apiUrl for apiURL)", () => {
    expect(unknownKeyPaths({ config: { blobStorage: { apiUrl: "https://s3.us-west-2.amazonaws.com" } } }, FIXTURE)).toEqual(["config.blobStorage.apiUrl"]);
    expect(unknownKeyPaths({ config: { blobStorage: { apiURL: "https://s3.us-west-2.amazonaws.com" } } }, FIXTURE)).toEqual([]);
  });
});

describe("every key path the values set exists in the pinned chart", () => {
  test.each(SHIPPED)("shipped environment %s", (name) => {
    expect(unknownKeyPaths(buildLangsmithValues(shipped(name), INPUTS), FIXTURE)).toEqual([]);
  });

  test("every option combination, with the chart's booleans set as booleans", () => {
    const unknown = combinations().flatMap((c) => unknownKeyPaths(buildLangsmithValues(c.env, INPUTS), FIXTURE).map((p) => `${c.label}: ${p}`));
    expect(unknown).toEqual([]);
    const strings = combinations().flatMap((c) => nonBooleanOverrides(buildLangsmithValues(c.env, INPUTS), FIXTURE).map((p) => `${c.label}: ${p.path}`));
    expect(strings).toEqual([]);
  });

  test("operator overrides too (a misspelt override fails)", () => {
    // The loader refuses the misspelling first (lib/config/rules.ts, valuesOverrideKeys); here the values builder is checked on its own.
    const loaded = loadWith("dev");
    const env = { ...loaded, langsmith: { ...loaded.langsmith, valuesOverrides: { frontend: { maxBodySize: "50M", maxBodySise: "50M" } } } };
    expect(unknownKeyPaths(buildLangsmithValues(env, INPUTS), FIXTURE)).toEqual(["frontend.maxBodySise"]);
  });
});
