import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Namer } from "../../lib/naming";

export interface DataStoreSecurityGroupProps {
  readonly namer: Namer;
  /** Environment name, for the description. */
  readonly envName: string;
  /** Name component (`postgres` → `ls-<env>-postgres`). */
  readonly component: string;
  /** Engine in descriptions, e.g. `PostgreSQL`. */
  readonly engine: string;
  readonly port: number;
  readonly vpcId: string;
  /** The node security group: the only source allowed on `port`. */
  readonly nodeSecurityGroupId: string;
}

/**
 * The security group of a data store in the data subnets, created in `scope` as `sg` and
 * `from-nodes`: one ingress rule, TCP `port` from the node security group, and no egress rules
 * (the store never opens connections; Terraform removes AWS's default egress).
 */
export function dataStoreSecurityGroup(scope: Construct, p: DataStoreSecurityGroupProps): SecurityGroup {
  const name = p.namer.name(p.component);
  const sg = new SecurityGroup(scope, "sg", {
    name,
    description: `LangSmith ${p.envName}: ${p.engine}, ${p.port} from EKS nodes only`,
    vpcId: p.vpcId,
    tags: { Name: name },
  });
  new VpcSecurityGroupIngressRule(scope, "from-nodes", {
    securityGroupId: sg.id,
    referencedSecurityGroupId: p.nodeSecurityGroupId,
    ipProtocol: "tcp",
    fromPort: p.port,
    toPort: p.port,
    description: `${p.engine} from EKS nodes`,
  });
  return sg;
}
