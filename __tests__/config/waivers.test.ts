/** Policy waivers in environment files: by known rule id, with a reason, never critical in production. */
import { Json, problemsWith } from "../helpers";

const problems = (name: "dev" | "prod", waivers: Json[]) => problemsWith(name, { policy: { waivers } });

const reason = "a reason of more than ten characters";

describe("policy waivers", () => {
  test.each<[string, "dev" | "prod", Json[], string[]]>([
    ["unknown rule id", "dev", [{ rule: "LS-ENC-999", reason }], [
      "environments/dev.ts: policy.waivers.0.rule must be the id of a policy rule (see docs/policy-rules.md), got LS-ENC-999; check the spelling; ids look like LS-ENC-004",
    ]],
    ["critical rule in production", "prod", [{ rule: "LS-SEC-001", reason }], [
      "environments/prod.ts: policy.waivers.0.rule must not waive a critical rule in tier production (LS-SEC-001: Helm values hold no secret values (passwords, tokens, keys) — only references to secrets), got LS-SEC-001; fix the resource instead; critical rules cannot be waived in production",
    ]],
    ["critical rule in development", "dev", [{ rule: "LS-SEC-001", reason }], []],
    ["high rule in production", "prod", [{ rule: "LS-LOG-001", reason }], []],
  ])("%s", (_title, env, waivers, expected) => {
    expect(problems(env, waivers)).toEqual(expected);
  });
});
