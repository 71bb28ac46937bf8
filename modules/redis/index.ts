import { Construct } from "constructs";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { EnvironmentConfig, EnvironmentIdentity } from "../../lib/config/schema";
import { Namer } from "../../lib/naming";
import { REDIS_PORT, resolveRedisEngine } from "../../lib/engines";
import { dataStoreScaffold } from "../data-store";
import { KEY_SERVICES } from "../kms";

/** One definition, lib/engines.ts. */
export { REDIS_PORT };

/**
 * The URL the chart expects with `redis.external.iamAuthProvider: "aws"`: TLS (`rediss`), the
 * ElastiCache IAM user id as user name, no password (the pods sign a short-lived IAM token).
 */
export function redisIamConnectionUrl(userId: string, host: string, port: number = REDIS_PORT): string {
  return `rediss://${userId}@${host}:${port}`;
}

/** ElastiCache user id (= name) of a `passwordUsers` component; `secrets:seed` sets its password. */
export function passwordUserName(namer: Namer, component: string): string {
  return namer.name(component, "elasticacheUser");
}

/** The access string `secrets:seed` gives a password user when it sets the password. */
export const PASSWORD_USER_ACCESS_STRING = "on ~* &* +@all";

/** `redis.*` of an environment file (lib/config/schema.ts documents each field). */
export type RedisSettings = EnvironmentConfig["redis"];

export interface RedisProps {
  readonly namer: Namer;
  /** The environment: name (descriptions), account and region (key). */
  readonly environment: EnvironmentIdentity;
  /** Node type, replicas, snapshot retention. */
  readonly settings: RedisSettings;
  readonly vpcId: string;
  /** Private data subnets, one per AZ (the cache subnet group). */
  readonly dataSubnetIds: readonly string[];
  /** The node security group: the only source allowed on 6379. */
  readonly nodeSecurityGroupId: string;
  /**
   * `lifecycle.prevent_destroy` on the replication group and its key, and a final snapshot on deletion
   * (the stack passes `protectsData(env)`: true in production).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /** Daily snapshot window (UTC). @default "05:00-06:00" */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window (UTC), must not overlap the snapshot window. @default "sun:06:30-sun:07:30" */
  readonly maintenanceWindow?: string;
  /**
   * Redis ACL of the LangSmith IAM user. ElastiCache already blocks administrative commands
   * (CONFIG, DEBUG, ...) for every user.
   * @default "on ~* &* +@all"
   */
  readonly accessString?: string;
  /**
   * Password-authenticated users for applications without ElastiCache IAM auth (Langfuse), by
   * name component. Terraform creates each switched off (`off -@all`) and without a password, so
   * no password is ever in state; `npm run secrets:seed` generates the password into Secrets
   * Manager and sets it on the user with the access string `on ~* &* +@all` (ModifyUser).
   * @default []
   */
  readonly passwordUsers?: readonly string[];
  /**
   * The LangSmith IAM-auth user (`authentication_mode iam`). false where LangSmith does not run
   * (a Langfuse-only environment): Langfuse authenticates with its password user only.
   * @default true
   */
  readonly iamUser?: boolean;
}

const DEFAULTS = {
  preventDestroy: false,
  snapshotWindow: "05:00-06:00",
  maintenanceWindow: "sun:06:30-sun:07:30",
  accessString: "on ~* &* +@all",
  iamUser: true,
} as const;

/**
 * ElastiCache for Redis OSS (cluster mode off) for LangSmith's cache and queues: data subnets,
 * 6379 from the node security group only, encrypted at rest (own CMK) and in transit, and
 * authenticated with ElastiCache IAM auth: an RBAC user with
 * `authentication_mode iam` in a user group whose `default` user is disabled. No Redis password
 * exists anywhere, so none can reach Terraform state.
 */
export class Redis extends Construct {
  readonly primaryEndpointAddress: string;
  readonly port: number = REDIS_PORT;
  readonly replicationGroupId: string;
  readonly replicationGroupArn: string;
  /** ElastiCache user id (= user name) the LangSmith pods authenticate as (absent when `iamUser` is false). */
  readonly iamUserId?: string;
  readonly iamUserArn?: string;
  readonly securityGroupId: string;
  readonly kmsKeyArn: string;
  /** `rediss://<iam-user-id>@<primary-endpoint>:6379`: not a secret (no password). Absent when `iamUser` is false. */
  readonly connectionUrl?: string;
  readonly replicationGroup: ElasticacheReplicationGroup;
  /** User name (= id) of each `passwordUsers` component. */
  readonly passwordUserNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    const { environment: env, namer } = props;
    const cfg = props.settings;
    const protect = p.preventDestroy;

    const { key, subnetGroupName, securityGroup: sg } = dataStoreScaffold(this, {
      namer,
      environment: env,
      component: "redis",
      engine: "Redis",
      port: REDIS_PORT,
      keyPurpose: "ElastiCache Redis at-rest encryption",
      keyUsedThrough: KEY_SERVICES.redis,
      preventDestroy: protect,
      vpcId: props.vpcId,
      dataSubnetIds: props.dataSubnetIds,
      nodeSecurityGroupId: props.nodeSecurityGroupId,
      subnetGroup: ElasticacheSubnetGroup,
    });
    this.kmsKeyArn = key.keyArn;
    this.securityGroupId = sg.id;

    // Own group (same family as the engine pin) so tuning later is a parameter change, not a group swap.
    const params = new ElasticacheParameterGroup(this, "params", {
      name: namer.name("redis"),
      family: resolveRedisEngine(cfg).family,
      description: `LangSmith ${env.name}: Redis OSS parameters`,
    });

    // IAM auth needs Redis OSS 7+, TLS, and user_id == user_name (ElastiCache "auth-iam" docs).
    const userId = namer.name("langsmith", "elasticacheUser");
    const appUser = p.iamUser
      ? new ElasticacheUser(this, "iam-user", {
          userId,
          userName: userId,
          engine: "redis",
          accessString: p.accessString,
          authenticationMode: { type: "iam" },
        })
      : undefined;
    // Every user group must contain a user named "default". This one is switched off ("off",
    // no commands) and has no password at all: state holds only its id, name, ACL and
    // authentication type "no-password-required" with password_count 0.
    const defaultUser = new ElasticacheUser(this, "default-user", {
      userId: namer.name("redis-default", "elasticacheUser"),
      userName: "default",
      engine: "redis",
      accessString: "off -@all",
      noPasswordRequired: true,
    });
    const passwordUsers = (props.passwordUsers ?? []).map((component) => {
      const id = passwordUserName(namer, component);
      return new ElasticacheUser(this, `user-${component}`, {
        userId: id,
        userName: id,
        engine: "redis",
        accessString: "off -@all",
        noPasswordRequired: true,
        // The password and the access string are the seeding command's (ModifyUser), never
        // Terraform's: a plan must not switch the user back off or drop its password.
        lifecycle: { ignoreChanges: ["access_string", "authentication_mode", "no_password_required", "passwords"] },
      });
    });
    this.passwordUserNames = Object.fromEntries(passwordUsers.map((u, i) => [props.passwordUsers![i], u.userName]));
    const group = new ElasticacheUserGroup(this, "users", {
      userGroupId: namer.name("redis", "elasticacheUser"),
      engine: "redis",
      userIds: [defaultUser.userId, ...(appUser ? [appUser.userId] : []), ...passwordUsers.map((u) => u.userId)],
    });

    const replicated = cfg.replicas > 0;
    const rg = new ElasticacheReplicationGroup(this, "group", {
      replicationGroupId: namer.name("redis", "elasticacheReplicationGroup"),
      description: `LangSmith ${env.name}: cache and queues`,
      engine: "redis",
      engineVersion: resolveRedisEngine(cfg).version,
      parameterGroupName: params.name,
      nodeType: cfg.nodeType,
      port: REDIS_PORT,
      // Primary + replicas; with a replica, automatic failover to another AZ.
      numCacheClusters: 1 + cfg.replicas,
      automaticFailoverEnabled: replicated,
      multiAzEnabled: replicated,
      subnetGroupName,
      securityGroupIds: [sg.id],
      atRestEncryptionEnabled: "true",
      kmsKeyId: key.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [group.userGroupId],
      autoMinorVersionUpgrade: "true",
      snapshotRetentionLimit: cfg.snapshotRetentionDays,
      snapshotWindow: p.snapshotWindow,
      maintenanceWindow: p.maintenanceWindow,
      finalSnapshotIdentifier: protect ? namer.name("redis-final") : undefined,
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    this.replicationGroup = rg;
    this.primaryEndpointAddress = rg.primaryEndpointAddress;
    this.replicationGroupId = rg.id;
    this.replicationGroupArn = rg.arn;
    if (appUser) {
      this.iamUserId = appUser.userId;
      this.iamUserArn = appUser.arn;
      this.connectionUrl = redisIamConnectionUrl(appUser.userId, rg.primaryEndpointAddress, REDIS_PORT);
    }
  }
}
