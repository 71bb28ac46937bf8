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

  test.each<[string, string, string]>([
    [
      "a role session from aws sts get-caller-identity",
      "arn:aws:sts::111111111111:assumed-role/PlatformAdmin/alice@example.com",
      "environments/dev.ts: eks.adminPrincipalArns.0 must be an IAM role or user ARN, arn:aws:iam::<account>:role/<name> or :user/<name> (EKS access entries take no other principal), got arn:aws:sts::111111111111:assumed-role/PlatformAdmin/alice@example.com; that is a role session (aws sts get-caller-identity): use its role, arn:aws:iam::111111111111:role/PlatformAdmin (an IAM Identity Center role has a path: aws iam get-role --role-name PlatformAdmin prints its ARN)",
    ],
    [
      "an IAM ARN without a name",
      "arn:aws:iam::111111111111:user",
      "environments/dev.ts: eks.adminPrincipalArns.0 must be an IAM role or user ARN, arn:aws:iam::<account>:role/<name> or :user/<name> (EKS access entries take no other principal), got arn:aws:iam::111111111111:user; copy the ARN from aws iam get-role (or get-user)",
    ],
    [
      "a group (access entries take roles and users only)",
      "arn:aws:iam::111111111111:group/admins",
      "environments/dev.ts: eks.adminPrincipalArns.0 must be an IAM role or user ARN, arn:aws:iam::<account>:role/<name> or :user/<name> (EKS access entries take no other principal), got arn:aws:iam::111111111111:group/admins; copy the ARN from aws iam get-role (or get-user)",
    ],
  ])("cluster admins: %s is refused with the fix", (_what, arn, expected) => {
    expect(one("dev", { eks: { adminPrincipalArns: [arn] } })).toEqual([expected]);
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
