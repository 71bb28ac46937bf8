/**
 * CDKTF records a full JavaScript stack trace (unlimited depth) for every token it creates:
 * every attribute read (`vpc.id`) and every nested-block output object a provider class builds
 * in its constructor: ~2,500 traces per synth of this app, ~300 ms (a fifth of its time), kept
 * only to be printed if that token later fails to resolve; they never reach the output.
 * Upstream: hashicorp/terraform-cdk#3892 (open). CDK Terrain, the maintained fork, added an
 * off switch for exactly this (`CDKTN_DISABLE_CREATION_STACK`, open-constructs/cdk-terrain#215);
 * cdktf 0.21 has none, so the synth entry points (`main.ts`, `scripts/synth-all.ts`) and the
 * test setup replace the capture function of cdktf's token module. If a cdktf upgrade moves it,
 * this does nothing (synth is slower, never different) and `__tests__/stacks/creation-stacks.test.ts`
 * and `__tests__/stacks/cdktf-internals.test.ts` fail. `CDKTF_CREATION_STACKS=1` keeps the traces, for debugging a resolve error.
 */
// The reach into cdktf's token module lives in the internals adapter (patch 1 there).
import { disableTokenCreationStacks, useFastResolve } from "./cdktf-internals";

export const KEEP_CREATION_STACKS = "CDKTF_CREATION_STACKS";

/** Turns token creation stacks off for this process, unless `CDKTF_CREATION_STACKS=1`. Returns whether it did. */
export function skipTokenCreationStacks(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[KEEP_CREATION_STACKS] === "1") return false;
  return disableTokenCreationStacks();
}

export const KEEP_CDKTF_RESOLVE = "CDKTF_FULL_RESOLVE";

/**
 * The synth entry points' one switch: creation stacks off (above) and patch 4 of
 * stacks/cdktf-internals.ts (token-free data skips cdktf's token resolver; same output, ~40%
 * of a synth less), unless `CDKTF_FULL_RESOLVE=1` (for comparing against cdktf's own resolve).
 */
export function speedUpSynth(env: NodeJS.ProcessEnv = process.env): { creationStacksOff: boolean; fastResolve: boolean } {
  return { creationStacksOff: skipTokenCreationStacks(env), fastResolve: env[KEEP_CDKTF_RESOLVE] === "1" ? false : useFastResolve() };
}
