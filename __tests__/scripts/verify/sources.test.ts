/** verify checks what the stack deploys: its lists come from the data the stack is built from. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../../../environments";
import { loadEnvironments } from "../../../lib/config/load";
import { runs } from "../../../lib/config/schema";
import { stackName } from "../../../lib/naming";
import { STACK_OUTPUTS } from "../../../lib/outputs";
import { APP_SERVICE_ACCOUNTS } from "../../../scripts/verify/gates/aws";
import { REQUIRED_ADDONS } from "../../../scripts/verify/gates/kubernetes";
import { Json, resources, describeEach } from "../../helpers";
import { shippedAppDir, shippedStack } from "../../synth-cache";

const stacks = readdirSync(join(shippedAppDir(), "stacks")).filter((s) => shippedStack(s).output?.[STACK_OUTPUTS.clusterName]);

describeEach(stacks)("%s", (stack) => {
  const json = shippedStack(stack);

  test("every add-on verify looks for is a Helm release of the stack, and every add-on release is looked for", () => {
    const releases = resources(json, "helm_release").map(([, r]) => r.name as string);
    for (const a of REQUIRED_ADDONS) expect(releases).toContain(a.name);
    const addonReleases = resources(json, "helm_release").filter(([id]) => id.startsWith("addons_")).map(([, r]) => r.name);
    expect(addonReleases.sort()).toEqual(REQUIRED_ADDONS.map((a) => a.name).sort());
  });

});

// LangSmith's service accounts (verify --app langsmith): the stacks of environments that run it.
const langsmithStacks = loadEnvironments(ENVIRONMENTS).map((e) => e.config).filter((c) => runs(c, "langsmith")).map(stackName);

describeEach(langsmithStacks)("%s", (stack) => {
  test("every service account verify checks is trusted by the app role", () => {
    const role = resources(shippedStack(stack), "aws_iam_role").find(([, r]) => JSON.stringify(r.assume_role_policy).includes(APP_SERVICE_ACCOUNTS[0]))?.[1] as Json;
    expect(role).toBeDefined();
    for (const sa of APP_SERVICE_ACCOUNTS) expect(role.assume_role_policy).toContain(`:${sa}`);
  });
});
