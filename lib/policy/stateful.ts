/**
 * Resource types whose deletion or replacement loses data (or makes data unreadable), with
 * what would be lost. The plan guard refuses plans that delete or replace them; rule
 * LS-STATE-001 requires `prevent_destroy` on the ones marked `preventDestroy` in production.
 */
export interface StatefulType {
  /** What is lost when Terraform deletes it (deletion is also the first half of a replacement). */
  readonly loses: string;
  /** Production copies must carry `lifecycle.prevent_destroy` (LS-STATE-001). */
  readonly preventDestroy: boolean;
}

export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  aws_db_instance: { loses: "the PostgreSQL database (a replacement starts empty; data returns only from a snapshot restore)", preventDestroy: true },
  aws_rds_cluster: { loses: "the Aurora cluster volume and every database in it", preventDestroy: true },
  aws_elasticache_replication_group: { loses: "Redis data: queued runs not yet ingested, caches, sessions", preventDestroy: true },
  aws_elasticache_cluster: { loses: "Redis data of the cluster", preventDestroy: true },
  aws_s3_bucket: { loses: "the bucket and every object (LangSmith payloads, Terraform state, access logs)", preventDestroy: true },
  aws_dynamodb_table: { loses: "the table's items (the Terraform state lock table)", preventDestroy: true },
  aws_kms_key: { loses: "the key: everything encrypted with it becomes unreadable once the deletion window ends", preventDestroy: true },
  aws_secretsmanager_secret: { loses: "the secret value (operator-supplied secrets exist nowhere else)", preventDestroy: true },
  aws_ebs_volume: { loses: "the volume's data", preventDestroy: true },
  aws_efs_file_system: { loses: "the file system's data", preventDestroy: true },
  aws_dlm_lifecycle_policy: { loses: "the snapshot schedule of ClickHouse volumes (backups stop)", preventDestroy: true },
  aws_backup_vault: { loses: "the recovery points in the vault", preventDestroy: true },
  aws_docdb_cluster: { loses: "the DocumentDB cluster data", preventDestroy: true },
  aws_opensearch_domain: { loses: "the search domain's indices", preventDestroy: true },
  aws_msk_cluster: { loses: "the Kafka topics' data", preventDestroy: true },
  aws_memorydb_cluster: { loses: "the MemoryDB data", preventDestroy: true },
  kubernetes_persistent_volume_claim: { loses: "the claim's volume (with reclaim policy Delete)", preventDestroy: true },
  kubernetes_persistent_volume_claim_v1: { loses: "the claim's volume (with reclaim policy Delete)", preventDestroy: true },
  // Not data itself, but replacing it recreates every workload and orphans in-cluster volumes.
  aws_eks_cluster: { loses: "the cluster: every workload, and the in-cluster ClickHouse volumes are orphaned", preventDestroy: false },
};

export function isStateful(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(STATEFUL_TYPES, type);
}
