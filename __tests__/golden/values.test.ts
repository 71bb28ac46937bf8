/**
 * Golden files of the rendered LangSmith values, one per shipped environment, for review: a
 * change to the builder, a profile or an environment shows up as a diff of these files.
 * Refresh after an intended change: `UPDATE_GOLDEN=1 npx jest __tests__/golden`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { buildLangsmithValues } from "../../lib/langsmith-values";
import { CHARTS } from "../../versions";
import { INPUTS, shipped, SHIPPED } from "../lib/langsmith-values/envs";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

export function renderGolden(name: (typeof SHIPPED)[number]): string {
  const header = [
    `# LangSmith Helm values of environment ${name} (chart ${CHARTS.langsmith.chart} ${CHARTS.langsmith.version}), as lib/langsmith-values renders them.`,
    "# Infrastructure outputs (IRSA role, bucket, KMS key) are <placeholders>; at synth they are Terraform references.",
    "# Generated: refresh with UPDATE_GOLDEN=1 npx jest __tests__/golden, and review the diff.",
  ];
  return `${header.join("\n")}\n${stringify(buildLangsmithValues(shipped(name), INPUTS), { lineWidth: 0 })}`;
}

describe.each(SHIPPED)("golden values-%s.yaml", (name) => {
  const file = join(__dirname, `values-${name}.yaml`);
  test("matches the rendered values", () => {
    const rendered = renderGolden(name);
    if (UPDATE) writeFileSync(file, rendered);
    expect(existsSync(file) ? readFileSync(file, "utf8") : "(missing: run UPDATE_GOLDEN=1 npx jest __tests__/golden)").toBe(rendered);
  });
});
