/** Key policies: administration without use, use only through the services that encrypt with the key. */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { KEY_ADMIN_ACTIONS } from "../../modules/kms";
import { Json, resources, shippedStack, testEach } from "../helpers";

const stacks = loadEnvironments(ENVIRONMENTS).map((e) => `langsmith-${e.config.name}`);

test("the admin actions include no cryptographic use and no grant creation", () => {
  for (const a of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:CreateGrant", "kms:*"]) expect(KEY_ADMIN_ACTIONS).not.toContain(a);
});

testEach(stacks)("%s: no key gives kms:*; account use is through named services, except the EKS secrets key", (name) => {
  const keys = resources(shippedStack(name), "aws_kms_key");
  expect(keys.length).toBeGreaterThan(0);
  for (const [id, key] of keys) {
    const statements = JSON.parse(key.policy).Statement as Json[];
    expect([id, statements.some((s) => [s.Action].flat().includes("kms:*"))]).toEqual([id, false]);
    const use = statements.find((s) => String(s.Sid).startsWith("AccountUses"))!;
    if (id.includes("eks-secrets")) expect(use.Condition).toEqual({ StringEquals: { "kms:CallerAccount": expect.any(String) } });
    else expect(use.Condition.StringEquals["kms:ViaService"].length).toBeGreaterThan(0);
  }
});

testEach(stacks.slice(0, 1))("%s: the EBS key is used only through EC2", (name) => {
  const [, key] = resources(shippedStack(name), "aws_kms_key").find(([id]) => id.startsWith("ebs-key"))!;
  const use = (JSON.parse(key.policy).Statement as Json[]).find((s) => s.Sid === "AccountUsesThroughServices")!;
  expect(use.Condition.StringEquals["kms:ViaService"]).toEqual([expect.stringMatching(/^ec2\.[a-z0-9-]+\.amazonaws\.com$/)]);
});
