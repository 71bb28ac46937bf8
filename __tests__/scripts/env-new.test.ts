/** The scaffolder: a fork with every must-change field changed, registered, or nothing written. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments } from "../../lib/config/load";
import { forkHostname, freeCidr, registerEnvironment, zonesOf } from "../../lib/env-new";
import { main } from "../../scripts/env-new";
import { FIXTURE_ENVIRONMENTS } from "../fixtures/environments";
import { langfuseOnlyFork } from "../langfuse-envs";

const FIXTURES = Object.values(FIXTURE_ENVIRONMENTS);
const PROFILES = join(__dirname, "..", "..", "environments", "profiles");
const INDEX = `/** The environments. */
import type { EnvironmentSource } from "../lib/config/load";
import dev from "./dev";
import staging from "./staging";
import prod from "./prod";

export const ENVIRONMENTS: readonly EnvironmentSource[] = [
  { file: "environments/dev.ts", input: dev },
  { file: "environments/staging.ts", input: staging },
  { file: "environments/prod.ts", input: prod },
];
`;

describe("npm run env:new", () => {
  const root = mkdtempSync(join(tmpdir(), "ls-env-new-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const run = (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, { root, sources: FIXTURES, out: (l) => out.push(l), err: (l) => err.push(l), today: "2026-01-02" });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  /** The written file, evaluated (its profiles import pointed at this repository's). */
  const evaluate = (name: string): unknown => {
    const text = readFileSync(join(root, "environments", `${name}.ts`), "utf8").replace('from "./profiles"', `from ${JSON.stringify(PROFILES)}`);
    const copy = join(root, `${name}.eval.ts`);
    writeFileSync(copy, text);
    return require(copy).default;
  };

  beforeEach(() => {
    rmSync(join(root, "environments"), { recursive: true, force: true });
    require("node:fs").mkdirSync(join(root, "environments"));
    writeFileSync(join(root, "environments", "index.ts"), INDEX);
  });

  test("forks dev into another account and region: a file that loads with the fleet, registered, next steps printed", () => {
    const r = run(["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0EU000000000000000001"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const input = evaluate("eu");
    const [, , , eu] = loadEnvironments([...FIXTURES, { file: "environments/eu.ts", input }]).map((e) => e.config);
    expect(eu).toMatchObject({
      name: "eu",
      tier: "development",
      aws: { accountId: "444444444444", region: "eu-central-1", availabilityZones: ["eu-central-1a", "eu-central-1b"] },
      network: { mode: "create", vpcCidr: "10.0.0.0/16" },
      dns: { hostname: "langsmith.eu.example.com", hostedZoneId: "Z0EU000000000000000001" },
      state: { backend: "s3", bucket: "ls-tfstate-444444444444-eu-central-1", key: "langsmith/eu/terraform.tfstate", locking: "lockfile" },
      ci: { oidcProvider: "create" },
      langsmith: { initialOrgAdminEmail: "langsmith-admins+eu@example.com" },
    });
    const text = readFileSync(join(root, "environments", "eu.ts"), "utf8");
    expect(text).toMatch(/^\/\*\*\n \* eu: forked from environments\/dev\.ts by `npm run env:new` on 2026-01-02\./);
    expect(text).toContain('export default defineEnvironment("development", {');
    expect(text).not.toContain("lockTable");
    expect(readFileSync(join(root, "environments", "index.ts"), "utf8")).toBe(
      INDEX.replace('import prod from "./prod";', 'import prod from "./prod";\nimport eu from "./eu";').replace("];", '  { file: "environments/eu.ts", input: eu },\n];'),
    );
    expect(r.out).toContain(`env:new: wrote ${join(root, "environments", "eu.ts")} (tier development, forked from environments/dev.ts)`);
    expect(r.out).toContain("Bootstrap the state bucket ls-tfstate-444444444444-eu-central-1 of account 444444444444 in eu-central-1");
    expect(r.out).toContain("repository variable AWS_PLAN_ROLE_ARN_EU = bootstrap output ci_eu_plan_role_arn");
  });

  test("a production fork into an account the fleet uses: its bucket and hosted zone, the existing OIDC provider, 3 zones, a free CIDR", () => {
    const r = run(["prod2", "--from", "prod", "--account", "111111111111", "--region", "us-west-2", "--hostname", "ls.prod2.example.com"]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("use1-az3");
    expect(r.out).toContain("dns.hostedZoneId is dev's, of the same account (Z0DEV00000000000000001): keep it only if ls.prod2.example.com is in that zone");
    const [prod2] = loadEnvironments([...FIXTURES, { file: "environments/prod2.ts", input: evaluate("prod2") }]).map((e) => e.config).slice(3);
    expect(prod2).toMatchObject({
      tier: "production",
      aws: { availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"] },
      dns: { hostname: "ls.prod2.example.com", hostedZoneId: "Z0DEV00000000000000001" },
      state: { bucket: "ls-tfstate-111111111111-us-west-2", key: "langsmith/prod2/terraform.tfstate" },
      ci: { oidcProvider: "existing" },
      auth: { clientId: "langsmith-prod2" },
    });
  });

  test("--applications langsmith,langfuse: a langfuse block with its own hostname, a ClickHouse placeholder and the first user", () => {
    const r = run(["both", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0EU000000000000000001", "--applications", "langsmith,langfuse"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const [both] = loadEnvironments([...FIXTURES, { file: "environments/both.ts", input: evaluate("both") }]).map((e) => e.config).slice(3);
    expect(both).toMatchObject({
      applications: ["langsmith", "langfuse"],
      dns: { hostname: "langsmith.both.example.com" },
      langfuse: {
        hostname: "langfuse.both.example.com",
        clickhouse: { mode: "external", host: "langfuse-clickhouse.both.internal.example.com", clusterEnabled: false },
        init: { organization: "Platform", project: "default", userEmail: "langfuse-admins+both@example.com" },
      },
    });
    expect(r.out).toContain("langfuse.clickhouse.host is a placeholder (langfuse-clickhouse.both.internal.example.com)");
    const named = run(["both2", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0EU000000000000000001", "--applications", "langsmith,langfuse", "--langfuse-hostname", "lf.both2.example.com"]);
    expect(named.code).toBe(0);
    expect(readFileSync(join(root, "environments", "both2.ts"), "utf8")).toContain('hostname: "lf.both2.example.com"');
    // A bare domain is its own zone: Langfuse goes under it, not under the top-level domain.
    const bare = run(["both3", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0EU000000000000000001", "--hostname", "both3.example", "--applications", "langsmith,langfuse"]);
    expect(bare.err).toBe("");
    expect(readFileSync(join(root, "environments", "both3.ts"), "utf8")).toContain('hostname: "langfuse.both3.example"');
  });

  test("a fork in us-east-1 is told to check its zone IDs against use1-az3 (no m6i/r6i or newer), which names cannot reveal", () => {
    const r = run(["east", "--from", "dev", "--account", "111111111111", "--region", "us-east-1", "--hostname", "langsmith.east.example.com"]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("nodePools.general.minSize is the source's");
    expect(r.out).toContain('use1-az3 offers no m6i/r6i or newer instance types: check that none of aws.availabilityZones maps to it in account 111111111111 (`aws ec2 describe-availability-zones --region us-east-1 --query "AvailabilityZones[].[ZoneName,ZoneId]"`)');
  });

  test("--applications langfuse: a Langfuse-only fork (no langsmith, no clickhouse block) served on its own hostname", () => {
    const r = run(["lfo", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0EU000000000000000001", "--applications", "langfuse"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const text = readFileSync(join(root, "environments", "lfo.ts"), "utf8");
    expect(text).not.toMatch(/^ {2}(langsmith|clickhouse):/m);
    const [lfo] = loadEnvironments([...FIXTURES, { file: "environments/lfo.ts", input: evaluate("lfo") }]).map((e) => e.config).slice(3);
    expect(lfo).toMatchObject({ applications: ["langfuse"], dns: { hostname: "langfuse.lfo.example.com" }, clickhouse: { mode: "external" } });
    expect(lfo.langfuse?.hostname).toBeUndefined();
    // The source's pool is sized for LangSmith; the note gives the fewest nodes Langfuse alone passes with.
    expect(r.out).toContain("nodePools.general.minSize is the source's 3 (x m6i.2xlarge); langfuse here needs 1 (lib/general-pool.ts): set nodePools.general.minSize and desiredSize to 1");
  });

  test("the hosted zone note names the hostnames the fork serves (a Langfuse-only fork's, both beside LangSmith)", () => {
    const only = run(["lfz", "--from", "dev", "--account", "111111111111", "--region", "us-west-2", "--applications", "langfuse"]);
    expect(only.code).toBe(0);
    expect(only.out).toContain("dns.hostedZoneId is the source's (Z0DEV00000000000000001): keep it only if langfuse.lfz.example.com is in that zone");
    expect(only.out).not.toContain("langsmith.lfz.example.com");
    const both = run(["bz", "--from", "dev", "--account", "111111111111", "--region", "us-west-2", "--applications", "langsmith,langfuse"]);
    expect(both.code).toBe(0);
    expect(both.out).toContain("keep it only if langsmith.bz.example.com and langfuse.bz.example.com are in that zone");
  });

  test.each<[string[], RegExp]>([
    [["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--applications", "langsmith,langfuze"], /--applications must be a comma-separated list of langsmith, langfuse, each at most once \(e\.g\. langsmith,langfuse\), got langsmith,langfuze/],
    [["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--applications", "langfuse,langfuse"], /--applications must be a comma-separated list .* got langfuse,langfuse/],
    [["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--langfuse-hostname", "langfuse.eu.example.com"], /--langfuse-hostname needs Langfuse in the fork's applications \(langsmith\): add --applications langsmith,langfuse/],
    [["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--applications", "langfuse", "--langfuse-hostname", "langfuse.eu.example.com"], /--langfuse-hostname is Langfuse's name beside LangSmith; a Langfuse-only fork's URL is --hostname \(dns\.hostname\)/],
    [["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--applications", "langsmith,langfuse", "--langfuse-hostname", "Langfuse_EU"], /--langfuse-hostname must be a lowercase DNS name like langfuse\.eu\.example\.com, got Langfuse_EU/],

    [["dev", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1"], /<name> dev is taken \(environments: dev, staging, prod\)/],
    [["Eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1"], /<name> must be 2-12 lowercase letters or digits, starting with a letter, got Eu/],
    [["eu", "--from", "nope", "--account", "4444", "--region", "eu-middle-9"], /--from must name an environment to copy \(dev, staging, prod\), got nope\n {2}--account must be a 12-digit AWS account id, got 4444\n {2}--region must be an AWS commercial region \(lib\/regions\.ts\), got eu-middle-9/],
    [["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--tier", "prod"], /--tier must be one of development \| production, got prod/],
    [["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1"], /--hosted-zone-id is required when --account \(444444444444\) differs from the source's \(111111111111\): a hosted zone belongs to one account; give the zone of the hostname's domain in account 444444444444/],
    [["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "zone-1"], /--hosted-zone-id must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ, got zone-1/],
  ])("usage errors exit 2 and write nothing: %j", (argv, message) => {
    const r = run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(readFileSync(join(root, "environments", "index.ts"), "utf8")).toBe(INDEX);
  });

  test("adding LangSmith to a Langfuse-only source is refused with what to do instead (one that runs it, or, with none, a shipped example)", () => {
    const lf = { file: "environments/lf.ts", input: langfuseOnlyFork() };
    const withSources = (sources: typeof FIXTURES) => {
      const err: string[] = [];
      const code = main(["both", "--from", "lf", "--account", "111111111111", "--region", "us-west-2", "--applications", "langsmith,langfuse"], { root, sources, out: () => undefined, err: (l) => err.push(l), today: "2026-01-02" });
      return { code, err: err.join("\n") };
    };
    const beside = withSources([...FIXTURES, lf]);
    expect(beside.code).toBe(2);
    expect(beside.err).toContain(
      "--applications adds LangSmith, which lf does not run: a Langfuse-only file has no LangSmith ClickHouse, first admin or host name to copy; fork one that runs it (dev, staging, prod) with --applications langsmith,langfuse",
    );
    const alone = withSources([lf]);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain("no environment here runs it: copy a shipped example that does (environments/README.md) and add Langfuse to it with --applications");
    expect(readFileSync(join(root, "environments", "index.ts"), "utf8")).toBe(INDEX);
    // Langfuse alone from it is a plain fork.
    const out: string[] = [];
    const err: string[] = [];
    const code = main(["lf2", "--from", "lf", "--account", "111111111111", "--region", "us-west-2"], { root, sources: [lf], out: (l) => out.push(l), err: (l) => err.push(l), today: "2026-01-02" });
    expect({ code, err: err.join("\n") }).toEqual({ code: 0, err: "" });
    expect(readFileSync(join(root, "environments", "lf2.ts"), "utf8")).toMatch(/applications: \["langfuse"\]/);
  });

  test("a fork the loader would refuse is reported with the loader's messages, and nothing is written", () => {
    const r = run(["devprod", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0EU000000000000000001", "--tier", "production"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^env:new: the new environment would not load, nothing was written:\n {2}environments\/devprod\.ts: clickhouse\.mode must be "external" for tier production/);
    expect(existsSync(join(root, "environments", "devprod.ts"))).toBe(false);
    expect(readFileSync(join(root, "environments", "index.ts"), "utf8")).toBe(INDEX);
  });

  test("an existing-VPC source: the same account and region keep its VPC and zones; another account or region creates its own VPC", () => {
    const dev = JSON.parse(JSON.stringify(FIXTURES[0].input));
    const vpc = {
      file: "environments/vpc.ts",
      input: {
        ...dev,
        name: "vpc",
        aws: { ...dev.aws, availabilityZones: ["us-west-2b", "us-west-2c"] },
        network: { mode: "existing", vpcId: "vpc-0123456789abcdef0", vpcCidr: "10.60.0.0/16", publicSubnetIds: ["subnet-0aaaaaaa1", "subnet-0aaaaaaa2"], privateSubnetIds: ["subnet-0bbbbbbb1", "subnet-0bbbbbbb2"], dataSubnetIds: ["subnet-0ccccccc1", "subnet-0ccccccc2"] },
        dns: { ...dev.dns, hostname: "langsmith.vpc.example.com" },
        state: { ...dev.state, key: "langsmith/vpc/terraform.tfstate" },
        ci: { ...dev.ci, githubEnvironment: "vpc" },
      },
    };
    const sources = [...FIXTURES, vpc];
    const fork = (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = main(argv, { root, sources, out: (l) => out.push(l), err: (l) => err.push(l), today: "2026-01-02" });
      return { code, out: out.join("\n"), err: err.join("\n") };
    };
    const far = fork(["vpceu", "--from", "vpc", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0EU000000000000000001"]);
    expect(far.err).toBe("");
    expect(far.out).toContain("network: the source uses an existing VPC of account 111111111111 in us-west-2, which the fork cannot use, so the fork creates its own VPC");
    const [vpceu] = loadEnvironments([...sources, { file: "environments/vpceu.ts", input: evaluate("vpceu") }]).map((e) => e.config).slice(4);
    expect(vpceu).toMatchObject({ network: { mode: "create", vpcCidr: "10.0.0.0/16" }, aws: { availabilityZones: ["eu-central-1a", "eu-central-1b"] } });
    const same = fork(["vpc3", "--from", "vpc", "--account", "111111111111", "--region", "us-west-2", "--hostname", "langsmith.vpc3.example.com"]);
    expect(same.err).toBe("");
    const [vpc3] = loadEnvironments([...sources, { file: "environments/vpc3.ts", input: evaluate("vpc3") }]).map((e) => e.config).slice(4);
    expect(vpc3).toMatchObject({ network: { mode: "existing", vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0bbbbbbb1", "subnet-0bbbbbbb2"] }, aws: { availabilityZones: ["us-west-2b", "us-west-2c"] } });
  });

  test("--help prints usage and writes nothing", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: npm run env:new -- <name> --from <environment> --account <12-digit id> --region <region>/);
  });
});

describe("lib/env-new", () => {
  test("zones come from the region, with the regions whose letters differ", () => {
    expect(zonesOf("eu-west-3", 3)).toEqual(["eu-west-3a", "eu-west-3b", "eu-west-3c"]);
    expect(zonesOf("ap-northeast-1", 3)).toEqual(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
  });

  test("the CIDR is the first free range of the same size", () => {
    expect(freeCidr(["10.0.0.0/16", "10.1.0.0/16", "10.10.0.0/16"])).toBe("10.2.0.0/16");
    expect(freeCidr(["10.0.0.0/8"].slice(1), 20)).toBe("10.0.0.0/20");
    expect(freeCidr(["10.0.0.0/12"])).toBe("10.16.0.0/16");
  });

  test("the hostname: the source's name label replaced, or the new name added", () => {
    expect(forkHostname("langsmith.dev.example.com", "dev", "eu")).toBe("langsmith.eu.example.com");
    expect(forkHostname("langsmith.example.com", "prod", "eu")).toBe("langsmith.eu.example.com");
  });

  test("registering: an import after the last one and an entry at the end; a reserved word gets a suffix", () => {
    expect(registerEnvironment(INDEX, "new")).toContain('import newEnv from "./new";\n\nexport const');
    expect(registerEnvironment(INDEX, "new")).toContain('  { file: "environments/new.ts", input: newEnv },\n];');
    expect(() => registerEnvironment("export default [];", "eu")).toThrow("environments/index.ts: cannot find its imports and the ENVIRONMENTS list; add the environment by hand (environments/README.md)");
  });
});
