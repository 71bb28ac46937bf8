import { App, Testing } from "cdktf";
import { FIXTURE_ENVIRONMENTS } from "../fixtures/environments";
import { loadEnvironments } from "../../lib/config/load";
import { deepMerge } from "../../lib/merge";
import { buildBootstrap } from "../../stacks/app";
import { BootstrapStack, bootstrapTargets } from "../../stacks/bootstrap-stack";
import { envWith, Json, resource, resources, shippedInput, synthEnv } from "../helpers";
import { withLangfuse } from "../langfuse-envs";

/** Bootstrap stacks only (the environment stacks are not needed to judge them). */
const FIXTURES = Object.values(FIXTURE_ENVIRONMENTS);
const synthBootstrap = (sources: readonly { file: string; input: unknown }[] = FIXTURES): Json[] => {
  const configs = loadEnvironments(sources).map((e) => e.config);
  return buildBootstrap(Testing.app() as App, configs).map((s: BootstrapStack) => JSON.parse(Testing.synth(s, true)) as Json);
};
// The fixture environments (one state bucket each), not the shipped fleet: a fork may share
// buckets, use the existing OIDC provider or another repository.
const shipped = loadEnvironments(FIXTURES).map((e) => e.config);
const fixtureStacks = synthBootstrap();

describe.each(shipped.map((env, i) => [env.name, i] as const))("bootstrap stack of %s", (name, i) => {
  const json = fixtureStacks[i];

  test("creates the account's GitHub OIDC provider, audience sts.amazonaws.com, no thumbprint and no data source", () => {
    expect(resource(json, "aws_iam_openid_connect_provider")).toMatchObject({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] });
    expect(resource(json, "aws_iam_openid_connect_provider").thumbprint_list).toBeUndefined();
    expect(json.data).toBeUndefined();
  });

  test("plan role trusts the repository's pull_request jobs, apply role its jobs in the environment", () => {
    const trust = (role: string) => JSON.parse(resource(json, "aws_iam_role", role).assume_role_policy).Statement[0];
    expect(trust("plan-role").Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe("repo:example-org/langsmith-aws:pull_request");
    expect(trust("apply-role").Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(`repo:example-org/langsmith-aws:environment:${name}`);
    expect(trust("apply-role").Principal.Federated).toMatch(/aws_iam_openid_connect_provider\./);
    expect(resource(json, "aws_iam_role", "plan-role").name).toBe(`ls-${name}-ci-plan`);
  });

  test("state policies point at this environment's key in the bootstrap bucket and the state CMK", () => {
    const state = JSON.parse(resource(json, "aws_iam_policy", "state-apply").policy);
    const resourcesOf = state.Statement.flatMap((s: Json) => [].concat(s.Resource));
    expect(resourcesOf).toContain(`\${aws_s3_bucket.state-bucket.arn}/langsmith/${name}/terraform.tfstate`);
    expect(resourcesOf.some((r: string) => /aws_kms_key\.state-key/.test(r))).toBe(true);
    const env = shipped[i];
    const locksWithTable = env.state.backend === "s3" && env.state.locking === "dynamodb";
    expect(resourcesOf.some((r: string) => /aws_dynamodb_table\./.test(r))).toBe(locksWithTable);
  });

  test("outputs the role ARNs for the repository variables", () => {
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining([`ci_${name}_plan_role_arn`, `ci_${name}_apply_role_arn`]));
  });
});

describe("the apply role of a fork whose ALB carries more than the LangSmith name", () => {
  test("Langfuse beside LangSmith and a public validation zone: the apply role may write both names' records in both zones", () => {
    const env = withLangfuse("staging", (i) => (i.dns.certificateValidationZoneId = "Z0STAGINGPUBLIC000001"));
    const [target] = bootstrapTargets([env]);
    const json = buildBootstrap(Testing.app() as App, [env]).map((s: BootstrapStack) => JSON.parse(Testing.synth(s, true)) as Json)[0];
    expect(target.ci[0]).toMatchObject({ otherHostnames: ["langfuse.staging.example.com"], validationZoneId: "Z0STAGINGPUBLIC000001" });
    const edge = JSON.parse(resource(json, "aws_iam_policy", "edge").policy).Statement.find((s: Json) => s.Sid === "RecordsOfTheHostname");
    expect(edge.Resource).toEqual(["arn:aws:route53:::hostedzone/Z0STAGING0000000000001", "arn:aws:route53:::hostedzone/Z0STAGINGPUBLIC000001"]);
    expect(edge.Condition["ForAllValues:StringLike"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"]).toEqual(["langsmith.staging.example.com", "*.langsmith.staging.example.com", "langfuse.staging.example.com", "*.langfuse.staging.example.com"]);
  });
});

describe("environment stack of a CI-applied environment", () => {
  test("every IAM role carries the CI permissions boundary", () => {
    const roles = resources(synthEnv(envWith("dev")), "aws_iam_role");
    expect(roles.length).toBeGreaterThan(0);
    for (const [, role] of roles) expect(role.permissions_boundary).toBe("arn:aws:iam::111111111111:policy/ls-dev-ci-boundary");
  });

  test("every AWS provider (us-east-1 included) tags with the environment the apply role's tag conditions name", () => {
    const providers = synthEnv(envWith("dev")).provider.aws as Json[];
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) expect(p.default_tags[0].tags.environment).toBe("dev");
  });

  test("the plan role gets read-only cluster access without Secrets (a custom group, no EKS access policy), never admin", () => {
    const json = synthEnv(envWith("dev"));
    const entry = resource(json, "aws_eks_access_entry", "ci-plan");
    expect(entry).toMatchObject({ principal_arn: "arn:aws:iam::111111111111:role/ls-dev-ci-plan", type: "STANDARD", kubernetes_groups: ["langsmith:ci-plan-reader"] });
    expect(resources(json, "aws_eks_access_policy_association").filter(([name]) => name.includes("ci-plan"))).toEqual([]);
  });

  test("without a ci block, no boundary and no CI roles", () => {
    const input = shippedInput("dev");
    delete input.ci;
    input.eks.adminPrincipalArns = ["arn:aws:iam::111111111111:role/platform-admin"];
    const env = loadEnvironments([{ file: "environments/dev.ts", input }])[0].config;
    for (const [, role] of resources(synthEnv(env), "aws_iam_role")) expect(role.permissions_boundary).toBeUndefined();
    expect(resources(synthEnv(env), "aws_eks_access_entry").filter(([n]) => n.includes("ci-plan"))).toEqual([]);
    expect(bootstrapTargets([env])[0].ci).toEqual([]);
    const [json] = synthBootstrap([{ file: "environments/dev.ts", input }]);
    expect(resources(json, "aws_iam_role")).toEqual([]);
    expect(resources(json, "aws_iam_openid_connect_provider")).toEqual([]);
  });
});

describe("two environments sharing a bootstrap stack", () => {
  const dev = shippedInput("dev");
  const dev2 = deepMerge<Json>(dev, { name: "dev2", network: { vpcCidr: "10.11.0.0/16" }, dns: { hostname: "langsmith.dev2.example.com" }, state: { key: "langsmith/dev2/terraform.tfstate" } });

  test("one OIDC provider, roles for each environment", () => {
    const [json] = synthBootstrap([{ file: "environments/dev.ts", input: dev }, { file: "environments/dev2.ts", input: dev2 }]);
    expect(resources(json, "aws_iam_openid_connect_provider")).toHaveLength(1);
    expect(resources(json, "aws_iam_role").map(([, r]) => r.name).sort()).toEqual(["ls-dev-ci-apply", "ls-dev-ci-plan", "ls-dev2-ci-apply", "ls-dev2-ci-plan"]);
  });

  test("with oidcProvider existing, the roles trust the account's provider by ARN and none is created", () => {
    const input = deepMerge<Json>(dev, { ci: { oidcProvider: "existing" } });
    const [json] = synthBootstrap([{ file: "environments/dev.ts", input }]);
    expect(resources(json, "aws_iam_openid_connect_provider")).toEqual([]);
    const trust = JSON.parse(resource(json, "aws_iam_role", "plan-role").assume_role_policy).Statement[0];
    expect(trust.Principal.Federated).toBe("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com");
  });
});
