/**
 * The one adapter between this project and cdktf internals (cdktf 0.21.0): three patches that
 * make synth faster without changing a byte of output. Nothing else reaches into cdktf.
 *
 * 1. Token creation stacks (`disableTokenCreationStacks`, used by stacks/creation-stacks.ts):
 *    cdktf records a stack trace for every token; the patch replaces the capture function of
 *    `cdktf/lib/tokens/private/stack-trace`.
 * 2. The cross-stack resolve of `prepareStack` (`prepareWithoutCrossStackResolve`, used by
 *    IsolatedStack): `App.synth()` resolves every element once only to find cross-stack
 *    references, which isolated stacks never have; the patch keeps the rest of it (the backend).
 * 3. One resolve for validation and output (`ValidatedResolve`, used by IsolatedStack and
 *    lib/policy/enforce.ts): the synthesizer calls `toTerraform()` right after the validations,
 *    so the policy validation's resolve is handed to it instead of resolving again.
 *
 * `INTERNAL_ASSUMPTIONS` states what each patch relies on, as checks against the installed cdktf;
 * `__tests__/stacks/cdktf-internals.test.ts` runs them, so an upgrade that moves an internal fails
 * loudly, by patch name, instead of making synth silently slower (or, for 3, stale).
 */
// Not part of cdktf's public API: the module its token classes call for their creation stack
// (`require`, not `import *`, so the assignment below reaches the module's own exports object).
import stackTrace = require("cdktf/lib/tokens/private/stack-trace");
import { App, Lazy, TerraformStack } from "cdktf";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";

/** Patch 1: token creation stacks off for this process. Returns whether the patch applied. */
export function disableTokenCreationStacks(): boolean {
  const target = stackTrace as { captureStackTrace: typeof stackTrace.captureStackTrace };
  if (typeof target.captureStackTrace !== "function") return false;
  target.captureStackTrace = () => [];
  return true;
}

/** Patch 2: what `TerraformStack.prepareStack()` does besides the cross-stack resolve. */
export function prepareWithoutCrossStackResolve(stack: TerraformStack): void {
  // A stack without a backend gets a local one.
  stack.ensureBackendExists();
}

/**
 * Patch 3: the JSON the validation resolved, kept for the synthesizer's `toTerraform()` call
 * that follows the validations (nothing changes the tree in between); any later call resolves afresh.
 */
export class ValidatedResolve<T> {
  private kept?: T;
  /** Keeps `json` for the next `take()`; returns it. */
  keep(json: T): T {
    this.kept = json;
    return json;
  }
  /** The kept JSON once, then `undefined`. */
  take(): T | undefined {
    const json = this.kept;
    this.kept = undefined;
    return json;
  }
}

/** What a patch relies on, checked against the installed cdktf: `undefined` when it holds. */
export interface InternalAssumption {
  readonly patch: string;
  readonly check: () => string | undefined;
}

const source = (f: unknown) => (typeof f === "function" ? f.toString() : "");

export const INTERNAL_ASSUMPTIONS: readonly InternalAssumption[] = [
  {
    patch: "1. token creation stacks (stacks/creation-stacks.ts)",
    check: () => {
      const target = stackTrace as { captureStackTrace: () => string[] };
      if (typeof target.captureStackTrace !== "function") return "cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace";
      const original = target.captureStackTrace;
      try {
        target.captureStackTrace = () => ["sentinel"];
        const stack = Lazy.anyValue({ produce: () => 1 }).creationStack;
        return stack.length === 1 && stack[0] === "sentinel" ? undefined : "tokens no longer take their creation stack from stack-trace.captureStackTrace";
      } finally {
        target.captureStackTrace = original;
      }
    },
  },
  {
    patch: "2. prepareStack override (stacks/isolated-stack.ts)",
    check: () => {
      const prepare = source(TerraformStack.prototype.prepareStack);
      if (!source(App.prototype.synth).includes("prepareStack()")) return "App.synth() no longer calls prepareStack()";
      if (!prepare.includes("ensureBackendExists()")) return "TerraformStack.prepareStack() no longer ensures a backend";
      // Besides the backend, only the resolve of every element (which the override skips): anything new must be kept.
      const statements = prepare.replace(/\/\/.*$/gm, "").split(";").map((s) => s.trim()).filter((s) => s && s !== "}");
      return statements.length === 2 && /resolve\)\(this, e\.toTerraform\(\), true\)/.test(prepare)
        ? undefined
        : `TerraformStack.prepareStack() changed: ${prepare.replace(/\s+/g, " ").slice(0, 300)}`;
    },
  },
  {
    patch: "3. one resolve for validation and output (stacks/isolated-stack.ts, lib/policy/enforce.ts)",
    check: () => {
      const synth = source(StackSynthesizer.prototype.synthesize);
      const validations = synth.indexOf("runAllValidations()");
      const resolves = [...synth.matchAll(/\.toTerraform\(\)/g)].map((m) => m.index ?? -1);
      if (validations < 0) return "StackSynthesizer.synthesize() no longer runs the validations";
      if (resolves.length !== 1) return `StackSynthesizer.synthesize() calls toTerraform() ${resolves.length} times (expected once, after the validations)`;
      return resolves[0] > validations ? undefined : "StackSynthesizer.synthesize() resolves before it validates";
    },
  },
];
