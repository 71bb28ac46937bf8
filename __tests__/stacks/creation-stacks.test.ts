/**
 * The test setup (`__tests__/setup.ts`) already turned creation stacks off for this file, so
 * each test loads its own copies of cdktf and the switch (`jest.isolateModules`).
 */
type Modules = { cdktf: typeof import("cdktf"); switch: typeof import("../../stacks/creation-stacks") };

function fresh(): Modules {
  let loaded: Modules | undefined;
  jest.isolateModules(() => {
    loaded = { cdktf: require("cdktf"), switch: require("../../stacks/creation-stacks") };
  });
  return loaded as Modules;
}

describe("token creation stacks (stacks/creation-stacks.ts)", () => {
  test("cdktf records them by default, and CDKTF_CREATION_STACKS=1 keeps them", () => {
    const { cdktf, switch: s } = fresh();
    expect(s.skipTokenCreationStacks({ [s.KEEP_CREATION_STACKS]: "1" })).toBe(false);
    expect(cdktf.Lazy.anyValue({ produce: () => 1 }).creationStack.length).toBeGreaterThan(0);
  });

  // Fails if a cdktf upgrade moves the capture function: the switch would silently do nothing.
  test("the switch reaches the function cdktf's tokens call, and tokens still resolve", () => {
    const { cdktf, switch: s } = fresh();
    expect(s.skipTokenCreationStacks({})).toBe(true);
    expect(cdktf.Lazy.anyValue({ produce: () => 1 }).creationStack).toEqual([]);
    const stack = new cdktf.TerraformStack(cdktf.Testing.app(), "s");
    const name = cdktf.Lazy.stringValue({ produce: () => "logs" });
    new cdktf.TerraformOutput(stack, "bucket", { value: `${name}-bucket` });
    expect(JSON.parse(cdktf.Testing.synth(stack)).output.bucket.value).toBe("logs-bucket");
  });

  test("speedUpSynth turns patch 4 on too, unless CDKTF_FULL_RESOLVE=1", () => {
    const { switch: s } = fresh();
    expect(s.speedUpSynth({ [s.KEEP_CDKTF_RESOLVE]: "1" })).toEqual({ creationStacksOff: true, fastResolve: false });
    expect(s.speedUpSynth({})).toEqual({ creationStacksOff: true, fastResolve: true });
  });
});
