/**
 * The database Jobs' SQL against a real PostgreSQL shaped like RDS (the master is CREATEROLE and
 * CREATEDB, not a superuser; `rds_iam` exists; RDS made database `langsmith` owned by the master):
 * on a shared instance neither application's role can connect to the other's databases, on the
 * first deploy in either order and on every re-run. Needs PostgreSQL's server binaries (initdb,
 * pg_ctl) and psql; where they are missing (a CI runner with only Node, npm and Terraform) one
 * skipped test says so.
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { databaseScript } from "../../../lib/secrets/database-job";
import { langfuseDatabaseScript } from "../../../lib/secrets/langfuse";
import { sharedScratch } from "../../global-setup";

const which = (name: string, dirs: string[]) => dirs.map((d) => join(d, name)).find((p) => existsSync(p));
const serverDirs = ["/usr/local/bin", "/usr/bin", ...(existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").map((v) => `/usr/lib/postgresql/${v}/bin`) : [])];
const initdb = which("initdb", serverDirs);
const pgCtl = which("pg_ctl", serverDirs);
const psql = which("psql", ["/usr/bin", "/usr/local/bin", ...serverDirs]);
// initdb refuses to run as root: as root, the server runs as user postgres (runuser).
const root = process.getuid?.() === 0;
const postgresUser = root ? (() => { try { return { uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })) }; } catch { return undefined; } })() : undefined;
const missing = !initdb || !pgCtl || !psql ? "PostgreSQL's initdb, pg_ctl or psql is not installed" : root && (!postgresUser || !existsSync("/usr/sbin/runuser")) ? "running as root without a postgres user and runuser" : undefined;

const execFileAsync = promisify(execFile);

const ROLE = { user: "langsmith_app", database: "langsmith", alsoOwns: ["langsmith_insights"] };
const DATABASES = ["langsmith", "langsmith_insights", "langfuse"];

/** Runs a command, as the server's user when the tests run as root. */
const asServer = (cmd: string, args: string[]) => (root ? execFileAsync("/usr/sbin/runuser", ["-u", "postgres", "--", cmd, ...args]) : execFileAsync(cmd, args));
/**
 * The server's options: its own port and socket directory, no TCP, and no durability (fsync off:
 * a test cluster that is thrown away; the SQL behaves the same).
 */
const serverOptions = (dir: string, port: number) => `-p ${port} -k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;

/**
 * An instance shaped like a new RDS one, made once per file (initdb is most of the cost)
 * and copied for each scenario: superuser rdsadmin, role rds_iam, a CREATEROLE CREATEDB master
 * that is not a superuser, and database langsmith owned by the master (RDS's `db_name`).
 */
async function rdsShapedTemplate(base: string): Promise<string> {
  const data = join(base, "template");
  await asServer(initdb!, ["-N", "-D", data, "-A", "trust", "-U", "rdsadmin"]);
  const port = TEMPLATE_PORT;
  await asServer(pgCtl!, ["-D", data, "-o", serverOptions(base, port), "-l", join(base, "template.log"), "-w", "start"]);
  try {
    await execFileAsync(psql!, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", base, "-p", String(port), "-U", "rdsadmin", "-d", "postgres", "-c", "CREATE ROLE rds_iam", "-c", "CREATE ROLE master LOGIN CREATEROLE CREATEDB", "-c", "CREATE DATABASE langsmith OWNER master"]);
  } finally {
    await asServer(pgCtl!, ["-D", data, "-m", "fast", "-w", "stop"]);
  }
  return data;
}

const TEMPLATE_PORT = 55433;
const SCENARIOS = [
  ["LangSmith's Job first", ["langsmith", "langfuse", "langsmith", "langfuse"], 55434],
  ["Langfuse's Job first", ["langfuse", "langsmith", "langfuse", "langsmith"], 55435],
] as const;

if (missing) {
  test.skip(`database isolation on a real PostgreSQL: skipped, ${missing}`, () => undefined);
} else {
  let base = "";
  beforeAll(async () => {
    // The server user must reach the socket; on tmpfs, initdb and CREATE DATABASE are 2-4x faster.
    base = sharedScratch();
    chmodSync(base, 0o755);
    if (postgresUser) chownSync(base, postgresUser.uid, postgresUser.gid);
    const template = await rdsShapedTemplate(base);
    // Both scenarios at once, each on its own copy of the instance.
    await Promise.all(
      SCENARIOS.map(async ([, order, port]) => {
        const dir = join(base, String(port));
        await asServer("/bin/cp", ["-a", template, dir]);
        await asServer(pgCtl!, ["-D", dir, "-o", serverOptions(base, port), "-l", `${dir}.log`, "-w", "start"]);
        const env = { PATH: `${join(psql!, "..")}:/usr/bin:/bin`, PGHOST: base, PGPORT: String(port) };
        const jobs = {
          langsmith: () => execFileAsync("/bin/sh", ["-c", databaseScript(["langsmith_insights"], ROLE)], { env: { ...env, PG_CONNECTION_URL: `master@/langsmith?host=${base}&port=${port}` } }),
          langfuse: () => execFileAsync("/bin/sh", ["-c", langfuseDatabaseScript()], { env: { ...env, ADMIN_URL: `postgresql://master@/langsmith?host=${base}&port=${port}`, LANGFUSE_PASSWORD: "not-a-secret" } }),
        };
        for (const job of order) await jobs[job]();
      }),
    );
  }, 60_000);

  afterAll(async () => {
    if (!base) return;
    try {
      await Promise.all(
        SCENARIOS.map(([, , port]) => join(base, String(port)))
          .filter((dir) => existsSync(join(dir, "postmaster.pid")))
          .map((dir) => asServer(pgCtl!, ["-D", dir, "-m", "immediate", "stop"]).catch(() => undefined)),
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  describe.each(SCENARIOS)("a shared instance, %s, each Job run twice", (_label, _order, port) => {
    const sql = (user: string, db: string, ...commands: string[]) =>
      execFileSync(psql!, ["-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", base, "-p", String(port), "-U", user, "-d", db, ...commands.flatMap((c) => ["-c", c])], { encoding: "utf8", stdio: "pipe" });
    const connects = (user: string, db: string) => {
      try {
        sql(user, db, "SELECT 1");
        return true;
      } catch {
        return false;
      }
    };

    // Trust authentication stands in for the IAM token (langsmith_app) and the password (langfuse).
    test.each([
      ["langsmith_app", ["langsmith", "langsmith_insights"]],
      ["langfuse", ["langfuse"]],
      ["master", DATABASES],
    ])("%s connects to exactly %j of the applications' databases", (user, own) => {
      expect(DATABASES.filter((db) => connects(user, db))).toEqual(own);
    });

    test("PUBLIC holds nothing on the applications' databases; each is its role's", () => {
      const acl = sql("rdsadmin", "postgres", `SELECT datname || ' ' || pg_get_userbyid(datdba) || ' ' || datacl::text FROM pg_database WHERE datname IN ('langsmith', 'langsmith_insights', 'langfuse') ORDER BY 1`);
      expect(acl.trim().split("\n")).toEqual([
        "langfuse langfuse {langfuse=CTc/langfuse}",
        "langsmith langsmith_app {langsmith_app=CTc/langsmith_app}",
        "langsmith_insights langsmith_app {langsmith_app=CTc/langsmith_app}",
      ]);
    });
  });
}
