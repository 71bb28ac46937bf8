import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../../../environments";
import { loadEnvironments } from "../../../lib/config/load";
import { policyRulesDoc } from "../../../lib/docs/policy-rules";
import { RULES } from "../../../lib/policy/rules";

const DOC = join(__dirname, "..", "..", "..", "docs", "policy-rules.md");
const envs = loadEnvironments(ENVIRONMENTS).map((e) => e.config);

describe("docs/policy-rules.md", () => {
  test("is the one generated from the rule table (run: npx tsc -p tsconfig.json && node dist/scripts/policy-docs.js)", () => {
    expect(readFileSync(DOC, "utf8")).toBe(policyRulesDoc(envs));
  });

  test("lists every rule with its severity and tiers, and explains waivers", () => {
    const doc = policyRulesDoc(envs);
    for (const r of RULES) expect(doc).toContain(`| \`${r.id}\` | ${r.severity} |`);
    expect(doc).toContain("## Waivers");
    expect(doc).toContain("None: every shipped environment passes the whole pack.");
  });

  test("lists the waivers in force", () => {
    const waived = [{ ...envs[0], policy: { waivers: [{ rule: "LS-LOG-003", reason: "kept by the central log archive" }] } }];
    expect(policyRulesDoc(waived)).toContain("| dev | `LS-LOG-003` | medium | kept by the central log archive |");
  });
});
