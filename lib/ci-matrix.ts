/**
 * What the workflows plan and apply, derived from the environment files (never listed by hand):
 * `npm run --silent ci:matrix` prints it as JSON; pr.yml's build job runs it and hands the
 * result to its plan matrix and, through the `ci-matrix` artifact, to apply.yml.
 *
 * Apply order is data: environments apply one at a time, development tier before production
 * tier (a change reaches the cheaper, less critical environments first), and within a tier in
 * the order of `environments/index.ts`. Only environments with a `ci` block are planned and
 * applied by CI (the others bring their own credentials and pipeline).
 */
import { githubEnvironment } from "./ci";
import { EnvironmentConfig, TIERS } from "./config/schema";

export interface PlanEntry {
  readonly environment: string;
  /** Repository variable holding the plan role ARN (bootstrap output `ci_<name>_plan_role_arn`). */
  readonly plan_role_variable: string;
}

export interface ApplyEntry {
  readonly environment: string;
  /** GitHub environment of the apply job: the OIDC subject the apply role trusts. */
  readonly github_environment: string;
  readonly tier: EnvironmentConfig["tier"];
}

export interface CiMatrix {
  /** `strategy.matrix` of pr.yml's plan job. */
  readonly plan: { readonly include: readonly PlanEntry[] };
  /** `strategy.matrix` of apply.yml's apply job (`max-parallel: 1`: one at a time, in this order). */
  readonly apply: { readonly include: readonly ApplyEntry[] };
}

/** Repository variable with the plan role ARN of an environment: `AWS_PLAN_ROLE_ARN_<NAME>`. */
export function planRoleVariable(env: Pick<EnvironmentConfig, "name">): string {
  return `AWS_PLAN_ROLE_ARN_${env.name.toUpperCase()}`;
}

/** Environments in apply order: by tier (TIERS order), then as registered. */
export function applyOrder<T extends Pick<EnvironmentConfig, "tier">>(envs: readonly T[]): T[] {
  return envs
    .map((env, i) => ({ env, i }))
    .sort((a, b) => TIERS.indexOf(a.env.tier) - TIERS.indexOf(b.env.tier) || a.i - b.i)
    .map(({ env }) => env);
}

export function ciMatrix(envs: readonly EnvironmentConfig[]): CiMatrix {
  const withCi = envs.filter((e) => e.ci);
  return {
    plan: { include: withCi.map((e) => ({ environment: e.name, plan_role_variable: planRoleVariable(e) })) },
    apply: { include: applyOrder(withCi).map((e) => ({ environment: e.name, github_environment: githubEnvironment(e), tier: e.tier })) },
  };
}
