/**
 * Any mistake in an environment file reaches the user as the loader's field-named message: every
 * field of a development and a Langfuse-only production file is replaced, one at a time, by values
 * of the wrong kind. The loader must report (not throw), name the file and a field path, say
 * nothing unreadable (`undefined`, `[object Object]`, `NaN`) and nothing self-contradictory
 * ("at least 1, got 1"); a primitive replaced by one of another type must be refused, and a
 * wrong type comes with its fix.
 */
import { Json, loadProblems, shippedInput } from "../helpers";
import { langfuseOnlyProductionFork } from "../langfuse-envs";

const FILE = "environments/broken.ts";
// null (wrong kind for every field, objects included), a string, an empty one and 0 (bounds): each leaf and each object.
const WRONG: readonly unknown[] = [null, "x", "", 0];

/** Every path of `o` (objects and arrays walked; the root left out). */
function paths(o: unknown, prefix: string[] = []): string[][] {
  if (!o || typeof o !== "object") return [prefix];
  return [...(prefix.length > 0 ? [prefix] : []), ...Object.entries(o).flatMap(([k, v]) => paths(v, [...prefix, k]))];
}
const at = (o: unknown, path: readonly string[]): unknown => path.reduce<unknown>((c, k) => (c as Record<string, unknown> | undefined)?.[k], o);
const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

const BASES: readonly [string, () => Json][] = [
  ["a development file", () => shippedInput("dev")],
  ["a Langfuse-only production file", () => langfuseOnlyProductionFork() as Json],
];

describe.each(BASES)("%s with one field broken", (_name, base) => {
  test("reports every mistake by field, readably, never by throwing", () => {
    const wrong: string[] = [];
    for (const path of paths(base())) {
      const original = at(base(), path);
      for (const value of WRONG) {
        const input = base();
        (at(input, path.slice(0, -1)) as Record<string, unknown>)[path[path.length - 1]] = structuredClone(value);
        const where = `${path.join(".")} = ${JSON.stringify(value)}`;
        let problems: string[];
        try {
          problems = loadProblems([{ file: FILE, input }]);
        } catch (e) {
          wrong.push(`${where}: threw ${(e as Error).message.split("\n")[0]}`);
          continue;
        }
        for (const p of problems) {
          const said = p.replace(/, got .*$/s, "");
          if (!/^environments\/broken\.ts: [a-zA-Z]/.test(p)) wrong.push(`${where}: no file and field: ${p}`);
          if (/undefined|\[object Object\]|NaN/.test(said)) wrong.push(`${where}: unreadable: ${p}`);
          const bound = /must be at least (-?[\d.]+)(?: [^,]*)?, got (-?[\d.]+)$/.exec(p);
          if (bound && Number(bound[2]) >= Number(bound[1])) wrong.push(`${where}: contradicts itself: ${p}`);
          if (/, got $/.test(p)) wrong.push(`${where}: the value shown as nothing: ${p}`);
          if (/ must be (a string|a number|a whole number|true or false|a list|an object), got /.test(p) && !/; (write|see) /.test(p)) wrong.push(`${where}: a wrong type without its fix: ${p}`);
        }
        const primitive = original !== null && typeof original !== "object";
        if (primitive && kind(value) !== kind(original) && problems.length === 0) wrong.push(`${where}: accepted in place of ${JSON.stringify(original)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
