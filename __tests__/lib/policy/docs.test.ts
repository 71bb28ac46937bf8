import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../../../environments";
import { loadEnvironments } from "../../../lib/config/load";
import { policyRulesDoc } from "../../../lib/docs/policy-rules";
import { RULES } from "../../../lib/policy/rules";
import { envWith } from "../../helpers";

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
    const waivers = envs.flatMap((e) => e.policy.waivers.map((w) => [e.name, w.rule] as const));
    if (waivers.length === 0) expect(doc).toContain("None: every shipped environment passes the whole pack.");
    for (const [env, rule] of waivers) expect(doc).toContain(`| ${env} | \`${rule}\` |`);
  });

  test("lists the waivers in force", () => {
    const waived = [{ ...envWith("dev"), policy: { waivers: [{ rule: "LS-LOG-003", reason: "kept by the central log archive" }] } }];
    expect(policyRulesDoc(waived)).toContain("| dev | `LS-LOG-003` | medium | kept by the central log archive |");
  });
});
