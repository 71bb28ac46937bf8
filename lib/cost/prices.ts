/**
 * The price table behind `npm run cost`: AWS public on-demand list prices, in USD, for the regions
 * in PRICES.regions. An environment in any other region (lib/regions.ts accepts them all) is
 * reported "unpriced", naming the region, until its prices are added here with their date.
 *
 * As of: PRICES.asOf. Source: the AWS public pricing pages named per item below
 * (aws.amazon.com/<service>/pricing), transcribed from the author's knowledge of those pages on
 * that date, NOT fetched by a tool (this project builds offline). Treat every figure as an
 * estimate and check the ones that matter in the AWS Pricing Calculator before budgeting.
 * Excluded: taxes, Savings Plans / Reserved Instances, Spot discounts, free tiers, support plans,
 * data transfer out to the internet.
 *
 * us-east-1 and us-west-2 list the same prices for every item here, so both regions point at one
 * object; a region whose prices differ gets its own object. A region or an instance type that is
 * missing here is reported by name, never priced as zero.
 */

/** Prices of one region. Hourly prices are per hour; monthly prices per month. */
export interface RegionPrices {
  /** EC2 Linux on-demand, per instance-hour (aws.amazon.com/ec2/pricing/on-demand). */
  readonly ec2: Readonly<Record<string, number>>;
  /** EKS standard support, per cluster-hour (aws.amazon.com/eks/pricing). */
  readonly eksClusterHour: number;
  /** NAT gateway per hour and per GiB processed (aws.amazon.com/vpc/pricing). */
  readonly natGatewayHour: number;
  readonly natGatewayPerGib: number;
  /** Public IPv4 address, in use or idle, per hour (aws.amazon.com/vpc/pricing, since 2024-02). */
  readonly publicIpv4Hour: number;
  /** Application Load Balancer per hour and per LCU-hour (aws.amazon.com/elasticloadbalancing/pricing). */
  readonly albHour: number;
  readonly albLcuHour: number;
  /** RDS for PostgreSQL single-AZ instance-hour; Multi-AZ (one standby) is twice (aws.amazon.com/rds/postgresql/pricing). */
  readonly rdsPostgres: Readonly<Record<string, number>>;
  /** RDS gp3 storage per GiB-month, single-AZ; Multi-AZ is twice. */
  readonly rdsStorageGibMonth: number;
  /** Aurora PostgreSQL (Standard) instance-hour, storage per GiB-month, I/O per million requests (aws.amazon.com/rds/aurora/pricing). */
  readonly auroraPostgres: Readonly<Record<string, number>>;
  readonly auroraStorageGibMonth: number;
  readonly auroraIoPerMillion: number;
  /** ElastiCache for Redis OSS on-demand node-hour (aws.amazon.com/elasticache/pricing). */
  readonly elasticache: Readonly<Record<string, number>>;
  /** EBS gp3 per GiB-month, per provisioned IOPS-month and MiB/s-month above the included baseline; snapshots per GiB-month (aws.amazon.com/ebs/pricing). */
  readonly gp3GibMonth: number;
  readonly gp3IopsMonth: number;
  readonly gp3ThroughputMibpsMonth: number;
  readonly gp3BaselineIops: number;
  readonly gp3BaselineMibps: number;
  readonly ebsSnapshotGibMonth: number;
  /** S3 Standard per GiB-month (first 50 TB), per 1,000 PUT/LIST and 1,000 GET requests (aws.amazon.com/s3/pricing). */
  readonly s3GibMonth: number;
  readonly s3PutPerThousand: number;
  readonly s3GetPerThousand: number;
  /** CloudWatch Logs ingestion per GiB and storage per GiB-month; standard alarm per month; dashboard per month (aws.amazon.com/cloudwatch/pricing). */
  readonly logsIngestPerGib: number;
  readonly logsStorageGibMonth: number;
  readonly alarmMonth: number;
  readonly dashboardMonth: number;
  /** WAF web ACL per month, rule per month, per million requests (aws.amazon.com/waf/pricing). */
  readonly wafWebAclMonth: number;
  readonly wafRuleMonth: number;
  readonly wafPerMillionRequests: number;
}

/**
 * EC2 on-demand price of the `large` size of each family; within these families the price is
 * linear in size (xlarge = 2 x large, 2xlarge = 4 x large, ...). Sizes a family does not offer
 * are listed, so they stay unpriced (c5 has 9xlarge and 18xlarge instead of 8xlarge and 16xlarge).
 */
const EC2_LARGE_HOURLY: Readonly<Record<string, number>> = {
  m5: 0.096, m6i: 0.096, m6a: 0.0864, m6g: 0.077, m7i: 0.1008, m7a: 0.11592, m7g: 0.0816,
  r5: 0.126, r6i: 0.126, r6a: 0.1134, r6g: 0.1008, r7i: 0.1323, r7a: 0.1522, r7g: 0.1071,
  c5: 0.085, c6i: 0.085, c6a: 0.0765, c6g: 0.068, c7i: 0.08925, c7a: 0.10264, c7g: 0.0725,
};
const SIZE_FACTOR: Readonly<Record<string, number>> = { large: 1, xlarge: 2, "2xlarge": 4, "4xlarge": 8, "8xlarge": 16, "12xlarge": 24, "16xlarge": 32 };
const NOT_OFFERED = new Set(["c5.8xlarge", "c5.16xlarge"]);

function ec2Table(): Record<string, number> {
  const table: Record<string, number> = { "t3.large": 0.0832, "t3.xlarge": 0.1664, "t3.2xlarge": 0.3328 };
  for (const [family, large] of Object.entries(EC2_LARGE_HOURLY)) {
    for (const [size, factor] of Object.entries(SIZE_FACTOR)) {
      const type = `${family}.${size}`;
      if (!NOT_OFFERED.has(type)) table[type] = Math.round(large * factor * 100000) / 100000;
    }
  }
  return table;
}

/** Instance-hour prices of a class line, linear in size from its `large` price. */
function linear(prefix: string, large: number, sizes: readonly string[]): Record<string, number> {
  return Object.fromEntries(sizes.map((s) => [`${prefix}.${s}`, Math.round(large * SIZE_FACTOR[s] * 10000) / 10000]));
}
const TO_4XL = ["large", "xlarge", "2xlarge", "4xlarge"] as const;

const US: RegionPrices = {
  ec2: ec2Table(),
  eksClusterHour: 0.1,
  natGatewayHour: 0.045,
  natGatewayPerGib: 0.045,
  publicIpv4Hour: 0.005,
  albHour: 0.0225,
  albLcuHour: 0.008,
  rdsPostgres: {
    "db.t4g.medium": 0.065, "db.t4g.large": 0.129, "db.t4g.xlarge": 0.258, "db.t4g.2xlarge": 0.517,
    "db.t3.medium": 0.072, "db.t3.large": 0.145,
    ...linear("db.m5", 0.178, TO_4XL), ...linear("db.m6i", 0.178, TO_4XL), ...linear("db.m6g", 0.152, TO_4XL), ...linear("db.m7g", 0.168, TO_4XL),
    ...linear("db.r5", 0.25, TO_4XL), ...linear("db.r6i", 0.25, TO_4XL), ...linear("db.r6g", 0.225, TO_4XL), ...linear("db.r7g", 0.239, TO_4XL),
  },
  rdsStorageGibMonth: 0.115,
  auroraPostgres: {
    "db.t4g.medium": 0.073, "db.t4g.large": 0.146,
    ...linear("db.r5", 0.29, TO_4XL), ...linear("db.r6i", 0.29, TO_4XL), ...linear("db.r6g", 0.26, TO_4XL), ...linear("db.r7g", 0.276, TO_4XL),
  },
  auroraStorageGibMonth: 0.1,
  auroraIoPerMillion: 0.2,
  elasticache: {
    "cache.t3.micro": 0.017, "cache.t3.small": 0.034, "cache.t3.medium": 0.068,
    "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065,
    ...linear("cache.m5", 0.156, TO_4XL), ...linear("cache.m6g", 0.149, TO_4XL), ...linear("cache.m7g", 0.158, TO_4XL),
    ...linear("cache.r5", 0.216, TO_4XL), ...linear("cache.r6g", 0.206, TO_4XL), ...linear("cache.r7g", 0.219, TO_4XL),
  },
  gp3GibMonth: 0.08,
  gp3IopsMonth: 0.005,
  gp3ThroughputMibpsMonth: 0.04,
  gp3BaselineIops: 3000,
  gp3BaselineMibps: 125,
  ebsSnapshotGibMonth: 0.05,
  s3GibMonth: 0.023,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  logsIngestPerGib: 0.5,
  logsStorageGibMonth: 0.03,
  alarmMonth: 0.1,
  dashboardMonth: 3,
  wafWebAclMonth: 5,
  wafRuleMonth: 1,
  wafPerMillionRequests: 0.6,
};

export const PRICES = {
  /** The day the figures were transcribed. Re-check and re-date when you change them. */
  asOf: "2025-06-01",
  currency: "USD",
  /** AWS's convention for monthly estimates. */
  hoursPerMonth: 730,
  source: "AWS public on-demand pricing pages (aws.amazon.com/<service>/pricing), transcribed from the author's knowledge, not fetched",
  regions: { "us-east-1": US, "us-west-2": US } as Readonly<Record<string, RegionPrices>>,
} as const;
