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

export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export function deepMerge<T>(...layers: unknown[]): T {
  return layers.reduce((acc, layer) => mergeTwo(acc, layer), {}) as T;
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return clone(over);
  if (DISCRIMINANTS.some((d) => typeof over[d] === "string" && typeof base[d] === "string" && over[d] !== base[d])) return clone(over);
  const out: PlainObject = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeTwo(base[k], v);
  return out;
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}
