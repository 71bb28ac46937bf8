/** Shared inputs and checks for the data-module tests (synthScope + the secret scan). */
import { Testing } from "cdktf";
import { Construct } from "constructs";
import { EnvironmentConfig, protectsData } from "../../lib/config/schema";
import { Namer } from "../../lib/naming";
import { awsProvider } from "../../stacks/providers";
import { Json } from "../helpers";

/** What the platform modules hand the data modules (fixed strings stand in for their outputs). */
export const PLATFORM = {
  vpcId: "vpc-0123456789abcdef0",
  dataSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
  nodeSecurityGroupId: "sg-0node0000000000001",
  oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE",
  oidcIssuer: "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE",
} as const;

export function namerOf(env: EnvironmentConfig): Namer {
  return new Namer(env.prefix, env.name);
}

/**
 * What modules/langsmith-data hands every data module of `env`: namer, identity, network and
 * `preventDestroy` by tier (each test adds the module's own settings).
 */
export function dataInputs(env: EnvironmentConfig) {
  return { namer: namerOf(env), environment: env, ...PLATFORM, preventDestroy: protectsData(env) };
}

/** Synthesized JSON of a stack holding the environment's AWS provider and what `build` adds. */
export function synthWith(env: EnvironmentConfig, build: (scope: Construct) => void): Json {
  return JSON.parse(
    Testing.synthScope((scope) => {
      awsProvider(scope, env);
      build(scope);
    }),
  );
}

/** Attribute names that carry a secret value in the AWS provider's schema. */
const SECRET_ATTRIBUTE = /^(password|passwords|master_password|auth_token|secret_string|secret_binary|[a-z_]+_wo)$/;
/** Resource types whose only purpose is to hold or make a secret value in state. */
const SECRET_RESOURCE_TYPES = ["aws_secretsmanager_secret_version", "random_password", "random_string", "tls_private_key", "aws_iam_access_key"];
/** Value shapes of credentials. */
const SECRET_VALUE = [/AKIA[0-9A-Z]{16}/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /:\/\/[^\s/@:${}",]+:[^\s/@${}",]+@/];

/** Every place in synthesized JSON where a secret value could be: empty means clean. */
export function secretFindings(json: Json): string[] {
  const found: string[] = [];
  for (const type of SECRET_RESOURCE_TYPES) if (json.resource?.[type]) found.push(`resource type ${type}`);
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (SECRET_ATTRIBUTE.test(k) && v !== undefined && v !== null && v !== false) found.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
    } else if (typeof value === "string") {
      for (const re of SECRET_VALUE) if (re.test(value)) found.push(`${path}: ${value}`);
    }
  };
  walk(json.resource ?? {}, "resource");
  walk(json.output ?? {}, "output");
  walk(json.locals ?? {}, "locals");
  return found;
}

/** `${type.name.attr}`: the Terraform reference to the one resource of `type` whose name contains `fragment`. */
export function ref(json: Json, type: string, fragment: string, attr: string): string {
  const names = Object.keys(json.resource?.[type] ?? {}).filter((n) => n.includes(fragment));
  if (names.length !== 1) throw new Error(`expected one ${type} matching "${fragment}", found ${names.join(", ") || "none"}`);
  return `\${${type}.${names[0]}.${attr}}`;
}
