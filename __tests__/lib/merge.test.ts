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
  test("does not mutate its inputs", () => {
    const base = { a: { b: [1] } };
    const out = deepMerge<{ a: { b: number[] } }>(base, {});
    out.a.b.push(2);
    expect(base.a.b).toEqual([1]);
  });
});
