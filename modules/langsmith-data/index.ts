import { Construct } from "constructs";
import { EnvironmentConfig, protectsData, runs } from "../../lib/config/schema";
import { appServiceAccounts, POSTGRES_APP_USER } from "../../lib/langsmith-values";
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
  /** Langfuse's own PostgreSQL instance (`langfuse.database: "own-instance"`). */
  readonly langfusePostgres?: Postgres;
  /** Absent when `blobStorage.enabled` is false. */
  readonly blob?: BlobStorage;
  /** Absent when LangSmith does not run (`applications`). */
  readonly appRole?: LangsmithAppRole;
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
      // Only LangSmith logs in with IAM tokens; Langfuse uses a password.
      iamAuthentication: runs(env, "langsmith"),
    });
    if (env.langfuse?.database === "own-instance") {
      this.langfusePostgres = new Postgres(this, "langfuse-postgres", {
        namer,
        environment: env,
        settings: env.postgres,
        component: "langfuse-postgres",
        ...network,
        logRetentionDays: env.observability.logRetentionDays,
        logsKmsKeyArn: props.logsKmsKeyArn,
        preventDestroy,
        iamAuthentication: false,
      });
    }
    // Langfuse has no ElastiCache IAM auth: its own password user (password from secrets:seed).
    this.redis = new Redis(this, "redis", { namer, environment: env, settings: env.redis, ...network, preventDestroy, passwordUsers: runs(env, "langfuse") ? ["langfuse"] : [], iamUser: runs(env, "langsmith") });
    if (runs(env, "langsmith")) {
      // The same service accounts the values annotate with the role (the agents' too when "shared").
      const appRole = (this.appRole = new LangsmithAppRole(this, "langsmith-app", {
        namer,
        oidcProviderArn: props.oidcProviderArn,
        oidcIssuer: props.oidcIssuer,
        serviceAccounts: appServiceAccounts(env),
      }));
      if (env.blobStorage.enabled) {
        this.blob = new BlobStorage(this, "blob", {
          namer,
          environment: env,
          settings: env.blobStorage,
          preventDestroy,
          appRoleArn: appRole.roleArn,
          accessLogRetentionDays: env.observability.logRetentionDays,
        });
      }
      appRole.grant({
        region: env.aws.region,
        blob: this.blob ? { bucketArn: this.blob.bucketArn, kmsKeyArn: this.blob.kmsKeyArn } : undefined,
        redis: { replicationGroupArn: this.redis.replicationGroupArn, userArn: this.redis.iamUserArn! },
        postgres: { dbUserArn: this.postgres.dbUserArn(POSTGRES_APP_USER) },
      });
    }
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
    if (runs(env, "langsmith") && env.clickhouse.mode === "in-cluster") this.clickhouseSnapshots = new ClickhouseSnapshots(this, "clickhouse-snapshots", { namer, environment: env, settings: env.clickhouse, preventDestroy });
  }
}
