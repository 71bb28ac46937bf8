import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, planPolicyProblems, policyEnvFor, stackFromPath } from "../../scripts/policy-check";
import type { Json } from "../../lib/policy/types";
import { FIXTURE_ENVIRONMENTS } from "../fixtures/environments";

const FIXTURES = Object.values(FIXTURE_ENVIRONMENTS);

const FIXTURE = join(__dirname, "..", "fixtures", "plan-guard", "replace-database.plan.json");

/** A plan with one resource created with `after` values and the configuration it came from. */
function plan(type: string, after: Json, afterUnknown: Json = {}, expressions: Json = {}): Json {
  return {
    resource_changes: [{ address: `${type}.x`, mode: "managed", type, change: { actions: ["create"], after, after_unknown: afterUnknown } }],
    configuration: { root_module: { resources: [{ address: `${type}.x`, mode: "managed", type, expressions }] } },
  };
}

describe("which environment judges a plan", () => {
  test.each([
    ["dev", "dev", "development"],
    ["langsmith-prod", "prod", "production"],
    ["staging", "staging", "production"],
    ["bootstrap-111111111111-us-west-2", "bootstrap-111111111111-us-west-2", "production"],
  ])("%s -> %s (%s)", (name, envName, tier) => {
    expect(policyEnvFor(name, FIXTURES)).toMatchObject({ name: envName, tier });
  });

  test("an unknown name says which are known", () => {
    // Not a valid environment name (a dash), so no fork can make it known.
    expect(() => policyEnvFor("no-such-env", FIXTURES)).toThrow('policy-check: unknown environment or stack "no-such-env" (known: dev, langsmith-dev, staging, langsmith-staging, prod, langsmith-prod, bootstrap-*)');
  });

  test("the stack is read from the plan's path", () => {
    expect(stackFromPath("cdktf.out/stacks/langsmith-dev/offline/plan.json")).toBe("langsmith-dev");
    expect(stackFromPath("/tmp/plan.json")).toBeUndefined();
  });
});

describe("the pack over plan JSON", () => {
  const dev = policyEnvFor("dev", FIXTURES);

  test("judges what Terraform will create, defaults included", () => {
    const p = plan("aws_db_instance", { engine: "postgres", publicly_accessible: true, storage_encrypted: false, manage_master_user_password: true });
    const ids = planPolicyProblems(p, dev).map((l) => l.split(": ")[1].split(" ")[0]);
    expect(ids).toContain("LS-NET-002");
    expect(ids).toContain("LS-ENC-002");
  });

  test("values known only after apply are filled from the configuration, never violations", () => {
    const p = plan("aws_kms_key", { description: "k" }, { enable_key_rotation: true, arn: true }, { enable_key_rotation: { references: ["var.rotate"] } });
    expect(planPolicyProblems(p, dev)).toEqual([]);
  });

  test("the offline replacement plan: what its small stack leaves out", () => {
    const problems = planPolicyProblems(JSON.parse(readFileSync(FIXTURE, "utf8")), dev);
    expect(problems.map((l) => l.split(" [")[0])).toEqual([
      "aws_s3_bucket.blob: LS-BAK-005",
      "aws_dynamodb_table.lock: LS-BAK-006",
      "aws_s3_bucket.blob: LS-ENC-004",
      "aws_dynamodb_table.lock: LS-ENC-009",
      "aws_db_instance.postgres: LS-LOG-006",
      "aws_s3_bucket.blob: LS-NET-008",
      "aws_s3_bucket.blob: LS-TLS-005",
    ]);
  });

  test("waivers apply to plans too, and are printed", () => {
    const notes: string[] = [];
    const env = { name: "dev", tier: "development" as const, policy: { waivers: [{ rule: "LS-NET-002", reason: "throwaway demo database" }] } };
    const problems = planPolicyProblems(plan("aws_db_instance", { publicly_accessible: true, storage_encrypted: true }), env, (l) => notes.push(l));
    expect(problems.some((l) => l.includes("LS-NET-002"))).toBe(false);
    expect(notes).toEqual(["policy: dev waives LS-NET-002 [critical] (Databases are not publicly accessible): throwaway demo database (1 violation suppressed)"]);
  });
});

describe("command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "ls-policy-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, p: Json) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(p));
    return file;
  };

  test("exit 1 listing violations, 0 when clean, 2 on misuse", () => {
    const err = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(main([write("bad.json", plan("aws_db_instance", { publicly_accessible: true, storage_encrypted: true })), "--env", "dev"], FIXTURES)).toBe(1);
      expect(String(err.mock.calls[0][0])).toContain("aws_db_instance.x: LS-NET-002 [critical] database is publicly accessible");
      expect(main([write("ok.json", plan("aws_kms_key", { enable_key_rotation: true })), "--env", "langsmith-prod"], FIXTURES)).toBe(0);
      expect(String(log.mock.calls[0][0])).toContain("(prod, tier production): passes");
      expect(main(["--env"])).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/^usage: npm run policy -- <plan.json>/);
      const missing = join(dir, "missing.json");
      expect(() => main([missing, "--env", "dev"], FIXTURES)).toThrow(`${missing}: no such file (run the plan first`);
      log.mockClear();
      expect(main(["--help"])).toBe(0);
      expect(String(log.mock.calls[0][0])).toMatch(/^usage: npm run policy -- <plan.json>/);
    } finally {
      err.mockRestore();
      log.mockRestore();
    }
  });
});
