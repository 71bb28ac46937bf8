/**
 * Optional build step (after `tsc`): bundles the compiled synth entry point into one file,
 * `dist/bundle/synth-all.js`, with esbuild, then synthesizes once from it to save V8's code
 * cache next to it (see `synth-bundled.ts`, which loads both). Same code, same output
 * (`npm run bench` compares the files both write); it only starts faster: one 3 MB file instead
 * of ~530 modules and 13 MB (70% of it inline source maps of the provider classes), compiled
 * from the cache. Needs esbuild as a dev dependency; without it, says so and exits 1.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE, CODE_CACHE } from "./synth-bundled";

/** The part of esbuild's API used here. */
interface Esbuild {
  buildSync(options: Record<string, unknown>): unknown;
}

function loadEsbuild(): Esbuild | undefined {
  try {
    return require("esbuild") as Esbuild;
  } catch {
    return undefined;
  }
}

function main(): void {
  const esbuild = loadEsbuild();
  if (!esbuild) {
    console.error("bundle: esbuild is not installed (npm install --save-dev --save-exact esbuild)");
    process.exitCode = 1;
    return;
  }
  esbuild.buildSync({
    entryPoints: [join(__dirname, "synth-all.js")],
    outfile: BUNDLE,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20", // package.json engines
    // Whitespace only: every name stays as written (full minification measured no faster).
    minifyWhitespace: true,
    legalComments: "none",
    logLevel: "warning",
  });
  // A fresh process, so the cache holds what a synth compiles and nothing of this script.
  const out = mkdtempSync(join(tmpdir(), "ls-bundle-"));
  const r = spawnSync(process.execPath, [join(__dirname, "synth-bundled.js"), "--write-code-cache", out], { stdio: "inherit" });
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error("bundle: the warm-up synth from the bundle failed");
  console.log(`bundle: ${BUNDLE}\nbundle: ${CODE_CACHE}`);
}

if (require.main === module) main();
