/**
 * Dated catalogs of the database and cache sizes AWS offers, so a misspelt or non-existent class
 * (`db.r6g.huge`, `db.m6i.medium`, `cache.r7g.micro`) is refused at load instead of failing at
 * apply. Like the EC2 catalog in lib/capacity.ts, a catalog lists what exists; a valid class
 * missing here is added (with its source) rather than bypassed.
 *
 * As of: DATA_CATALOGS.asOf. Sources: Amazon RDS User Guide, "Supported DB engines for DB
 * instance classes" (PostgreSQL column); Amazon Aurora User Guide, "Supported DB engines for DB
 * instance classes" (Aurora PostgreSQL); Amazon ElastiCache User Guide, "Supported node types".
 * Regions: every family here is offered in every region of lib/regions.ts unless its `regions`
 * names the ones that have it (no exception recorded as of the date; add one when the AWS
 * pages show a family missing in a region).
 */
export interface Family {
  readonly sizes: readonly string[];
  /** Regions offering the family; absent: every region of lib/regions.ts. */
  readonly regions?: readonly string[];
}

const LARGE_TO = (top: string): string[] => {
  const all = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"];
  return all.slice(0, all.indexOf(top) + 1);
};

export const DATA_CATALOGS = {
  asOf: "2025-06-01",
  rdsPostgres: {
    "db.t3": { sizes: ["micro", "small", "medium", "large", "xlarge", "2xlarge"] },
    "db.t4g": { sizes: ["micro", "small", "medium", "large", "xlarge", "2xlarge"] },
    "db.m5": { sizes: LARGE_TO("24xlarge") },
    "db.m6g": { sizes: LARGE_TO("16xlarge") },
    "db.m6i": { sizes: LARGE_TO("32xlarge") },
    "db.m7g": { sizes: LARGE_TO("16xlarge") },
    "db.r5": { sizes: LARGE_TO("24xlarge") },
    "db.r6g": { sizes: LARGE_TO("16xlarge") },
    "db.r6i": { sizes: LARGE_TO("32xlarge") },
    "db.r7g": { sizes: LARGE_TO("16xlarge") },
    "db.x2g": { sizes: LARGE_TO("16xlarge") },
  },
  auroraPostgres: {
    "db.t3": { sizes: ["medium"] },
    "db.t4g": { sizes: ["medium", "large"] },
    "db.r5": { sizes: LARGE_TO("24xlarge") },
    "db.r6g": { sizes: LARGE_TO("16xlarge") },
    "db.r6i": { sizes: LARGE_TO("32xlarge") },
    "db.r7g": { sizes: LARGE_TO("16xlarge") },
  },
  elasticache: {
    "cache.t3": { sizes: ["micro", "small", "medium"] },
    "cache.t4g": { sizes: ["micro", "small", "medium"] },
    "cache.m5": { sizes: LARGE_TO("24xlarge") },
    "cache.m6g": { sizes: LARGE_TO("16xlarge") },
    "cache.m7g": { sizes: LARGE_TO("16xlarge") },
    "cache.r5": { sizes: LARGE_TO("24xlarge") },
    "cache.r6g": { sizes: LARGE_TO("16xlarge") },
    "cache.r7g": { sizes: LARGE_TO("16xlarge") },
  },
} as const satisfies { asOf: string; rdsPostgres: Record<string, Family>; auroraPostgres: Record<string, Family>; elasticache: Record<string, Family> };

export type CatalogName = "rdsPostgres" | "auroraPostgres" | "elasticache";

/** Why `type` is not offered in `region` per the catalog, or undefined when it is. */
export function notOffered(catalog: CatalogName, type: string, region: string): string | undefined {
  const families = DATA_CATALOGS[catalog] as Readonly<Record<string, Family>>;
  const dot = type.lastIndexOf(".");
  const family = families[type.slice(0, dot)];
  const size = type.slice(dot + 1);
  if (!family) return `family ${type.slice(0, dot)} is not one of ${Object.keys(families).join(", ")}`;
  if (!family.sizes.includes(size)) return `${type.slice(0, dot)} comes in ${family.sizes.join(", ")}`;
  if (family.regions && !family.regions.includes(region)) return `${type.slice(0, dot)} is offered in ${family.regions.join(", ")}, not ${region}`;
  return undefined;
}
