import { deepMerge } from "../../lib/merge";

describe("deepMerge", () => {
  test("merges objects, replaces arrays and scalars, later layers win", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 2 });
  });
  test("undefined leaves the earlier value", () => {
    expect(deepMerge({ a: 1 }, { a: undefined })).toEqual({ a: 1 });
  });
  test("a changed discriminant replaces the object whole", () => {
    expect(deepMerge({ ch: { mode: "in-cluster", replicas: 1 } }, { ch: { mode: "external", host: "h" } })).toEqual({
      ch: { mode: "external", host: "h" },
    });
  });
  test("only string discriminants replace: a Helm values `backend` block merges", () => {
    expect(deepMerge({ backend: { a: 1 }, x: 1 }, { backend: { b: 2 } })).toEqual({ backend: { a: 1, b: 2 }, x: 1 });
    expect(deepMerge({ backend: "s3", bucket: "b" }, { backend: "cloud", workspace: "w" })).toEqual({ backend: "cloud", workspace: "w" });
  });
  test("does not mutate its inputs", () => {
    const base = { a: { b: [1] } };
    const out = deepMerge<{ a: { b: number[] } }>(base, {});
    out.a.b.push(2);
    expect(base.a.b).toEqual([1]);
  });
});

test("a `__proto__` key in a layer is data, never the result's prototype", () => {
  const over = JSON.parse('{"a": {"__proto__": {"polluted": true}, "b": 1}}');
  const merged = deepMerge<Record<string, any>>({ a: { c: 2 } }, over);
  expect(Object.getPrototypeOf(merged.a)).toBe(Object.prototype);
  expect(merged.a.polluted).toBeUndefined();
  expect(Object.keys(merged.a).sort()).toEqual(["__proto__", "b", "c"]);
  const cloned = deepMerge<Record<string, any>>({}, over);
  expect(Object.getPrototypeOf(cloned.a)).toBe(Object.prototype);
  expect(JSON.stringify(cloned)).toBe(JSON.stringify(over));
});
