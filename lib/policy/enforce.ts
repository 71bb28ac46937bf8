/**
 * Synth-time enforcement. `enforcePolicy(stack, env)` registers a validation on the stack;
 * CDKTF runs it after aspects, on every `app.synth()` / `cdktf synth` and in tests on
 * `Testing.synth(stack, true)`. It judges the final Terraform JSON (`stack.toTerraform()`,
 * references resolved to `${...}`), so it sees exactly what is written to `cdk.tf.json`,
 * including resources added later by other constructs or aspects.
 *
 * Typed structurally (no CDKTF import): `lib/` stays framework-free.
 */
import { fromSynth } from "./adapters";
import { evaluate, formatViolation, formatWaiver } from "./engine";
import { RULES } from "./rules";
import type { Json, PolicyEnvironment, Rule } from "./types";

/** What enforcePolicy needs of a stack (a cdktf `TerraformStack` has it). */
export interface PolicyTarget {
  readonly node: { addValidation(validation: { validate(): string[] }): void };
  toTerraform(): Json;
  /**
   * A resolve the stack may hand on to the synthesizer (stacks/isolated-stack.ts: one resolve for
   * validation and output, patch 3 of stacks/cdktf-internals.ts). @default toTerraform()
   */
  resolveForValidation?(): Json;
}

export interface EnforceOptions {
  /** @default RULES */
  readonly rules?: readonly Rule[];
  /** Where waiver lines go. @default console.warn */
  readonly warn?: (line: string) => void;
}

export function enforcePolicy(stack: PolicyTarget, env: PolicyEnvironment, options: EnforceOptions = {}): void {
  const rules = options.rules ?? RULES;
  const warn = options.warn ?? ((line: string) => console.warn(line));
  stack.node.addValidation({
    validate: () => {
      const json = stack.resolveForValidation ? stack.resolveForValidation() : stack.toTerraform();
      const result = evaluate(fromSynth(json), env, rules);
      // Waivers are printed on every synth, so nobody forgets one is in force.
      for (const w of result.waived) warn(formatWaiver(env, w, rules));
      return [...result.errors, ...result.violations.map((v) => formatViolation(v, rules))];
    },
  });
}

/**
 * A bootstrap (state) stack serves every environment of its account and region and outlives
 * them all: it is judged as production, with no waivers.
 */
export function stateStackPolicy(stackId: string): PolicyEnvironment {
  return { name: stackId, tier: "production", policy: { waivers: [] } };
}
