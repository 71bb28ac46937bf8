/**
 * ClickHouse facts shared by the data modules, the ESO manifests and the release: where
 * LangSmith finds ClickHouse, and the tag that puts in-cluster volumes under the snapshot policy.
 */
import { EnvironmentConfig } from "./config/schema";
import { RELEASE } from "./langsmith-values/chart";

/**
 * The tag that puts an EBS volume under the ClickHouse snapshot policy (`modules/clickhouse`).
 * The gp3 StorageClass of the in-cluster ClickHouse PVC must stamp it on the volumes it
 * provisions: EBS CSI driver parameter `tagSpecification_1: CLICKHOUSE_BACKUP_TAG_SPEC`.
 */
export const CLICKHOUSE_BACKUP_TAG = { key: "langsmith/backup", value: "clickhouse" } as const;

/** `key=value`, the form of the EBS CSI `tagSpecification_N` StorageClass parameter. */
export const CLICKHOUSE_BACKUP_TAG_SPEC = `${CLICKHOUSE_BACKUP_TAG.key}=${CLICKHOUSE_BACKUP_TAG.value}`;

/** How LangSmith reaches ClickHouse: the seven `clickhouse_*` keys of the chart's ClickHouse secret. */
export interface ClickhouseConnection {
  readonly host: string;
  readonly port: number;
  readonly nativePort: number;
  readonly user: string;
  readonly database: string;
  readonly tls: boolean;
  /**
   * Who provides the password: `operator` (external ClickHouse; `put-secret-value` into Secrets
   * Manager) or `generated` (in-cluster; seeded once by `scripts/seed-secrets`).
   */
  readonly password: "operator" | "generated";
}

/**
 * The chart's in-cluster ClickHouse for release `langsmith` in namespace `langsmith`: service
 * `<fullname>-clickhouse`, HTTP 8123, native 9000, user and database `default` (values.yaml
 * L2289-L2301). The users.xml user is `clickhouse.external.user` (default `default`), so the user
 * in the secret must stay `default` unless both change together.
 */
export const IN_CLUSTER_CLICKHOUSE: Omit<ClickhouseConnection, "password"> = {
  host: `${RELEASE.name}-clickhouse.${RELEASE.namespace}.svc.cluster.local`,
  port: 8123,
  nativePort: 9000,
  user: "default",
  database: "default",
  tls: false,
};

export function clickhouseConnection(cfg: EnvironmentConfig["clickhouse"]): ClickhouseConnection {
  if (cfg.mode === "in-cluster") return { ...IN_CLUSTER_CLICKHOUSE, password: "generated" };
  return { host: cfg.host, port: cfg.port, nativePort: cfg.nativePort, user: cfg.user, database: cfg.database, tls: cfg.tls, password: "operator" };
}
