import { resolvePostgresEngine } from "../../lib/engines";
import { ENGINES } from "../../versions";

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
