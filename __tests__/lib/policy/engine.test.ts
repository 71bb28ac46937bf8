import { fromSynth } from "../../../lib/policy/adapters";
import { evaluate, formatViolation, formatWaiver, waiverProblems } from "../../../lib/policy/engine";
import type { PolicyEnvironment } from "../../../lib/policy/types";

const env = (tier: PolicyEnvironment["tier"], waivers: PolicyEnvironment["policy"]["waivers"] = []): PolicyEnvironment => ({ name: "test", tier, policy: { waivers } });

/** A KMS key that rotates nothing and a log group without retention: LS-ENC-008 (high), LS-LOG-003 (medium), LS-ENC-006 (medium); plus LS-STATE-001 in production. */
const view = fromSynth({
  resource: {
    aws_kms_key: { k: { "//": { metadata: { path: "s/logs-key/key" } }, description: "x" } },
    aws_cloudwatch_log_group: { g: { name: "/x" } },
  },
});

describe("evaluate", () => {
  test("runs the rules of the tier and returns every violation in a stable order", () => {
    expect(evaluate(view, env("development")).violations.map((v) => `${v.ruleId} ${v.address}`)).toEqual([
      "LS-ENC-006 aws_cloudwatch_log_group.g",
      "LS-ENC-008 aws_kms_key.k",
      "LS-LOG-003 aws_cloudwatch_log_group.g",
    ]);
    expect(evaluate(view, env("production")).violations.map((v) => v.ruleId)).toEqual(["LS-ENC-006", "LS-ENC-008", "LS-LOG-003", "LS-STATE-001"]);
  });

  test("synth-only rules do not run on plan views", () => {
    expect(evaluate({ ...view, kind: "plan" }, env("production")).violations.map((v) => v.ruleId)).not.toContain("LS-STATE-001");
  });

  test("a waiver skips its rule and reports how many violations it hid", () => {
    const result = evaluate(view, env("production", [{ rule: "LS-LOG-003", reason: "logs shipped elsewhere, see ADR-7" }]));
    expect(result.violations.map((v) => v.ruleId)).toEqual(["LS-ENC-006", "LS-ENC-008", "LS-STATE-001"]);
    expect(result.waived).toEqual([{ rule: "LS-LOG-003", reason: "logs shipped elsewhere, see ADR-7", suppressed: 1 }]);
    expect(result.errors).toEqual([]);
  });

  test("refused waivers are errors and do not skip the rule", () => {
    const result = evaluate(view, env("production", [{ rule: "LS-NOPE-001", reason: "a long enough reason" }, { rule: "LS-ENC-004", reason: "a long enough reason" }]));
    expect(result.errors).toEqual([
      "test: policy.waivers.0.rule must be the id of a policy rule (see docs/policy-rules.md), got LS-NOPE-001; check the spelling; ids look like LS-ENC-004",
      "test: policy.waivers.1.rule must not waive a critical rule in tier production (LS-ENC-004: S3 buckets use SSE-KMS default encryption (ALB and S3 access-log buckets: SSE-S3)), got LS-ENC-004; fix the resource instead; critical rules cannot be waived in production",
    ]);
    expect(result.waived).toEqual([]);
  });
});

describe("waiverProblems", () => {
  test("development may waive a critical rule; production may waive a high one", () => {
    expect(waiverProblems(env("development", [{ rule: "LS-ENC-004", reason: "a long enough reason" }]))).toEqual([]);
    expect(waiverProblems(env("production", [{ rule: "LS-ENC-008", reason: "a long enough reason" }]))).toEqual([]);
  });
});

describe("formatting", () => {
  test("a violation names the address, construct path, rule, severity, problem and fix", () => {
    const v = evaluate(view, env("development")).violations.find((x) => x.ruleId === "LS-ENC-008")!;
    expect(formatViolation(v)).toBe("aws_kms_key.k (s/logs-key/key): LS-ENC-008 [high] KMS key does not rotate; fix: set enable_key_rotation = true (CustomerManagedKey does)");
  });

  test("a waiver line names the environment, rule, reason and effect", () => {
    expect(formatWaiver(env("development"), { rule: "LS-LOG-003", reason: "logs shipped elsewhere", suppressed: 2 })).toBe(
      "policy: test waives LS-LOG-003 [medium] (Log groups have a retention period): logs shipped elsewhere (2 violations suppressed)",
    );
  });
});
