/** Small helpers for writing rules: `rule({...})` fills the rule id into every violation. */
import { TIERS, Tier } from "../../config/schema";
import type { PolicyResource, Rule, RuleContext, Violation } from "../types";

export const ALL_TIERS: readonly Tier[] = TIERS;
export const PRODUCTION: readonly Tier[] = ["production"];

export type Fail = (resource: PolicyResource, message: string, fix: string) => Violation;

export interface RuleDefinition extends Omit<Rule, "check"> {
  readonly check: (ctx: RuleContext, fail: Fail) => Violation[];
}

export function rule(def: RuleDefinition): Rule {
  const fail: Fail = (r, message, fix) => ({ address: r.address, ruleId: def.id, message, fix, ...(r.path ? { path: r.path } : {}) });
  return { ...def, check: (ctx) => def.check(ctx, fail) };
}

/** `check` for each resource of the given types; `test` returns a violation or nothing. */
export function each(
  ctx: RuleContext,
  types: readonly string[],
  test: (r: PolicyResource) => Violation | Violation[] | undefined,
): Violation[] {
  return ctx.ofType(...types).flatMap((r) => test(r) ?? []);
}
