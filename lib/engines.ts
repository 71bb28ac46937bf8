/**
 * The PostgreSQL engine an environment runs, resolved once from `postgres.engine`, the optional
 * `postgres.engineVersion` override and the pins in versions.ts. The loader's rules, the Postgres
 * module and the psql client image of the database Job all read it from here.
 */
import { ENGINES, POSTGRES_CLIENT } from "../versions";

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
