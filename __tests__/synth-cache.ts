/** The per-run cache of synthesized stacks shared by all test files (see global-setup.ts). */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentConfig } from "../lib/config/schema";

export type Json = Record<string, any>;

export const ROOT = join(__dirname, "..");
/** scripts/build.js's output for tests, built by global setup (see there). */
export const TEST_DIST = join(ROOT, "node_modules", ".cache", "ls-test-dist");

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

function cacheFile(env: EnvironmentConfig): string | undefined {
  const dir = cacheDir();
  return dir && join(dir, `${createHash("sha256").update(JSON.stringify(env)).digest("hex").slice(0, 16)}.json`);
}

export function readSynthCache(env: EnvironmentConfig): string | undefined {
  const file = cacheFile(env);
  return file && existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

export function writeSynthCache(env: EnvironmentConfig, text: string): void {
  const file = cacheFile(env);
  if (!file) return;
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(`${file}.${process.pid}`, text);
  renameSync(`${file}.${process.pid}`, file); // atomic for the other worker
}
