import { problemsWith as problems } from "../helpers";

describe("langsmith fields", () => {
  test("the first org admin's email is required", () => {
    expect(problems("dev", {}, (i) => delete i.langsmith.initialOrgAdminEmail)).toEqual([
      "environments/dev.ts: langsmith.initialOrgAdminEmail is required (string), got nothing; add it (see lib/config/schema.ts)",
    ]);
  });

  test("and must be an email address", () => {
    expect(problems("prod", { langsmith: { initialOrgAdminEmail: "admins" } })).toEqual(["environments/prod.ts: langsmith.initialOrgAdminEmail must be an email address like admin@example.com, got admins"]);
  });

  test("the sizing profile must fit the general pool at its minimum size", () => {
    expect(problems("dev", { langsmith: { sizing: "production" } }).join("\n")).toContain(
      'environments/dev.ts: nodePools.general.minSize gives 23.73 vCPU / 93.09 GiB allocatable (3 x m6i.2xlarge), but langsmith.sizing "production" requests 25.9 vCPU',
    );
  });

  test("a private zone can name a public zone for certificate validation", () => {
    expect(problems("staging", { dns: { certificateValidationZoneId: "Z0PUBLIC00000000000001" } })).toEqual([]);
    expect(problems("staging", { dns: { certificateValidationZoneId: "public" } })).toEqual([
      "environments/staging.ts: dns.certificateValidationZoneId must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ, got public",
    ]);
  });

  test.each([
    ["Insights", { insights: "shared" }],
    ["Polly", { polly: "shared" }],
    ["both", { insights: "shared", polly: "shared" }],
  ])("%s on the shared data stores is accepted (databases and secrets are created)", (_l, langsmith) => {
    expect(problems("prod", { langsmith })).toEqual([]);
  });
});
