import { defineEnvironment } from "../../environments/profiles";
import { loadEnvironment } from "../../lib/config/load";
import { CHARTS } from "../../versions";
import { langfuseHostname } from "../../lib/config/schema";
import { loadProblems, problemsWith as problems } from "../helpers";
import { LANGFUSE_CLICKHOUSE, LANGFUSE_DEV, langfuseOnlyFork, withLangfuse } from "../langfuse-envs";

describe("applications", () => {
  test("defaults to LangSmith alone, without Langfuse settings", () => {
    expect(problems("dev")).toEqual([]);
    const env = loadEnvironment({ file: "environments/dev.ts", input: defineEnvironment("development", { ...baseFields() }) });
    expect(env.applications).toEqual(["langsmith"]);
    expect(env.langfuse).toBeUndefined();
  });

  test("must name at least one application, each once, from the known ones", () => {
    expect(problems("dev", {}, (i) => (i.applications = []))).toEqual(["environments/dev.ts: applications must have at least 1 item, got []"]);
    expect(problems("dev", {}, (i) => (i.applications = ["langsmith", "langsmith"]))).toEqual([
      'environments/dev.ts: applications must not name an application twice, got ["langsmith","langsmith"]',
    ]);
    expect(problems("dev", {}, (i) => (i.applications = ["langfuse2"]))).toEqual(["environments/dev.ts: applications.0 must be one of langsmith | langfuse, got langfuse2"]);
  });

  test("Langfuse needs its settings", () => {
    expect(problems("dev", {}, (i) => (i.applications = ["langsmith", "langfuse"]))).toEqual([
      'environments/dev.ts: langfuse is required when applications includes "langfuse", got nothing; add langfuse: { clickhouse: { mode: "external", ... }, init: { organization, project, userEmail } } (lib/config/schema.ts)',
    ]);
  });

  test("Langfuse settings only when Langfuse runs", () => {
    expect(problems("dev", { langfuse: LANGFUSE_DEV })).toEqual([
      'environments/dev.ts: langfuse must be absent when applications (langsmith) does not include "langfuse", got a langfuse block; add "langfuse" to applications, or remove the langfuse block',
    ]);
  });

  test.each([["dev"], ["staging"], ["prod"]] as const)("%s can run both applications", (name) => {
    expect(withLangfuse(name).applications).toEqual(["langsmith", "langfuse"]);
  });

  test("a Langfuse-only fork needs no LangSmith fields and uses dns.hostname", () => {
    const env = loadEnvironment({ file: "environments/lf.ts", input: langfuseOnlyFork() });
    expect(env.applications).toEqual(["langfuse"]);
    expect(langfuseHostname(env)).toBe(env.dns.hostname);
    expect(env.langfuse).toMatchObject({ database: "shared", redisDb: 4, sizing: "development" });
  });
});

describe("langfuse fields", () => {
  const both = (langfuse: Record<string, unknown>, mutate?: (i: any) => void) =>
    problems("dev", { applications: ["langsmith", "langfuse"], langfuse: { ...LANGFUSE_DEV, ...langfuse } }, mutate);

  test("beside LangSmith the hostname is required", () => {
    expect(both({}, (i) => delete i.langfuse.hostname)).toEqual([
      'environments/dev.ts: langfuse.hostname is required when LangSmith runs beside Langfuse (each application has its own name on the shared ALB), got nothing; add e.g. langfuse.hostname: "langfuse.dev.example.com"',
    ]);
  });

  test.each([
    ["Langfuse.dev.example.com", "must be a lowercase DNS name like langfuse.example.com, got Langfuse.dev.example.com"],
    ["langsmith.dev.example.com", "must differ from dns.hostname (langsmith.dev.example.com): the ALB routes by host name, got langsmith.dev.example.com"],
    [
      "langfuse.other.org",
      "must be in a domain of dns.hostname (langsmith.dev.example.com or dev.example.com or example.com): one hosted zone (dns.hostedZoneId) holds both names and validates the certificate, got langfuse.other.org; use e.g. langfuse.dev.example.com",
    ],
  ])("hostname %s is refused", (hostname, message) => {
    expect(both({ hostname })).toEqual([`environments/dev.ts: langfuse.hostname ${message}`]);
  });

  // The hosted zone of dns.hostname is dns.hostname itself or one of its parents of two labels or
  // more, at any depth: a bare domain (example.com) has no parent zone (com is a top-level domain).
  describe.each([
    ["example.com", ["langfuse.example.com", "a.b.example.com"], ["langfuse.evil.com", "example.org", "langfuse.com"], "example.com", "langfuse.example.com"],
    ["langsmith.example.com", ["langfuse.example.com", "example.com", "lf.langsmith.example.com"], ["langfuse.other.com", "langfuse.com"], "langsmith.example.com or example.com", "langfuse.example.com"],
    ["ls.team.eu.example.co.uk", ["lf.team.eu.example.co.uk", "lf.example.co.uk"], ["lf.other.uk", "lf.uk"], "ls.team.eu.example.co.uk or team.eu.example.co.uk or eu.example.co.uk or example.co.uk or co.uk", "langfuse.team.eu.example.co.uk"],
  ])("dns.hostname %s", (dnsHostname, accepted, refused, domains, suggestion) => {
    const at = (hostname?: string) =>
      both({ hostname }, (i) => {
        i.dns.hostname = dnsHostname;
        if (hostname === undefined) delete i.langfuse.hostname;
      });
    test.each(accepted)("accepts langfuse.hostname %s", (hostname) => expect(at(hostname)).toEqual([]));
    test.each(refused)("refuses langfuse.hostname %s, naming the domains and a name that fits", (hostname) => {
      expect(at(hostname)).toEqual([
        `environments/dev.ts: langfuse.hostname must be in a domain of dns.hostname (${domains}): one hosted zone (dns.hostedZoneId) holds both names and validates the certificate, got ${hostname}; use e.g. ${suggestion}`,
      ]);
      expect(at(suggestion)).toEqual([]);
    });
    test("a missing langfuse.hostname suggests a name in its domain", () => {
      expect(at(undefined)).toEqual([
        `environments/dev.ts: langfuse.hostname is required when LangSmith runs beside Langfuse (each application has its own name on the shared ALB), got nothing; add e.g. langfuse.hostname: "${suggestion}"`,
      ]);
    });
  });

  test("in-cluster ClickHouse is refused with the reason", () => {
    expect(both({ clickhouse: { mode: "in-cluster" } })).toEqual([
      'environments/dev.ts: langfuse.clickhouse.mode must be "external": the Langfuse chart 2.0.0 runs in-cluster ClickHouse only through the alpha ClickHouse operator (clickhouse.com/v1alpha1 CRDs, Keeper, cert-manager), which this project does not install or plan offline, got in-cluster; use ClickHouse Cloud or your own replicated cluster: { mode: "external", host, port, nativePort, database, user, tls, clusterEnabled }',
    ]);
  });

  test("external ClickHouse says whether it is a cluster", () => {
    expect(both({}, (i) => delete i.langfuse.clickhouse.clusterEnabled)).toEqual([
      "environments/dev.ts: langfuse.clickhouse.clusterEnabled is required (boolean), got nothing; add it (see lib/config/schema.ts)",
    ]);
  });

  test.each([
    [0, {}, "must not be Redis database 0, which LangSmith uses (Langfuse's queues would mix with its keys), got 0; use e.g. 1"],
    [2, { polly: "shared" }, "must not be Redis database 2, which Polly uses (Langfuse's queues would mix with its keys), got 2; use e.g. 1"],
    [3, { insights: "shared" }, "must not be Redis database 3, which Insights uses (Langfuse's queues would mix with its keys), got 3; use e.g. 1"],
  ])("Redis database %s is refused when taken", (redisDb, langsmith, message) => {
    expect(both({ redisDb }, (i) => Object.assign(i.langsmith, langsmith))).toEqual([`environments/dev.ts: langfuse.redisDb ${message}`]);
  });

  test("Langfuse's valuesOverrides set only keys of the pinned Langfuse chart, alone or beside LangSmith", () => {
    const misspelt = { langfuse: { web: { hpa: { minReplica: 3 } } }, clickhous: { enabled: true } };
    const expected = (file: string) => [
      `environments/${file}.ts: langfuse.valuesOverrides.langfuse.web.hpa.minReplica is not a key of the langfuse chart ${CHARTS.langfuse.version} (Helm would ignore it silently), got 3; check the spelling against the chart's values.yaml (keys: __tests__/fixtures/langfuse-chart-keys.json)`,
      `environments/${file}.ts: langfuse.valuesOverrides.clickhous.enabled is not a key of the langfuse chart ${CHARTS.langfuse.version} (Helm would ignore it silently), got true; check the spelling against the chart's values.yaml (keys: __tests__/fixtures/langfuse-chart-keys.json)`,
    ];
    expect(loadProblems([{ file: "environments/lf.ts", input: langfuseOnlyFork({ valuesOverrides: misspelt }) }])).toEqual(expected("lf"));
    expect(both({ valuesOverrides: misspelt })).toEqual(expected("dev"));
    expect(both({ valuesOverrides: { langfuse: { web: { hpa: { minReplicas: 3 } } } } })).toEqual([]);
  });

  test("a key the Langfuse chart defaults to a boolean takes a boolean, not a string the templates read as true", () => {
    expect(loadProblems([{ file: "environments/lf.ts", input: langfuseOnlyFork({ valuesOverrides: { langfuse: { web: { hpa: { enabled: "false" } } } } }) }])).toEqual([
      `environments/lf.ts: langfuse.valuesOverrides.langfuse.web.hpa.enabled must be true or false: the langfuse chart ${CHARTS.langfuse.version} defaults it to a boolean, and its templates' \`if\` reads any non-empty string, "false" included, as true, got "false"; write false without quotes`,
    ]);
  });

  test("Redis database 0 is Langfuse's when LangSmith does not run", () => {
    expect(loadProblems([{ file: "environments/lf.ts", input: langfuseOnlyFork({ redisDb: 0 }) }])).toEqual([]);
  });

  test("database placement and init fields are checked", () => {
    expect(both({ database: "mine" })).toEqual(["environments/dev.ts: langfuse.database must be one of shared | own-instance, got mine"]);
    expect(both({ database: "own-instance" })).toEqual([]);
    expect(loadProblems([{ file: "environments/lf.ts", input: langfuseOnlyFork({ database: "own-instance" }) }])).toEqual([
      'environments/lf.ts: langfuse.database must be "shared" when LangSmith does not run: the environment\'s PostgreSQL (postgres.*) already serves Langfuse alone, and a second instance would leave the first one empty (paid for, backed up, alarmed on), got own-instance; use database: "shared" (size the instance with postgres.*)',
    ]);
    expect(both({ init: { organization: "Acme", project: "default", userEmail: "root" } })).toEqual([
      "environments/dev.ts: langfuse.init.userEmail must be an email address like admin@example.com, got root",
    ]);
  });

  test("the Langfuse hostname is unique across environments", () => {
    const a = langfuseOnlyFork();
    const b = { ...(langfuseOnlyFork() as any), name: "lf2", state: { ...(a as any).state, key: "lf2/terraform.tfstate" }, network: { ...(a as any).network, vpcCidr: "10.60.0.0/16" }, dns: { ...(a as any).dns, hostname: "other.lf.example.com" } };
    b.applications = ["langsmith", "langfuse"];
    b.langfuse = { ...b.langfuse, hostname: (a as any).dns.hostname };
    b.langsmith = { ...b.langsmith };
    expect(loadProblems([{ file: "environments/lf.ts", input: a }, { file: "environments/lf2.ts", input: b }])).toEqual([
      "environments/lf2.ts: langfuse.hostname must be unique across environments (also used by environments/lf.ts), got langfuse.lf.example.com; use another name",
    ]);
  });

  test("the ClickHouse of the shared example is complete", () => {
    expect(Object.keys(LANGFUSE_CLICKHOUSE).sort()).toEqual(["clusterEnabled", "database", "host", "mode", "nativePort", "port", "tls", "user"]);
  });
});

function baseFields() {
  return {
    name: "dev",
    owner: "o",
    costCenter: "c",
    aws: { accountId: "111111111111", region: "us-west-2", availabilityZones: ["us-west-2a", "us-west-2b"] },
    network: { mode: "create" as const, vpcCidr: "10.10.0.0/16" },
    dns: { hostname: "langsmith.dev.example.com", hostedZoneId: "Z0DEV00000000000000001" },
    exposure: "public" as const,
    auth: { model: "token" as const },
    // No ci block: whoever applies must be a named cluster admin (the creator gets no entry).
    eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:role/platform-admin"] },
    langsmith: { initialOrgAdminEmail: "a@example.com" },
    clickhouse: { mode: "external" as const, host: "ch.example.com", port: 8443, nativePort: 9440, database: "d", user: "u", tls: true },
    ci: { githubRepository: "example-org/x", oidcProvider: "existing" as const },
    state: { backend: "s3" as const, bucket: "ls-tfstate-111111111111-us-west-2", key: "x/terraform.tfstate", locking: "lockfile" as const },
  };
}
