import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { EnvironmentConfig, EnvironmentIdentity } from "../../lib/config/schema";
import { policyJson, serviceTrust } from "../../lib/iam";
import { Namer, postgresKind } from "../../lib/naming";
import { POSTGRES_PORT, resolvePostgresEngine } from "../../lib/engines";
import { dataStoreScaffold } from "../data-store";
import { KEY_SERVICES } from "../kms";

/** PostgreSQL listens here (one definition, lib/engines.ts); the LangSmith connection URL and the security group use it. */
export { POSTGRES_PORT };

/** `postgres.*` of an environment file (lib/config/schema.ts documents each field). */
export type PostgresSettings = EnvironmentConfig["postgres"];

export interface PostgresProps {
  readonly namer: Namer;
  /** The environment: name (descriptions), account and region (key, Enhanced Monitoring role). */
  readonly environment: EnvironmentIdentity;
  /** Engine, version, instance class, storage, Multi-AZ, backups, deletion protection, final snapshot. */
  readonly settings: PostgresSettings;
  readonly vpcId: string;
  /** Private data subnets, one per AZ (the DB subnet group). */
  readonly dataSubnetIds: readonly string[];
  /** The node security group: the only source allowed on 5432. */
  readonly nodeSecurityGroupId: string;
  /** Retention of the exported PostgreSQL logs (a CloudWatch Logs retention period). */
  readonly logRetentionDays: number;
  /**
   * `lifecycle.prevent_destroy` on the database, its KMS key and log groups
   * (the stack passes `protectsData(env)`: true in production).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Name component of everything the instance names (identifier, subnet and parameter groups,
   * security group, key alias, monitoring role), for a second instance beside the first
   * (Langfuse's `langfuse.database: "own-instance"`).
   * @default "postgres"
   */
  readonly component?: string;
  /** @default "langsmith" */
  readonly databaseName?: string;
  /** Master user; its password is generated and rotated by RDS in Secrets Manager. @default "langsmith" */
  readonly masterUsername?: string;
  /** Daily automated backup window (UTC). @default "03:00-04:00" */
  readonly backupWindow?: string;
  /** Weekly maintenance window (UTC), must not overlap the backup window. @default "sun:04:30-sun:05:30" */
  readonly maintenanceWindow?: string;
  /** Enhanced Monitoring granularity in seconds (1, 5, 10, 15, 30 or 60). @default 60 */
  readonly monitoringIntervalSeconds?: number;
  /** Performance Insights retention (7 is the free tier; else a multiple of 31 up to 731). @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /**
   * Days between rotations of the RDS-managed master password. Unset keeps RDS's own schedule
   * (every 7 days). LangSmith logs in with IAM tokens as its own role, so a rotation touches only
   * the setup Job and the shared agents (docs/secrets.md, "Rotation").
   * @default undefined (RDS default)
   */
  readonly masterPasswordRotationDays?: number;
  /** KMS key for the exported log groups (the stack's logs key). @default undefined (CloudWatch-owned key) */
  readonly logsKmsKeyArn?: string;
  /**
   * IAM database authentication, for a client that logs in with IAM tokens (LangSmith's app user).
   * false where none does (Langfuse logs in with a password): no database user can then be reached
   * through `rds-db:connect`, whatever IAM grants.
   * @default true
   */
  readonly iamAuthentication?: boolean;
}

const DEFAULTS = {
  preventDestroy: false,
  databaseName: "langsmith",
  masterUsername: "langsmith",
  backupWindow: "03:00-04:00",
  maintenanceWindow: "sun:04:30-sun:05:30",
  monitoringIntervalSeconds: 60,
  performanceInsightsRetentionDays: 7,
  iamAuthentication: true,
} as const;

/** Engine, version and parameter group family of `postgres.engine` (+ optional version override): lib/engines.ts. */
export { resolvePostgresEngine as postgresEngine } from "../../lib/engines";

/**
 * The LangSmith metadata database: RDS PostgreSQL, or Aurora PostgreSQL (`postgres.engine`),
 * in the data subnets, reachable only from the node security group on 5432, encrypted with its
 * own CMK, TLS enforced (`rds.force_ssl=1`), master password managed by RDS in Secrets Manager
 * (no password in code, config, synthesized JSON or state), IAM database auth on for LangSmith's token logins (`iamAuthentication`).
 */
export class Postgres extends Construct {
  /** Writer endpoint host name (RDS instance address or Aurora cluster endpoint). */
  readonly endpointAddress: string;
  readonly port: number = POSTGRES_PORT;
  readonly databaseName: string;
  readonly masterUsername: string;
  /** ARN of the RDS-managed Secrets Manager secret `{"username","password"}` of the master user. */
  readonly masterUserSecretArn: string;
  /** The CMK that encrypts storage, Performance Insights and the master user secret. */
  readonly kmsKeyArn: string;
  readonly securityGroupId: string;
  /** DB instance identifier (RDS) or cluster identifier (Aurora). */
  readonly identifier: string;
  /** `dbi-…` (RDS) or `cluster-…` (Aurora) resource id, for `rds-db:connect` policies. */
  readonly resourceId: string;
  readonly engine: "rds" | "aurora";
  private readonly region: string;
  private readonly accountId: string;
  private readonly iamAuthentication: boolean;
  /** The RDS instance (engine `rds`) or the Aurora cluster (engine `aurora`). */
  readonly instance?: DbInstance;
  readonly cluster?: RdsCluster;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    const { environment: env, namer } = props;
    const cfg = props.settings;
    const protect = p.preventDestroy;
    const lifecycle = protect ? { preventDestroy: true } : undefined;
    const engine = resolvePostgresEngine(cfg);
    this.engine = cfg.engine;
    this.databaseName = p.databaseName;
    this.masterUsername = p.masterUsername;
    const component = props.component ?? "postgres";
    const identifier = namer.name(component, "rdsIdentifier");

    const { key, subnetGroupName, securityGroup: sg } = dataStoreScaffold(this, {
      namer,
      environment: env,
      component,
      engine: "PostgreSQL",
      port: POSTGRES_PORT,
      keyPurpose: "PostgreSQL storage, Performance Insights and master user secret",
      keyUsedThrough: KEY_SERVICES.postgres,
      preventDestroy: protect,
      vpcId: props.vpcId,
      dataSubnetIds: props.dataSubnetIds,
      nodeSecurityGroupId: props.nodeSecurityGroupId,
      subnetGroup: DbSubnetGroup,
    });
    this.kmsKeyArn = key.keyArn;
    this.securityGroupId = sg.id;

    // Enhanced Monitoring publishes OS metrics through this role (AWS-managed policy, RDS docs "USER_Monitoring.OS").
    const monitoring = new IamRole(this, "monitoring-role", {
      name: namer.name(component === "postgres" ? "rds-monitoring" : `${component}-monitoring`, "iamRole"),
      assumeRolePolicy: policyJson(serviceTrust("monitoring.rds.amazonaws.com", env.aws.accountId)),
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: monitoring.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });

    // Pre-created so they get a retention and key; RDS would otherwise create them never-expiring.
    const logGroups = engine.logExports.map(
      (kind) =>
        new CloudwatchLogGroup(this, `log-${kind}`, {
          name: `/aws/rds/${postgresKind(cfg.engine)}/${identifier}/${kind}`,
          retentionInDays: props.logRetentionDays,
          kmsKeyId: props.logsKmsKeyArn,
          lifecycle,
        }),
    );

    const common = {
      backupRetentionPeriod: cfg.backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: cfg.deletionProtection,
      skipFinalSnapshot: !cfg.finalSnapshot,
      finalSnapshotIdentifier: cfg.finalSnapshot ? namer.name(`${component}-final`, "rdsIdentifier") : undefined,
      // Keep automated backups (point-in-time restore) after a deletion wherever a final snapshot is wanted too.
      deleteAutomatedBackups: !cfg.finalSnapshot,
      storageEncrypted: true,
      kmsKeyId: key.keyArn,
      // RDS generates the master password and keeps it in Secrets Manager under this CMK.
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: key.keyArn,
      iamDatabaseAuthenticationEnabled: p.iamAuthentication,
      enabledCloudwatchLogsExports: [...engine.logExports],
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnetGroupName,
      vpcSecurityGroupIds: [sg.id],
      engine: engine.engine,
      engineVersion: engine.version,
      dependsOn: logGroups,
      lifecycle,
    };
    const perInstance = {
      instanceClass: cfg.instanceClass,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key.keyArn,
      performanceInsightsRetentionPeriod: p.performanceInsightsRetentionDays,
      monitoringInterval: p.monitoringIntervalSeconds,
      monitoringRoleArn: monitoring.arn,
    };

    // TLS required: rds.force_ssl in the instance's parameter group (Aurora: the cluster's).
    // Connection logging (CIS PostgreSQL 3.1.x, AWS FSBP RDS): who connected from where, and when
    // they left, in the exported postgresql log.
    const tlsParams = {
      name: namer.name(component, "dbParameterGroup"),
      family: engine.family,
      description: `LangSmith ${env.name}: TLS required`,
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
      ],
    };
    if (cfg.engine === "aurora") {
      const params = new RdsClusterParameterGroup(this, "params", tlsParams);
      const cluster = new RdsCluster(this, "cluster", {
        ...common,
        clusterIdentifier: identifier,
        databaseName: p.databaseName,
        masterUsername: p.masterUsername,
        dbClusterParameterGroupName: params.name,
        preferredBackupWindow: p.backupWindow,
        preferredMaintenanceWindow: p.maintenanceWindow,
      });
      // multiAz: a writer and a reader in another AZ (Aurora fails over to the reader).
      const count = cfg.multiAz ? 2 : 1;
      for (let i = 0; i < count; i++) {
        new RdsClusterInstance(this, `instance-${i + 1}`, {
          ...perInstance,
          identifier: namer.name(`${component}-${i + 1}`, "rdsIdentifier"),
          clusterIdentifier: cluster.clusterIdentifier,
          engine: cluster.engine,
          engineVersion: cluster.engineVersion,
          dbSubnetGroupName: subnetGroupName,
          preferredMaintenanceWindow: p.maintenanceWindow,
          promotionTier: i,
        });
      }
      this.cluster = cluster;
      this.endpointAddress = cluster.endpoint;
      this.masterUserSecretArn = cluster.masterUserSecret.get(0).secretArn;
      this.identifier = cluster.clusterIdentifier;
      this.resourceId = cluster.clusterResourceId;
    } else {
      const params = new DbParameterGroup(this, "params", tlsParams);
      const db = new DbInstance(this, "db", {
        ...common,
        ...perInstance,
        identifier,
        dbName: p.databaseName,
        username: p.masterUsername,
        parameterGroupName: params.name,
        allocatedStorage: cfg.allocatedStorageGib,
        maxAllocatedStorage: cfg.maxAllocatedStorageGib,
        storageType: "gp3",
        multiAz: cfg.multiAz,
        backupWindow: p.backupWindow,
        maintenanceWindow: p.maintenanceWindow,
      });
      this.instance = db;
      this.endpointAddress = db.address;
      this.masterUserSecretArn = db.masterUserSecret.get(0).secretArn;
      this.identifier = db.identifier;
      this.resourceId = db.resourceId;
    }

    this.region = env.aws.region;
    this.accountId = env.aws.accountId;
    this.iamAuthentication = p.iamAuthentication;

    if (props.masterPasswordRotationDays !== undefined) {
      new SecretsmanagerSecretRotation(this, "master-rotation", {
        secretId: this.masterUserSecretArn,
        rotationRules: { automaticallyAfterDays: props.masterPasswordRotationDays },
      });
    }
  }

  /** `rds-db:connect` resource of a database user, for IAM database authentication. */
  dbUserArn(user: string): string {
    if (!this.iamAuthentication) throw new Error(`Postgres ${this.node.path}: dbUserArn(${user}) needs IAM database authentication (iamAuthentication: true)`);
    return `arn:aws:rds-db:${this.region}:${this.accountId}:dbuser:${this.resourceId}/${user}`;
  }
}
