/**
 * AWS commercial regions where EKS, RDS, ElastiCache and WAFv2 are all available, with the
 * availability-zone names each offers. Plain data; no API call is made (plans run offline).
 * Not listed yet: regions opened from 2024 on (ap-southeast-5, ap-southeast-7, mx-central-1 and
 * later): their service list, zones and database/cache families (new regions start without the
 * older generations lib/data-catalogs.ts assumes everywhere) were not confirmed; a fork there is
 * refused with a message saying to add the region here and its exceptions there.
 *
 * Zones (AWS "Regions and Zones" / `aws ec2 describe-availability-zones`, as of REGIONS_AS_OF):
 * `letters` are the zone-name suffixes that exist in the region, preferred first (the ones every
 * account gets); `perAccount` is how many of them one account sees. In the older regions the
 * letter-to-zone mapping is per account, and some letters are offered to older accounts only
 * (ap-northeast-1b, ca-central-1c); `namesVaryByAccount` marks regions where a fork should check
 * its account's names.
 */
export interface RegionZones {
  readonly letters: readonly string[];
  readonly perAccount: number;
  readonly namesVaryByAccount?: boolean;
  /**
   * Zone IDs (the same physical zone in every account, unlike names) that cannot host this stack:
   * use1-az3 offers no instance type newer than the m5/c5/r5 generation (no m6i/r6i node).
   * Which name maps to it differs per account, so the loader cannot check it; env:new says so.
   */
  readonly avoidZoneIds?: readonly string[];
}

export const REGIONS_AS_OF = "2025-06-01";

const three: RegionZones = { letters: ["a", "b", "c"], perAccount: 3 };

export const REGION_ZONES = {
  "us-east-1": { letters: ["a", "b", "c", "d", "e", "f"], perAccount: 6, avoidZoneIds: ["use1-az3"] },
  "us-east-2": three,
  // Two zones per account, named a/b, a/c or b/c depending on the account.
  "us-west-1": { letters: ["a", "c", "b"], perAccount: 2, namesVaryByAccount: true },
  "us-west-2": { letters: ["a", "b", "c", "d"], perAccount: 4 },
  // ca-central-1c exists for older accounts only.
  "ca-central-1": { letters: ["a", "b", "d", "c"], perAccount: 3, namesVaryByAccount: true },
  "ca-west-1": three,
  "eu-west-1": three,
  "eu-west-2": three,
  "eu-west-3": three,
  "eu-central-1": three,
  "eu-central-2": three,
  "eu-north-1": three,
  "eu-south-1": three,
  "eu-south-2": three,
  "ap-south-1": three,
  "ap-south-2": three,
  "ap-southeast-1": three,
  "ap-southeast-2": three,
  "ap-southeast-3": three,
  "ap-southeast-4": three,
  // ap-northeast-1b is not offered to new accounts.
  "ap-northeast-1": { letters: ["a", "c", "d", "b"], perAccount: 3, namesVaryByAccount: true },
  "ap-northeast-2": { letters: ["a", "b", "c", "d"], perAccount: 4 },
  "ap-northeast-3": three,
  "ap-east-1": three,
  "sa-east-1": { letters: ["a", "b", "c"], perAccount: 3, namesVaryByAccount: true },
  "me-south-1": three,
  "me-central-1": three,
  "af-south-1": three,
  "il-central-1": three,
} as const satisfies Record<string, RegionZones>;

export type AwsRegion = keyof typeof REGION_ZONES;

export const AWS_REGIONS = Object.keys(REGION_ZONES) as readonly AwsRegion[];

export function isKnownRegion(region: string): region is AwsRegion {
  return Object.prototype.hasOwnProperty.call(REGION_ZONES, region);
}

/** The zones of `region` (undefined for a region this project does not know). */
export function regionZones(region: string): RegionZones | undefined {
  return isKnownRegion(region) ? REGION_ZONES[region] : undefined;
}

/** True when `az` is named like a zone of `region` (`<region><letter>`, e.g. us-west-2a in us-west-2). */
export function azBelongsToRegion(az: string, region: string): boolean {
  return new RegExp(`^${region.replace(/[-]/g, "\\-")}[a-z]$`).test(az);
}

/** True when `az` is a zone name `region` offers (its letter is in REGION_ZONES). */
export function isZoneOf(az: string, region: string): boolean {
  const zones = regionZones(region);
  return !!zones && azBelongsToRegion(az, region) && zones.letters.includes(az.slice(region.length));
}

/** The first `count` zones an account of `region` can use (at most the zones one account sees). */
export function suggestedZones(region: string, count: number): string[] {
  const zones = regionZones(region);
  if (!zones) return [];
  return zones.letters.slice(0, Math.min(count, zones.perAccount)).map((l) => `${region}${l}`);
}

/** A zone ID (`use1-az1`), which names a physical zone; environment files list zone names. */
export function isZoneId(text: string): boolean {
  return /^[a-z]{2,5}\d-az\d+$/.test(text);
}

/**
 * Regions of the other AWS partitions. Everything this project synthesizes is written for the
 * commercial partition `aws`: ARNs (`arn:aws:`), service principals, the ELB log-delivery
 * accounts (lib/elb-log-delivery.ts), Route 53 health-check metrics in us-east-1, prices.
 */
const OTHER_PARTITIONS: readonly { readonly match: RegExp; readonly partition: string; readonly name: string }[] = [
  { match: /^us-gov-/, partition: "aws-us-gov", name: "AWS GovCloud (US)" },
  { match: /^cn-/, partition: "aws-cn", name: "AWS China" },
  { match: /^us-isob?-|^us-iso[ef]-/, partition: "aws-iso", name: "an AWS isolated region" },
  { match: /^eusc-/, partition: "aws-eusc", name: "the AWS European Sovereign Cloud" },
];

/** The partition of a region of another partition than `aws` (undefined for any other name). */
export function otherPartition(region: string): { readonly partition: string; readonly name: string } | undefined {
  return OTHER_PARTITIONS.find((p) => p.match.test(region));
}
