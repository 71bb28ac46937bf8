/**
 * Reading Terraform values the same way from both views. Unknown values (`${...}`) are never
 * a violation: a rule that cannot decide says nothing, and the other view (or the next
 * resource to appear) decides instead.
 */
import type { Json, PolicyResource } from "./types";

/** The value is (or contains) a Terraform reference or expression not known at this point. */
export function unresolved(v: unknown): boolean {
  return typeof v === "string" && v.includes("${");
}

export function isTrue(v: unknown): boolean {
  return v === true || v === "true";
}

export function isFalse(v: unknown): boolean {
  return v === false || v === "false";
}

/** Set to something other than null, "" or an empty list. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
}

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Nested blocks: synth writes a single block as an object, plan JSON as a list. */
export function blocks(v: unknown): Json[] {
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

export function block(v: unknown): Json | undefined {
  return blocks(v)[0];
}

/** A list attribute as a list (a scalar becomes a one-element list, null an empty one). */
export function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return v === undefined || v === null ? [] : [v];
}

/** Every string anywhere inside `v`. */
export function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (isObject(v)) return Object.values(v).flatMap(strings);
  return [];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `(^|not part of a name)address(not followed by more name)`: a reference to `address` itself, not a longer one. */
function addressPattern(address: string): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_.-])${escapeRegExp(address)}(?![A-Za-z0-9_-])`);
}

const LITERAL_KEYS = ["id", "arn", "name", "bucket", "identifier", "cluster_identifier", "replication_group_id", "key_id"];

/** How other values can point at a resource: its address pattern and its literal id/name/arn. Built once per resource. */
interface Target {
  readonly address: RegExp;
  readonly literals: readonly string[];
}
const targets = new WeakMap<PolicyResource, Target>();

function targetOf(r: PolicyResource): Target {
  let t = targets.get(r);
  if (!t) {
    const literals = LITERAL_KEYS.map((k) => r.values[k]).filter((x): x is string => typeof x === "string" && x !== "" && !unresolved(x));
    t = { address: addressPattern(r.address), literals };
    targets.set(r, t);
  }
  return t;
}

/** `v` points at `target`: a reference to its address, or the literal id/name/arn it will have. */
export function pointsAt(v: unknown, target: PolicyResource): boolean {
  return stringsPointAt(strings(v), target);
}

/** `pointsAt` for a value already flattened with `strings()` (to test one value against many resources). */
export function stringsPointAt(values: readonly string[], r: PolicyResource): boolean {
  const t = targetOf(r);
  return values.some((s) => (s.includes("${") && t.address.test(s)) || t.literals.includes(s));
}

/** Compiled wildcard patterns (a small vocabulary: `s3:Get*`, `iam:Pass*`...). */
const globs = new Map<string, RegExp>();

/** Shell-style match, case-insensitive, as IAM matches actions: `iam:Pass*` matches `iam:PassRole`. */
export function globMatch(pattern: string, value: string): boolean {
  // Most actions are written out in full: no regex to build (V8 compiles each one on first use).
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern.toLowerCase() === value.toLowerCase();
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split("*").map((p) => escapeRegExp(p).replace(/\\\?/g, ".")).join(".*")}$`, "i");
    globs.set(pattern, re);
  }
  return re.test(value);
}

/** One IAM policy statement with every list-or-string field as a list. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string[];
  readonly NotAction: string[];
  readonly Resource: string[];
  readonly NotResource: string[];
  /** `"*"`, or principal type → list of principals. */
  readonly Principal?: "*" | Record<string, string[]>;
  readonly Condition: Record<string, Record<string, unknown>>;
}

/**
 * The statements of a policy document given as JSON text (how `lib/iam.ts` encodes them).
 * `undefined` when the text is not known yet (a whole-document reference such as
 * `${data.x.json}`) or not JSON: the rule cannot judge it.
 */
export function policyStatements(text: unknown): Statement[] | undefined {
  if (typeof text !== "string") return undefined;
  // Several rules read every policy of a stack: each document is parsed once (shared, read-only).
  if (parsedPolicies.has(text)) return parsedPolicies.get(text);
  if (parsedPolicies.size >= PARSED_POLICIES_MAX) parsedPolicies.clear();
  const statements = parsePolicy(text);
  parsedPolicies.set(text, statements);
  return statements;
}

/** Parsed policy documents by text; emptied when full (a fleet's synth holds a few hundred). */
const parsedPolicies = new Map<string, Statement[] | undefined>();
const PARSED_POLICIES_MAX = 2_000;

function parsePolicy(text: string): Statement[] | undefined {
  if (/^\s*\$\{/.test(text)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  const strs = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === "string");
  return list(doc.Statement)
    .filter(isObject)
    .map((s) => ({
      Sid: typeof s.Sid === "string" ? s.Sid : undefined,
      Effect: String(s.Effect ?? "Allow"),
      Action: strs(s.Action),
      NotAction: strs(s.NotAction),
      Resource: strs(s.Resource),
      NotResource: strs(s.NotResource),
      Principal:
        s.Principal === "*"
          ? "*"
          : isObject(s.Principal)
            ? Object.fromEntries(Object.entries(s.Principal).map(([k, v]) => [k, strs(v)]))
            : undefined,
      Condition: isObject(s.Condition) ? (s.Condition as Record<string, Record<string, unknown>>) : {},
    }));
}

/** A statement label for messages: its Sid, or its position. */
export function statementLabel(s: Statement, i: number): string {
  return s.Sid ? `statement "${s.Sid}"` : `statement ${i + 1}`;
}
