/**
 * AWS commercial regions where EKS, RDS, ElastiCache and WAFv2 are all available.
 * Availability zones are validated as `<region><letter>`; no API call is made.
 */
export const AWS_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "ca-central-1", "ca-west-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
  "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-east-1",
  "sa-east-1", "me-south-1", "me-central-1", "af-south-1", "il-central-1",
] as const;

export function isKnownRegion(region: string): boolean {
  return (AWS_REGIONS as readonly string[]).includes(region);
}

/** True when `az` is a zone name of `region` (e.g. us-west-2a in us-west-2). */
export function azBelongsToRegion(az: string, region: string): boolean {
  return new RegExp(`^${region.replace(/[-]/g, "\\-")}[a-z]$`).test(az);
}
