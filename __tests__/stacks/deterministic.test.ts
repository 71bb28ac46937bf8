/**
 * Two synths of the same commit give byte-identical output: no timestamps, random ids or
 * map-order drift. The other synths run what users run, in fresh processes: the fast build's
 * output (scripts/build.js, esbuild, no type-check), both the bundled app that `npm run synth`
 * and cdktf.json's `app` run (`node dist/main.js`) and the per-file output the scripts use, so
 * a transpile or bundle that differs from the sources in any byte of output fails here.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ROOT, shippedAppDir, TEST_DIST } from "../synth-cache";
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { bootstrapTargets } from "../../stacks/bootstrap-stack";

const { build } = require("../../scripts/build.js") as { build(o: { root: string; outDir: string; quiet: boolean }): { transpiled: string[] } };

function files(root: string, dir = root): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(root, join(dir, name)) : [relative(root, join(dir, name))]))
    .sort();
}

describe("deterministic output", () => {
  // The first synth is the run's global setup (the sources through jest's transform, another
  // process, earlier); the second is the fast build's output, in a child process.
  const a = shippedAppDir();
  const b = mkdtempSync(join(tmpdir(), "ls-synth-b-"));
  const c = mkdtempSync(join(tmpdir(), "ls-synth-c-"));
  // Global setup built it; building again finds nothing to do unless a source changed since.
  const dist = TEST_DIST;
  afterAll(() => [b, c].forEach((d) => rmSync(d, { recursive: true, force: true })));

  test("two App instances synthesize every environment into identical files (the second from scripts/build.js's output)", () => {
    // One stack per environment and one bootstrap stack per state bucket, whatever the fleet.
    const configs = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
    const stacks = configs.length + bootstrapTargets(configs).length;
    build({ root: ROOT, outDir: dist, quiet: true });
    expect(existsSync(join(dist, ".build-stamp.json"))).toBe(true);
    const code = `const ids = require(${JSON.stringify(join(dist, "scripts", "synth-all.js"))}).synthesizeAll(${JSON.stringify(b)}); process.stdout.write(String(ids.length));`;
    expect(Number(execFileSync(process.execPath, ["-e", code], { encoding: "utf8" }))).toBe(stacks);
    const listed = files(a);
    expect(listed).toEqual(files(b));
    expect(listed.filter((f) => f.endsWith("cdk.tf.json")).length).toBe(stacks);
    const differing = listed.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
    expect(differing).toEqual([]);
  });

  test("the bundled app (node dist/main.js, as npm run synth and cdktf.json run it) writes the same files", () => {
    // Twice when there is no code cache yet: the first run compiles and writes V8's code cache,
    // the second runs from it. Once when an earlier run (or the build) left a cache for this
    // bundle: that run already runs from the cache, so a second one would check nothing new.
    const cached = existsSync(join(dist, "main.bundle.js.cache"));
    for (const run of cached ? [2] : [1, 2]) {
      rmSync(c, { recursive: true, force: true });
      execFileSync(process.execPath, [join(dist, "main.js")], { env: { ...process.env, CDKTF_OUTDIR: c }, stdio: ["ignore", "ignore", "pipe"] });
      const listed = files(a);
      expect([run, files(c)]).toEqual([run, listed]);
      expect([run, listed.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(c, f))))]).toEqual([run, []]);
    }
    expect(existsSync(join(dist, "main.bundle.js.cache"))).toBe(true);
  });
});
