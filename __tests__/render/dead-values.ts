/**
 * Finds values that do not change the render (Helm silently ignores them): every leaf we set is
 * changed and the chart re-rendered. Strings and numbers are changed together with unique markers
 * (a leaf is live when its marker shows up in the output; a batch that fails is bisected, and a
 * leaf whose change alone fails the render is live, since the chart reads it); booleans and the
 * leaves without a visible marker are flipped one at a time and compared with the baseline.
 */
import { RenderError } from "../../lib/render";

export type Path = readonly (string | number)[];
export interface Leaf {
  readonly path: Path;
  readonly value: string | number | boolean | null;
}

export function leaves(value: unknown, path: Path = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value: value as Leaf["value"] }];
}

export function setPath<T>(root: T, path: Path, value: unknown): T {
  const copy = structuredClone(root) as any;
  let at = copy;
  for (const step of path.slice(0, -1)) at = at[step];
  at[path[path.length - 1]] = value;
  return copy;
}

export const pathText = (p: Path): string => p.map((s) => (typeof s === "number" ? `[${s}]` : s)).join(".").replace(/\.\[/g, "[");

/** Renders values to helm's output text (async, so renders can run side by side). */
type Render = (values: unknown) => Promise<string>;

/** Runs `tasks` with at most `limit` at a time, results in order. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

function marker(i: number, leaf: Leaf): { value: string | number; seen: (out: string) => boolean } {
  if (typeof leaf.value === "number") {
    // Below 1e6: Helm reads values as float64 and prints 1e6 and above in exponent form (7.000013e+06).
    const n = 900_000 + i * 7;
    return { value: n, seen: (out) => new RegExp(`\\b${n}\\b`).test(out) };
  }
  const m = `zq${i}x`;
  return { value: `${String(leaf.value)}${m}`, seen: (out) => out.includes(m) };
}

/**
 * Paths (as text) of the leaves of `values` whose change leaves the render unchanged. Renders run
 * `concurrency` at a time (helm is one process per render).
 */
/**
 * `openAncestor(path)`: the nearest mapping at or above `path` that the chart passes through whole
 * (`toYaml` of an open map: securityContext, podSecurityContext, affinity, ...), as a key, or
 * undefined. A leaf under such a map is live when a marked sibling under the same map showed up in
 * the render: the map is rendered whole, so its booleans are too (one render instead of one per boolean).
 */
export async function deadLeaves(
  values: unknown,
  render: Render,
  candidates: readonly Leaf[] = leaves(values),
  concurrency = 3,
  openAncestor: (path: Path) => string | undefined = () => undefined,
): Promise<{ dead: string[]; renders: number }> {
  let renders = 0;
  const text = async (v: unknown): Promise<string | RenderError> => {
    renders++;
    try {
      return await render(v);
    } catch (e) {
      if (e instanceof RenderError) return e;
      throw e;
    }
  };
  const baseline = await text(values);
  if (typeof baseline !== "string") throw baseline;
  const live = new Set<Leaf>();
  const markable = candidates.filter((l) => typeof l.value === "string" || typeof l.value === "number");
  const batch = async (group: Leaf[]): Promise<void> => {
    if (group.length === 0) return;
    let v = values;
    const marks = group.map((l) => {
      const m = marker(candidates.indexOf(l), l);
      v = setPath(v, l.path, m.value);
      return { l, m };
    });
    const out = await text(v);
    if (typeof out !== "string") {
      if (group.length === 1) live.add(group[0]);
      else await Promise.all([batch(group.slice(0, group.length >> 1)), batch(group.slice(group.length >> 1))]);
      return;
    }
    for (const { l, m } of marks) if (m.seen(out)) live.add(l);
  };
  await batch(markable);
  const liveOpenMaps = new Set([...live].map((l) => openAncestor(l.path)).filter((k): k is string => k !== undefined));
  for (const c of candidates) {
    const open = openAncestor(c.path);
    if (open !== undefined && liveOpenMaps.has(open)) live.add(c);
  }
  const rest = candidates.filter((c) => !live.has(c));
  const outs = await pool(
    rest.map((l) => () => {
      const changed = typeof l.value === "boolean" ? !l.value : typeof l.value === "number" ? l.value + 1 : l.value === null ? "x" : `${l.value}x`;
      return text(setPath(values, l.path, changed));
    }),
    concurrency,
  );
  const dead = rest.filter((_, i) => outs[i] === baseline).map((l) => pathText(l.path));
  return { dead, renders };
}
