/**
 * `synthesizeAll` from the bundle that `scripts/bundle.ts` builds, compiled with the V8 code
 * cache that the bundle step saved after a warm-up synth: neither the bundle's 3 MB nor the
 * functions a synth runs are compiled again (~150 ms). Node 22 does this for every module with
 * `module.enableCompileCache()`; Node 20 offers the `node:vm` API used here. V8 rejects a cache
 * made for other source or another V8 and compiles as usual: slower, never different.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

export const BUNDLE = join(__dirname, "..", "bundle", "synth-all.js");
export const CODE_CACHE = `${BUNDLE}.cache`;

type SynthAll = typeof import("./synth-all");

function load(cachedData: Buffer | undefined): { synth: SynthAll; script: Script } {
  // The wrapper Node's `require` puts around every CommonJS module.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, "utf8")}\n})`;
  const script = new Script(source, { filename: BUNDLE, cachedData });
  const module = { exports: {} as SynthAll };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { synth: module.exports, script };
}

export function synthesizeAll(outdir: string): string[] {
  return load(existsSync(CODE_CACHE) ? readFileSync(CODE_CACHE) : undefined).synth.synthesizeAll(outdir);
}

/** Synthesizes into `outdir` without a cache, then saves the code of everything that ran. */
export function writeCodeCache(outdir: string): void {
  rmSync(CODE_CACHE, { force: true });
  const { synth, script } = load(undefined);
  synth.synthesizeAll(outdir);
  writeFileSync(CODE_CACHE, script.createCachedData());
}

// `node dist/scripts/synth-bundled.js --write-code-cache <outdir>`: run by scripts/bundle.ts in a fresh process.
if (require.main === module && process.argv[2] === "--write-code-cache") writeCodeCache(process.argv[3]);
