/**
 * The cache of synthesized stacks shared by all test files (see global-setup.ts): per run (every
 * worker reads what another synthesized), and across runs by content (`persistentDir`): a
 * configuration's stack is a function of that configuration and of the files `SYNTH_INPUTS`
 * lists, so a run whose inputs hash the same as an earlier run's reads that run's stacks instead
 * of synthesizing them again. The shipped app is always synthesized afresh by global setup (the
 * golden digests check those bytes). `LS_TEST_SYNTH_CACHE=0` turns the cross-run cache off.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { EnvironmentConfig } from "../lib/config/schema";

export type Json = Record<string, any>;

export const ROOT = join(__dirname, "..");
/** scripts/build.js's output for tests, built by global setup (see there). */
const BUILD_DIRS = require("../scripts/build.js") as { TEST_OUT: string; SYNTH_CACHE_OUT: string };
export const TEST_DIST = join(ROOT, BUILD_DIRS.TEST_OUT);

function cacheDir(): string | undefined {
  return process.env.LS_SYNTH_CACHE;
}

/** Where global setup synthesized the shipped app (`cdktf.out` layout). */
export function shippedAppDir(): string {
  const dir = cacheDir();
  if (!dir) throw new Error("LS_SYNTH_CACHE is not set: run the tests through jest (global setup)");
  return join(dir, "app");
}

export { stackName } from "../lib/naming";

/** A stack of the shipped app, as written to `cdktf.out/stacks/<name>/cdk.tf.json`. */
export function shippedStack(name: string): Json {
  return JSON.parse(readFileSync(join(shippedAppDir(), "stacks", name, "cdk.tf.json"), "utf8")) as Json;
}

/**
 * What a synthesized stack depends on besides its configuration: the project's construct code
 * and the data it reads (lib/, modules/, stacks/, charts/, versions.ts, the chart-keys fixture the
 * loader reads), the compiler settings and every installed package version (the lock file).
 */
export const SYNTH_INPUTS = ["lib", "modules", "stacks", "charts", "versions.ts", "tsconfig.json", "package-lock.json", "__tests__/fixtures/langsmith-chart-keys.json"];

/** Content hash of SYNTH_INPUTS under `root` (paths and bytes). */
export function synthInputsDigest(root = ROOT): string {
  const h = createHash("sha256");
  const add = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) add(join(p, name));
      return;
    }
    h.update(`${relative(root, p)}\0`).update(readFileSync(p)).update("\0");
  };
  for (const input of SYNTH_INPUTS) add(join(root, input));
  return h.digest("hex").slice(0, 16);
}

/** The cross-run cache: node_modules/.cache/ls-synth/<digest of SYNTH_INPUTS>/ (set by global setup). */
export const PERSISTENT_ROOT = join(ROOT, BUILD_DIRS.SYNTH_CACHE_OUT);
function persistentDir(): string | undefined {
  const digest = process.env.LS_SYNTH_DIGEST;
  return digest ? join(PERSISTENT_ROOT, digest) : undefined;
}

/** Keeps the `keep` newest digests' directories (global setup: a source change makes a new one). */
export function prunePersistent(keep = 2): void {
  if (!existsSync(PERSISTENT_ROOT)) return;
  const dirs = readdirSync(PERSISTENT_ROOT).map((n) => ({ n, t: statSync(join(PERSISTENT_ROOT, n)).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const old of dirs.slice(keep)) rmSync(join(PERSISTENT_ROOT, old.n), { recursive: true, force: true });
}

const keyOf = (env: EnvironmentConfig) => `${createHash("sha256").update(JSON.stringify(env)).digest("hex").slice(0, 16)}.json`;

export function readSynthCache(env: EnvironmentConfig): string | undefined {
  for (const dir of [cacheDir(), persistentDir()]) {
    const file = dir && join(dir, keyOf(env));
    if (file && existsSync(file)) return readFileSync(file, "utf8");
  }
  return undefined;
}

export function writeSynthCache(env: EnvironmentConfig, text: string): void {
  for (const dir of [cacheDir(), persistentDir()]) {
    if (!dir) continue;
    const file = join(dir, keyOf(env));
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.${process.pid}`, text);
    renameSync(`${file}.${process.pid}`, file); // atomic for the other worker
  }
}
