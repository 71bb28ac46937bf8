/**
 * The scaffolder behind `npm run env:new`: a new environment file forked from an existing one,
 * with every field that must differ already changed, and its line in `environments/index.ts`.
 * Plain functions over text and data (the script does the file system), unit-tested.
 *
 * What changes: name; account, region and zones (from the region); a VPC CIDR that overlaps no
 * other environment; the hostname (the source's name label replaced, or `<name>.` added); the
 * state bucket of the new account/region (shared with an environment already there) with its
 * own key and S3-native locking (`use_lockfile`); the account id and region wherever else they
 * appear (admin ARNs, ...); the GitHub OIDC provider `existing` when the account already has one
 * in the fleet. The tier's profile supplies the rest; fields the source overrode are kept.
 */
import { cidrsOverlap, formatCidr, parseCidr } from "./cidr";
import { Application, APPLICATIONS, EnvironmentConfig, HOSTED_ZONE_ID, HOSTED_ZONE_ID_RULE, runs, Tier, TIERS } from "./config/schema";
import { isPlainObject, PlainObject } from "./merge";
import { isKnownRegion, regionZones, suggestedZones } from "./regions";
import { siblingDomain } from "./hostnames";
import { poolPasses } from "./config/rules";

/** The first `count` zones of a region an account can use (lib/regions.ts). */
export function zonesOf(region: string, count: number): string[] {
  return suggestedZones(region, count);
}

/** The first /prefix range in 10.0.0.0/8 (stepping by its size) that overlaps none of `taken`. */
export function freeCidr(taken: readonly string[], prefix = 16): string {
  const used = taken.map(parseCidr).filter((c): c is NonNullable<typeof c> => !!c);
  const step = 2 ** (32 - prefix);
  for (let n = (10 << 24) >>> 0; n < ((11 << 24) >>> 0); n += step) {
    const candidate = { network: n >>> 0, prefix };
    if (!used.some((u) => cidrsOverlap(u, candidate))) return formatCidr(candidate);
  }
  throw new Error(`no free /${prefix} left in 10.0.0.0/8`);
}

/** `langsmith.dev.example.com` → `langsmith.<name>.example.com`; `langsmith.example.com` → `langsmith.<name>.example.com`. */
export function forkHostname(hostname: string, from: string, name: string): string {
  const labels = hostname.split(".");
  const i = labels.indexOf(from);
  if (i >= 0) labels[i] = name;
  else labels.splice(1, 0, name);
  return labels.join(".");
}

export interface ForkOptions {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly tier?: Tier;
  readonly hostname?: string;
  /** The applications of the fork (`--applications`); default: the source's. */
  readonly applications?: readonly Application[];
  /** Langfuse's hostname beside LangSmith (`--langfuse-hostname`); default `langfuse.<domain of dns.hostname>`. */
  readonly langfuseHostname?: string;
  /**
   * The Route 53 hosted zone of the hostname (`--hosted-zone-id`). Default: the source's in the
   * source's account, else the zone of an environment already in the new account; required otherwise.
   */
  readonly hostedZoneId?: string;
}

/** External ClickHouse placeholder of a fork that starts running Langfuse (the loader wants one; the notes say to change it). */
export const LANGFUSE_CLICKHOUSE_PLACEHOLDER = (name: string, tier: Tier) => ({
  mode: "external",
  host: `langfuse-clickhouse.${name}.internal.example.com`,
  port: 8443,
  nativePort: 9440,
  database: "langfuse",
  user: "langfuse",
  tls: true,
  clusterEnabled: tier === "production",
});

/** `--applications langsmith,langfuse` → the list (unchecked: optionProblems names bad entries). */
export function parseApplications(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(",").map((a) => a.trim());
}

export interface ForkResult {
  /** The environment file's fields (what `defineEnvironment(tier, fields)` takes). */
  readonly fields: PlainObject;
  readonly tier: Tier;
  readonly notes: readonly string[];
}

/** Problems with the options themselves (before any forking), as `--flag` messages. */
export function optionProblems(
  o: Partial<ForkOptions> & { from?: string; sourceApplications?: readonly string[]; sourceAccountId?: string; accountsWithZone?: readonly string[]; langsmithSources?: readonly string[] },
  known: readonly string[],
): string[] {
  const p: string[] = [];
  if (!o.name || !/^[a-z][a-z0-9]{1,11}$/.test(o.name)) p.push(`<name> must be 2-12 lowercase letters or digits, starting with a letter, got ${o.name ?? "nothing"}`);
  else if (known.includes(o.name)) p.push(`<name> ${o.name} is taken (environments: ${known.join(", ")})`);
  if (!o.from || !known.includes(o.from)) p.push(`--from must name an environment to copy (${known.join(", ")}), got ${o.from ?? "nothing"}`);
  if (!o.accountId || !/^\d{12}$/.test(o.accountId)) p.push(`--account must be a 12-digit AWS account id, got ${o.accountId ?? "nothing"}`);
  if (!o.region || !isKnownRegion(o.region)) p.push(`--region must be an AWS commercial region (lib/regions.ts), got ${o.region ?? "nothing"}`);
  if (o.tier !== undefined && !(TIERS as readonly string[]).includes(o.tier)) p.push(`--tier must be one of ${TIERS.join(" | ")}, got ${o.tier}`);
  const apps = o.applications as readonly string[] | undefined;
  if (apps !== undefined) {
    const bad = apps.filter((a) => !(APPLICATIONS as readonly string[]).includes(a));
    if (bad.length > 0 || apps.length === 0 || new Set(apps).size !== apps.length) {
      p.push(`--applications must be a comma-separated list of ${APPLICATIONS.join(", ")}, each at most once (e.g. langsmith,langfuse), got ${apps.join(",") || "nothing"}`);
    }
  }
  // LangSmith needs decisions a Langfuse-only file never made (its ClickHouse, its first admin, its own host name).
  if (apps?.includes("langsmith") && o.sourceApplications !== undefined && !o.sourceApplications.includes("langsmith")) {
    const others = o.langsmithSources ?? [];
    p.push(
      `--applications adds LangSmith, which ${o.from} does not run: a Langfuse-only file has no LangSmith ClickHouse, first admin or host name to copy; ` +
        (others.length > 0 ? `fork one that runs it (${others.join(", ")}) with --applications langsmith,langfuse` : "no environment here runs it: copy a shipped example that does (environments/README.md) and add Langfuse to it with --applications"),
    );
  }
  if (o.langfuseHostname !== undefined) {
    const running = apps ?? o.sourceApplications ?? [];
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(o.langfuseHostname)) p.push(`--langfuse-hostname must be a lowercase DNS name like langfuse.${o.name ?? "eu"}.example.com, got ${o.langfuseHostname}`);
    else if (!running.includes("langfuse")) p.push(`--langfuse-hostname needs Langfuse in the fork's applications (${running.join(",") || "none"}): add --applications langsmith,langfuse`);
    else if (!running.includes("langsmith")) p.push("--langfuse-hostname is Langfuse's name beside LangSmith; a Langfuse-only fork's URL is --hostname (dns.hostname)");
  }
  if (o.hostedZoneId !== undefined && !HOSTED_ZONE_ID.test(o.hostedZoneId)) p.push(`--hosted-zone-id ${HOSTED_ZONE_ID_RULE}, got ${o.hostedZoneId}`);
  else if (o.hostedZoneId === undefined && o.accountId && o.sourceAccountId && o.accountId !== o.sourceAccountId && !(o.accountsWithZone ?? []).includes(o.accountId)) {
    p.push(`--hosted-zone-id is required when --account (${o.accountId}) differs from the source's (${o.sourceAccountId}): a hosted zone belongs to one account; give the zone of the hostname's domain in account ${o.accountId}`);
  }
  return p;
}

/**
 * The fields of the new environment. `source` is the validated source environment, `sourceFields`
 * what its file set (its defineEnvironment input, recovered by `fileFields`), `fleet` every
 * environment already registered.
 */
export function forkEnvironment(source: EnvironmentConfig, sourceFields: PlainObject, fleet: readonly EnvironmentConfig[], o: ForkOptions): ForkResult {
  const tier = o.tier ?? source.tier;
  const notes: string[] = [];
  const replaceEverywhere = (v: unknown): unknown => {
    if (typeof v === "string") return v.split(source.aws.accountId).join(o.accountId).split(source.aws.region).join(o.region);
    if (Array.isArray(v)) return v.map(replaceEverywhere);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceEverywhere(x)]));
    return v;
  };
  const fields = replaceEverywhere(JSON.parse(JSON.stringify(sourceFields))) as PlainObject;
  const renamed = (s: string) => s.split(`+${source.name}@`).join(`+${o.name}@`).split(`-${source.name}`).join(`-${o.name}`).split(`.${source.name}.`).join(`.${o.name}.`);

  fields.name = o.name;
  const minZones = tier === "production" ? 3 : 2;
  // An existing VPC belongs to one account and region: only a fork in the same place can keep it (and its zones).
  const keepsVpc = source.network.mode === "existing" && o.accountId === source.aws.accountId && o.region === source.aws.region;
  const zones = keepsVpc ? [...source.aws.availabilityZones] : zonesOf(o.region, Math.max(minZones, source.network.mode === "existing" ? minZones : source.aws.availabilityZones.length));
  fields.aws = { ...(fields.aws as PlainObject), accountId: o.accountId, region: o.region, availabilityZones: zones };
  if (zones.length < minZones) notes.push(`${o.region} has fewer than ${minZones} zones listed here: check aws.availabilityZones`);
  const avoid = regionZones(o.region)?.avoidZoneIds ?? [];
  if (avoid.length > 0) {
    notes.push(`${avoid.join(", ")} offers no m6i/r6i or newer instance types: check that none of aws.availabilityZones maps to it in account ${o.accountId} (\`aws ec2 describe-availability-zones --region ${o.region} --query "AvailabilityZones[].[ZoneName,ZoneId]"\`)`);
  }
  if (regionZones(o.region)?.namesVaryByAccount) notes.push(`zone names in ${o.region} differ per account: check aws.availabilityZones against \`aws ec2 describe-availability-zones --region ${o.region}\``);

  const network = fields.network as PlainObject;
  if (network.mode === "create") {
    const prefix = parseCidr(String(network.vpcCidr))?.prefix ?? 16;
    network.vpcCidr = freeCidr(fleet.map((e) => e.network.vpcCidr), prefix);
  } else if (keepsVpc) {
    notes.push(`network is the source's existing VPC (${String(network.vpcId)}), shared with ${source.name}: give the fork its own subnets if it should not share them`);
  } else {
    // The source's VPC and subnet ids cannot exist in another account or region: the fork creates its own VPC.
    fields.network = { mode: "create", vpcCidr: freeCidr(fleet.map((e) => e.network.vpcCidr), 16) };
    notes.push(
      `network: the source uses an existing VPC of account ${source.aws.accountId} in ${source.aws.region}, which the fork cannot use, so the fork creates its own VPC; ` +
        `to use an existing VPC of account ${o.accountId} instead, set network to { mode: "existing", vpcId, vpcCidr, publicSubnetIds, privateSubnetIds, dataSubnetIds } (one subnet per zone)`,
    );
  }

  const dns = fields.dns as PlainObject;
  dns.hostname = o.hostname ?? forkHostname(source.dns.hostname, source.name, o.name);
  // A hosted zone belongs to one account (the loader refuses one shared across accounts).
  const zoneNeighbour = fleet.find((e) => e.aws.accountId === o.accountId);
  // The zone note is written once the applications have set the hostnames (a Langfuse-only fork serves Langfuse on dns.hostname).
  let zoneNote: ((names: string) => string) | undefined;
  if (o.hostedZoneId) dns.hostedZoneId = o.hostedZoneId;
  else if (o.accountId === source.aws.accountId) zoneNote = (names) => `dns.hostedZoneId is the source's (${source.dns.hostedZoneId}): keep it only if ${names} in that zone`;
  else if (zoneNeighbour) {
    dns.hostedZoneId = zoneNeighbour.dns.hostedZoneId;
    zoneNote = (names) => `dns.hostedZoneId is ${zoneNeighbour.name}'s, of the same account (${zoneNeighbour.dns.hostedZoneId}): keep it only if ${names} in that zone`;
  }
  if (o.accountId !== source.aws.accountId && dns.certificateValidationZoneId !== undefined) {
    delete dns.certificateValidationZoneId;
    notes.push(`dns.certificateValidationZoneId was the source's, of account ${source.aws.accountId}: set it to the public zone of ${dns.hostname}'s domain in account ${o.accountId} if dns.hostedZoneId is a private zone`);
  }

  // State: the new account/region's bucket (shared with an environment already there), its own key, the S3 lockfile.
  const neighbour = fleet.find((e) => e.state.backend === "s3" && e.aws.accountId === o.accountId && e.aws.region === o.region);
  const bucket = neighbour && neighbour.state.backend === "s3" ? neighbour.state.bucket : `ls-tfstate-${o.accountId}-${o.region}`;
  if (source.state.backend === "s3") {
    fields.state = { backend: "s3", bucket, key: `langsmith/${o.name}/terraform.tfstate`, locking: "lockfile" };
  } else {
    fields.state = { ...(fields.state as PlainObject), workspace: renamed(source.state.workspace) };
  }

  if (isPlainObject(fields.ci)) {
    const accountHasProvider = fleet.some((e) => e.aws.accountId === o.accountId && e.ci?.oidcProvider === "create");
    fields.ci = { ...fields.ci, oidcProvider: accountHasProvider ? "existing" : "create" };
    delete (fields.ci as PlainObject).githubEnvironment;
  }
  // Names derived from the source's name (admin emails, OIDC client ids, ClickHouse hosts).
  for (const key of ["langsmith", "auth", "clickhouse", "langfuse"] as const) {
    if (isPlainObject(fields[key])) fields[key] = JSON.parse(renamed(JSON.stringify(fields[key])));
  }
  applications(fields, source, tier, o, notes);
  if (zoneNote) {
    const langfuseHost = isPlainObject(fields.langfuse) && typeof fields.langfuse.hostname === "string" ? fields.langfuse.hostname : undefined;
    notes.unshift(zoneNote(langfuseHost ? `${String(dns.hostname)} and ${langfuseHost} are` : `${String(dns.hostname)} is`));
  }
  if (isPlainObject(fields.clickhouse) && fields.clickhouse.mode === "external") notes.push(`clickhouse.host is ${String(fields.clickhouse.host)}: point it at the new environment's ClickHouse`);
  return { fields, tier, notes };
}

/**
 * The fork's applications and what they need: a Langfuse block (hostname, an external ClickHouse
 * placeholder, the first user) when Langfuse starts running, none when it stops; a Langfuse-only
 * fork writes no `langsmith` and no top-level `clickhouse` (the profile derives them from Langfuse's).
 */
function applications(fields: PlainObject, source: EnvironmentConfig, tier: Tier, o: ForkOptions, notes: string[]): void {
  const apps = o.applications ?? source.applications;
  if (o.applications) fields.applications = [...o.applications];
  const dns = fields.dns as PlainObject;
  const domain = siblingDomain(String(dns.hostname));
  if (!apps.includes("langfuse")) {
    delete fields.langfuse;
    return;
  }
  if (!isPlainObject(fields.langfuse)) {
    const email = isPlainObject(fields.langsmith) ? String(fields.langsmith.initialOrgAdminEmail) : source.langsmith.initialOrgAdminEmail;
    const admin = email.replace(/^[^+@]+/, "langfuse-admins");
    fields.langfuse = {
      clickhouse: LANGFUSE_CLICKHOUSE_PLACEHOLDER(o.name, tier),
      init: { organization: "Platform", project: "default", userEmail: admin },
    };
    notes.push(`langfuse.clickhouse.host is a placeholder (langfuse-clickhouse.${o.name}.internal.example.com): point it at your ClickHouse (docs/langfuse.md)`);
  }
  const langfuse = fields.langfuse as PlainObject;
  if (apps.includes("langsmith")) {
    const inherited = source.langfuse?.hostname !== undefined && langfuse.hostname === source.langfuse.hostname;
    if (o.langfuseHostname) langfuse.hostname = o.langfuseHostname;
    else if (langfuse.hostname === undefined || inherited) langfuse.hostname = `langfuse.${domain}`;
  } else {
    delete langfuse.hostname;
    delete fields.langsmith;
    delete fields.clickhouse;
    if (!o.hostname && runs(source, "langsmith")) dns.hostname = `langfuse.${domain}`;
  }
  // Where a hand-written file has them: applications after name, langfuse before ci.
  const order = ["name", "applications", "owner", "costCenter", "aws", "network", "dns", "exposure", "auth", "langsmith", "clickhouse", "langfuse"];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const sorted = Object.entries(fields).sort(([a], [b]) => rank(a) - rank(b));
  for (const [k] of sorted) delete fields[k];
  Object.assign(fields, Object.fromEntries(sorted));
}

/** What a file set: `input` minus what its tier's defaults (`defaultsFor(input)`) would give anyway. */
export function fileFields(input: PlainObject, defaults: PlainObject, keepWhole: readonly string[]): PlainObject {
  const out: PlainObject = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === "tier") continue;
    if (keepWhole.includes(k)) out[k] = v;
    else if (isPlainObject(v) && isPlainObject(defaults[k])) {
      const inner = fileFields(v, defaults[k] as PlainObject, []);
      if (Object.keys(inner).length > 0) out[k] = inner;
    } else if (JSON.stringify(v) !== JSON.stringify(defaults[k])) out[k] = v;
  }
  return out;
}

/** A TypeScript object literal, two-space indented; short objects and arrays stay on one line. */
export function toLiteral(v: unknown, indent = ""): string {
  const inner = `${indent}  `;
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
  if (Array.isArray(v)) {
    const one = `[${v.map((x) => toLiteral(x, inner)).join(", ")}]`;
    return one.length <= 100 && !one.includes("\n") ? one : `[\n${v.map((x) => `${inner}${toLiteral(x, inner)},`).join("\n")}\n${indent}]`;
  }
  if (isPlainObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    const one = `{ ${entries.map(([k, x]) => `${key(k)}: ${toLiteral(x, inner)}`).join(", ")} }`;
    return one.length <= 100 && !one.includes("\n") ? one : `{\n${entries.map(([k, x]) => `${inner}${key(k)}: ${toLiteral(x, inner)},`).join("\n")}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** The new environment file. */
export function environmentFile(r: ForkResult, from: string, today: string): string {
  const name = String(r.fields.name);
  return [
    "/**",
    ` * ${name}: forked from environments/${from}.ts by \`npm run env:new\` on ${today}.`,
    " *",
    " * Say here whom this environment is for and what it trades (see the other files' headers).",
    ` * Tier ${r.tier}: its profile in ./profiles.ts supplies every field not set below.`,
    " */",
    'import { defineEnvironment } from "./profiles";',
    "",
    `export default defineEnvironment(${JSON.stringify(r.tier)}, ${toLiteral(r.fields)});`,
    "",
  ].join("\n");
}

const RESERVED = new Set(["do", "if", "in", "for", "let", "new", "try", "var", "case", "else", "enum", "eval", "null", "this", "true", "void", "with", "await", "break", "catch", "class", "const", "false", "super", "throw", "while", "yield", "delete", "export", "import", "public", "return", "static", "switch", "typeof", "default", "extends", "finally", "package", "private", "continue", "debugger", "function", "arguments", "interface", "protected", "implements", "instanceof"]);

/** `environments/index.ts` with the new environment imported and registered last. */
export function registerEnvironment(indexText: string, name: string): string {
  const ident = RESERVED.has(name) ? `${name}Env` : name;
  const imports = [...indexText.matchAll(/^import \w+ from "\.\/[\w-]+";$/gm)];
  const close = indexText.lastIndexOf("];");
  if (imports.length === 0 || close < 0 || !/export const ENVIRONMENTS/.test(indexText)) {
    throw new Error('environments/index.ts: cannot find its imports and the ENVIRONMENTS list; add the environment by hand (environments/README.md)');
  }
  const last = imports[imports.length - 1];
  const at = (last.index ?? 0) + last[0].length;
  const withImport = `${indexText.slice(0, at)}\nimport ${ident} from "./${name}";${indexText.slice(at)}`;
  const closeAt = withImport.lastIndexOf("];");
  return `${withImport.slice(0, closeAt)}  { file: "environments/${name}.ts", input: ${ident} },\n${withImport.slice(closeAt)}`;
}

/**
 * A note when the fork's general pool keeps more nodes at its minimum than what it runs needs (a
 * Langfuse-only fork keeps its source's pool, sized for LangSmith): the fewest nodes of the same
 * instance types that pass every loader rule on `nodePools.general`, searched upwards. The minimum
 * is what the autoscaler never goes below, so it is what the pool costs; maxSize is left alone.
 */
export function oversizedPoolNote(env: EnvironmentConfig): string | undefined {
  const g = env.nodePools.general;
  const passes = (minSize: number) => poolPasses(env, "general", { ...g, minSize, desiredSize: minSize, maxSize: Math.max(minSize, g.maxSize) });
  let min = 1;
  while (min < g.minSize && !passes(min)) min++;
  if (min >= g.minSize) return undefined;
  const apps = env.applications.filter((a) => runs(env, a)).join(" and ");
  return (
    `nodePools.general.minSize is the source's ${g.minSize} (x ${g.instanceTypes.join(", ")}); ${apps} here needs ${min} (lib/general-pool.ts): ` +
    `set nodePools.general.minSize and desiredSize to ${min} to pay for what this environment runs`
  );
}
