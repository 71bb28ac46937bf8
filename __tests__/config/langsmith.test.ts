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

  test("Insights and Polly on the shared data stores are refused until their databases exist", () => {
    expect(problems("prod", { langsmith: { insights: "shared", polly: "shared" } })).toEqual([
      'environments/prod.ts: langsmith.insights must be "disabled" for now: "shared" needs its own database in the shared PostgreSQL and a langsmith-insights-db connection secret, which this project does not create yet (and the chart\'s own in-cluster databases are never used), got shared; set langsmith.insights to "disabled"',
      'environments/prod.ts: langsmith.polly must be "disabled" for now: "shared" needs its own database in the shared PostgreSQL and a langsmith-polly-db connection secret, which this project does not create yet (and the chart\'s own in-cluster databases are never used), got shared; set langsmith.polly to "disabled"',
    ]);
  });
});
