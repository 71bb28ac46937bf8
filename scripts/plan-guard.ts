/**
 * `node dist/scripts/plan-guard.js <plan.json> [--allow <address>]...`: refuses a plan that would
 * delete or replace a stateful resource (database, Redis, bucket, table, KMS key, secret,
 * volume, snapshot policy... see lib/policy/stateful.ts). Run it on `terraform show -json`
 * output before every apply: data changes are additive-only unless someone says otherwise.
 *
 * Prints each resource with the action, Terraform's reason (`action_reason`), the attributes
 * that force the replacement (`replace_paths`, old → new) and what would be lost. Exit 1 when
 * any is found; `--allow <address>` accepts one named resource deliberately (printed, not
 * failed), for a reviewed migration.
 */
import { isStateful, STATEFUL_TYPES } from "../lib/policy/stateful";
import type { Json } from "../lib/policy/types";
import { flagValues, positionals, readJson, runCli, unknownOptions, unknownOptionsMessage, wantsHelp } from "./cli";

const USAGE = [
  "usage: npm run plan:guard -- <plan.json> [--allow <address>]...",
  "  Refuses a plan (terraform show -json output) that deletes or replaces a stateful resource, naming each,",
  "  why Terraform replaces it and what would be lost. --allow <address> accepts one reviewed replacement.",
  "  Exit 0: nothing stateful is lost; 1: something is; 2: usage or a missing/unreadable file.",
].join("\n");

/** Terraform's `action_reason` values, in words. */
const REASONS: Record<string, string> = {
  replace_because_cannot_update: "an attribute that cannot be changed in place changed",
  replace_because_tainted: "the resource is tainted",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "replace_triggered_by fired",
  delete_because_no_resource_config: "its configuration was removed (or its construct id/name changed)",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "count/for_each was added or removed",
  delete_because_count_index: "its count index no longer exists",
  delete_because_each_key: "its for_each key no longer exists",
  delete_because_no_move_target: "the target of a moved block does not exist",
};

export interface GuardFinding {
  readonly address: string;
  readonly type: string;
  /** `delete`, or `replace` (delete then create, or create then delete). */
  readonly action: "delete" | "replace";
  readonly reason: string;
  /** `storage_encrypted: false → true` for each attribute that forces the replacement. */
  readonly changes: string[];
  readonly loses: string;
  readonly allowed: boolean;
}

function at(v: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((x, k) => (x !== null && typeof x === "object" ? (x as Record<string | number, unknown>)[k] : undefined), v);
}

function show(v: unknown, sensitive: unknown, unknown: unknown): string {
  if (unknown === true) return "(known after apply)";
  if (sensitive === true) return "(sensitive)";
  return v === undefined ? "null" : JSON.stringify(v);
}

/** Every deletion or replacement of a stateful resource in a plan. */
export function guardPlan(plan: Json, allow: readonly string[] = []): GuardFinding[] {
  return ((plan.resource_changes ?? []) as Json[])
    .filter((rc) => rc.mode === "managed" && isStateful(rc.type) && (rc.change?.actions ?? []).includes("delete"))
    .map((rc) => {
      const c = rc.change as Json;
      const action = c.actions.includes("create") ? "replace" : "delete";
      const changes = ((c.replace_paths ?? []) as (string | number)[][]).map(
        (p) => `${p.join(".")}: ${show(at(c.before, p), at(c.before_sensitive, p), false)} → ${show(at(c.after, p), at(c.after_sensitive, p), at(c.after_unknown, p))}`,
      );
      const reason = rc.action_reason ? (REASONS[rc.action_reason] ?? rc.action_reason) : action === "delete" ? "the plan destroys it" : "Terraform must recreate it";
      return { address: rc.address, type: rc.type, action, reason, changes, loses: STATEFUL_TYPES[rc.type].loses, allowed: allow.includes(rc.address) };
    });
}

export function formatFinding(f: GuardFinding): string {
  const forced = f.changes.length > 0 ? `; forced by ${f.changes.join(", ")}` : "";
  return `${f.allowed ? "ALLOWED " : ""}${f.address}: ${f.action} because ${f.reason}${forced}; loses ${f.loses}`;
}

export function main(argv: string[]): number {
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return 0;
  }
  const bad = unknownOptions(argv, ["--allow"]);
  if (bad.length > 0) {
    console.error(`${unknownOptionsMessage("plan-guard", bad, ["--allow"])}\n${USAGE}`);
    return 2;
  }
  const allow = flagValues(argv, "--allow");
  const [file] = positionals(argv, ["--allow"]);
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const plan = readJson(file);
  const findings = guardPlan(plan, allow);
  const blocking = findings.filter((f) => !f.allowed);
  for (const f of findings.filter((x) => x.allowed)) console.warn(`plan-guard: ${formatFinding(f)}`);
  for (const a of allow.filter((x) => !findings.some((f) => f.address === x))) console.warn(`plan-guard: --allow ${a} matches no deleted or replaced stateful resource`);
  if (blocking.length > 0) {
    console.error(
      `plan-guard: ${file} would delete or replace ${blocking.length} stateful resource${blocking.length === 1 ? "" : "s"}:\n  ${blocking.map(formatFinding).join("\n  ")}\n` +
        "Change the configuration so the plan updates in place (or add a moved block), or, for a reviewed migration with a backup, re-run with --allow <address>.",
    );
    return 1;
  }
  const total = (plan.resource_changes ?? []).length;
  const allowed = findings.length > 0 ? `, except ${findings.length} allowed by --allow` : "";
  console.log(`plan-guard: ${file}: no stateful resource is deleted or replaced${allowed} (${total} resource changes checked)`);
  return 0;
}

runCli(module, main, 2);
