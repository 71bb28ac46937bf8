/**
 * Loads and validates every environment at once, before any construct runs.
 *
 * Every problem becomes one line `<file>: <field path> <what is wrong>, got <value>[; fix]`,
 * and all lines of all environments are reported together in one ConfigError.
 */
import { ZodIssue } from "zod";
import { EnvironmentConfig, EnvironmentSchema } from "./schema";
import { ENVIRONMENT_RULES, EnvironmentRule, FLEET_RULES, Problem } from "./rules";

/** An environment file's data together with the file it came from (for messages). */
export interface EnvironmentSource {
  readonly file: string;
  readonly input: unknown;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export interface LoadedEnvironment {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/** Validates all environments; throws a ConfigError listing every problem found. */
export function loadEnvironments(sources: readonly EnvironmentSource[], options: { readonly rules?: readonly EnvironmentRule[] } = {}): LoadedEnvironment[] {
  const problems: string[] = [];
  const loaded: LoadedEnvironment[] = [];
  for (const source of sources) {
    const parsed = EnvironmentSchema.safeParse(source.input);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `${source.file}: ${formatZodIssue(i, source.input)}`));
    }
    const data = (parsed.success ? parsed.data : source.input) as EnvironmentConfig;
    const failedPaths = parsed.success ? [] : parsed.error.issues.map(failedPath);
    let envProblems: Problem[];
    try {
      envProblems = runEnvironmentRules(data, { file: source.file, schemaValid: parsed.success, failedPaths, rules: options.rules });
    } catch (e) {
      // A rule (or a values builder it calls) failed on a schema-valid file: reported with every
      // other problem of this run, naming the file and the rule, instead of ending the run.
      if (!(e instanceof RuleError)) throw e;
      problems.push(e.message);
      continue;
    }
    problems.push(...envProblems.map((p) => `${source.file}: ${formatProblem(p)}`));
    if (parsed.success && envProblems.length === 0) loaded.push({ file: source.file, config: parsed.data });
  }
  for (const rule of FLEET_RULES) {
    problems.push(...rule(loaded).map((p) => `${p.file}: ${formatProblem(p)}`));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

/** A cross-field rule threw on an environment the schema accepted: a bug in the rule, never a pass. */
export class RuleError extends Error {
  constructor(
    readonly file: string,
    readonly rule: string,
    cause: unknown,
  ) {
    super(`${file}: environment rule "${rule}" (lib/config/rules.ts) failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "RuleError";
  }
}

/**
 * Runs the cross-field rules over one environment. They run even when the shape is wrong, so
 * one run reports everything it can; there, a rule that trips over a malformed field is skipped
 * (the shape error covers it). On a schema-valid environment a throwing rule is rethrown with
 * its name: swallowing it would let every environment pass that rule.
 */
export function runEnvironmentRules(
  env: EnvironmentConfig,
  o: {
    readonly file: string;
    readonly schemaValid: boolean;
    readonly rules?: readonly EnvironmentRule[];
    /**
     * Dotted paths the schema rejected. A rule that reads one of them (or anything under it) is
     * not reported: its verdict would be a follow-up of the type error ("gives -7.91 vCPU"), and
     * the type error already names the field.
     */
    readonly failedPaths?: readonly string[];
  },
): Problem[] {
  const failed = o.failedPaths ?? [];
  return (o.rules ?? ENVIRONMENT_RULES).flatMap((rule, i) => {
    const read = new Set<string>();
    try {
      const problems = rule(failed.length > 0 ? tracked(env, "", read) : env);
      const tainted = [...read].some((r) => failed.some((f) => f === "" || r === f || r.startsWith(`${f}.`)));
      return tainted ? [] : problems;
    } catch (e) {
      if (o.schemaValid) throw new RuleError(o.file, rule.name || `#${i}`, e);
      return [];
    }
  });
}

/** The path a schema issue condemns: a wrong discriminator condemns its whole object. */
function failedPath(issue: ZodIssue): string {
  const path = issue.code === "invalid_union_discriminator" ? issue.path.slice(0, -1) : issue.path;
  return path.join(".");
}

/** A read-only view of `value` that records every dotted path read through it into `read`. */
function tracked<T>(value: T, path: string, read: Set<string>): T {
  if (value === null || typeof value !== "object") return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || (Array.isArray(target) && !/^\d+$/.test(key))) return v;
      const p = path ? `${path}.${key}` : key;
      read.add(p);
      return tracked(v, p, read);
    },
  }) as T;
}

/** Validates one environment (tests, forks). */
export function loadEnvironment(source: EnvironmentSource): EnvironmentConfig {
  return loadEnvironments([source])[0].config;
}

export function formatProblem(p: Problem): string {
  return `${p.path} ${p.message}, got ${show(p.value)}${p.fix ? `; ${p.fix}` : ""}`;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === "") return '""';
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

const KINDS: Readonly<Record<string, string>> = { string: "a string", number: "a number", integer: "a whole number", boolean: "true or false", array: "a list", object: "an object" };
/** zod's expected type, as a reader says it ("a string", "true or false"). */
const article = (expected: string): string => KINDS[expected] ?? expected;

/**
 * The fix for a value of the wrong type, written out where the value converts: the quotes added
 * (a number or true/false where a string is wanted: an account id written as a number), taken
 * away (a number or a boolean written in quotes), or brackets (one item where a list is wanted).
 */
function typeFix(expected: string, value: unknown): string {
  const literal = typeof value === "string" ? value.trim() : undefined;
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) return `write it in quotes: "${value}"`;
  if ((expected === "number" || expected === "integer") && literal !== undefined && literal !== "" && Number.isFinite(Number(literal))) return `write it without quotes: ${Number(literal)}`;
  if (expected === "integer" && typeof value === "number") return `write a whole number, e.g. ${Math.round(value)}`;
  if (expected === "boolean" && (literal === "true" || literal === "false")) return `write it without quotes: ${literal}`;
  if (expected === "array" && value !== null && typeof value !== "object") return `write it as a list: [${JSON.stringify(value)}]`;
  return "see lib/config/schema.ts for what it takes";
}

/** zod's own wording; a schema-supplied message replaces it. */
const DEFAULT_MESSAGE = /^(String|Number|Array|Set|Date|BigInt) must /;

function formatZodIssue(issue: ZodIssue, input: unknown): string {
  const path = issue.path.join(".") || "(root)";
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case "invalid_enum_value":
      return `${path} must be one of ${issue.options.join(" | ")}, got ${show(value)}`;
    case "invalid_union_discriminator":
      return `${path} must be one of ${issue.options.map(String).join(" | ")}, got ${show(value)}`;
    case "invalid_literal":
      return `${path} must be ${show(issue.expected)}, got ${show(value)}`;
    case "unrecognized_keys":
      return `${path} has unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}; remove ${issue.keys.length > 1 ? "them" : "it"} or fix the spelling (see lib/config/schema.ts)`;
    case "invalid_type":
      return value === undefined
        ? `${path} is required (${issue.expected}), got nothing; add it (see lib/config/schema.ts)`
        : `${path} must be ${article(issue.expected)}, got ${value === null ? "null" : `${issue.received} ${show(value)}`}; ${typeFix(issue.expected, value)}`;
    case "too_small":
      if (!DEFAULT_MESSAGE.test(issue.message)) return `${path} ${issue.message}, got ${show(value)}`;
      if (issue.type === "string") return Number(issue.minimum) === 1 ? `${path} must not be empty, got ""` : `${path} must have at least ${issue.minimum} characters, got ${show(value)}`;
      if (issue.type === "array") return `${path} must have at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"}, got ${show(value)}`;
      // An exclusive bound (`.positive()`: minimum 0, not inclusive) is not "at least 0".
      return issue.inclusive ? `${path} must be at least ${issue.minimum}, got ${show(value)}` : `${path} must be greater than ${issue.minimum}, got ${show(value)}`;
    case "too_big":
      if (issue.type === "array") return `${path} must have at most ${issue.maximum} items, got ${show(value)}`;
      return issue.inclusive ? `${path} must be at most ${issue.maximum}, got ${show(value)}` : `${path} must be less than ${issue.maximum}, got ${show(value)}`;
    default:
      return `${path} ${issue.message}, got ${show(value)}`;
  }
}
