/**
 * No value we set is dead: for every environment, changing any leaf of the LangSmith values we
 * synthesize changes what the chart renders (Helm ignores unknown or unused keys silently; the
 * key-path fixture catches unknown keys, this catches keys the templates never read in our setup).
 * A leaf set identically by several environments is checked once, in the first.
 *
 * The verdict is a pure function of the values, the chart's files, the helm version and this
 * check's code, so a passing one is kept in node_modules/.cache/render-verdicts under the hash of
 * all four: a re-run with nothing changed skips the ~60 renders; any change re-checks (CI's fresh
 * clone always does). A failing verdict is never cached.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, chartDigest, renderChartText } from "../../lib/render";
import { parse } from "yaml";
import { extractKeyPaths, KeyIndex } from "../../lib/langsmith-values/chart-keys";
import { deadLeaves, Leaf, leaves, Path, pathText } from "./dead-values";
import { describeRendered, LANGSMITH_ENVIRONMENT_NAMES, LANGSMITH_CHARTS, rendered, RenderedEnvironment, renderedFork, TIER } from "./rendered";
import { forks } from "./forks";
import { synthEnv } from "../helpers";

const seen = new Set<string>();

const CHECK_SOURCES = [join(__dirname, "dead-values.ts"), __filename].map((f) => readFileSync(f, "utf8")).join("\n");

/** The open maps of a chart's values.yaml (lib/langsmith-values/chart-keys.ts), per chart directory. */
const openIndexes = new Map<string, KeyIndex>();
function openAncestorIn(chartDir: string): (path: Path) => string | undefined {
  if (!openIndexes.has(chartDir)) openIndexes.set(chartDir, new KeyIndex({ paths: extractKeyPaths(parse(readFileSync(join(chartDir, "values.yaml"), "utf8"))) }));
  const index = openIndexes.get(chartDir)!;
  return (path) => {
    const keys = path.filter((p): p is string => typeof p === "string");
    for (let i = 1; i <= keys.length; i++) {
      // Only a path of mapping keys from the root (a list index ends the walk: list items are not key paths).
      if (path.slice(0, i).some((p) => typeof p === "number")) return undefined;
      const text = keys.slice(0, i).join(".");
      if (index.isOpen(text)) return text;
    }
    return undefined;
  };
}

/** The shipped environments, then the forks unlike them (their feature values: agents, OIDC, external ClickHouse). */
const ROWS: [string, () => RenderedEnvironment][] = [
  ...LANGSMITH_ENVIRONMENT_NAMES.map((n) => [n, () => rendered(n)] as [string, () => RenderedEnvironment]),
  ...(TIER ? forks() : []).map(([label, config]) => [label, () => renderedFork(label, config, synthEnv)] as [string, () => RenderedEnvironment]),
];

describeRendered("LangSmith values: none is dead", () => {
  // Every row on the pinned chart and on the next one (a key the next chart stops reading is dead there).
  const cases = LANGSMITH_CHARTS.flatMap((c) => ROWS.map(([label, get]) => [label, c.version, get, c.dir] as [string, string, () => RenderedEnvironment, string]));
  // A fleet without a LangSmith environment has no LangSmith values to check: one skipped test says so.
  if (cases.length === 0) test.skip("every value we set changes the render: no environment of this fleet runs LangSmith", () => undefined);
  else test.each(cases)("%s, chart %s: every value we set changes the render", async (_label, _version, get, chartDir) => {
    const env = get();
    const fresh: Leaf[] = leaves(env.langsmith.values).filter((l) => {
      const key = `${chartDir}|${pathText(l.path)}=${JSON.stringify(l.value)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const key = createHash("sha256")
      .update(JSON.stringify([env.langsmith.values, fresh, env.langsmith.name, env.langsmith.namespace, TIER!.helm.version]))
      .update(chartDigest(chartDir))
      .update(CHECK_SOURCES)
      .digest("hex");
    const verdict = join(cacheDir("render-verdicts"), `dead-values-${key}.json`);
    if (existsSync(verdict)) return; // passed before with exactly these inputs
    const render = (values: unknown) => renderChartText(TIER!.helm, chartDir, values, { releaseName: env.langsmith.name, namespace: env.langsmith.namespace });
    const { dead, renders } = await deadLeaves(env.langsmith.values, render, fresh, 3, openAncestorIn(chartDir));
    expect({ environment: env.file, dead }).toEqual({ environment: env.file, dead: [] });
    expect(renders).toBeLessThan(fresh.length + 20);
    mkdirSync(cacheDir("render-verdicts"), { recursive: true });
    writeFileSync(`${verdict}.${process.pid}`, JSON.stringify({ environment: env.file, dead, renders }));
    renameSync(`${verdict}.${process.pid}`, verdict);
  }, 120_000);

  // The sample is the fleet's first LangSmith environment; in a fleet without one, the skip says so.
  (LANGSMITH_ENVIRONMENT_NAMES.length > 0 ? test : test.skip)("the check can fail: a key the templates ignore is reported", async () => {
    const env = rendered(LANGSMITH_ENVIRONMENT_NAMES[0]);
    const values = { ...env.langsmith.values, hostBackend: { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x" } } } };
    const render = (v: unknown) => renderChartText(TIER!.helm, TIER!.langsmith.dir, v, { releaseName: env.langsmith.name, namespace: env.langsmith.namespace });
    const target = leaves(values).filter((l) => l.path[0] === "hostBackend" || pathText(l.path) === "ingress.enabled");
    expect((await deadLeaves(values, render, target)).dead).toEqual(["hostBackend.serviceAccount.annotations.eks.amazonaws.com/role-arn"]);
  }, 60_000);
});
