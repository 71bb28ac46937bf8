import { ciArns, ciNames, githubEnvironment, githubSubjects } from "../../lib/ci";
import { deepMerge } from "../../lib/merge";
import { envWith, Json, loadProblems as problems, problemsWith as one, shippedInput } from "../helpers";

const TFC = { backend: "cloud", organization: "acme", workspace: "langsmith-dev", hostname: "app.terraform.io" };

describe("ci block", () => {
  test.each<[string, Json, ((i: Json) => void) | undefined, string]>([
    ["repository without owner", { ci: { githubRepository: "langsmith-aws" } }, undefined, "environments/dev.ts: ci.githubRepository must be a GitHub repository like owner/name, got langsmith-aws"],
    ["repository as a URL", { ci: { githubRepository: "https://github.com/acme/langsmith" } }, undefined, "environments/dev.ts: ci.githubRepository must be a GitHub repository like owner/name, got https://github.com/acme/langsmith"],
    ["GitHub environment with a space", { ci: { githubEnvironment: "dev env" } }, undefined, "environments/dev.ts: ci.githubEnvironment must be a GitHub environment name (letters, digits, . _ -), got dev env"],
    ["unknown OIDC provider mode", { ci: { oidcProvider: "import" } }, undefined, "environments/dev.ts: ci.oidcProvider must be one of create | existing, got import"],
    [
      "ci with the Terraform Cloud backend",
      { eks: { clusterAuth: "token" } },
      (i) => (i.state = TFC),
      'environments/dev.ts: ci must be absent with the Terraform Cloud backend (Terraform Cloud runs plan and apply itself, with dynamic provider credentials), got {"githubRepository":"example-org/langsmith-aws","oidcProvider":"create"}; remove ci and set up the workspace\'s run role (docs/terraform-cloud.md)',
    ],
    [
      "the CI plan role listed as cluster admin",
      { eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:role/ls-dev-ci-plan"] } },
      undefined,
      "environments/dev.ts: eks.adminPrincipalArns.0 must not list the CI plan role: it gets its own read-only access entry (EKS allows one entry per principal, and plans need no admin), got arn:aws:iam::111111111111:role/ls-dev-ci-plan; remove it",
    ],
    [
      "the CI apply role listed as cluster admin",
      { eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:role/ls-dev-ci-apply"] } },
      undefined,
      "environments/dev.ts: eks.adminPrincipalArns.0 must not list the CI apply role: the stack gives it its cluster-admin entry (EKS allows one entry per principal), got arn:aws:iam::111111111111:role/ls-dev-ci-apply; remove it",
    ],
  ])("%s", (_title, changes, mutate, expected) => {
    expect(one("dev", changes, mutate).join("\n")).toContain(expected);
  });

  test("is optional: an environment without it loads when it names who applies", () => {
    expect(one("dev", { eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:role/platform-admin"] } }, (i) => delete i.ci)).toEqual([]);
  });

  test("a Terraform Cloud environment without ci loads when it names its run role", () => {
    expect(one("dev", { eks: { clusterAuth: "token", adminPrincipalArns: ["arn:aws:iam::111111111111:role/platform-admin"] } }, (i) => { i.state = TFC; delete i.ci; })).toEqual([]);
  });

  test("without ci, someone must be cluster admin: the creator gets no access entry", () => {
    expect(one("dev", {}, (i) => delete i.ci)).toEqual([
      "environments/dev.ts: eks.adminPrincipalArns must name the IAM principal that applies this environment when it has no ci block (the cluster creator gets no access entry of its own), got []; add the ARN of the role you run cdktf deploy with, or add a ci block (the CI apply role then gets the entry)",
    ]);
  });

  const EKS_KINDS = "must be an IAM role or user ARN, arn:aws:iam::<account>:role/<path/name> or :user/<name> (EKS access entries take no other principal)";
  const BLOB_KINDS = "must be an IAM role, user or account ARN, arn:aws:iam::<account>:role/<path/name> or :user/<name> (or :root) (the bucket policy matches them against aws:PrincipalArn, which is never a session)";
  const SESSION = "arn:aws:sts::111111111111:assumed-role/PlatformAdmin/alice@example.com";
  const SESSION_FIX = "that is a role session (aws sts get-caller-identity): use its role, arn:aws:iam::111111111111:role/PlatformAdmin (with its path if it has one: aws iam get-role --role-name PlatformAdmin prints its ARN)";
  const SSO = "arn:aws:iam::111111111111:role/AWSReservedSSO_Admin_0123456789abcdef";
  const SSO_MESSAGE = "must carry the aws-reserved/sso.amazonaws.com/ path of an IAM Identity Center role, with its region where it has one (its ARN has it; without it the ARN names no role)";
  test.each<[string, string, Json, string]>([
    ["cluster admins: a role session from aws sts get-caller-identity", SESSION, { eks: { adminPrincipalArns: [SESSION] } }, `environments/dev.ts: eks.adminPrincipalArns.0 ${EKS_KINDS}, got ${SESSION}; ${SESSION_FIX}`],
    [
      "cluster admins: an IAM ARN without a name",
      "arn:aws:iam::111111111111:user",
      { eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:user"] } },
      `environments/dev.ts: eks.adminPrincipalArns.0 ${EKS_KINDS}, got arn:aws:iam::111111111111:user; copy the ARN from aws iam get-role (or get-user)`,
    ],
    [
      "cluster admins: a group (access entries take roles and users only)",
      "arn:aws:iam::111111111111:group/admins",
      { eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:group/admins"] } },
      `environments/dev.ts: eks.adminPrincipalArns.0 ${EKS_KINDS}, got arn:aws:iam::111111111111:group/admins; copy the ARN from aws iam get-role (or get-user)`,
    ],
    ["cluster admins: the account root", "arn:aws:iam::111111111111:root", { eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:root"] } }, `environments/dev.ts: eks.adminPrincipalArns.0 ${EKS_KINDS}, got arn:aws:iam::111111111111:root; copy the ARN from aws iam get-role (or get-user)`],
    ["cluster admins: an Identity Center role without its path", SSO, { eks: { adminPrincipalArns: [SSO] } }, `environments/dev.ts: eks.adminPrincipalArns.0 ${SSO_MESSAGE}, got ${SSO}; aws iam get-role --role-name AWSReservedSSO_Admin_0123456789abcdef prints the ARN to use`],
    ["bucket admins: a role session", SESSION, { blobStorage: { adminPrincipalArns: [SESSION] } }, `environments/dev.ts: blobStorage.adminPrincipalArns.0 ${BLOB_KINDS}, got ${SESSION}; ${SESSION_FIX}`],
    [
      "bucket admins: an Identity Center role without its path (the policy's ArnNotLike takes a wildcard)",
      SSO,
      { blobStorage: { adminPrincipalArns: [SSO] } },
      `environments/dev.ts: blobStorage.adminPrincipalArns.0 ${SSO_MESSAGE}, got ${SSO}; aws iam get-role --role-name AWSReservedSSO_Admin_0123456789abcdef prints the ARN to use, or write arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_0123456789abcdef`,
    ],
  ])("%s is refused with the fix", (_what, _arn, changes, expected) => {
    expect(one("dev", changes)).toEqual([expected]);
  });

  test("bucket admins: the account root, a role with a path and a wildcard pattern load (aws:PrincipalArn is matched with ArnNotLike)", () => {
    const arns = ["arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*", "arn:aws:iam::999999999999:role/break-glass"];
    expect(one("dev", { blobStorage: { adminPrincipalArns: arns } })).toEqual([]);
  });

  test("cluster admins: a role with a path, a user, and a principal of another account load (access entries take them)", () => {
    const arns = ["arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/us-west-2/AWSReservedSSO_Admin_0123456789abcdef", "arn:aws:iam::111111111111:user/alice", "arn:aws:iam::999999999999:role/central-platform-admin"];
    expect(one("dev", { eks: { adminPrincipalArns: arns } })).toEqual([]);
  });

  test("only one bootstrap stack per account may create the GitHub OIDC provider", () => {
    const dev = shippedInput("dev");
    const fork = (changes: Json) => ({
      file: "environments/dev2.ts",
      input: deepMerge<Json>(dev, { name: "dev2", network: { vpcCidr: "10.11.0.0/16" }, dns: { hostname: "langsmith.dev2.example.com" }, ...changes }),
    });
    // Same account, another region (so another bootstrap stack): must use the existing provider.
    const elsewhere = {
      aws: { region: "us-east-2", availabilityZones: ["us-east-2a", "us-east-2b"] },
      state: { bucket: "ls-tfstate-111111111111-us-east-2", key: "langsmith/dev2/terraform.tfstate" },
    };
    expect(problems([{ file: "environments/dev.ts", input: dev }, fork(elsewhere)])).toEqual([
      'environments/dev2.ts: ci.oidcProvider must be "existing": environments/dev.ts already creates the GitHub OIDC provider of account 111111111111 in another bootstrap stack (one provider per account), got create',
    ]);
    expect(problems([{ file: "environments/dev.ts", input: dev }, fork({ ...elsewhere, ci: { oidcProvider: "existing" } })])).toEqual([]);
    // Same bootstrap stack (same region and bucket): it creates the provider once for both.
    expect(problems([{ file: "environments/dev.ts", input: dev }, fork({ state: { key: "langsmith/dev2/terraform.tfstate" } })])).toEqual([]);
  });
});

describe("lib/ci", () => {
  const dev = envWith("dev");

  test("names every CI object {prefix}-{env}-ci-* and the resource scope {prefix}-{env}-", () => {
    expect(ciNames(dev)).toEqual({
      planRole: "ls-dev-ci-plan",
      applyRole: "ls-dev-ci-apply",
      boundaryPolicy: "ls-dev-ci-boundary",
      policyPrefix: "ls-dev-ci-",
      resourcePrefix: "ls-dev-",
    });
    expect(ciArns(dev).boundaryPolicy).toBe("arn:aws:iam::111111111111:policy/ls-dev-ci-boundary");
  });

  test("subjects are the exact claims GitHub issues for pull_request jobs and environment jobs", () => {
    expect(githubSubjects(dev)).toEqual({ plan: "repo:example-org/langsmith-aws:pull_request", apply: "repo:example-org/langsmith-aws:environment:dev" });
    const custom = envWith("dev", { ci: { githubEnvironment: "development" } });
    expect(githubEnvironment(custom)).toBe("development");
    expect(githubSubjects(custom).apply).toBe("repo:example-org/langsmith-aws:environment:development");
  });
});
