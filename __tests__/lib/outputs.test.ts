/** The outputs contract: the synthesized stacks declare exactly the names of lib/outputs.ts. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { STACK_OUTPUTS } from "../../lib/outputs";
import { shippedAppDir, shippedStack } from "../synth-cache";
import { testEach } from "../helpers";
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { stackName } from "../../lib/naming";

// Present only with blob storage, with LangSmith (its role), with Langfuse (its four).
const OPTIONAL = new Set<string>([
  STACK_OUTPUTS.blobBucketName,
  STACK_OUTPUTS.appRoleArn,
  STACK_OUTPUTS.langfuseUrl,
  STACK_OUTPUTS.langfuseBucketName,
  STACK_OUTPUTS.langfuseRoleArn,
  STACK_OUTPUTS.langfuseTargetGroupArn,
]);
const stacks = readdirSync(join(shippedAppDir(), "stacks")).filter((s) => shippedStack(s).output?.[STACK_OUTPUTS.clusterName]);

describe("stack outputs", () => {
  // The filter above finds every environment's stack (and nothing else), whatever the fleet, even none.
  test("every environment's stack is checked", () => {
    expect([...stacks].sort()).toEqual(loadEnvironments(ENVIRONMENTS).map((e) => stackName(e.config)).sort());
  });
  testEach(stacks)("%s declares only contract names, and every required one", (stack) => {
    const declared = Object.keys(shippedStack(stack).output ?? {});
    const contract: string[] = Object.values(STACK_OUTPUTS);
    expect(declared.filter((o) => !contract.includes(o))).toEqual([]);
    expect(contract.filter((o) => !OPTIONAL.has(o) && !declared.includes(o))).toEqual([]);
  });
});
