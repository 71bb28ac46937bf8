import { Construct } from "constructs";
import { DlmLifecyclePolicy } from "@cdktf/provider-aws/lib/dlm-lifecycle-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { EnvironmentConfig, EnvironmentIdentity } from "../../lib/config/schema";
import { policyJson, serviceTrust } from "../../lib/iam";
import { Namer } from "../../lib/naming";
import { CLICKHOUSE_BACKUP_TAG, CLICKHOUSE_BACKUP_TAG_SPEC } from "../../lib/clickhouse";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { ITerraformDependable } from "cdktf";

export { CLICKHOUSE_BACKUP_TAG, CLICKHOUSE_BACKUP_TAG_SPEC, IN_CLUSTER_CLICKHOUSE, clickhouseConnection } from "../../lib/clickhouse";
export type { ClickhouseConnection } from "../../lib/clickhouse";

/** `clickhouse.*` of an environment file (lib/config/schema.ts documents each field). */
export type ClickhouseSettings = EnvironmentConfig["clickhouse"];

export interface ClickhouseSnapshotsProps {
  readonly namer: Namer;
  /** The environment's name (descriptions and snapshot tags) and account (the DLM role's aws:SourceAccount). */
  readonly environment: Pick<EnvironmentIdentity, "name" | "aws">;
  /** Must be `in-cluster` (an external ClickHouse is backed up by its operator): `snapshotRetentionDays`. */
  readonly settings: ClickhouseSettings;
  /**
   * `lifecycle.prevent_destroy` on the policy
   * (modules/langsmith-data passes `protectsData(env)`: true in production).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /** Daily snapshot start time (UTC, `hh:mm`). @default "02:00" */
  readonly snapshotTime?: string;
}

const SNAPSHOT_DEFAULTS = { preventDestroy: false, snapshotTime: "02:00" } as const;

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
    const p = { ...SNAPSHOT_DEFAULTS, ...props };
    const { environment: env, namer } = p;
    const ch = p.settings;
    if (ch.mode !== "in-cluster") throw new Error(`ClickhouseSnapshots ${id}: clickhouse.mode is "${ch.mode}" in environment ${env.name}; snapshots apply to in-cluster ClickHouse only`);
    this.retentionDays = ch.snapshotRetentionDays;

    const role = new IamRole(this, "role", {
      name: namer.name("dlm-clickhouse", "iamRole"),
      // aws:SourceAccount: DLM assumes it only on behalf of this account (confused deputy).
      assumeRolePolicy: policyJson(serviceTrust("dlm.amazonaws.com", env.aws.accountId)),
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
            createRule: { interval: 24, intervalUnit: "HOURS", times: [p.snapshotTime] },
            retainRule: { interval: ch.snapshotRetentionDays, intervalUnit: "DAYS" },
            // The volume's tags (PVC name, namespace from the CSI driver) identify the snapshot at restore time.
            copyTags: true,
            tagsToAdd: { "langsmith/snapshot-of": "clickhouse", "langsmith/environment": env.name },
          },
        ],
      },
      lifecycle: p.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.policyArn = policy.arn;
    this.policyId = policy.id;
  }
}

export interface ClickhouseStorageClassProps {
  /** Must be `in-cluster`: `storageIops`, `storageThroughputMiBps`. */
  readonly settings: ClickhouseSettings;
  /** CMK of the volumes (the stack's EBS key). */
  readonly ebsKmsKeyArn: string;
  /** The EBS CSI driver must exist before the class is used. */
  readonly dependsOn: readonly ITerraformDependable[];
  /** @default "gp3-clickhouse" */
  readonly name?: string;
}

/**
 * The StorageClass of the in-cluster ClickHouse volume: encrypted gp3 with the provisioned
 * IOPS and throughput of `clickhouse` (reference: ~7000 IOPS, ~1000 MiB/s for production), the
 * backup tag the snapshot policy targets, and `Retain` so deleting the claim never deletes data.
 */
export class ClickhouseStorageClass extends Construct {
  readonly storageClassName: string;
  readonly storageClass: StorageClassV1;

  constructor(scope: Construct, id: string, props: ClickhouseStorageClassProps) {
    super(scope, id);
    const ch = props.settings;
    if (ch.mode !== "in-cluster") throw new Error(`ClickhouseStorageClass ${id}: clickhouse.mode must be "in-cluster", got ${ch.mode}`);
    this.storageClass = new StorageClassV1(this, "class", {
      metadata: { name: props.name ?? "gp3-clickhouse" },
      storageProvisioner: "ebs.csi.aws.com",
      parameters: {
        type: "gp3",
        encrypted: "true",
        kmsKeyId: props.ebsKmsKeyArn,
        iops: String(ch.storageIops),
        throughput: String(ch.storageThroughputMiBps),
        fsType: "ext4",
        // The EBS CSI driver tags each volume it creates; DLM snapshots what carries this tag.
        tagSpecification_1: CLICKHOUSE_BACKUP_TAG_SPEC,
      },
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      dependsOn: [...props.dependsOn],
    });
    this.storageClassName = this.storageClass.metadata.name;
  }
}
