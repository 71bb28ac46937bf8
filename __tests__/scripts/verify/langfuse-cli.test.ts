/**
 * Zero to a first Langfuse trace, as docs/langfuse.md walks it, against the fake world: the whole
 * `secrets:seed` command with its real AWS SDK clients (report, then --apply: Secrets Manager
 * names and formats, Langfuse's ElastiCache user), then the whole `verify --app langfuse` command,
 * which reads the seeded key pair back and writes and reads a first trace. For both kinds of
 * environment: beside LangSmith and Langfuse alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as seedMain } from "../../../scripts/seed-secrets";
import { secretCatalog, secretName } from "../../../lib/secrets/catalog";
import { Namer } from "../../../lib/naming";
import { PASSWORD_USER_ACCESS_STRING } from "../../../modules/redis";
import { main } from "../../../scripts/verify";
import { LANGFUSE_GATES } from "../../../scripts/verify/gates/langfuse";
import { loadEnvironment } from "../../../lib/config/load";
import { STACK_OUTPUTS } from "../../../lib/outputs";
import { langfuseOnlyFork, LANGFUSE_DEV } from "../../langfuse-envs";
import { shippedInput } from "../../helpers";
import { Json, langfuseWorld, loadSdk, outputsOf, startFake, World } from "./fake";

process.env.AWS_ACCESS_KEY_ID = "AKIAFAKEFAKEFAKEFAKE";
process.env.AWS_SECRET_ACCESS_KEY = "fake-secret-access-key";
process.env.AWS_EC2_METADATA_DISABLED = "true";
delete process.env.AWS_PROFILE;
beforeAll(loadSdk, 60_000);

const SOURCES = [
  { file: "environments/dev.ts", input: { ...shippedInput("dev"), applications: ["langsmith", "langfuse"], langfuse: LANGFUSE_DEV } },
  { file: "environments/lf.ts", input: langfuseOnlyFork() },
];

/** `terraform output -json` of a stack running Langfuse: the shared outputs and Langfuse's own. */
function langfuseOutputs(w: World): Json {
  const o = (value: unknown) => ({ value, type: "string", sensitive: false });
  return {
    ...outputsOf(w),
    [STACK_OUTPUTS.langfuseBucketName]: o(w.bucket),
    [STACK_OUTPUTS.langfuseRoleArn]: o(w.appRoleArn),
    [STACK_OUTPUTS.langfuseTargetGroupArn]: o(w.targetGroupArn),
  };
}

describe.each([
  ["beside LangSmith", "dev", "ls-dev"],
  ["Langfuse alone", "lf", "ls-lf"],
])("zero to a first trace, %s", (_what, name, base) => {
  test("secrets:seed reports, then --apply fills them (formats, the Redis user); verify reads the seeded pair and every gate passes, in order", async () => {
    const env = loadEnvironment(SOURCES.find((s) => s.file === `environments/${name}.ts`)!);
    const w = langfuseWorld();
    // What the apply left: every catalog secret without a value, Langfuse's Redis user switched off.
    const names = secretCatalog(env).map((spec) => secretName(new Namer(env.prefix, env.name).base, spec.id));
    w.secrets = {};
    w.emptySecrets = names;
    w.redisUsers = { [`${base}-langfuse`]: { password: "", accessString: "off" } };
    const fake = await startFake(w);
    const dir = mkdtempSync(join(tmpdir(), "verify-langfuse-"));
    const seed = async (args: string[]) => {
      const out: string[] = [];
      // The real SDK clients of scripts/seed-secrets.ts, pointed at the fake.
      const code = await seedMain([name, "--aws-endpoint", fake.url, ...args], { sources: SOURCES, out: (l) => out.push(l), err: (l) => out.push(l) });
      return { code, out: out.join("\n") };
    };
    try {
      // 1. npm run secrets:seed -- <env>: the report names every Langfuse secret, writes nothing.
      const report = await seed([]);
      expect(report.code).toBe(1);
      for (const id of ["salt", "encryption-key", "nextauth-secret", "init-user-password", "init-public-key", "init-secret-key", "database-password", "redis-password"]) {
        expect(report.out).toMatch(new RegExp(`^would-seed +${base}/langfuse/${id}$`, "m"));
      }
      expect(report.out).toMatch(new RegExp(`^operator-missing +${base}/langfuse/clickhouse-password\n +aws secretsmanager put-secret-value --region us-west-2 --secret-id ${base}/langfuse/clickhouse-password`, "m"));
      expect(report.out).toContain("Dry run (no --apply): nothing was written.");
      expect(w.secrets).toEqual({});

      // 2. --apply: generated values in their formats; the Redis user gets the password and is switched on.
      const applied = await seed(["--apply"]);
      expect(applied.code).toBe(1);
      expect(w.secrets[`${base}/langfuse/encryption-key`]).toMatch(/^[0-9a-f]{64}$/);
      expect(w.secrets[`${base}/langfuse/init-public-key`]).toMatch(/^pk-lf-[0-9a-f-]{36}$/);
      expect(w.secrets[`${base}/langfuse/init-secret-key`]).toMatch(/^sk-lf-[0-9a-f-]{36}$/);
      expect(w.redisUsers[`${base}-langfuse`]).toEqual({ password: w.secrets[`${base}/langfuse/redis-password`], accessString: PASSWORD_USER_ACCESS_STRING });
      expect(applied.out).not.toContain(w.secrets[`${base}/langfuse/init-secret-key`]);
      // The operator puts the ClickHouse password (and, beside LangSmith, its license key); a re-run changes nothing and exits 0.
      const operators = names.filter((n) => !(n in w.secrets));
      expect(operators.filter((n) => n.includes("/langfuse/"))).toEqual([`${base}/langfuse/clickhouse-password`]);
      for (const n of operators) w.secrets[n] = "operator-supplied";
      const before = { ...w.secrets };
      expect((await seed(["--apply"])).code).toBe(0);
      expect(w.secrets).toEqual(before);

      // 3. Headless init creates the project with the pair ESO copied from those secrets.
      w.langfuse = { ...w.langfuse!, publicKey: w.secrets[`${base}/langfuse/init-public-key`], secretKey: w.secrets[`${base}/langfuse/init-secret-key`] };

      // 4. npm run verify -- <env> --app langfuse --outputs outputs.json
      const outputs = join(dir, "outputs.json");
      writeFileSync(outputs, JSON.stringify(langfuseOutputs(w)));
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(
        [name, "--app", "langfuse", "--outputs", outputs, "--cdktf-out", join(dir, "no-synth"), "--aws-endpoint", fake.url, "--s3-endpoint", fake.url,
          "--kubeconfig", fake.kubeconfig, "--langfuse-url", fake.url, "--poll-interval", "0.01", "--trace-timeout", "0.5"],
        { out: (l) => out.push(l), err: (l) => err.push(l), env: {} },
        { maxAttempts: 1, environments: SOURCES },
      );
      const text = out.join("\n");
      expect({ code, err: err.join("\n") }).toEqual({ code: 0, err: "" });
      const at = LANGFUSE_GATES.map((g) => text.indexOf(g.title));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(text).toContain(`${LANGFUSE_GATES.length} passed, 0 failed, 0 skipped`);
      expect(text).toMatch(new RegExp(`key pair from Secrets Manager ${base}/langfuse/init-\\{public,secret\\}-key[\\s\\S]*POST /api/public/ingestion \\(trace [0-9a-f-]+\\) → 207[\\s\\S]*GET /api/public/traces/[0-9a-f-]+ → 200`));
      expect(text).not.toContain(w.langfuse.secretKey);
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("each application's URL has its own flag; the other application's is refused, not ignored", async () => {
  const err: string[] = [];
  const io = { out: () => undefined, err: (l: string) => err.push(l), env: {} };
  expect(await main(["lf", "--app", "langfuse", "--langsmith-url", "http://127.0.0.1:1"], io, { environments: SOURCES })).toBe(2);
  expect(await main(["dev", "--langfuse-url", "http://127.0.0.1:1"], io, { environments: SOURCES })).toBe(2);
  expect(err).toEqual([
    "--langsmith-url is for --app langsmith; with --app langfuse use --langfuse-url",
    "--langfuse-url is for --app langfuse; with --app langsmith use --langsmith-url",
  ]);
});

test("docs/langfuse.md's Verify step names every gate of --app langfuse, in the order they run", () => {
  const doc = readFileSync(join(__dirname, "..", "..", "..", "docs", "langfuse.md"), "utf8");
  const step = doc.slice(doc.indexOf("4. **Verify**"), doc.indexOf("5. **Sign in**"));
  const named = [...step.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).filter((id) => LANGFUSE_GATES.some((g) => g.id === id));
  expect(named).toEqual(LANGFUSE_GATES.map((g) => g.id));
});

test("secrets:seed --aws-endpoint needs a URL", async () => {
  const err: string[] = [];
  expect(await seedMain(["lf", "--aws-endpoint"], { sources: SOURCES, out: () => undefined, err: (l) => err.push(l) })).toBe(2);
  expect(await seedMain(["lf", "--aws-endpoint", "localhost:4566"], { sources: SOURCES, out: () => undefined, err: (l) => err.push(l) })).toBe(2);
  expect(err.map((e) => e.split("\n")[0])).toEqual([
    "secrets:seed: --aws-endpoint needs a URL (http:// or https://), got nothing",
    "secrets:seed: --aws-endpoint needs a URL (http:// or https://), got localhost:4566",
  ]);
});

test("secrets:seed --apply before Langfuse's ElastiCache user exists: the secrets are seeded, the user is reported missing with what to do, exit 1", async () => {
  const w = langfuseWorld();
  const env = loadEnvironment(SOURCES[1]);
  w.secrets = {};
  w.emptySecrets = secretCatalog(env).map((spec) => secretName(new Namer(env.prefix, env.name).base, spec.id));
  w.redisUsers = {};
  const fake = await startFake(w);
  const out: string[] = [];
  try {
    expect(await seedMain(["lf", "--apply", "--aws-endpoint", fake.url], { sources: SOURCES, out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(1);
  } finally {
    await fake.close();
  }
  expect(w.secrets["ls-lf/langfuse/redis-password"]).toMatch(/^[A-Za-z0-9]{16,}$/);
  expect(out.join("\n")).toMatch(/^user-missing +elasticache user ls-lf-langfuse\n +not created yet \(it comes with the data stores, minutes into the first apply\): run npm run secrets:seed -- lf --apply again after it/m);
});
