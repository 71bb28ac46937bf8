/**
 * The three performance patches into cdktf internals (stacks/cdktf-internals.ts): each one's
 * assumption about the installed cdktf holds, and each one does what it is for. A cdktf upgrade
 * that moves an internal fails here, naming the patch.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { INTERNAL_ASSUMPTIONS, ValidatedResolve } from "../../stacks/cdktf-internals";
import { IsolatedStack } from "../../stacks/isolated-stack";
import { enforcePolicy } from "../../lib/policy/enforce";

describe("cdktf internals this project relies on", () => {
  test.each(INTERNAL_ASSUMPTIONS.map((a) => [a.patch, a] as const))("%s", (_patch, assumption) => {
    expect(assumption.check()).toBeUndefined();
  });

  test("there is one assumption per patch", () => {
    expect(INTERNAL_ASSUMPTIONS.map((a) => a.patch.split(".")[0])).toEqual(["1", "2", "3"]);
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
