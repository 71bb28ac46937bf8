import { Construct } from "constructs";
import { DlmLifecyclePolicy } from "@cdktf/provider-aws/lib/dlm-lifecycle-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { EnvironmentConfig } from "../../lib/config/schema";
import { policyJson, serviceTrust } from "../../lib/iam";
import { Namer } from "../../lib/naming";
import { CLICKHOUSE_BACKUP_TAG } from "../../lib/clickhouse";

export { CLICKHOUSE_BACKUP_TAG, CLICKHOUSE_BACKUP_TAG_SPEC, IN_CLUSTER_CLICKHOUSE, clickhouseConnection } from "../../lib/clickhouse";
export type { ClickhouseConnection } from "../../lib/clickhouse";

export interface ClickhouseSnapshotsProps {
  /** The environment; must run ClickHouse `in-cluster` (an external ClickHouse is backed up by its operator). */
  readonly env: EnvironmentConfig;
  readonly namer: Namer;
  /**
   * `lifecycle.prevent_destroy` on the policy.
   * @default env.tier === "production"
   */
  readonly preventDestroy?: boolean;
  /** Daily snapshot start time (UTC, `hh:mm`). @default "02:00" */
  readonly snapshotTime?: string;
}

/**
 * Daily EBS snapshots of the in-cluster ClickHouse volumes (Data Lifecycle Manager), kept
 * `clickhouse.snapshotRetentionDays` days, targeting volumes tagged `CLICKHOUSE_BACKUP_TAG`.
 * Snapshots are crash-consistent (docs/backup-restore.md explains the restore and its limits).
 */
export class ClickhouseSnapshots extends Construct {
  readonly policyArn: string;
  readonly policyId: string;
  readonly roleArn: string;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: ClickhouseSnapshotsProps) {
    super(scope, id);
    const { env, namer } = props;
    const ch = env.clickhouse;
    if (ch.mode !== "in-cluster") throw new Error(`ClickhouseSnapshots ${id}: clickhouse.mode is "${ch.mode}" in environment ${env.name}; snapshots apply to in-cluster ClickHouse only`);
    this.retentionDays = ch.snapshotRetentionDays;

    const role = new IamRole(this, "role", {
      name: namer.name("dlm-clickhouse", "iamRole"),
      assumeRolePolicy: policyJson(serviceTrust("dlm.amazonaws.com")),
    });
    new IamRolePolicyAttachment(this, "role-policy", {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole",
    });
    this.roleArn = role.arn;

    const policy = new DlmLifecyclePolicy(this, "policy", {
      // DLM descriptions allow only letters, digits, spaces, "_" and "-".
      description: `LangSmith ${env.name} daily snapshots of in-cluster ClickHouse volumes`,
      executionRoleArn: role.arn,
      state: "ENABLED",
      policyDetails: {
        policyType: "EBS_SNAPSHOT_MANAGEMENT",
        resourceTypes: ["VOLUME"],
        targetTags: { [CLICKHOUSE_BACKUP_TAG.key]: CLICKHOUSE_BACKUP_TAG.value },
        schedule: [
          {
            name: "daily",
            createRule: { interval: 24, intervalUnit: "HOURS", times: [props.snapshotTime ?? "02:00"] },
            retainRule: { interval: ch.snapshotRetentionDays, intervalUnit: "DAYS" },
            // The volume's tags (PVC name, namespace from the CSI driver) identify the snapshot at restore time.
            copyTags: true,
            tagsToAdd: { "langsmith/snapshot-of": "clickhouse", "langsmith/environment": env.name },
          },
        ],
      },
      lifecycle: (props.preventDestroy ?? env.tier === "production") ? { preventDestroy: true } : undefined,
    });
    this.policyArn = policy.arn;
    this.policyId = policy.id;
  }
}
