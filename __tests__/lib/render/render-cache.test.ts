/**
 * The render cache (lib/render/render-cache.ts) against a fake helm that counts its runs: a render
 * is served from the cache only when every input is the same (values, chart files, helm, flags),
 * a chart's failure is replayed with its message, a helm that did not run is never kept, the
 * cache stays under its size bound, and it can be bypassed. Also the memo of `helm version`.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRenderCache, exactJson, helmVersion, parseYamlCached, RenderCache, renderCacheEnabled, RenderError, renderChart, renderChartText, renderChartTextSync } from "../../../lib/render";

const root = mkdtempSync(join(tmpdir(), "ls-rcache-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const runs = join(root, "runs.log");
const count = () => readFileSync(runs, "utf8").split("\n").filter(Boolean).length;

/** A helm that logs each run; `template` prints a ConfigMap holding the values file, fails on "fail", crashes on "crash". */
function fakeHelm(dir: string, version = "v9.9.9"): { path: string; version: string; source: "PATH" } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "helm");
  writeFileSync(
    path,
    `#!/bin/sh
echo "$*" >> '${runs}'
if [ "$1" = version ]; then printf '${version}'; exit 0; fi
for a in "$@"; do case "$prev" in --values) vals="$a";; esac; prev="$a"; done
if grep -q crash "$vals"; then kill -9 $$; fi
if grep -q fail "$vals"; then echo "Error: execution error at (c/templates/a.yaml:1:1): the chart says no" >&2; exit 1; fi
printf -- '---\\n# Source: c/templates/a.yaml\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: a\\ndata:\\n  values: |\\n    '; cat "$vals"; printf '\\n'
`,
  );
  chmodSync(path, 0o755);
  return { path, version, source: "PATH" };
}

const chart = join(root, "chart");
mkdirSync(join(chart, "templates"), { recursive: true });
writeFileSync(join(chart, "Chart.yaml"), "apiVersion: v2\nname: c\nversion: 1.0.0\n");
writeFileSync(join(chart, "templates", "a.yaml"), "# the fake helm does not read it\n");
writeFileSync(runs, "");

const helm = fakeHelm(join(root, "bin"));
const opts = (cache: RenderCache | false) => ({ releaseName: "r", namespace: "ns", cache });

describe("render cache", () => {
  const cache = new RenderCache(join(root, "cache"));

  test("the same inputs render once; the parsed manifests are served from the cache", () => {
    const before = count();
    const first = renderChart(helm, chart, { a: 1 }, opts(cache));
    expect(first).toEqual([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { values: '{"a":1}\n' }, source: "c/templates/a.yaml" }]);
    expect(renderChart(helm, chart, { a: 1 }, opts(cache))).toEqual(first);
    expect(renderChartTextSync(helm, chart, { a: 1 }, opts(cache))).toContain('{"a":1}');
    expect(count() - before).toBe(1);
    expect(readdirSync(cache.dir).sort()).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/), expect.stringMatching(/^[0-9a-f]{64}\.out$/)]);
  });

  test("another value, chart file, helm version or flag is another key", () => {
    renderChart(helm, chart, { a: 1 }, opts(cache));
    const before = count();
    renderChart(helm, chart, { a: 2 }, opts(cache));
    renderChart(helm, chart, { a: 1 }, { ...opts(cache), namespace: "other" });
    renderChart(helm, chart, { a: 1 }, { ...opts(cache), apiVersions: ["x/v1"] });
    renderChart({ ...helm, version: "v9.9.8" }, chart, { a: 1 }, opts(cache));
    writeFileSync(join(chart, "templates", "b.yaml"), "# a new template 1\n");
    try {
      renderChart(helm, chart, { a: 1 }, opts(cache));
      writeFileSync(join(chart, "templates", "b.yaml"), "# a new template 2\n"); // same size, other content
      renderChart(helm, chart, { a: 1 }, opts(cache));
    } finally {
      rmSync(join(chart, "templates", "b.yaml"));
    }
    expect(count() - before).toBe(6);
    renderChart(helm, chart, { a: 1 }, opts(cache)); // the chart as it was: a hit again
    expect(count() - before).toBe(6);
  });

  test("the chart's own failure is replayed as a RenderError with helm's message; a helm that did not finish is not kept", async () => {
    const before = count();
    for (let i = 0; i < 2; i++) {
      expect(() => renderChart(helm, chart, { fail: true }, opts(cache))).toThrow(RenderError);
      expect(() => renderChart(helm, chart, { fail: true }, opts(cache))).toThrow(`helm template ${chart} failed:\nError: execution error at (c/templates/a.yaml:1:1): the chart says no`);
      await expect(renderChartText(helm, chart, { fail: true }, opts(cache))).rejects.toThrow(/the chart says no/);
    }
    expect(count() - before).toBe(1);
    expect(() => renderChart(helm, chart, { crash: true }, opts(cache))).toThrow(RenderError);
    expect(() => renderChart(helm, chart, { crash: true }, opts(cache))).toThrow(RenderError);
    expect(count() - before).toBe(3);
  });

  test("the async render shares the entries", async () => {
    const before = count();
    const text = await renderChartText(helm, chart, { async: 1 }, opts(cache));
    expect(await renderChartText(helm, chart, { async: 1 }, opts(cache))).toBe(text);
    expect(renderChart(helm, chart, { async: 1 }, opts(cache))[0].data.values).toBe('{"async":1}\n');
    expect(count() - before).toBe(1);
  });

  test("cache: false always runs helm and stores nothing", () => {
    const dir = join(root, "cache-off");
    const off = new RenderCache(dir);
    const before = count();
    renderChart(helm, chart, { a: 1 }, opts(false));
    renderChart(helm, chart, { a: 1 }, opts(false));
    expect(count() - before).toBe(2);
    expect(() => readdirSync(off.dir)).toThrow(/ENOENT/);
  });

  test("LS_RENDER_CACHE=0 turns the repository's cache off", () => {
    expect(renderCacheEnabled({ LS_RENDER_CACHE: "0" })).toBe(false);
    expect(renderCacheEnabled({ LS_RENDER_CACHE: "off" })).toBe(false);
    expect(renderCacheEnabled({})).toBe(true);
    const before = process.env.LS_RENDER_CACHE;
    process.env.LS_RENDER_CACHE = "0";
    try {
      expect(defaultRenderCache()).toBeUndefined();
      expect(parseYamlCached("a: [1, 2]")).toEqual({ a: [1, 2] });
    } finally {
      if (before === undefined) delete process.env.LS_RENDER_CACHE;
      else process.env.LS_RENDER_CACHE = before;
    }
    expect(defaultRenderCache()?.dir).toMatch(/node_modules\/\.cache\/helm-renders$/);
  });

  test("stays under its bound, removing the least recently used entries first", () => {
    const small = new RenderCache(join(root, "cache-small"), 4000);
    const big = (n: number) => ({ n, pad: "x".repeat(900) });
    renderChartTextSync(helm, chart, big(0), opts(small));
    utimesSync(join(small.dir, readdirSync(small.dir)[0]), new Date(1000), new Date(1000)); // oldest
    for (let n = 1; n <= 5; n++) renderChartTextSync(helm, chart, big(n), opts(small));
    const total = readdirSync(small.dir).reduce((a, f) => a + readFileSync(join(small.dir, f)).length, 0);
    expect(total).toBeLessThanOrEqual(4000);
    const before = count();
    renderChartTextSync(helm, chart, big(5), opts(small)); // the newest: kept
    expect(count() - before).toBe(0);
    renderChartTextSync(helm, chart, big(0), opts(small)); // the oldest: pruned
    expect(count() - before).toBe(1);
  });

  test("parsed output is kept only when JSON gives it back exactly", () => {
    expect(exactJson({ a: [1, "x", null, true, { b: -2.5 }] })).toBe('{"a":[1,"x",null,true,{"b":-2.5}]}');
    for (const v of [{ a: Infinity }, { a: NaN }, { a: new Date(0) }, { a: undefined }, [Buffer.from("x")]]) expect(exactJson(v)).toBeUndefined();
    const y = new RenderCache(join(root, "cache-inexact"));
    expect(y.parseYaml("a: .inf\n")).toEqual({ a: Infinity });
    expect(() => readdirSync(y.dir)).toThrow(/ENOENT/);
    expect(y.parseYaml("a: .inf\n")).toEqual({ a: Infinity });
  });

  test("parsed YAML is kept by the hash of its text", () => {
    const y = new RenderCache(join(root, "cache-yaml"));
    expect(y.parseYaml("a:\n  b: 1\n")).toEqual({ a: { b: 1 } });
    expect(readdirSync(y.dir)).toEqual([expect.stringMatching(/^yaml-[0-9a-f]{64}\.json$/)]);
    expect(y.parseYaml("a:\n  b: 1\n")).toEqual({ a: { b: 1 } });
    expect(y.parseYaml("a:\n  b: 2\n")).toEqual({ a: { b: 2 } });
    expect(readdirSync(y.dir)).toHaveLength(2);
  });
});

describe("helm version memo", () => {
  test("asks a binary once, and again when it is replaced", () => {
    const bin = fakeHelm(join(root, "bin-v"), "v1.2.3");
    const memo = join(root, "versions");
    const before = count();
    expect(helmVersion(bin.path, memo)).toBe("v1.2.3");
    expect(helmVersion(bin.path, memo)).toBe("v1.2.3");
    expect(count() - before).toBe(1);
    fakeHelm(join(root, "bin-v"), "v1.2.40"); // other size
    expect(helmVersion(bin.path, memo)).toBe("v1.2.40");
    expect(count() - before).toBe(2);
  });
  test("a command that is not on the PATH, or does not run, has no version", () => {
    const memo = join(root, "versions");
    expect(helmVersion("ls-no-such-helm", memo)).toBeUndefined();
    const broken = join(root, "broken");
    writeFileSync(broken, "#!/bin/sh\nexit 3\n");
    chmodSync(broken, 0o755);
    expect(helmVersion(broken, memo)).toBeUndefined();
  });
});
