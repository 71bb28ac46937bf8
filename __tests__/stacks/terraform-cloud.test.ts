import { Testing } from "cdktf";
import { buildApp } from "../../stacks/app";
import { loadEnvironment } from "../../lib/config/load";
import { Json, shippedInput, synthEnv } from "../helpers";

/** dev, moved to a Terraform Cloud workspace: token cluster auth, no GitHub CI roles. */
function tfcInput(): Json {
  const input = shippedInput("dev");
  input.state = { backend: "cloud", organization: "acme", workspace: "langsmith-dev", hostname: "app.terraform.io" };
  input.eks.clusterAuth = "token";
  // The workspace's run role applies: the cluster creator gets no entry of its own.
  input.eks.adminPrincipalArns = ["arn:aws:iam::111111111111:role/tfc-run"];
  delete input.ci;
  return input;
}

describe("an environment in a Terraform Cloud workspace", () => {
  const env = loadEnvironment({ file: "environments/dev.ts", input: tfcInput() });
  const json = synthEnv(env);

  test("synthesizes a terraform.cloud block with the organization, hostname and workspace", () => {
    expect(json.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "acme", workspaces: { name: "langsmith-dev" } });
  });

  test("has no S3 backend and no other backend", () => {
    expect(json.terraform.backend).toBeUndefined();
  });

  test("keeps the provider locked to the account and region (credentials come from the workspace)", () => {
    expect(json.provider.aws[0]).toMatchObject({ region: env.aws.region, allowed_account_ids: [env.aws.accountId] });
    expect(JSON.stringify(json.provider.aws[0])).not.toMatch(/access_key|secret_key|profile/);
  });

  test("the kubernetes and helm providers authenticate with a token, never by exec (no AWS CLI in remote runs)", () => {
    const clusterProviders = [...(json.provider.kubernetes ?? []), ...(json.provider.helm ?? [])];
    for (const p of clusterProviders) {
      expect(JSON.stringify(p)).not.toMatch(/"exec"/);
      expect(JSON.stringify(p)).toMatch(/"token"/);
    }
  });

  test("gets no bootstrap stack (Terraform Cloud holds the state)", () => {
    const { environments, bootstrap } = buildApp(Testing.app(), [{ file: "environments/dev.ts", input: tfcInput() }]);
    expect(environments.map((s) => s.node.id)).toEqual(["langsmith-dev"]);
    expect(bootstrap).toEqual([]);
  });
});
