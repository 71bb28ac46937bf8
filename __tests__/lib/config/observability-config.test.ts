import { envWith } from "../../helpers";
import { PROFILES } from "../../../environments/profiles";

describe("observability.thresholds", () => {
  test("production alarms earlier than development", () => {
    const dev = PROFILES.development.observability.thresholds;
    const prod = PROFILES.production.observability.thresholds;
    expect(prod.alb5xxCount).toBeLessThan(dev.alb5xxCount);
    expect(prod.targetResponseTimeP95Seconds).toBeLessThan(dev.targetResponseTimeP95Seconds);
    expect(prod.redisEvictions).toBe(0);
    expect(prod.podRestarts).toBeLessThan(dev.podRestarts);
  });

  test.each(["dev", "staging", "prod"] as const)("%s gets its tier's thresholds", (name) => {
    const env = envWith(name);
    expect(env.observability.thresholds).toEqual(PROFILES[env.tier].observability.thresholds);
  });

  test.each([
    [{ rdsCpuPercent: 150 }, "environments/dev.ts: observability.thresholds.rdsCpuPercent must be at most 100, got 150"],
    [{ redisEvictions: -1 }, "environments/dev.ts: observability.thresholds.redisEvictions must be at least 0, got -1"],
    [{ podRestart: 3 }, "environments/dev.ts: observability.thresholds has unknown field podRestart"],
  ])("rejects %j", (thresholds, message) => {
    expect(() => envWith("dev", { observability: { thresholds } })).toThrow(message);
  });

  test("rdsFreeStorageGib must stay below the allocated storage (RDS)", () => {
    expect(() => envWith("dev", { observability: { thresholds: { rdsFreeStorageGib: 50 } } })).toThrow(
      "environments/dev.ts: observability.thresholds.rdsFreeStorageGib must be below postgres.allocatedStorageGib (50), or the free-storage alarm fires from the first apply, got 50; use e.g. 5 (10% of the allocated storage)",
    );
  });

  test("Aurora has no free-storage alarm, so the rule does not apply", () => {
    expect(() => envWith("dev", { postgres: { engine: "aurora" }, observability: { thresholds: { rdsFreeStorageGib: 500 } } })).not.toThrow();
  });
});
