import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../scripts/plan-summary";

describe("scripts/plan-summary", () => {
  test("prints the markdown and writes the JSON summary with the planned commit and tree", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-summary-"));
    const plan = join(dir, "plan.json");
    writeFileSync(plan, JSON.stringify({ resource_changes: [{ address: "aws_vpc.a", mode: "managed", change: { actions: ["create"] } }] }));
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
    try {
      expect(main(["langsmith-dev", plan, "--out", join(dir, "s.json"), "--commit", "c0ffee", "--tree", "7ree"])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out.join("")).toMatch(/^### langsmith-dev: 1 to add, 0 to change, 0 to destroy/);
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toMatchObject({ stack: "langsmith-dev", add: 1, applyNeeded: true, commit: "c0ffee", tree: "7ree" });
  });

  test("without a plan file it prints usage and exits 2", () => {
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    expect(main(["langsmith-dev"])).toBe(2);
    expect(spy.mock.calls[0][0]).toMatch(/^usage: plan-summary/);
    spy.mockRestore();
  });
});
