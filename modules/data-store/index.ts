import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { EnvironmentIdentity } from "../../lib/config/schema";
import { Namer } from "../../lib/naming";
import { CustomerManagedKey, environmentKey } from "../kms";
import { dataStoreSecurityGroup } from "./security-group";

export { dataStoreSecurityGroup } from "./security-group";
export type { DataStoreSecurityGroupProps } from "./security-group";

/** A subnet group resource class (`DbSubnetGroup`, `ElasticacheSubnetGroup`): same three arguments. */
export type SubnetGroupClass = new (
  scope: Construct,
  id: string,
  config: { name: string; description: string; subnetIds: string[] },
) => { readonly name: string };

export interface DataStoreScaffoldProps {
  readonly namer: Namer;
  /** The environment: name for descriptions, account and region for the key. */
  readonly environment: EnvironmentIdentity;
  /** Name component: `postgres` → `{prefix}-{env}-postgres` (subnet group, security group, key alias). */
  readonly component: string;
  /** Engine in descriptions, e.g. `PostgreSQL`. */
  readonly engine: string;
  readonly port: number;
  /** What the key encrypts (its description). */
  readonly keyPurpose: string;
  /** Services that encrypt with the key (`KEY_SERVICES.postgres`, `KEY_SERVICES.redis`): its `kms:ViaService`. */
  readonly keyUsedThrough: readonly string[];
  /** `prevent_destroy` on the key. */
  readonly preventDestroy: boolean;
  readonly vpcId: string;
  /** Private data subnets, one per AZ. */
  readonly dataSubnetIds: readonly string[];
  /** The node security group: the only source allowed on `port`. */
  readonly nodeSecurityGroupId: string;
  /** The engine's subnet group resource. */
  readonly subnetGroup: SubnetGroupClass;
}

/** What every managed data store stands on. */
export interface DataStoreScaffold {
  /** The store's own CMK (rotation on). */
  readonly key: CustomerManagedKey;
  readonly subnetGroupName: string;
  readonly securityGroup: SecurityGroup;
}

/**
 * The scaffold shared by the managed data stores (PostgreSQL, Redis): their own KMS key, a
 * subnet group over the data subnets and a security group admitting only the nodes on the
 * store's port. Created directly in `scope` (ids `key`, `subnets`, `sg`, `from-nodes`), so the
 * store's resource addresses do not depend on this helper.
 */
export function dataStoreScaffold(scope: Construct, p: DataStoreScaffoldProps): DataStoreScaffold {
  const key = environmentKey(scope, "key", { env: p.environment, namer: p.namer, alias: p.component, purpose: p.keyPurpose, preventDestroy: p.preventDestroy, usedThrough: p.keyUsedThrough });
  const subnets = new p.subnetGroup(scope, "subnets", {
    name: p.namer.name(p.component),
    description: `LangSmith ${p.environment.name}: ${p.engine} in the data subnets`,
    subnetIds: [...p.dataSubnetIds],
  });
  const securityGroup = dataStoreSecurityGroup(scope, {
    namer: p.namer,
    envName: p.environment.name,
    component: p.component,
    engine: p.engine,
    port: p.port,
    vpcId: p.vpcId,
    nodeSecurityGroupId: p.nodeSecurityGroupId,
  });
  return { key, subnetGroupName: subnets.name, securityGroup };
}
