import { planSummaryMarkdown, summarizePlan } from "../../lib/plan-summary";

const rc = (address: string, ...actions: string[]) => ({ address, mode: "managed", change: { actions } });

describe("summarizePlan", () => {
  test("counts like terraform plan: a replacement is one add and one destroy; reads and no-ops do not count", () => {
    const s = summarizePlan("langsmith-dev", {
      resource_changes: [
        rc("aws_vpc.a", "create"),
        rc("aws_subnet.b", "update"),
        rc("aws_db_instance.c", "delete", "create"),
        rc("aws_s3_bucket.d", "delete"),
        rc("aws_kms_key.e", "no-op"),
        { address: "data.aws_caller_identity.x", mode: "data", change: { actions: ["read"] } },
      ],
    });
    expect(s).toMatchObject({ add: 2, change: 1, destroy: 2, destructive: ["aws_db_instance.c (replace)", "aws_s3_bucket.d"], applyNeeded: true });
  });

  test("an empty plan needs no apply, unless an output changes", () => {
    expect(summarizePlan("s", { resource_changes: [rc("a.b", "no-op")] }).applyNeeded).toBe(false);
    expect(summarizePlan("s", { output_changes: { vpc_id: { actions: ["no-op"] } } }).applyNeeded).toBe(false);
    expect(summarizePlan("s", { output_changes: { vpc_id: { actions: ["create"] } } })).toMatchObject({ outputChanges: 1, applyNeeded: true });
  });

  test("markdown headline has the counts; destructive changes are listed for review", () => {
    const md = planSummaryMarkdown(summarizePlan("langsmith-prod", { resource_changes: [rc("aws_db_instance.c", "create", "delete")] }));
    expect(md.split("\n")[0]).toBe("### langsmith-prod: 1 to add, 0 to change, 1 to destroy");
    expect(md).toContain("- `aws_db_instance.c (replace)`");
    expect(planSummaryMarkdown(summarizePlan("x", {}))).toContain("No changes");
  });
});
