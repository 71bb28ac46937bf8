import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EnvironmentConfig } from "../lib/config/schema";
import { TERRAFORM_REQUIRED_VERSION } from "../versions";
import { TerraformStack } from "cdktf";

/** The tags every AWS resource of an environment carries (provider `default_tags`). */
export function defaultTags(env: EnvironmentConfig): Record<string, string> {
  return {
    app: "langsmith",
    environment: env.name,
    tier: env.tier,
    "managed-by": "cdktf",
    owner: env.owner,
    "cost-center": env.costCenter,
  };
}

/** AWS provider locked to the environment's account and region. */
export function awsProvider(scope: Construct, env: EnvironmentConfig, id = "aws"): AwsProvider {
  return new AwsProvider(scope, id, {
    region: env.aws.region,
    allowedAccountIds: [env.aws.accountId],
    defaultTags: [{ tags: defaultTags(env) }],
  });
}

export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
}
