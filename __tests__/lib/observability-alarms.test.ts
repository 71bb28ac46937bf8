/** The alarm table is plain data: checked here without synthesizing. */
import { alarmDimensions, alarmTable, healthCheckAlarm, redisMemberClusterIds } from "../../lib/observability/alarms";
import { envWith } from "../helpers";

const env = envWith("dev");
const input = (kind: "instance" | "cluster", replicas: number) => {
  const database = { identifier: "ls-dev-postgres", kind };
  return {
    thresholds: env.observability.thresholds,
    dimensions: alarmDimensions({ albArnSuffix: "app/a/1", targetGroupArnSuffix: "targetgroup/t/2", database, clusterName: "ls-dev-eks" }),
    database,
    redisMembers: redisMemberClusterIds("ls-dev-redis", replicas),
    clusterName: "ls-dev-eks",
    namespace: "langsmith",
  };
};

describe("alarm table", () => {
  test("keys are unique and every alarm has one metric or a query", () => {
    const table = alarmTable(input("instance", 1));
    expect(new Set(table.map((a) => a.key)).size).toBe(table.length);
    for (const a of table) expect(Number(!!a.metric) + Number(!!a.query)).toBe(1);
  });

  test.each([
    ["instance", "DBInstanceIdentifier", true],
    ["cluster", "DBClusterIdentifier", false],
  ] as const)("a DB %s: dimension %s, free-storage alarm %s", (kind, dimension, freeStorage) => {
    const table = alarmTable(input(kind, 0));
    expect(table.find((a) => a.key === "rds-cpu")?.metric?.dimensions).toEqual({ [dimension]: "ls-dev-postgres" });
    expect(table.some((a) => a.key === "rds-free-storage")).toBe(freeStorage);
  });

  test("without LangSmith (no namespace), no alarm on its pods or its target group's health and latency (Langfuse alarms on its own), and the 5xx alarm names no LangSmith pod", () => {
    const withIt = alarmTable(input("instance", 0));
    const without = alarmTable({ ...input("instance", 0), namespace: undefined });
    expect(withIt.map((a) => a.key).filter((k) => !without.some((a) => a.key === k))).toEqual(["alb-latency-p95", "alb-unhealthy-targets", "alb-no-healthy-targets", "langsmith-pod-restarts"]);
    expect(withIt.find((a) => a.key === "alb-5xx")!.description).toContain("langsmith-frontend");
    expect(without.find((a) => a.key === "alb-5xx")!.description).not.toMatch(/langsmith/i);
  });

  test("three alarms per Redis member, named -001 … -00<replicas + 1>", () => {
    expect(redisMemberClusterIds("g", 2)).toEqual(["g-001", "g-002", "g-003"]);
    const keys = alarmTable(input("instance", 2)).map((a) => a.key).filter((k) => k.startsWith("redis-"));
    expect(keys).toHaveLength(9);
    expect(keys).toContain("redis-003-engine-cpu");
  });

  test("thresholds come from the environment", () => {
    const t = env.observability.thresholds;
    const table = alarmTable(input("instance", 0));
    expect(table.find((a) => a.key === "alb-5xx")?.threshold).toBe(t.alb5xxCount);
    expect(table.find((a) => a.key === "rds-free-storage")?.threshold).toBe(t.rdsFreeStorageGib * 1024 ** 3);
  });

  test("the health-check alarm names the URL it checks", () => {
    expect(healthCheckAlarm("hc-1", "https://langsmith.example.com/health").description).toContain("https://langsmith.example.com/health");
  });
});
