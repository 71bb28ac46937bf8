/**
 * The four performance patches into cdktf internals (stacks/cdktf-internals.ts): each one's
 * assumption about the installed cdktf holds, and each one does what it is for. A cdktf upgrade
 * that moves an internal fails here, naming the patch.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformOutput, TerraformStack, Testing, Token, Tokenization } from "cdktf";
import { fastResolveActive, INTERNAL_ASSUMPTIONS, mayHoldEncodedNumber, ValidatedResolve, withCdktfResolve } from "../../stacks/cdktf-internals";
import { LangsmithStack } from "../../stacks/langsmith-stack";
import { envWith } from "../helpers";
import { IsolatedStack } from "../../stacks/isolated-stack";
import { enforcePolicy } from "../../lib/policy/enforce";

describe("cdktf internals this project relies on", () => {
  test.each(INTERNAL_ASSUMPTIONS.map((a) => [a.patch, a] as const))("%s", (_patch, assumption) => {
    expect(assumption.check()).toBeUndefined();
  });

  test("there is one assumption per patch", () => {
    expect(INTERNAL_ASSUMPTIONS.map((a) => a.patch.split(".")[0])).toEqual(["1", "2", "3", "4"]);
  });
});

describe("patch 2 and 3 at work in an app synth", () => {
  const outdir = mkdtempSync(join(tmpdir(), "ls-internals-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test("an isolated stack is resolved once for validation and output, gets a local backend, and writes the validated JSON", () => {
    const app = new App({ outdir });
    const stack = new IsolatedStack(app, "isolated");
    new TerraformOutput(stack, "greeting", { value: "hello" });
    enforcePolicy(stack, { name: "isolated", tier: "development", policy: { waivers: [] } }, { rules: [] });
    const resolve = jest.spyOn(TerraformStack.prototype, "toTerraform");
    try {
      app.synth();
      // prepareStack resolved nothing; the policy validation resolved once and the synthesizer wrote that JSON.
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
    const written = JSON.parse(readFileSync(join(outdir, "stacks", "isolated", "cdk.tf.json"), "utf8"));
    expect(written.output.greeting.value).toBe("hello");
    expect(written.terraform.backend.local).toBeDefined();
  });

  test("the kept JSON is handed on once", () => {
    const v = new ValidatedResolve<number>();
    expect(v.take()).toBeUndefined();
    expect(v.keep(1)).toBe(1);
    expect(v.take()).toBe(1);
    expect(v.take()).toBeUndefined();
  });
});

describe("patch 4: token-free data skips the token resolver", () => {
  test("the test setup turned it on (the entry points do the same through speedUpSynth)", () => {
    expect(fastResolveActive()).toBe(true);
    expect(withCdktfResolve(fastResolveActive)).toBe(false);
  });

  // The largest fixture, synthesized with both resolvers: byte for byte the same. (The golden digests,
  // __tests__/golden, were recorded with cdktf's own resolve and hold every shipped stack to it.)
  test("a production stack synthesizes to the same bytes as with cdktf's own resolve", () => {
    const env = envWith("prod");
    const synth = () => Testing.synth(new LangsmithStack(Testing.app(), { env }), true);
    expect(synth()).toBe(withCdktfResolve(synth));
  });

  test("tokens anywhere in the tree (strings, keys, lists, numbers, maps, lazies, functions) resolve as cdktf resolves them", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const name = Lazy.stringValue({ produce: () => "logs" });
    const count = Lazy.numberValue({ produce: () => 3 });
    const list = Lazy.listValue({ produce: () => ["a", "b"] });
    const tree = {
      plain: { a: "x", b: [1, true, null, undefined, "1e5", "us-east-1", { c: undefined }], d: undefined, e: new Date(0) },
      inString: `${name}-bucket`,
      [`key-${name}`]: "value",
      list,
      number: count,
      sum: [count, 2],
      map: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: "v" }) })),
      fn: Fn.join(",", ["a", name]),
      lazyObject: Lazy.anyValue({ produce: () => ({ nested: { n: name, u: undefined } }) }),
      deep: [[[{ x: [name] }]]],
    };
    const resolve = (t: unknown) => Tokenization.resolve(t, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
    expect(resolve(tree)).toEqual(withCdktfResolve(() => resolve(tree)));
    expect(JSON.stringify(resolve(tree))).toBe(JSON.stringify(withCdktfResolve(() => resolve(tree))));
  });

  test("a value cdktf refuses is refused with cdktf's message and path", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const bad = { ok: "x", nested: [{ fn: () => 1 }] };
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    const resolve = () => Tokenization.resolve(bad, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
    const fast = message(resolve);
    expect(fast).toMatch(/nested\/0\/fn/);
    expect(fast).toBe(withCdktfResolve(() => message(resolve)));
  });

  test("its scan for encoded numbers answers as cdktf's pattern does, on every string of a stack and on edge cases", () => {
    const pattern = new RegExp("[-|\\d|.\\+]+(e[-|\\d|.|e|E|\\+]+)");
    const strings = new Set<string>(["", "e", "1e", "e1", "1e5", "-e-", "+e+", "|e|", ".eE", "xe1", "1ex", "ee", "1ee", "a-e-b", "us-east-1", "2e", "-1.8881545897087626e+289", "${TfToken[TOKEN.1]}", "name-e.1", "1|e|1"]);
    const collect = (v: unknown): void => {
      if (typeof v === "string") strings.add(v);
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === "object") Object.entries(v).forEach(([k, x]) => (strings.add(k), collect(x)));
    };
    collect(JSON.parse(Testing.synth(new LangsmithStack(Testing.app(), { env: envWith("dev") }))));
    const differ = [...strings].filter((s) => mayHoldEncodedNumber(s) !== pattern.test(s));
    expect(differ).toEqual([]);
    expect(strings.size).toBeGreaterThan(1000);
  });
});
