import { ELB_LOG_DELIVERY_ACCOUNTS } from "../../lib/elb-log-delivery";
import { AWS_REGIONS, isZoneOf, otherPartition, REGION_ZONES, suggestedZones } from "../../lib/regions";

describe("lib/regions: the zones each region offers", () => {
  test.each(AWS_REGIONS.map((r) => [r]))("%s: letters are distinct, one account sees at most all of them", (region) => {
    const z = REGION_ZONES[region];
    expect(new Set(z.letters).size).toBe(z.letters.length);
    expect(z.perAccount).toBeGreaterThanOrEqual(2);
    expect(z.perAccount).toBeLessThanOrEqual(z.letters.length);
  });

  test("suggested zones are the ones every account gets, never more than one account sees", () => {
    expect(suggestedZones("ap-northeast-1", 3)).toEqual(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
    expect(suggestedZones("us-west-1", 3)).toEqual(["us-west-1a", "us-west-1c"]);
    expect(suggestedZones("us-east-1", 6)).toHaveLength(6);
    expect(suggestedZones("us-gov-west-1", 3)).toEqual([]);
  });

  test.each([
    ["eu-central-1c", "eu-central-1", true],
    ["eu-central-1d", "eu-central-1", false],
    ["us-east-1f", "us-east-1", true],
    ["us-east-1g", "us-east-1", false],
    ["us-west-2a", "eu-central-1", false],
  ])("isZoneOf(%s, %s) = %s", (az, region, expected) => {
    expect(isZoneOf(az, region)).toBe(expected);
  });

  test("regions of other partitions are named by partition; commercial ones are not", () => {
    expect(otherPartition("us-gov-east-1")?.partition).toBe("aws-us-gov");
    expect(otherPartition("cn-northwest-1")?.partition).toBe("aws-cn");
    expect(AWS_REGIONS.filter((r) => otherPartition(r))).toEqual([]);
  });

  test("every region with a regional ELB log-delivery account is a region of the table", () => {
    expect(Object.keys(ELB_LOG_DELIVERY_ACCOUNTS).filter((r) => !(r in REGION_ZONES))).toEqual([]);
  });
});
