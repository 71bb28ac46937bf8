/**
 * The database Jobs' SQL against a real PostgreSQL shaped like RDS (the master is CREATEROLE and
 * CREATEDB, not a superuser; `rds_iam` exists; RDS made database `langsmith` owned by the master):
 * on a shared instance neither application's role can connect to the other's databases, on the
 * first deploy in either order and on every re-run. Needs PostgreSQL's server binaries (initdb,
 * pg_ctl) and psql; where they are missing (a CI runner with only Node, npm and Terraform) one
 * skipped test says so.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { databaseScript } from "../../../lib/secrets/database-job";
import { langfuseDatabaseScript } from "../../../lib/secrets/langfuse";

const which = (name: string, dirs: string[]) => dirs.map((d) => join(d, name)).find((p) => existsSync(p));
const serverDirs = ["/usr/local/bin", "/usr/bin", ...(existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").map((v) => `/usr/lib/postgresql/${v}/bin`) : [])];
const initdb = which("initdb", serverDirs);
const pgCtl = which("pg_ctl", serverDirs);
const psql = which("psql", ["/usr/bin", "/usr/local/bin", ...serverDirs]);
// initdb refuses to run as root: as root, the server runs as user postgres (runuser).
const root = process.getuid?.() === 0;
const postgresUser = root ? (() => { try { return { uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })) }; } catch { return undefined; } })() : undefined;
const missing = !initdb || !pgCtl || !psql ? "PostgreSQL's initdb, pg_ctl or psql is not installed" : root && (!postgresUser || !existsSync("/usr/sbin/runuser")) ? "running as root without a postgres user and runuser" : undefined;

const ROLE = { user: "langsmith_app", database: "langsmith", alsoOwns: ["langsmith_insights"] };
const DATABASES = ["langsmith", "langsmith_insights", "langfuse"];

if (missing) {
  test.skip(`database isolation on a real PostgreSQL: skipped, ${missing}`, () => undefined);
} else {
  describe.each([
    ["LangSmith's Job first", ["langsmith", "langfuse", "langsmith", "langfuse"]],
    ["Langfuse's Job first", ["langfuse", "langsmith", "langfuse", "langsmith"]],
  ] as const)("a shared instance, %s, each Job run twice", (_label, order) => {
    let dir = "";
    const port = "55433";
    const asServer = (cmd: string, args: string[]) =>
      root ? execFileSync("/usr/sbin/runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe" }) : execFileSync(cmd, args, { stdio: "pipe" });
    const sql = (user: string, db: string, ...commands: string[]) =>
      execFileSync(psql!, ["-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", port, "-U", user, "-d", db, ...commands.flatMap((c) => ["-c", c])], { encoding: "utf8", stdio: "pipe" });
    const connects = (user: string, db: string) => {
      try {
        sql(user, db, "SELECT 1");
        return true;
      } catch {
        return false;
      }
    };

    beforeAll(() => {
      // Outside the run's scratch directory (mode 700, root's): the server user must reach the socket.
      dir = mkdtempSync("/tmp/ls-pg-");
      chmodSync(dir, 0o755);
      if (postgresUser) chownSync(dir, postgresUser.uid, postgresUser.gid);
      asServer(initdb!, ["-D", join(dir, "data"), "-A", "trust", "-U", "rdsadmin"]);
      asServer(pgCtl!, ["-D", join(dir, "data"), "-o", `-p ${port} -k ${dir} -c listen_addresses=''`, "-l", join(dir, "log"), "-w", "start"]);
      sql("rdsadmin", "postgres", "CREATE ROLE rds_iam", "CREATE ROLE master LOGIN CREATEROLE CREATEDB", "CREATE DATABASE langsmith OWNER master");
      const env = { PATH: `${join(psql!, "..")}:/usr/bin:/bin`, PGHOST: dir, PGPORT: port };
      const jobs = {
        langsmith: () => execFileSync("/bin/sh", ["-c", databaseScript(["langsmith_insights"], ROLE)], { env: { ...env, PG_CONNECTION_URL: `master@/langsmith?host=${dir}&port=${port}` }, stdio: "pipe" }),
        langfuse: () => execFileSync("/bin/sh", ["-c", langfuseDatabaseScript()], { env: { ...env, ADMIN_URL: `postgresql://master@/langsmith?host=${dir}&port=${port}`, LANGFUSE_PASSWORD: "not-a-secret" }, stdio: "pipe" }),
      };
      for (const job of order) jobs[job]();
    }, 60_000);

    afterAll(() => {
      if (!dir) return;
      try {
        asServer(pgCtl!, ["-D", join(dir, "data"), "-m", "immediate", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

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
