import { CLICKHOUSE_BACKUP_TAG, CLICKHOUSE_BACKUP_TAG_SPEC, ClickhouseSnapshots, clickhouseConnection, IN_CLUSTER_CLICKHOUSE } from "../../../modules/clickhouse";
import { envWith, resource } from "../../helpers";
import { namerOf, ref, synthWith } from "../data-fixtures";

describe("ClickHouse snapshots (in-cluster)", () => {
  const env = envWith("dev", { clickhouse: { snapshotRetentionDays: 14 } });
  const json = synthWith(env, (scope) => new ClickhouseSnapshots(scope, "clickhouse", { namer: namerOf(env), environment: env, settings: env.clickhouse }));
  const policy = resource(json, "aws_dlm_lifecycle_policy");

  test("daily snapshots of volumes tagged langsmith/backup=clickhouse, kept clickhouse.snapshotRetentionDays days", () => {
    expect(policy.state).toBe("ENABLED");
    expect(policy.policy_details).toMatchObject({ policy_type: "EBS_SNAPSHOT_MANAGEMENT", resource_types: ["VOLUME"], target_tags: { "langsmith/backup": "clickhouse" } });
    const [schedule] = policy.policy_details.schedule;
    expect(schedule.create_rule).toEqual({ interval: 24, interval_unit: "HOURS", times: ["02:00"] });
    expect(schedule.retain_rule).toEqual({ interval: 14, interval_unit: "DAYS" });
    expect(schedule.copy_tags).toBe(true);
  });

  test("runs as a DLM service role with the AWS-managed DLM policy", () => {
    expect(policy.execution_role_arn).toBe(ref(json, "aws_iam_role", "clickhouse", "arn"));
    const role = resource(json, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "dlm.amazonaws.com" });
    expect(resource(json, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole");
  });

  test("the tag the StorageClass must carry is exported in both forms", () => {
    expect(CLICKHOUSE_BACKUP_TAG).toEqual({ key: "langsmith/backup", value: "clickhouse" });
    expect(CLICKHOUSE_BACKUP_TAG_SPEC).toBe("langsmith/backup=clickhouse");
  });

  test("refuses an external ClickHouse (its operator owns backups)", () => {
    const prod = envWith("prod");
    expect(() => synthWith(prod, (scope) => new ClickhouseSnapshots(scope, "clickhouse", { namer: namerOf(prod), environment: prod, settings: prod.clickhouse }))).toThrow(
      'ClickhouseSnapshots clickhouse: clickhouse.mode is "external" in environment prod; snapshots apply to in-cluster ClickHouse only',
    );
  });
});

describe("ClickHouse connection", () => {
  test("in-cluster: the chart's service in namespace langsmith, default user, generated password", () => {
    expect(clickhouseConnection(envWith("dev").clickhouse)).toEqual({ ...IN_CLUSTER_CLICKHOUSE, password: "generated" });
    expect(IN_CLUSTER_CLICKHOUSE.host).toBe("langsmith-clickhouse.langsmith.svc.cluster.local");
  });
  test("external: from the environment, operator-supplied password", () => {
    expect(clickhouseConnection(envWith("prod").clickhouse)).toEqual({
      host: "clickhouse.prod.internal.example.com",
      port: 8443,
      nativePort: 9440,
      user: "langsmith",
      database: "langsmith",
      tls: true,
      password: "operator",
    });
  });
});
