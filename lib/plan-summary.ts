/**
 * Counts of a Terraform plan (`terraform show -json`), the way `terraform plan` prints them:
 * a replacement counts once as "add" and once as "destroy". Used for the CI job summary.
 */

export interface PlanSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Resources Terraform will delete or replace, for the reviewer (`address (replace)`). */
  readonly destructive: readonly string[];
  readonly outputChanges: number;
  /** False when applying would change nothing (no resource and no output change). */
  readonly applyNeeded: boolean;
}

interface Change {
  readonly address?: string;
  readonly mode?: string;
  readonly change?: { readonly actions?: readonly string[] };
}

export function summarizePlan(stack: string, plan: { resource_changes?: readonly Change[]; output_changes?: Record<string, Change["change"]> }): PlanSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  const destructive: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const a = rc.change?.actions ?? [];
    const replace = a.includes("create") && a.includes("delete");
    if (a.includes("create")) add++;
    if (a.includes("update")) change++;
    if (a.includes("delete")) {
      destroy++;
      destructive.push(`${rc.address ?? "?"}${replace ? " (replace)" : ""}`);
    }
  }
  const outputChanges = Object.values(plan.output_changes ?? {}).filter((c) => !(c?.actions ?? []).every((x) => x === "no-op")).length;
  return { stack, add, change, destroy, destructive, outputChanges, applyNeeded: add + change + destroy + outputChanges > 0 };
}

/** Markdown for `$GITHUB_STEP_SUMMARY`. */
export function planSummaryMarkdown(s: PlanSummary): string {
  const lines = [`### ${s.stack}: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy`, ""];
  if (!s.applyNeeded) lines.push("No changes: applying this plan does nothing.");
  if (s.outputChanges > 0) lines.push(`${s.outputChanges} output${s.outputChanges === 1 ? "" : "s"} change.`);
  if (s.destructive.length > 0) {
    lines.push("", "**Deleted or replaced — review these:**", "", ...s.destructive.map((d) => `- \`${d}\``));
  }
  return `${lines.join("\n")}\n`;
}
