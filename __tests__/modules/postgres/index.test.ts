import { EnvironmentConfig } from "../../../lib/config/schema";
import { Postgres, postgresEngine } from "../../../modules/postgres";
import { ENGINES } from "../../../versions";
import { envWith, Json, resource, resources } from "../../helpers";
import { dataInputs, namerOf, PLATFORM, ref, secretFindings, synthWith } from "../data-fixtures";

function synth(env: EnvironmentConfig, extra: Partial<ConstructorParameters<typeof Postgres>[2]> = {}): Json {
  return synthWith(env, (scope) => new Postgres(scope, "postgres", { ...dataInputs(env), settings: env.postgres, logRetentionDays: env.observability.logRetentionDays, ...extra }));
}

const dev = envWith("dev");
const devAurora = envWith("dev", { postgres: { engine: "aurora" } });
const staging = envWith("staging"); // production tier, Aurora, Multi-AZ
const prod = envWith("prod"); // production tier, RDS, Multi-AZ

/** The database resource (instance or cluster) of a synthesized Postgres. */
function database(json: Json, env: EnvironmentConfig): Json {
  return env.postgres.engine === "aurora" ? resource(json, "aws_rds_cluster") : resource(json, "aws_db_instance");
}

describe.each([
  ["dev (RDS)", dev],
  ["dev (Aurora)", devAurora],
  ["staging (Aurora)", staging],
  ["prod (RDS)", prod],
] as const)("Postgres %s", (_label, env) => {
  const json = synth(env);
  const db = database(json, env);

  test("storage encrypted with its own rotating CMK; Performance Insights with the same key", () => {
    const key = resource(json, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(db.storage_encrypted).toBe(true);
    expect(db.kms_key_id).toBe(ref(json, "aws_kms_key", "postgres", "arn"));
    const instances = env.postgres.engine === "aurora" ? resources(json, "aws_rds_cluster_instance").map(([, i]) => i) : [db];
    for (const i of instances) {
      expect(i.performance_insights_enabled).toBe(true);
      expect(i.performance_insights_kms_key_id).toBe(db.kms_key_id);
      expect(i.publicly_accessible).toBe(false);
      expect(i.auto_minor_version_upgrade).toBe(true);
      expect(i.monitoring_interval).toBe(60);
      expect(i.monitoring_role_arn).toMatch(/aws_iam_role\.postgres_monitoring-role/);
    }
  });

  test("no password anywhere: RDS manages the master password in Secrets Manager with the CMK; IAM auth on", () => {
    expect(db.manage_master_user_password).toBe(true);
    expect(db.master_user_secret_kms_key_id).toBe(db.kms_key_id);
    expect(db.iam_database_authentication_enabled).toBe(true);
    expect(secretFindings(json)).toEqual([]);
  });

  test("reachable only from the node security group on 5432, in the data subnets", () => {
    const rules = resources(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    expect(rules).toEqual([expect.objectContaining({ referenced_security_group_id: PLATFORM.nodeSecurityGroupId, from_port: 5432, to_port: 5432, ip_protocol: "tcp" })]);
    expect(rules[0].cidr_ipv4).toBeUndefined();
    expect(resource(json, "aws_security_group").ingress).toBeUndefined();
    expect(resources(json, "aws_vpc_security_group_egress_rule")).toEqual([]);
    expect(resource(json, "aws_db_subnet_group").subnet_ids).toEqual(PLATFORM.dataSubnetIds);
    expect(db.vpc_security_group_ids).toHaveLength(1);
  });

  test("TLS is forced by the parameter group of the engine's family", () => {
    const type = env.postgres.engine === "aurora" ? "aws_rds_cluster_parameter_group" : "aws_db_parameter_group";
    const params = resource(json, type);
    expect(params.family).toBe(postgresEngine(env.postgres).family);
    expect(params.parameter).toContainEqual({ name: "rds.force_ssl", value: "1" });
  });

  test("connections and disconnections are logged", () => {
    const params = resource(json, env.postgres.engine === "aurora" ? "aws_rds_cluster_parameter_group" : "aws_db_parameter_group");
    expect(params.parameter).toEqual(expect.arrayContaining([{ name: "log_connections", value: "1" }, { name: "log_disconnections", value: "1" }]));
  });

  test("backups, windows, tags to snapshots and log exports follow the config", () => {
    expect(db.backup_retention_period).toBe(env.postgres.backupRetentionDays);
    expect(db.backup_retention_period).toBeGreaterThanOrEqual(env.tier === "production" ? 14 : 7);
    expect(db.copy_tags_to_snapshot).toBe(true);
    expect(db.backup_window ?? db.preferred_backup_window).toBe("03:00-04:00");
    expect(db.maintenance_window ?? db.preferred_maintenance_window).toBe("sun:04:30-sun:05:30");
    expect(db.enabled_cloudwatch_logs_exports).toEqual(env.postgres.engine === "aurora" ? ["postgresql"] : ["postgresql", "upgrade"]);
    const groups = resources(json, "aws_cloudwatch_log_group").map(([, g]) => g);
    expect(groups.map((g) => g.name.split("/").pop())).toEqual(db.enabled_cloudwatch_logs_exports);
    expect(groups.every((g) => g.retention_in_days === env.observability.logRetentionDays)).toBe(true);
  });

  test("Multi-AZ, deletion protection and final snapshot from config; prevent_destroy by tier", () => {
    const production = env.tier === "production";
    expect(db.deletion_protection).toBe(env.postgres.deletionProtection);
    expect(db.skip_final_snapshot).toBe(!env.postgres.finalSnapshot);
    expect(db.final_snapshot_identifier === undefined).toBe(!env.postgres.finalSnapshot);
    expect(db.lifecycle?.prevent_destroy ?? false).toBe(production);
    expect(resource(json, "aws_kms_key").lifecycle?.prevent_destroy ?? false).toBe(production);
    if (env.postgres.engine === "aurora") expect(resources(json, "aws_rds_cluster_instance")).toHaveLength(env.postgres.multiAz ? 2 : 1);
    else expect(db.multi_az).toBe(env.postgres.multiAz);
  });

  test("engine and version come from versions.ts", () => {
    const pin = env.postgres.engine === "aurora" ? ENGINES.auroraPostgres : ENGINES.postgres;
    expect(db.engine).toBe(env.postgres.engine === "aurora" ? "aurora-postgresql" : "postgres");
    expect(db.engine_version).toBe(pin.version);
  });
});

describe("Postgres options", () => {
  test("preventDestroy defaults to false (the data module passes it by tier) and puts prevent_destroy on the database", () => {
    expect(resource(synthWith(dev, (scope) => new Postgres(scope, "postgres", { namer: namerOf(dev), environment: dev, settings: prod.postgres, ...PLATFORM, logRetentionDays: 30 })), "aws_db_instance").lifecycle).toBeUndefined();
    expect(resource(synth(dev), "aws_db_instance").lifecycle).toBeUndefined();
    expect(resource(synth(dev, { preventDestroy: true }), "aws_db_instance").lifecycle).toEqual({ prevent_destroy: true });
    expect(resource(synth(prod, { preventDestroy: false }), "aws_db_instance").lifecycle).toBeUndefined();
  });

  test("development without deletion protection and final snapshot is allowed explicitly", () => {
    const db = resource(synth(dev), "aws_db_instance");
    expect(db).toMatchObject({ deletion_protection: false, skip_final_snapshot: true, delete_automated_backups: true, multi_az: false });
  });

  test("RDS storage is gp3 and autoscaling from config", () => {
    const db = resource(synth(prod), "aws_db_instance");
    expect(db).toMatchObject({ storage_type: "gp3", allocated_storage: prod.postgres.allocatedStorageGib, max_allocated_storage: prod.postgres.maxAllocatedStorageGib, delete_automated_backups: false });
  });

  test("master password rotation is left to RDS unless a period is given", () => {
    expect(resources(synth(dev), "aws_secretsmanager_secret_rotation")).toEqual([]);
    const rotation = resource(synth(dev, { masterPasswordRotationDays: 30 }), "aws_secretsmanager_secret_rotation");
    expect(rotation.rotation_rules).toEqual({ automatically_after_days: 30 });
    expect(rotation.secret_id).toMatch(/master_user_secret\[0\]\.secret_arn/);
  });

  test.each([
    ["rds", "15.8", "postgres15"],
    ["aurora", "15.10", "aurora-postgresql15"],
    ["rds", ENGINES.postgres.version, ENGINES.postgres.parameterGroupFamily],
  ] as const)("engine %s version %s uses parameter group family %s", (engine, version, family) => {
    const env = envWith("dev", { postgres: { engine, engineVersion: version } });
    expect(postgresEngine(env.postgres)).toMatchObject({ version, family });
  });

  test("outputs the endpoint, port, database, master secret, SG and identifier as references", () => {
    const env = dev;
    let pg: Postgres | undefined;
    synthWith(env, (scope) => (pg = new Postgres(scope, "postgres", { ...dataInputs(env), settings: env.postgres, logRetentionDays: 30 })));
    expect(pg!.port).toBe(5432);
    expect(pg!.databaseName).toBe("langsmith");
    for (const v of [pg!.endpointAddress, pg!.masterUserSecretArn, pg!.securityGroupId, pg!.identifier, pg!.kmsKeyArn]) expect(v).toMatch(/\$\{TfToken\[/);
  });
});
