/**
 * `node dist/scripts/plan-summary.js <stack> <plan.json> [--out summary.json] [--commit <sha> --tree <sha>]`
 *
 * Prints the plan's add/change/destroy counts as Markdown (CI appends it to $GITHUB_STEP_SUMMARY)
 * and writes them as JSON next to the saved plan, with the commit and tree that were planned:
 * the apply job compares that tree with the commit it deploys and skips plans with no changes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { planSummaryMarkdown, summarizePlan } from "../lib/plan-summary";

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export function main(args: string[]): number {
  const [stack, planFile] = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  if (!stack || !planFile) {
    console.error("usage: plan-summary <stack> <plan.json> [--out summary.json] [--commit <sha> --tree <sha>]");
    return 2;
  }
  const summary = summarizePlan(stack, JSON.parse(readFileSync(planFile, "utf8")));
  const out = flag(args, "--out");
  if (out) writeFileSync(out, `${JSON.stringify({ ...summary, commit: flag(args, "--commit"), tree: flag(args, "--tree") }, null, 2)}\n`);
  process.stdout.write(planSummaryMarkdown(summary));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
