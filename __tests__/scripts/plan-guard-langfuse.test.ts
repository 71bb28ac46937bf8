/** Change control from the Fly runbook: Langfuse's stores are protected like LangSmith's. */
import { guardPlan } from "../../scripts/plan-guard";
import { isStateful } from "../../lib/policy/stateful";
import { resources, synthEnv } from "../helpers";
import { withLangfuse } from "../langfuse-envs";

describe("plan guard over Langfuse's stores", () => {
  const json = synthEnv(withLangfuse("dev", (i) => (i.langfuse.database = "own-instance")));
  // Every Langfuse resource that holds data, by the addresses the stack gives them.
  const stores = [
    ...resources(json, "aws_s3_bucket").filter(([n]) => n.startsWith("langfuse-data")).map(([n]) => `aws_s3_bucket.${n}`),
    ...resources(json, "aws_kms_key").filter(([n]) => n.startsWith("langfuse-data")).map(([n]) => `aws_kms_key.${n}`),
    ...resources(json, "aws_db_instance").filter(([n]) => n.includes("langfuse-postgres")).map(([n]) => `aws_db_instance.${n}`),
    ...resources(json, "aws_secretsmanager_secret").filter(([, s]) => String(s.name).includes("/langfuse/")).map(([n]) => `aws_secretsmanager_secret.${n}`),
  ];

  test("finds the bucket, its key, the own instance and the secrets", () => {
    expect(stores.filter((a) => a.startsWith("aws_s3_bucket."))).toHaveLength(1);
    expect(stores.filter((a) => a.startsWith("aws_db_instance."))).toHaveLength(1);
    expect(stores.filter((a) => a.startsWith("aws_secretsmanager_secret."))).toHaveLength(9);
  });

  test.each([["delete"], ["replace"]] as const)("refuses to %s any of them", (kind) => {
    const plan = {
      resource_changes: stores.map((address) => ({
        address,
        mode: "managed",
        type: address.split(".")[0],
        change: { actions: kind === "delete" ? ["delete"] : ["delete", "create"], before: {}, after: {} },
      })),
    };
    for (const a of stores) expect(isStateful(a.split(".")[0])).toBe(true);
    const findings = guardPlan(plan);
    expect(findings.map((f) => [f.address, f.action, f.allowed])).toEqual(stores.map((a) => [a, kind, false]));
    expect(guardPlan(plan, [stores[0]]).filter((f) => !f.allowed)).toHaveLength(stores.length - 1);
  });
});
