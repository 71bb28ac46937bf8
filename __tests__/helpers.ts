/** Test helpers: build environments from the shipped ones and synthesize stacks. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { ENVIRONMENTS } from "../environments";
import { loadEnvironment } from "../lib/config/load";
import { EnvironmentConfig } from "../lib/config/schema";
import { deepMerge } from "../lib/merge";
import { LangsmithStack } from "../stacks/langsmith-stack";

export type Json = Record<string, any>;

/** The raw (unvalidated) input of a shipped environment, deep-copied. */
export function shippedInput(name: "dev" | "staging" | "prod"): Json {
  const source = ENVIRONMENTS.find((e) => e.file === `environments/${name}.ts`);
  if (!source) throw new Error(`no shipped environment ${name}`);
  return JSON.parse(JSON.stringify(source.input));
}

/** A shipped environment with fields changed (deep-merged), validated. */
export function envWith(name: "dev" | "staging" | "prod", changes: Json = {}): EnvironmentConfig {
  return loadEnvironment({ file: `environments/${name}.ts`, input: deepMerge(shippedInput(name), changes) });
}

const cache = new Map<string, Json>();

/**
 * Synthesized Terraform JSON of one environment's stack (validations run). Each environment is
 * synthesized once per test run: jest's global setup (`__tests__/global-setup.ts`) gives the
 * run a fresh directory, shared by all test files and workers, keyed by the environment's data.
 */
export function synthEnv(env: EnvironmentConfig): Json {
  const key = JSON.stringify(env);
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = process.env.LS_SYNTH_CACHE;
  const file = dir && join(dir, `${createHash("sha256").update(key).digest("hex").slice(0, 16)}.json`);
  let text: string;
  if (file && existsSync(file)) {
    text = readFileSync(file, "utf8");
  } else {
    const app = Testing.app();
    const stack = new LangsmithStack(app, { env });
    text = Testing.synth(stack, true);
    if (file) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${file}.${process.pid}`, text);
      renameSync(`${file}.${process.pid}`, file); // atomic for the other worker
    }
  }
  const json = JSON.parse(text) as Json;
  cache.set(key, json);
  return json;
}

/** All resources of a type as [name, body] pairs. */
export function resources(json: Json, type: string): [string, Json][] {
  return Object.entries((json.resource?.[type] ?? {}) as Json);
}

/** The one resource of a type whose name contains `fragment` (fails if none or several). */
export function resource(json: Json, type: string, fragment = ""): Json {
  const found = resources(json, type).filter(([n]) => n.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one ${type} matching "${fragment}", found ${found.map(([n]) => n).join(", ") || "none"}`);
  return found[0][1];
}
