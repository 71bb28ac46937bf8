/**
 * How an operator's `valuesOverrides` meet the lists the project's values builders set. Helm
 * replaces a list whole, so an override list would silently drop the project's items: the
 * emptyDir volumes a read-only root filesystem needs, `capabilities.drop: [ALL]` that Pod Security
 * `restricted` admits, the ClickHouse pool's toleration, production's zone spread, `commonEnv`.
 *
 * - A list of named objects on both sides (env, volumes, volumeMounts) merges by `name`: an item
 *   of the override replaces the project's item of that name, the others are appended after the
 *   project's (`mergeNamedLists`).
 * - Any other list the project sets must keep every one of its items, with the operator's beside
 *   them; the loader refuses one that drops an item (`droppedListItems`).
 *
 * Plain data in, plain data out; used by both applications' builders and by the loader.
 */
import { deepMerge, isPlainObject, PlainObject, set } from "./merge";

type Named = PlainObject & { readonly name: string };
const isNamedList = (v: unknown): v is Named[] => Array.isArray(v) && v.length > 0 && v.every((x) => isPlainObject(x) && typeof x.name === "string");

/** `overrides` with every named list merged by name into the list `generated` has at the same path. */
export function mergeNamedLists(generated: unknown, overrides: unknown): unknown {
  if (isNamedList(overrides) && isNamedList(generated)) {
    const mine = new Map(overrides.map((o) => [o.name, o]));
    const merged: unknown[] = generated.map((g) => mine.get(g.name) ?? g);
    for (const o of overrides) if (!generated.some((g) => g.name === o.name)) merged.push(o);
    return merged;
  }
  if (!isPlainObject(overrides)) return overrides;
  const out: PlainObject = {};
  for (const [k, v] of Object.entries(overrides)) set(out, k, mergeNamedLists(isPlainObject(generated) ? generated[k] : undefined, v));
  return out;
}

/** A list the override sets without some of the project's items (for unnamed lists; named ones merge). */
export interface DroppedItems {
  /** Path under the overrides (`frontend.deployment.securityContext.capabilities.drop`). */
  readonly path: string;
  readonly value: readonly unknown[];
  /** The project's items the override leaves out. */
  readonly dropped: readonly unknown[];
  /** The project's whole list there. */
  readonly project: readonly unknown[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Lists in `overrides` that would replace a list of `generated` and lose some of its items. */
export function droppedListItems(generated: unknown, overrides: unknown, path = ""): DroppedItems[] {
  if (Array.isArray(overrides)) {
    if (!Array.isArray(generated) || generated.length === 0 || (isNamedList(overrides) && isNamedList(generated))) return [];
    const dropped = generated.filter((g) => !overrides.some((o) => same(o, g)));
    return dropped.length > 0 ? [{ path, value: overrides, dropped, project: generated }] : [];
  }
  if (!isPlainObject(overrides) || !isPlainObject(generated)) return [];
  return Object.entries(overrides).flatMap(([k, v]) => droppedListItems(generated[k], v, path ? `${path}.${k}` : k));
}

/**
 * An application's values: the operator's overrides over the project's (merged layers), named
 * lists merged by name; with the override layer as merged (for review) and the override lists that
 * drop the project's items (the builders refuse those; the loader says so first, with the fix).
 */
export function withOverrides<T>(project: T, overrides: PlainObject): { values: T; layer: unknown; dropped: DroppedItems[] } {
  const layer = mergeNamedLists(project, overrides);
  return { values: deepMerge<T>(project, layer), layer, dropped: droppedListItems(project, overrides) };
}

/** How a values builder names a dropped list (`field`: `langsmith.valuesOverrides`). */
export const droppedMessage = (field: string, d: DroppedItems): string => `${field}.${d.path} drops ${JSON.stringify(d.dropped)} of the list the project sets there`;

/** True when `overrides` holds a list anywhere (the loader builds the project's values only then). */
export function holdsList(overrides: unknown): boolean {
  if (Array.isArray(overrides)) return true;
  return isPlainObject(overrides) && Object.values(overrides).some(holdsList);
}
