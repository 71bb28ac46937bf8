import { sharedDomain, siblingDomain, zoneCandidates } from "../../lib/hostnames";

describe("hostnames", () => {
  test.each([
    ["example.com", "example.com"],
    ["langsmith.example.com", "example.com"],
    ["a.b.example.com", "b.example.com"],
  ])("the sibling domain of %s is %s (never a top-level domain)", (hostname, domain) => expect(siblingDomain(hostname)).toBe(domain));

  test.each([
    ["example.com", ["example.com"]],
    ["a.b.example.com", ["a.b.example.com", "b.example.com", "example.com"]],
  ])("the zones that can hold %s", (hostname, zones) => expect(zoneCandidates(hostname)).toEqual(zones));

  test.each([
    ["langfuse.example.com", "example.com", "example.com"],
    ["langfuse.example.com", "langsmith.example.com", "example.com"],
    ["x.team.example.com", "y.team.example.com", "team.example.com"],
    ["langfuse.evil.com", "example.com", undefined],
    ["example.org", "example.com", undefined],
  ])("%s and %s share %s", (a, b, shared) => {
    expect(sharedDomain(a, b)).toBe(shared);
    expect(sharedDomain(b, a)).toBe(shared);
  });
});
