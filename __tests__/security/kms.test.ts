/** Key policies: administration without use, use only through the services that encrypt with the key. */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { Testing, TerraformStack } from "cdktf";
import { CustomerManagedKey, KEY_ADMIN_ACTIONS } from "../../modules/kms";
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

/** Each key's account use, by key id prefix: only the services of what it encrypts (KEY_SERVICES). */
const VIA: readonly (readonly [RegExp, readonly string[]])[] = [
  [/^ebs-key/, ["ec2"]],
  [/^logs-key/, ["logs"]],
  [/^data_blob_key|^langfuse.*_key/, ["s3"]],
  [/^data_postgres_key/, ["rds", "secretsmanager"]],
  [/^data_redis_key/, ["elasticache"]],
  [/^data_secrets_key/, ["secretsmanager"]],
  [/^observability_alarms.*key/, ["sns"]],
];

testEach(stacks)("%s: every key is usable only through the services of what it encrypts (blob key only S3, secrets key only Secrets Manager...)", (name) => {
  for (const [id, key] of resources(shippedStack(name), "aws_kms_key")) {
    if (id.includes("eks-secrets")) continue;
    const use = (JSON.parse(key.policy).Statement as Json[]).find((s) => s.Sid === "AccountUsesThroughServices")!;
    const services = [use.Condition.StringEquals["kms:ViaService"]].flat().map((v: string) => v.split(".")[0]);
    const expected = VIA.find(([re]) => re.test(id));
    expect([id, expected ? services : "a key this test does not know: add it to VIA"]).toEqual([id, expected?.[1]]);
  }
});

test("a key must name the services it is used through: an empty list is refused", () => {
  const stack = new TerraformStack(Testing.app(), "k");
  expect(() => new CustomerManagedKey(stack, "k", { alias: "ls-dev-x", description: "x", accountId: "111111111111", region: "us-west-2", usedThrough: [] })).toThrow(
    'kms key ls-dev-x: usedThrough must name at least one service (KEY_SERVICES) or be "direct"',
  );
});
