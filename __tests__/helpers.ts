/** Test helpers: build environments from the fixture environments and synthesize stacks. */
import { Testing } from "cdktf";
import { FIXTURE_ENVIRONMENTS, FixtureName } from "./fixtures/environments";
import { ConfigError, EnvironmentSource, loadEnvironment, loadEnvironments } from "../lib/config/load";
import { EnvironmentConfig } from "../lib/config/schema";
import { deepMerge } from "../lib/merge";
import { LangsmithStack } from "../stacks/langsmith-stack";

import { readSynthCache, writeSynthCache } from "./synth-cache";
import type { Json } from "./synth-cache";
export type { Json };
export { shippedStack } from "./synth-cache";

/**
 * The raw (unvalidated) input of a fixture environment (`__tests__/fixtures/environments`),
 * deep-copied. Fixtures, not the shipped files: a fork may change or delete those.
 */
export function shippedInput(name: FixtureName): Json {
  return JSON.parse(JSON.stringify(FIXTURE_ENVIRONMENTS[name].input));
}

/** A shipped environment with fields changed (deep-merged), validated. */
export function envWith(name: FixtureName, changes: Json = {}): EnvironmentConfig {
  return loadEnvironment({ file: `environments/${name}.ts`, input: deepMerge(shippedInput(name), changes) });
}

/** The problem lines of loading `sources` together (empty when they load). */
export function loadProblems(sources: readonly EnvironmentSource[]): string[] {
  try {
    loadEnvironments(sources);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

/** The problem lines of a shipped environment with `changes` deep-merged in, then `mutate` applied. */
export function problemsWith(name: FixtureName, changes: Json = {}, mutate?: (input: Json) => void): string[] {
  const input = deepMerge<Json>(shippedInput(name), changes);
  mutate?.(input);
  return loadProblems([{ file: `environments/${name}.ts`, input }]);
}

const cache = new Map<string, Json>();

/**
 * Synthesized Terraform JSON of one environment's stack (validations run). The shipped
 * environments were synthesized once by jest's global setup; any other configuration is
 * synthesized once per run and shared by all test files and workers (synth-cache.ts).
 */
export function synthEnv(env: EnvironmentConfig): Json {
  const key = JSON.stringify(env);
  const hit = cache.get(key);
  if (hit) return hit;
  let text = readSynthCache(env);
  if (text === undefined) {
    const app = Testing.app();
    text = Testing.synth(new LangsmithStack(app, { env }), true);
    writeSynthCache(env, text);
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

/** The arguments jest's `each` passes for a row: a tuple row's elements, or the row itself. */
export type EachArgs<T> = T extends readonly unknown[] ? T : [T];

/**
 * `describe.each` / `test.each` over the environments (or their stacks) a check applies to. A
 * fork's fleet may have none (no LangSmith environment, none priced, or no environment at all),
 * and jest refuses an empty table: the check is then reported as skipped, with the reason,
 * instead of failing the run. `base` is the describe to use (e.g. the render tier's, which skips
 * when helm is unavailable).
 */
export function describeEach<T>(rows: readonly T[], base: jest.Describe = describe): (title: string, fn: (...args: EachArgs<T>) => void) => void {
  if (rows.length > 0) return (title, fn) => base.each(rows as unknown as readonly unknown[][])(title, fn as unknown as (...args: unknown[]) => void);
  return (title) => test.skip(`${title.replace(/%s/g, "(none)")}: no environment of this fleet applies`, () => undefined);
}

/** `test.each` counterpart of describeEach. */
export function testEach<T>(rows: readonly T[]): (title: string, fn: (...args: EachArgs<T>) => unknown) => void {
  if (rows.length > 0) return (title, fn) => test.each(rows as unknown as readonly unknown[][])(title, fn as unknown as (...args: unknown[]) => unknown);
  return (title) => test.skip(`${title.replace(/%s/g, "(none)")}: no environment of this fleet applies`, () => undefined);
}
