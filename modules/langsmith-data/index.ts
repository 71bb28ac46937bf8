import { Construct } from "constructs";
import { EnvironmentConfig, protectsData } from "../../lib/config/schema";
import { appServiceAccounts } from "../../lib/langsmith-values";
import { Namer } from "../../lib/naming";
import { BlobStorage } from "../blob-storage";
import { ClickhouseSnapshots } from "../clickhouse";
import { LangsmithAppRole } from "../langsmith-identity";
import { Postgres } from "../postgres";
import { Redis } from "../redis";
import { Secrets } from "../secrets";

export interface LangsmithDataProps {
  readonly env: EnvironmentConfig;
  readonly namer: Namer;
  readonly vpcId: string;
  /** Private data subnets (Network.dataSubnetIds). */
  readonly dataSubnetIds: readonly string[];
  /** The dedicated node security group: the only source the data stores admit. */
  readonly nodeSecurityGroupId: string;
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`. */
  readonly oidcIssuer: string;
  /** KMS key of the PostgreSQL log groups (the stack's logs key). @default CloudWatch-owned key */
  readonly logsKmsKeyArn?: string;
  /**
   * `prevent_destroy` on every stateful resource and key.
   * @default protectsData(env): true in production
   */
  readonly preventDestroy?: boolean;
}

/**
 * Everything LangSmith stores, in dependency order: PostgreSQL, Redis, the `langsmith-app` IRSA
 * role, the blob bucket (its policy names the role), the role's grants (they name the bucket and
 * Redis), Secrets Manager + ESO, and the ClickHouse snapshot policy when ClickHouse is in-cluster.
 */
export class LangsmithData extends Construct {
  readonly postgres: Postgres;
  readonly redis: Redis;
  /** Absent when `blobStorage.enabled` is false. */
  readonly blob?: BlobStorage;
  readonly appRole: LangsmithAppRole;
  readonly secrets: Secrets;
  /** Present when `clickhouse.mode` is `in-cluster`. */
  readonly clickhouseSnapshots?: ClickhouseSnapshots;

  constructor(scope: Construct, id: string, props: LangsmithDataProps) {
    super(scope, id);
    const { env, namer } = props;
    const network = { vpcId: props.vpcId, dataSubnetIds: props.dataSubnetIds, nodeSecurityGroupId: props.nodeSecurityGroupId };
    const preventDestroy = props.preventDestroy ?? protectsData(env);

    this.postgres = new Postgres(this, "postgres", {
      namer,
      environment: env,
      settings: env.postgres,
      ...network,
      logRetentionDays: env.observability.logRetentionDays,
      logsKmsKeyArn: props.logsKmsKeyArn,
      preventDestroy,
    });
    this.redis = new Redis(this, "redis", { namer, environment: env, settings: env.redis, ...network, preventDestroy });
    // The same service accounts the values annotate with the role (the agents' too when "shared").
    this.appRole = new LangsmithAppRole(this, "langsmith-app", {
      namer,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      serviceAccounts: appServiceAccounts(env),
    });
    if (env.blobStorage.enabled) this.blob = new BlobStorage(this, "blob", { namer, environment: env, settings: env.blobStorage, preventDestroy, appRoleArn: this.appRole.roleArn });
    this.appRole.grant({
      region: env.aws.region,
      blob: this.blob ? { bucketArn: this.blob.bucketArn, kmsKeyArn: this.blob.kmsKeyArn } : undefined,
      redis: { replicationGroupArn: this.redis.replicationGroupArn, userArn: this.redis.iamUserArn },
    });
    this.secrets = new Secrets(this, "secrets", {
      namer,
      environment: env,
      settings: env,
      preventDestroy,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      postgres: this.postgres,
      redis: this.redis,
    });
    if (env.clickhouse.mode === "in-cluster") this.clickhouseSnapshots = new ClickhouseSnapshots(this, "clickhouse-snapshots", { namer, environment: env, settings: env.clickhouse, preventDestroy });
  }
}
