import { EnvironmentConfig } from "../../../lib/config/schema";
import { Redis, redisIamConnectionUrl } from "../../../modules/redis";
import { ENGINES } from "../../../versions";
import { envWith, Json, resource, resources } from "../../helpers";
import { dataInputs, PLATFORM, ref, secretFindings, synthWith } from "../data-fixtures";

function build(env: EnvironmentConfig, extra: Partial<ConstructorParameters<typeof Redis>[2]> = {}): { json: Json; redis: Redis } {
  let redis: Redis | undefined;
  const json = synthWith(env, (scope) => (redis = new Redis(scope, "redis", { ...dataInputs(env), settings: env.redis, ...extra })));
  return { json, redis: redis! };
}

const dev = envWith("dev");
const prod = envWith("prod");

describe.each([
  ["dev", dev],
  ["prod", prod],
] as const)("Redis %s", (_label, env) => {
  const { json } = build(env);
  const rg = resource(json, "aws_elasticache_replication_group");

  test("encrypted at rest with its own CMK and in transit (TLS required)", () => {
    expect(rg.at_rest_encryption_enabled).toBe("true");
    expect(rg.kms_key_id).toBe(ref(json, "aws_kms_key", "redis", "arn"));
    expect(resource(json, "aws_kms_key").enable_key_rotation).toBe(true);
    expect(rg.transit_encryption_enabled).toBe(true);
    expect(rg.transit_encryption_mode).toBe("required");
  });

  test("reachable only from the node security group on 6379, in the data subnets", () => {
    const rules = resources(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    expect(rules).toEqual([expect.objectContaining({ referenced_security_group_id: PLATFORM.nodeSecurityGroupId, from_port: 6379, to_port: 6379, ip_protocol: "tcp" })]);
    expect(resources(json, "aws_vpc_security_group_egress_rule")).toEqual([]);
    expect(resource(json, "aws_elasticache_subnet_group").subnet_ids).toEqual(PLATFORM.dataSubnetIds);
    expect(rg.security_group_ids).toEqual([ref(json, "aws_security_group", "redis", "id")]);
  });

  test("auth: an IAM user (user_id == user_name) and a disabled password-less default user in the group", () => {
    const users = resources(json, "aws_elasticache_user").map(([, u]) => u);
    const iam = users.find((u) => u.authentication_mode?.type === "iam")!;
    const def = users.find((u) => u.user_name === "default")!;
    expect(iam.user_id).toBe(iam.user_name);
    expect(iam.user_id).toBe(`ls-${env.name}-langsmith`);
    expect(def).toMatchObject({ access_string: "off -@all", no_password_required: true });
    expect(def.user_id).not.toBe("default");
    const group = resource(json, "aws_elasticache_user_group");
    expect(group.user_ids).toEqual([ref(json, "aws_elasticache_user", "default-user", "user_id"), ref(json, "aws_elasticache_user", "iam-user", "user_id")]);
    expect(rg.user_group_ids).toEqual([ref(json, "aws_elasticache_user_group", "users", "user_group_id")]);
    expect(rg.auth_token).toBeUndefined();
    expect(secretFindings(json)).toEqual([]);
  });

  test("pinned engine with its parameter group family, auto minor upgrades, snapshots from config", () => {
    expect(rg).toMatchObject({ engine: "redis", engine_version: ENGINES.redis.version, auto_minor_version_upgrade: "true", port: 6379 });
    expect(resource(json, "aws_elasticache_parameter_group").family).toBe(ENGINES.redis.parameterGroupFamily);
    expect(rg.snapshot_retention_limit).toBe(env.redis.snapshotRetentionDays);
    expect(rg.snapshot_window).toBe("05:00-06:00");
  });

  test("prevent_destroy and a final snapshot by tier", () => {
    const production = env.tier === "production";
    expect(rg.lifecycle?.prevent_destroy ?? false).toBe(production);
    expect(rg.final_snapshot_identifier === undefined).toBe(!production);
  });
});

describe("Redis replicas", () => {
  test.each([
    [0, 1, false],
    [1, 2, true],
    [2, 3, true],
  ])("redis.replicas %i: %i nodes, failover and Multi-AZ %s", (replicas, nodes, ha) => {
    const rg = resource(build(envWith("dev", { redis: { replicas } })).json, "aws_elasticache_replication_group");
    expect(rg).toMatchObject({ num_cache_clusters: nodes, automatic_failover_enabled: ha, multi_az_enabled: ha });
  });

  test("connection URL: rediss, IAM user id as user name, no password", () => {
    expect(redisIamConnectionUrl("ls-dev-langsmith", "master.ls-dev-redis.abc.usw2.cache.amazonaws.com")).toBe(
      "rediss://ls-dev-langsmith@master.ls-dev-redis.abc.usw2.cache.amazonaws.com:6379",
    );
    const { redis } = build(dev);
    expect(redis.connectionUrl).toMatch(/^rediss:\/\/\$\{TfToken\[[^\]]+\]\}@\$\{TfToken\[[^\]]+\]\}:6379$/);
    for (const v of [redis.replicationGroupArn, redis.replicationGroupId, redis.iamUserArn, redis.iamUserId, redis.primaryEndpointAddress]) expect(v).toMatch(/\$\{TfToken\[/);
  });
});

test("redis.engineVersion overrides the pin, with the parameter group family of its major (lib/engines.ts)", () => {
  const env = envWith("dev", { redis: { engineVersion: "7.0" } });
  const { json } = build(env);
  expect(resource(json, "aws_elasticache_replication_group").engine_version).toBe("7.0");
  expect(resource(json, "aws_elasticache_parameter_group").family).toBe("redis7");
});
