/**
 * The engines an environment runs, resolved once from `postgres.engine`, the optional
 * `postgres.engineVersion` / `redis.engineVersion` overrides and the pins in versions.ts. The
 * loader's rules, the Postgres and Redis modules and the psql client image of the database Job
 * all read them from here; `engineVersionNotOffered` checks a version against the dated
 * ENGINE_CATALOG of versions.ts.
 */
import { ENGINE_CATALOG, EngineMajor, ENGINES, POSTGRES_CLIENT } from "../versions";

/** PostgreSQL's port on RDS and Aurora (the security group rule, the connection URLs, verify's probe). */
export const POSTGRES_PORT = 5432;
/** ElastiCache Redis's port (the security group rule, the `rediss://` URLs, verify's probe). */
export const REDIS_PORT = 6379;

export interface PostgresEngine {
  /** RDS engine name. */
  readonly engine: "postgres" | "aurora-postgresql";
  /** The version that runs: the override, else the pin. */
  readonly version: string;
  /** The pinned version of this engine (versions.ts). */
  readonly pinnedVersion: string;
  readonly major: number;
  /** Oldest major the reference architecture accepts. */
  readonly minimumMajor: number;
  /** Parameter group family: the pinned family, or `<prefix><major>` for an override. */
  readonly family: string;
  /** CloudWatch log exports: RDS exports server and major-upgrade logs; Aurora PostgreSQL only the server log. */
  readonly logExports: readonly string[];
  /** psql client image of the same version as the server (official image, versions.ts POSTGRES_CLIENT). */
  readonly clientImage: string;
}

export function resolvePostgresEngine(p: { readonly engine: "rds" | "aurora"; readonly engineVersion?: string }): PostgresEngine {
  const aurora = p.engine === "aurora";
  const pin = aurora ? ENGINES.auroraPostgres : ENGINES.postgres;
  const version = p.engineVersion ?? pin.version;
  const major = Number(version.split(".")[0]);
  const engine = aurora ? "aurora-postgresql" : "postgres";
  return {
    engine,
    version,
    pinnedVersion: pin.version,
    major,
    minimumMajor: pin.minimumMajor,
    // The pinned family is used as is; an override's family follows its major (e.g. postgres15).
    family: version === pin.version ? pin.parameterGroupFamily : `${engine}${major}`,
    logExports: aurora ? ["postgresql"] : ["postgresql", "upgrade"],
    clientImage: `${POSTGRES_CLIENT.repository}:${version}-${POSTGRES_CLIENT.variant}`,
  };
}

/** The ElastiCache engine an environment runs: the `redis.engineVersion` override, else the pin. */
export interface RedisEngine {
  readonly engine: "redis";
  readonly version: string;
  readonly pinnedVersion: string;
  readonly major: number;
  /** IAM authentication (modules/redis) needs Redis OSS 7 or newer. */
  readonly minimumMajor: number;
  /** Parameter group family: the pinned family, or `redis<major>` for an override. */
  readonly family: string;
}

export function resolveRedisEngine(r: { readonly engineVersion?: string }): RedisEngine {
  const pin = ENGINES.redis;
  const version = r.engineVersion ?? pin.version;
  const major = Number(version.split(".")[0]);
  return {
    engine: "redis",
    version,
    pinnedVersion: pin.version,
    major,
    minimumMajor: pin.minimumMajor,
    family: version === pin.version ? pin.parameterGroupFamily : `redis${major}`,
  };
}

/** The catalog of versions.ts ENGINE_CATALOG an engine is checked against. */
export type EngineCatalogName = "postgres" | "auroraPostgres" | "redis";

export function engineCatalogName(engine: PostgresEngine | RedisEngine): EngineCatalogName {
  return engine.engine === "aurora-postgresql" ? "auroraPostgres" : engine.engine;
}

/**
 * Why `version` of `catalog` cannot be created in `region` per ENGINE_CATALOG (as of its
 * `asOf`), naming what can; undefined when it can.
 */
export function engineVersionNotOffered(catalog: EngineCatalogName, version: string, region: string): string | undefined {
  const majors = ENGINE_CATALOG[catalog] as Readonly<Record<string, EngineMajor>>;
  const majorKey = version.split(".")[0];
  const major = majors[majorKey];
  if (!major) return `major ${majorKey} is not one of ${Object.keys(majors).join(", ")}`;
  if (!major.versions.includes(version)) return `${majorKey} comes in ${major.versions.join(", ")}`;
  if (major.regions && !major.regions.includes(region)) return `${majorKey} is offered in ${major.regions.join(", ")}, not ${region}`;
  return undefined;
}
