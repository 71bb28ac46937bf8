/**
 * Runs the rules over a view for one environment: tiers select the rules, waivers (by id, with
 * a reason) skip them, and every violation comes back at once, in a stable order.
 */
import { RULES } from "./rules";
import type { PolicyEnvironment, PolicyResource, PolicyView, Rule, RuleContext, Violation } from "./types";
import { pointsAt, strings, stringsPointAt } from "./values";

class Context implements RuleContext {
  private readonly byType = new Map<string, PolicyResource[]>();

  constructor(
    readonly view: PolicyView,
    readonly tier: PolicyEnvironment["tier"],
  ) {
    for (const r of view.resources) {
      const list = this.byType.get(r.type) ?? [];
      list.push(r);
      this.byType.set(r.type, list);
    }
  }

  ofType(...types: string[]): PolicyResource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  resolve(value: unknown, ...types: string[]): PolicyResource | undefined {
    if (value === undefined || value === null) return undefined;
    const candidates = types.length > 0 ? this.ofType(...types) : this.view.resources;
    const values = strings(value); // once, not once per candidate
    return candidates.find((c) => stringsPointAt(values, c));
  }

  pointingAt(target: PolicyResource, type: string, attr: string): PolicyResource[] {
    return this.ofType(type).filter((r) => pointsAt(r.values[attr], target));
  }
}

export function createContext(view: PolicyView, tier: PolicyEnvironment["tier"]): RuleContext {
  return new Context(view, tier);
}

/** A waiver the pack refuses, for the config loader (`lib/config/rules.ts`) and for enforcement. */
export interface WaiverProblem {
  readonly index: number;
  readonly rule: string;
  readonly message: string;
  readonly fix: string;
}

export function waiverProblems(env: PolicyEnvironment, rules: readonly Rule[] = RULES): WaiverProblem[] {
  return env.policy.waivers.flatMap((w, index) => {
    const r = rules.find((x) => x.id === w.rule);
    if (!r) return [{ index, rule: w.rule, message: "must be the id of a policy rule (see docs/policy-rules.md)", fix: "check the spelling; ids look like LS-ENC-004" }];
    if (r.severity === "critical" && env.tier === "production") {
      return [{ index, rule: w.rule, message: `must not waive a critical rule in tier production (${r.id}: ${r.title})`, fix: "fix the resource instead; critical rules cannot be waived in production" }];
    }
    return [];
  });
}

export interface AppliedWaiver {
  readonly rule: string;
  readonly reason: string;
  /** Violations the waiver hid in this run. */
  readonly suppressed: number;
}

export interface PolicyResult {
  readonly violations: Violation[];
  readonly waived: AppliedWaiver[];
  /** Refused waivers, formatted (`policy.waivers.0.rule ...`). */
  readonly errors: string[];
}

export function evaluate(view: PolicyView, env: PolicyEnvironment, rules: readonly Rule[] = RULES): PolicyResult {
  const ctx = createContext(view, env.tier);
  const problems = waiverProblems(env, rules);
  const errors = problems.map((p) => `${env.name}: policy.waivers.${p.index}.rule ${p.message}, got ${p.rule}; ${p.fix}`);
  const refused = new Set(problems.map((p) => p.index));
  const waivers = new Map(env.policy.waivers.filter((_, i) => !refused.has(i)).map((w) => [w.rule, w.reason]));
  const suppressed = new Map<string, number>();
  const violations: Violation[] = [];
  for (const r of rules) {
    if (!r.tiers.includes(env.tier) || (r.views && !r.views.includes(view.kind))) continue;
    const found = r.check(ctx);
    if (waivers.has(r.id)) suppressed.set(r.id, found.length);
    else violations.push(...found);
  }
  violations.sort((a, b) => byCodePoint(a.ruleId, b.ruleId) || byCodePoint(a.address, b.address) || byCodePoint(a.message, b.message));
  const waived = [...waivers].map(([rule, reason]) => ({ rule, reason, suppressed: suppressed.get(rule) ?? 0 }));
  return { violations, waived, errors };
}

/** Locale-independent order, so output is the same on every machine. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One line per violation: where, which rule, what is wrong, what to change. */
export function formatViolation(v: Violation, rules: readonly Rule[] = RULES): string {
  const severity = rules.find((r) => r.id === v.ruleId)?.severity;
  const where = v.path ? `${v.address} (${v.path})` : v.address;
  return `${where}: ${v.ruleId}${severity ? ` [${severity}]` : ""} ${v.message}; fix: ${v.fix}`;
}

export function formatWaiver(env: PolicyEnvironment, w: AppliedWaiver, rules: readonly Rule[] = RULES): string {
  const r = rules.find((x) => x.id === w.rule);
  return `policy: ${env.name} waives ${w.rule}${r ? ` [${r.severity}] (${r.title})` : ""}: ${w.reason} (${w.suppressed} violation${w.suppressed === 1 ? "" : "s"} suppressed)`;
}
