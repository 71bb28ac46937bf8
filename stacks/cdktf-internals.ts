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
 * 4. Token-free data skips the token resolver (`fastResolve`, turned on with patch 1 by
 *    stacks/creation-stacks.ts): cdktf's `resolve` builds two closures, a path string and a
 *    context object for every value of the tree, and runs three regular expressions over every
 *    string, also for the plain JSON that makes up most of a stack (policy documents, tags,
 *    manifests): ~40% of a synth. The patch walks plain objects, arrays and primitives itself
 *    and hands every value that is (or may hold) a token to cdktf's resolve, with the same path:
 *    the output is the same by construction (the tests compare it, and the golden digests).
 *
 * `INTERNAL_ASSUMPTIONS` states what each patch relies on, as checks against the installed cdktf;
 * `__tests__/stacks/cdktf-internals.test.ts` runs them, so an upgrade that moves an internal fails
 * loudly, by patch name, instead of making synth silently slower (or, for 3, stale).
 */
// Not part of cdktf's public API: the module its token classes call for their creation stack
// (`require`, not `import *`, so the assignment below reaches the module's own exports object).
import stackTrace = require("cdktf/lib/tokens/private/stack-trace");
import resolveModule = require("cdktf/lib/tokens/private/resolve");
import encoding = require("cdktf/lib/tokens/private/encoding");
import { App, Lazy, TerraformStack, Token, Tokenization } from "cdktf";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";

/** Patch 1: token creation stacks off for this process. Returns whether the patch applied. */
export function disableTokenCreationStacks(): boolean {
  const target = stackTrace as { captureStackTrace: typeof stackTrace.captureStackTrace };
  if (typeof target.captureStackTrace !== "function") return false;
  target.captureStackTrace = () => [];
  return true;
}

type Resolve = typeof resolveModule.resolve;
type ResolveOptions = Parameters<Resolve>[1];
/** Where patch 4 keeps cdktf's own resolve on its module (one process may load this file more than once: jest). */
const ORIGINAL = Symbol.for("langsmith-aws.cdktf-resolve");
type PatchedModule = { resolve: Resolve; [ORIGINAL]?: Resolve };
/** cdktf's own resolve, to which patch 4 hands every value that is or may hold a token. */
const cdktfResolveOriginal: Resolve = (resolveModule as PatchedModule)[ORIGINAL] ?? resolveModule.resolve;
/** The encoded-number pattern cdktf's resolve looks for in every string (its `TokenString.forNumbers`). */
const NUMBER_TOKEN_SOURCE = "[-|\\d|.\\+]+(e[-|\\d|.|e|E|\\+]+)";
const BEFORE_E = /[-|\d.+]/;
const AFTER_E = /[-|\d.eE+]/;

/**
 * Whether cdktf's encoded-number pattern (`NUMBER_TOKEN_SOURCE`, its `TokenString.forNumbers`)
 * matches somewhere in `s`: an `e` with a character of the first class right before it and one of
 * the second right after. The same answer as the regular expression, without its backtracking over
 * every string of a stack (it was ~3% of a synth).
 */
export function mayHoldEncodedNumber(s: string): boolean {
  for (let i = s.indexOf("e", 1); i > 0 && i < s.length - 1; i = s.indexOf("e", i + 1)) {
    if (BEFORE_E.test(s[i - 1]) && AFTER_E.test(s[i + 1])) return true;
  }
  return false;
}

/** A string cdktf's resolve returns unchanged: no token marker, no encoded number, no map token value. */
function plainString(s: string): boolean {
  return !s.includes("TfToken[") && !mayHoldEncodedNumber(s) && s !== Token.STRING_MAP_TOKEN_VALUE && s !== Token.ANY_MAP_TOKEN_VALUE;
}

/** Every encoded token number (plain or list marker) is at most this: ~ -2^960 (checked in INTERNAL_ASSUMPTIONS). */
const TOKEN_DOUBLES_BELOW = -9e288;

/** A number cdktf's resolve returns unchanged (not an encoded token, not the map token value). */
function plainNumber(n: number): boolean {
  if (n > TOKEN_DOUBLES_BELOW) return n !== Token.NUMBER_MAP_TOKEN_VALUE;
  return encoding.extractTokenDouble(n, false) === undefined && encoding.extractTokenDouble(n, true) === undefined;
}

/** An object literal (of any realm): its prototype is Object.prototype or null, and it is no resolvable. */
function plainObject(o: object): boolean {
  const proto = Object.getPrototypeOf(o);
  return (proto === null || Object.getPrototypeOf(proto) === null) && typeof (o as { resolve?: unknown }).resolve !== "function";
}

interface Path {
  readonly parent?: Path;
  readonly key: string;
}
const pathOf = (p: Path | undefined): string[] => {
  const keys: string[] = [];
  for (let q = p; q; q = q.parent) keys.push(q.key);
  return keys.reverse();
};

/** Patch 4: cdktf's resolve, with the plain parts of the tree walked here (see the header). */
export function fastResolve(obj: unknown, options: ResolveOptions): unknown {
  // A call from inside a resolution (a token resolving its value) keeps cdktf's path entirely.
  if (options.previousContext || (options.prefix && options.prefix.length > 0)) return cdktfResolveOriginal(obj, options);
  const handOver = (x: unknown, path: Path | undefined) => cdktfResolveOriginal(x, { ...options, prefix: pathOf(path) });
  const walk = (x: unknown, path: Path | undefined, depth: number): unknown => {
    if (depth > 100) return handOver(x, path);
    switch (typeof x) {
      case "undefined":
        return undefined;
      case "boolean":
        return x;
      case "string":
        return plainString(x) ? x : handOver(x, path);
      case "number":
        return plainNumber(x) ? x : handOver(x, path);
      case "object": {
        if (x === null) return null;
        if (Array.isArray(x)) {
          if (x.some((e) => (typeof e === "string" && e.includes("TfToken[")) || (typeof e === "number" && !plainNumber(e)))) return handOver(x, path);
          const out: unknown[] = [];
          for (let i = 0; i < x.length; i++) {
            const v = walk(x[i], { parent: path, key: String(i) }, depth + 1);
            if (v !== undefined) out.push(v);
          }
          return out;
        }
        if (!plainObject(x)) return handOver(x, path);
        const keys = Object.keys(x);
        if (!keys.every(plainString)) return handOver(x, path);
        const out: Record<string, unknown> = {};
        for (const key of keys) {
          const v = walk((x as Record<string, unknown>)[key], { parent: path, key }, depth + 1);
          if (v !== undefined) out[key] = v;
        }
        return out;
      }
      default:
        return handOver(x, path);
    }
  };
  return walk(obj, undefined, 0);
}

/** Turns patch 4 on for this process (idempotent). Returns whether it applied. */
export function useFastResolve(): boolean {
  const target = resolveModule as PatchedModule;
  if (typeof target.resolve !== "function") return false;
  target[ORIGINAL] ??= target.resolve;
  target.resolve = fastResolve as Resolve;
  return true;
}

/** Whether patch 4 is what cdktf's resolve calls in this process. */
export function fastResolveActive(): boolean {
  return (resolveModule as PatchedModule).resolve === fastResolve;
}

/** Runs `fn` with cdktf's own resolve (as `CDKTF_FULL_RESOLVE=1` does), then restores what was there. */
export function withCdktfResolve<T>(fn: () => T): T {
  const target = resolveModule as PatchedModule;
  const current = target.resolve;
  target.resolve = cdktfResolveOriginal;
  try {
    return fn();
  } finally {
    target.resolve = current;
  }
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
  {
    patch: "4. token-free data skips the token resolver (stacks/creation-stacks.ts)",
    check: () => {
      if (typeof (resolveModule as { resolve?: unknown }).resolve !== "function") return "cdktf/lib/tokens/private/resolve no longer exports resolve";
      if (!source(Tokenization.resolve).includes("resolve_1.resolve)(obj, {")) return "Tokenization.resolve no longer calls the resolve export of tokens/private/resolve";
      // What the patch treats as plain is what cdktf's resolve returns unchanged: these are the checks it mirrors.
      const r = source(cdktfResolveOriginal);
      const needles = ["TokenString.forString(", "TokenString.forNumbers(", "containsStringListTokenElement", "containsNumberListTokenElement", "containsMapToken)(obj)", "unresolved)(obj)", "isConstruct(obj)", "instanceof Date", "Token.STRING_MAP_TOKEN_VALUE", "Token.ANY_MAP_TOKEN_VALUE", "Token.NUMBER_MAP_TOKEN_VALUE", 'typeof x !== "undefined"', 'typeof value === "undefined"'];
      const numbers = (encoding.TokenString.forNumbers("") as unknown as { re: RegExp }).re.source;
      if (numbers !== NUMBER_TOKEN_SOURCE) return `cdktf's encoded-number pattern changed (${numbers}): mayHoldEncodedNumber mirrors ${NUMBER_TOKEN_SOURCE}`;
      const encodings = [false, true].flatMap((list) => [0, 1, 2 ** 20, 2 ** 40].map((i) => encoding.createTokenDouble(i, list)));
      if (!encodings.every((d) => d <= TOKEN_DOUBLES_BELOW)) return "cdktf encodes token numbers differently: plainNumber's fast range no longer excludes them";
      const missing = needles.filter((n) => !r.includes(n));
      return missing.length === 0 ? undefined : `cdktf's resolve changed (no longer has ${missing.join(", ")}): patch 4 must mirror what it returns unchanged`;
    },
  },
];
