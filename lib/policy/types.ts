/**
 * The policy pack's vocabulary: a normalized view of what Terraform will manage, rules over it,
 * and the violations they report. Plain TypeScript (no CDKTF), so the same rules run over a
 * synthesized stack and over `terraform show -json` plan output.
 */
import type { EnvironmentConfig, Tier } from "../config/schema";

export type Json = Record<string, any>;

/** critical: never waivable in production. The others may be waived by id with a written reason. */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where a view came from: a synthesized stack (`cdk.tf.json`) or a plan (`terraform show -json`). */
export type ViewKind = "synth" | "plan";

/**
 * One resource as Terraform sees it. `values` use Terraform's snake_case attribute names;
 * nested blocks may be objects (synth) or one-element arrays (plan), so read them with
 * `blocks()`/`block()`. A value Terraform cannot know yet is a string containing `${...}`:
 * the reference itself where known (`${aws_kms_key.logs.arn}`), else `${unknown}`.
 *
 * Besides resources, the view holds non-resource blocks whose literal values matter to the
 * secret scan, with a pseudo `type`: `provider`, `backend`, `output`, `variable`, `locals`.
 */
export interface PolicyResource {
  /** Terraform address, e.g. `aws_s3_bucket.blob_bucket_1A2B3C4D`. */
  readonly address: string;
  readonly type: string;
  readonly values: Json;
  /** CDKTF construct path (synth view), e.g. `langsmith-dev/blob/bucket`. */
  readonly path?: string;
  /** The `lifecycle` block as configured (synth view only: plan JSON does not carry it). */
  readonly lifecycle?: Json;
}

export interface PolicyView {
  readonly kind: ViewKind;
  readonly resources: readonly PolicyResource[];
}

/** What a rule reports: which resource, which rule, what is wrong and what to change. */
export interface Violation {
  readonly address: string;
  readonly ruleId: string;
  readonly message: string;
  readonly fix: string;
  readonly path?: string;
}

/** What the pack needs to know about an environment (an `EnvironmentConfig` satisfies it). */
export type PolicyEnvironment = Pick<EnvironmentConfig, "name" | "tier" | "policy">;

export interface Rule {
  /** Stable id, `LS-<AREA>-<NNN>`; never reused or renumbered (waivers name it). */
  readonly id: string;
  /** What it checks, one line (the docs table's "checks" column). */
  readonly title: string;
  readonly severity: Severity;
  readonly tiers: readonly Tier[];
  /** Why, one line. */
  readonly rationale: string;
  /** Where the requirement comes from: CIS EKS Benchmark, AWS FSBP control ids, the reference architecture. */
  readonly source: string;
  /** Views the rule can judge. @default both */
  readonly views?: readonly ViewKind[];
  readonly check: (ctx: RuleContext) => Violation[];
}

/** What a rule's check receives: the view plus lookups across resources. */
export interface RuleContext {
  readonly view: PolicyView;
  readonly tier: Tier;
  /** Resources of any of the given types, in view order. */
  ofType(...types: string[]): PolicyResource[];
  /** The resource a `${type.name.attr}` reference (or a literal id/name/arn) points at, if it is in the view. */
  resolve(value: unknown, ...types: string[]): PolicyResource | undefined;
  /** Resources of `type` whose attribute `attr` points at `target` (reference or literal id/name/arn). */
  pointingAt(target: PolicyResource, type: string, attr: string): PolicyResource[];
}
