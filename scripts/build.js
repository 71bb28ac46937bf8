#!/usr/bin/env node
// @ts-check
/**
 * `npm run build`: the fast path from the TypeScript sources to `dist/`, used by every npm
 * script (synth, cost, policy, plan:guard, verify, secrets:seed, ...) and by cdktf.json's `app`.
 * It transpiles, it does not type-check: `npm test` and `npm run typecheck` run `tsc`, and so
 * does the editor. A per-file transpile drops type-only code as tsc does (esbuild elides
 * imports used only as types; a re-exported type becomes an `undefined` export nobody reads),
 * and the tests compare a synth from this build with one from the sources byte for byte
 * (__tests__/stacks/deterministic.test.ts).
 *
 * Plain JavaScript because it runs before anything is compiled.
 *
 * Never stale, never slower than needed: `dist/.build-stamp.json` records the content hash of
 * every source it transpiled and of what decides the output (tsconfig.json, this file, the
 * esbuild version). A source whose hash changed, or whose output is missing, is transpiled
 * again (esbuild, ~0.3 s for the whole tree); the output of a deleted source is deleted; a
 * changed tsconfig.json, builder or esbuild rebuilds everything. Nothing changed: ~50 ms, and
 * esbuild is not even loaded. Content hashes, not mtimes: a `git checkout` or a copied tree
 * with old mtimes cannot fool it.
 *
 * Usage: node scripts/build.js [--quiet]   (exit 1 with esbuild's message on a syntax error)
 */
"use strict";
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { join, relative, resolve, sep } = require("node:path");

const STAMP = ".build-stamp.json";
/** The top-level files and directories tsconfig.json compiles (its `include`), relative to the root. */
const SOURCES = ["main.ts", "versions.ts", "lib", "stacks", "modules", "environments", "scripts"];

/** @param {string | Buffer} text */
function hash(text) {
  return createHash("sha256").update(text).digest("hex").slice(0, 20);
}

/**
 * Every `.ts` source under `root` that tsconfig.json includes (no declaration files), relative, sorted.
 * @param {string} root
 * @returns {string[]}
 */
function listSources(root) {
  /** @type {string[]} */
  const found = [];
  /** @param {string} rel */
  const walk = (rel) => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const child = join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(child);
    }
  };
  for (const s of SOURCES) {
    if (s.endsWith(".ts")) {
      if (existsSync(join(root, s))) found.push(s);
    } else walk(s);
  }
  return found.map((f) => f.split(sep).join("/")).sort();
}

/** @param {string} file */
function outputOf(file) {
  return file.replace(/\.ts$/, ".js");
}

/** @param {string} root */
function esbuildVersion(root) {
  try {
    return JSON.parse(readFileSync(require.resolve("esbuild/package.json", { paths: [root, __dirname] }), "utf8")).version;
  } catch {
    return "missing";
  }
}

/**
 * Brings `outDir` up to date with the sources under `root`.
 * @param {{ root?: string, outDir?: string, quiet?: boolean }} [options]
 * @returns {{ transpiled: string[], deleted: string[], full: boolean, seconds: number }}
 */
function build(options = {}) {
  const started = process.hrtime.bigint();
  const root = resolve(options.root ?? join(__dirname, ".."));
  const outDir = resolve(root, options.outDir ?? "dist");
  const stampFile = join(outDir, STAMP);
  const toolchain = hash([readFileSync(join(root, "tsconfig.json")), readFileSync(__filename), esbuildVersion(root)].join("\0"));
  /** @type {{ toolchain?: string, sources?: Record<string, string> }} */
  let stamp = {};
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    // No stamp (fresh clone, or dist/ written by tsc alone): everything is transpiled once.
  }
  const full = stamp.toolchain !== toolchain;
  const previous = full ? {} : stamp.sources ?? {};
  /** @type {Record<string, string>} */
  const sources = {};
  const stale = [];
  for (const file of listSources(root)) {
    sources[file] = hash(readFileSync(join(root, file)));
    if (previous[file] !== sources[file] || !existsSync(join(outDir, outputOf(file)))) stale.push(file);
  }
  const deleted = Object.keys(stamp.sources ?? {}).filter((f) => !(f in sources));
  for (const file of deleted) rmSync(join(outDir, outputOf(file)), { force: true });

  if (stale.length > 0) {
    /** @type {typeof import("esbuild")} */
    let esbuild;
    try {
      esbuild = require(require.resolve("esbuild", { paths: [root, __dirname] }));
    } catch {
      throw new Error("build: esbuild is not installed: run `npm ci` (it is a devDependency)");
    }
    esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: stale.map((f) => join(root, f)),
      outdir: outDir,
      outbase: root,
      bundle: false,
      platform: "node",
      format: "cjs",
      // Class fields, target and JSX-free TS settings come from here, as tsc reads them.
      tsconfig: join(root, "tsconfig.json"),
      target: "es2022",
      sourcemap: false,
      logLevel: options.quiet ? "silent" : "error",
    });
  }
  mkdirSync(outDir, { recursive: true });
  if (stale.length > 0 || deleted.length > 0 || full) {
    writeFileSync(`${stampFile}.${process.pid}`, JSON.stringify({ toolchain, sources }, null, 1));
    renameSync(`${stampFile}.${process.pid}`, stampFile); // atomic: two builds at once both end consistent
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!options.quiet && (stale.length > 0 || deleted.length > 0)) {
    const where = relative(process.cwd(), outDir) || ".";
    console.error(`build: ${stale.length} transpiled, ${deleted.length} removed in ${where}/ (${seconds.toFixed(2)} s; types: npm run typecheck)`);
  }
  return { transpiled: stale, deleted, full, seconds };
}

module.exports = { build, listSources, STAMP, SOURCES };

if (require.main === module) {
  try {
    build({ quiet: process.argv.includes("--quiet") });
  } catch (e) {
    // esbuild has printed the file, line and column of a syntax error already.
    console.error(e instanceof Error ? e.message.split("\n")[0] : e);
    process.exitCode = 1;
  }
}
