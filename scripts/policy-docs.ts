/** `node dist/scripts/policy-docs.js`: regenerates docs/policy-rules.md from the rule table (a test checks it). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../environments";
import { loadEnvironments } from "../lib/config/load";
import { policyRulesDoc } from "../lib/docs/policy-rules";

const docs = join(__dirname, "..", "..", "docs");
mkdirSync(docs, { recursive: true });
writeFileSync(join(docs, "policy-rules.md"), policyRulesDoc(loadEnvironments(ENVIRONMENTS).map((e) => e.config)));
console.log("docs/policy-rules.md regenerated");
