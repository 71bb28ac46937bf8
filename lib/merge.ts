/**
 * Deep merge used for environment profiles and Helm values layers.
 * - plain objects merge key by key, later layers win;
 * - arrays and scalars are replaced whole;
 * - `undefined` in a later layer leaves the earlier value;
 * - a discriminated object (`mode`, `backend`, `model`) whose discriminant changes is
 *   replaced whole, so switching e.g. clickhouse.mode does not keep the old mode's fields.
 *   Only string discriminants count: in Helm values `backend` is a component block, not a tag.
 */
const DISCRIMINANTS = ["mode", "backend", "model"] as const;

export type PlainObject = Record<string, unknown>;

/** An object literal or parsed JSON/YAML mapping (of any realm: vm contexts, jest's sandboxes), not a class instance. */
export function isPlainObject(v: unknown): v is PlainObject {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function deepMerge<T>(...layers: unknown[]): T {
  return layers.reduce((acc, layer) => mergeTwo(acc, layer), {}) as T;
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return clone(over);
  if (DISCRIMINANTS.some((d) => typeof over[d] === "string" && typeof base[d] === "string" && over[d] !== base[d])) return clone(over);
  const out: PlainObject = { ...base };
  for (const k of Object.keys(over)) set(out, k, mergeTwo(base[k], over[k]));
  return out;
}

// Loops rather than Object.fromEntries/entries (the values builder merges every layer of every
// environment; this is a measurable part of a synth and of the tests that build many).
function clone(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = clone(v[i]);
    return out;
  }
  if (isPlainObject(v)) {
    const out: PlainObject = {};
    for (const k of Object.keys(v)) set(out, k, clone(v[k]));
    return out;
  }
  return v;
}

/** An own property even for the key `__proto__` (as Object.fromEntries and spreading define it). */
export function set(o: PlainObject, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
