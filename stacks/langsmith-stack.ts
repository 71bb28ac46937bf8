import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { EnvironmentConfig } from "../lib/config/schema";
import { Namer } from "../lib/naming";
import { Network } from "../modules/network";
import { CustomerManagedKey, logsServiceUse } from "../modules/kms";
import { configureBackend } from "./backend";
import { awsProvider, requireTerraformVersion } from "./providers";
import { enforcePolicy } from "../lib/policy/enforce";

export interface LangsmithStackProps {
  readonly env: EnvironmentConfig;
}

/** Stack name of an environment: `langsmith-<name>`. */
export function stackName(env: Pick<EnvironmentConfig, "name">): string {
  return `langsmith-${env.name}`;
}

/** One environment = one state = one plan: network, EKS, data stores, the LangSmith release. */
export class LangsmithStack extends TerraformStack {
  readonly namer: Namer;
  readonly network: Network;

  constructor(scope: Construct, props: LangsmithStackProps) {
    const env = props.env;
    super(scope, stackName(env));
    requireTerraformVersion(this);
    configureBackend(this, env);
    awsProvider(this, env);

    const n = (this.namer = new Namer(env.prefix, env.name));
    const clusterName = n.name("eks", "eksCluster");
    const production = env.tier === "production";

    const logsKey = new CustomerManagedKey(this, "logs-key", {
      alias: n.name("logs"),
      description: `LangSmith ${env.name}: CloudWatch Logs encryption`,
      accountId: env.aws.accountId,
      region: env.aws.region,
      services: [logsServiceUse(env.aws.region, env.aws.accountId)],
      preventDestroy: production,
    });

    this.network = new Network(this, "network", {
      namer: n,
      region: env.aws.region,
      availabilityZones: env.aws.availabilityZones,
      clusterName,
      vpc: env.network,
      logsKmsKeyArn: logsKey.keyArn,
    });

    new TerraformOutput(this, "vpc_id", { value: this.network.vpcId, description: "VPC id" });
    new TerraformOutput(this, "private_subnet_ids", { value: this.network.privateSubnetIds, description: "Node subnets" });
    new TerraformOutput(this, "region", { value: env.aws.region });
    new TerraformOutput(this, "hostname", { value: env.dns.hostname, description: "LangSmith URL host" });
    enforcePolicy(this, env);
  }
}
