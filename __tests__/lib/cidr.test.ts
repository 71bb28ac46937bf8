import { cidrsOverlap, isPrivateCidr, parseCidr, planSubnets } from "../../lib/cidr";

describe("cidr", () => {
  test.each([
    ["10.0.0.0/16", true],
    ["10.0.0.1/16", false],
    ["10.0.0/16", false],
    ["256.0.0.0/8", false],
    ["10.0.0.0/33", false],
    ["not a cidr", false],
  ])("parseCidr(%s) valid=%s", (text, valid) => {
    expect(parseCidr(text) !== undefined).toBe(valid);
  });

  test.each([
    ["10.20.0.0/16", true],
    ["172.31.0.0/16", true],
    ["192.168.0.0/20", true],
    ["100.64.0.0/16", false],
    ["8.8.0.0/16", false],
  ])("isPrivateCidr(%s)=%s", (text, priv) => {
    expect(isPrivateCidr(parseCidr(text)!)).toBe(priv);
  });

  test("overlap", () => {
    expect(cidrsOverlap(parseCidr("10.0.0.0/8")!, parseCidr("10.20.0.0/16")!)).toBe(true);
    expect(cidrsOverlap(parseCidr("10.10.0.0/16")!, parseCidr("10.20.0.0/16")!)).toBe(false);
  });

  test("a /16 over 3 AZs: /19 node subnets, /21 public and data, no overlaps, all inside the VPC", () => {
    const plan = planSubnets("10.10.0.0/16", 3);
    expect(plan).toEqual({
      private: ["10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"],
      public: ["10.10.128.0/21", "10.10.136.0/21", "10.10.144.0/21"],
      data: ["10.10.160.0/21", "10.10.168.0/21", "10.10.176.0/21"],
    });
    const all = [...plan.private, ...plan.public, ...plan.data].map((c) => parseCidr(c)!);
    all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(cidrsOverlap(a, b)).toBe(false)));
    all.forEach((a) => expect(cidrsOverlap(a, parseCidr("10.10.0.0/16")!)).toBe(true));
  });

  test("a /20 still fits 4 AZs", () => {
    expect(planSubnets("10.1.0.0/20", 4).data).toEqual(["10.1.10.0/25", "10.1.10.128/25", "10.1.11.0/25", "10.1.11.128/25"]);
  });
});
