import { Lazy, Testing, TerraformStack } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { KEEP_CREATION_STACKS, skipTokenCreationStacks } from "../../stacks/creation-stacks";

// jest gives each test file its own module registry, so the switch stays inside this file.
describe("token creation stacks (stacks/creation-stacks.ts)", () => {
  test(`${KEEP_CREATION_STACKS}=1 keeps them (and cdktf records them by default)`, () => {
    expect(skipTokenCreationStacks({ [KEEP_CREATION_STACKS]: "1" })).toBe(false);
    expect(Lazy.anyValue({ produce: () => 1 }).creationStack.length).toBeGreaterThan(0);
  });

  // Fails if a cdktf upgrade moves the capture function: the switch would silently do nothing.
  test("the switch reaches the function cdktf's tokens call, and tokens still resolve", () => {
    expect(skipTokenCreationStacks({})).toBe(true);
    expect(Lazy.anyValue({ produce: () => 1 }).creationStack).toEqual([]);
    const stack = new TerraformStack(Testing.app(), "s");
    const a = new S3Bucket(stack, "a", { bucket: "a" });
    new S3Bucket(stack, "b", { bucket: `${a.id}-logs` });
    expect(JSON.parse(Testing.synth(stack)).resource.aws_s3_bucket.b.bucket).toBe("${aws_s3_bucket.a.id}-logs");
  });
});
