/**
 * The CI contract shared by the bootstrap stack (which creates the GitHub OIDC roles), the
 * environment stack (which puts their permissions boundary on its own IAM roles) and the
 * workflows in .github/workflows (whose jobs must present the trusted OIDC subjects).
 */
import { EnvironmentConfig } from "./config/schema";
import { Namer } from "./naming";

/** GitHub's OIDC issuer host; the IAM OIDC provider URL is `https://` + this. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** Audience configure-aws-credentials requests (the provider's only client id). */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

type Named = Pick<EnvironmentConfig, "prefix" | "name">;

/** Names of the CI IAM objects of one environment, all `{prefix}-{env}-ci-*`. */
export function ciNames(env: Named) {
  const n = new Namer(env.prefix, env.name);
  return {
    planRole: n.name("ci-plan", "iamRole"),
    applyRole: n.name("ci-apply", "iamRole"),
    /** Permissions boundary every IAM role the apply role creates must carry. */
    boundaryPolicy: n.name("ci-boundary"),
    /** Prefix of every managed policy of the CI roles (denied to the apply role's IAM writes). */
    policyPrefix: n.name("ci-"),
    /** Prefix of every resource name of the environment (`ls-dev-`), the apply role's scope. */
    resourcePrefix: `${n.base}-`,
  };
}

/** GitHub environment of the apply job: `ci.githubEnvironment`, else the environment name. */
export function githubEnvironment(env: Pick<EnvironmentConfig, "name" | "ci">): string {
  return env.ci?.githubEnvironment ?? env.name;
}

/** OIDC `sub` claims GitHub issues: a pull_request job, and a job in a GitHub environment. */
export function githubSubjects(env: Pick<EnvironmentConfig, "name" | "ci">): { plan: string; apply: string } {
  if (!env.ci) throw new Error(`environment ${env.name} has no ci block`);
  const repo = env.ci.githubRepository;
  return { plan: `repo:${repo}:pull_request`, apply: `repo:${repo}:environment:${githubEnvironment(env)}` };
}

/**
 * ARNs of the CI roles and the boundary, for the environment stack (EKS access entries, the
 * boundary on its roles). They live in the bootstrap stack, a different state, so no resource
 * attribute can be referenced: the names above are the contract.
 */
export function ciArns(env: Pick<EnvironmentConfig, "prefix" | "name" | "aws">) {
  const names = ciNames(env);
  const iam = `arn:aws:iam::${env.aws.accountId}`;
  return {
    planRole: `${iam}:role/${names.planRole}`,
    applyRole: `${iam}:role/${names.applyRole}`,
    boundaryPolicy: `${iam}:policy/${names.boundaryPolicy}`,
  };
}
