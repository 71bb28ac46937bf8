import { engineVersionNotOffered, resolvePostgresEngine, resolveRedisEngine } from "../../lib/engines";
import { ENGINE_CATALOG, ENGINES } from "../../versions";

describe("resolvePostgresEngine", () => {
  test.each([
    ["rds", undefined, "postgres", ENGINES.postgres.version, ENGINES.postgres.parameterGroupFamily],
    ["aurora", undefined, "aurora-postgresql", ENGINES.auroraPostgres.version, ENGINES.auroraPostgres.parameterGroupFamily],
    ["rds", "15.8", "postgres", "15.8", "postgres15"],
    ["aurora", "15.6", "aurora-postgresql", "15.6", "aurora-postgresql15"],
  ] as const)("engine %s, override %s: %s %s, family %s", (engine, engineVersion, name, version, family) => {
    expect(resolvePostgresEngine({ engine, engineVersion })).toMatchObject({ engine: name, version, family, major: Number(version.split(".")[0]) });
  });

  test("the psql client image follows the server version, override included", () => {
    expect(resolvePostgresEngine({ engine: "rds" }).clientImage).toBe(`postgres:${ENGINES.postgres.version}-alpine`);
    expect(resolvePostgresEngine({ engine: "rds", engineVersion: "15.8" }).clientImage).toBe("postgres:15.8-alpine");
    expect(resolvePostgresEngine({ engine: "aurora" }).clientImage).toBe(`postgres:${ENGINES.auroraPostgres.version}-alpine`);
  });

  test("RDS exports the upgrade log too, Aurora only the server log", () => {
    expect(resolvePostgresEngine({ engine: "rds" }).logExports).toEqual(["postgresql", "upgrade"]);
    expect(resolvePostgresEngine({ engine: "aurora" }).logExports).toEqual(["postgresql"]);
  });
});

describe("ENGINE_CATALOG (versions.ts)", () => {
  test("lists every pinned engine version, so the pins are creatable", () => {
    for (const [catalog, version] of [["postgres", ENGINES.postgres.version], ["auroraPostgres", ENGINES.auroraPostgres.version], ["redis", ENGINES.redis.version]] as const) {
      expect([catalog, engineVersionNotOffered(catalog, version, "us-west-2")]).toEqual([catalog, undefined]);
    }
  });

  test("is dated, and every listed version belongs to its major", () => {
    expect(ENGINE_CATALOG.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const catalog of ["postgres", "auroraPostgres", "redis"] as const) {
      for (const [major, m] of Object.entries(ENGINE_CATALOG[catalog])) {
        for (const v of m.versions) expect(`${catalog} ${v}`).toMatch(new RegExp(`^${catalog} ${major}\\.\\d+$`));
      }
    }
  });

  test.each([
    ["postgres", "16.10", undefined],
    ["postgres", "16.7", "16 comes in 16.4, 16.6, 16.8, 16.9, 16.10"],
    ["auroraPostgres", "13.12", "major 13 is not one of 14, 15, 16, 17"],
    ["redis", "7.4", "7 comes in 7.0, 7.1"],
  ] as const)("%s %s: %s", (catalog, version, why) => {
    expect(engineVersionNotOffered(catalog, version, "eu-west-1")).toBe(why);
  });
});

describe("resolveRedisEngine", () => {
  test("the pin, or an override with the family of its major", () => {
    expect(resolveRedisEngine({})).toMatchObject({ engine: "redis", version: ENGINES.redis.version, family: ENGINES.redis.parameterGroupFamily });
    expect(resolveRedisEngine({ engineVersion: "7.0" })).toMatchObject({ version: "7.0", family: "redis7", major: 7 });
  });
});
