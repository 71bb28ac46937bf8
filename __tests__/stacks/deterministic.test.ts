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
import { synthesizeAll } from "../../scripts/synth-all";

const { build } = require("../../scripts/build.js") as { build(o: { root: string; outDir: string; quiet: boolean }): { transpiled: string[] } };

function files(root: string, dir = root): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(root, join(dir, name)) : [relative(root, join(dir, name))]))
    .sort();
}

describe("deterministic output", () => {
  // Up to four synths of the shipped app: (a) the run's global setup, the test build's bundled
  // app (`node <test dist>/main.js`) in a child process, which compiled it and wrote V8's code
  // cache when the build had just rebundled, or else ran from that cache; (s) the sources through
  // jest's transform, in this process; (b) the build's per-file output, in a child process;
  // (c) the bundled app again, from the code cache, when (a) did not run from it. All must be
  // byte-identical.
  const a = shippedAppDir();
  const s = mkdtempSync(join(tmpdir(), "ls-synth-s-"));
  const b = mkdtempSync(join(tmpdir(), "ls-synth-b-"));
  const c = mkdtempSync(join(tmpdir(), "ls-synth-c-"));
  // Global setup built it; building again finds nothing to do unless a source changed since.
  const dist = TEST_DIST;
  afterAll(() => [s, b, c].forEach((d) => rmSync(d, { recursive: true, force: true })));
  const differing = (x: string, y: string) => files(x).filter((f) => !readFileSync(join(x, f)).equals(readFileSync(join(y, f))));

  test("the sources (through jest's transform) and scripts/build.js's per-file output synthesize every environment into the bundled app's files", () => {
    // One stack per environment and one bootstrap stack per state bucket, whatever the fleet.
    const configs = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
    const stacks = configs.length + bootstrapTargets(configs).length;
    expect(synthesizeAll(s)).toHaveLength(stacks);
    build({ root: ROOT, outDir: dist, quiet: true });
    expect(existsSync(join(dist, ".build-stamp.json"))).toBe(true);
    const code = `const ids = require(${JSON.stringify(join(dist, "scripts", "synth-all.js"))}).synthesizeAll(${JSON.stringify(b)}); process.stdout.write(String(ids.length));`;
    expect(Number(execFileSync(process.execPath, ["-e", code], { encoding: "utf8" }))).toBe(stacks);
    const listed = files(a);
    expect(listed.filter((f) => f.endsWith("cdk.tf.json")).length).toBe(stacks);
    expect({ sources: files(s), perFile: files(b) }).toEqual({ sources: listed, perFile: listed });
    expect({ sources: differing(a, s), perFile: differing(a, b) }).toEqual({ sources: [], perFile: [] });
  });

  test("the bundled app (node dist/main.js, as npm run synth and cdktf.json run it) writes the same files from V8's code cache", () => {
    // Global setup's run left the cache (it compiles and writes it on the first run after a
    // rebuild). When that run itself started from the cache (the bundle unchanged since an
    // earlier run), its output `a`, compared with the sources above, is the code-cache run;
    // otherwise a run from the cache it just wrote is compared here.
    expect(existsSync(join(dist, "main.bundle.js.cache"))).toBe(true);
    expect(["0", "1"]).toContain(process.env.LS_SHIPPED_FROM_CODE_CACHE);
    if (process.env.LS_SHIPPED_FROM_CODE_CACHE === "1") return;
    execFileSync(process.execPath, [join(dist, "main.js")], { env: { ...process.env, CDKTF_OUTDIR: c }, stdio: ["ignore", "ignore", "pipe"] });
    expect(files(c)).toEqual(files(a));
    expect(differing(a, c)).toEqual([]);
  });
});
