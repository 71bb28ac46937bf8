import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, chmodSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appRoleSql, databaseJob, databaseScript } from "../../../lib/secrets/database-job";
import { resolvePostgresEngine } from "../../../lib/engines";

type Container = { command: string[]; image: string; env: { name: string; valueFrom?: unknown; value?: string }[]; securityContext: object; resources: { requests: object; limits: object } };

const IMAGE = resolvePostgresEngine({ engine: "rds" }).clientImage;

describe("agent database Job", () => {
  test("nothing to create: no Job", () => {
    expect(databaseJob({ namespace: "langsmith", databases: [], image: IMAGE })).toBeUndefined();
  });

  const job = databaseJob({ namespace: "langsmith", databases: ["langsmith_insights", "langsmith_polly"], image: IMAGE })!;
  const container = (job.spec.template.spec.containers as Container[])[0];

  test("a Helm post-install/post-upgrade hook, replaced on each run, deleted when it succeeds", () => {
    expect(job).toMatchObject({ apiVersion: "batch/v1", kind: "Job", metadata: { namespace: "langsmith" } });
    expect(job.metadata.annotations).toEqual({
      "helm.sh/hook": "post-install,post-upgrade",
      "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
    });
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
  });

  test("pinned client image, non-root, no privilege, resources set", () => {
    expect(container.image).toBe(IMAGE);
    expect(IMAGE).toMatch(/^postgres:\d+\.\d+-alpine$/);
    expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 70 });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test("reads the master URL from langsmith-postgres connection_url (so it waits for that secret)", () => {
    expect(container.env.find((e) => e.name === "PG_CONNECTION_URL")).toEqual({
      name: "PG_CONNECTION_URL",
      valueFrom: { secretKeyRef: { name: "langsmith-postgres", key: "connection_url" } },
    });
    expect(container.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(container.command[2]).toBe(databaseScript(["langsmith_insights", "langsmith_polly"]));
  });

  test("the script checks pg_database before CREATE DATABASE, adds the scheme, and never traces or echoes the URL", () => {
    const script = databaseScript(["langsmith_insights"]);
    expect(script).toContain('url="postgresql://${PG_CONNECTION_URL}"');
    expect(script).toContain("SELECT 1 FROM pg_database WHERE datname='langsmith_insights'");
    expect(script).toContain(`CREATE DATABASE "langsmith_insights"`);
    expect(script).not.toMatch(/set -[a-z]*x/);
    for (const line of script.split("\n")) for (const echo of line.match(/echo "[^"]*"/g) ?? []) expect(echo).not.toMatch(/\$/);
  });

  test("refuses database names that are not plain identifiers", () => {
    expect(() => databaseScript(["x'; DROP DATABASE langsmith; --"])).toThrow("must match [a-z][a-z0-9_]*");
  });

  // Run the script against a fake psql: idempotent, and the URL never reaches stdout/stderr.
  test.each([
    ["fresh server: creates both", "", ["langsmith_insights", "langsmith_polly"]],
    ["both exist: creates nothing", "langsmith_insights langsmith_polly", []],
    ["one exists: creates the other", "langsmith_insights", ["langsmith_polly"]],
  ])("%s", (_l, existing, created) => {
    const dir = mkdtempSync(join(tmpdir(), "dbjob-"));
    const log = join(dir, "created");
    writeFileSync(log, "");
    writeFileSync(
      join(dir, "psql"),
      [
        "#!/bin/sh",
        'for a in "$@"; do case "$a" in',
        `  "SELECT 1 FROM pg_database WHERE datname='"*) db=\${a#*datname=\\'}; db=\${db%\\'}; for e in $EXISTING; do [ "$e" = "$db" ] && echo 1; done; exit 0;;`,
        `  'CREATE DATABASE '*) echo "$a" >> "${log}"; exit 0;;`,
        "esac; done",
        "exit 3",
      ].join("\n"),
    );
    chmodSync(join(dir, "psql"), 0o755);
    const secret = "master:s3cr3t%2Fpw@db.example.com:5432/langsmith?sslmode=require";
    const out = execFileSync("/bin/sh", ["-c", databaseScript(["langsmith_insights", "langsmith_polly"])], {
      env: { PATH: `${dir}:/usr/bin:/bin`, PG_CONNECTION_URL: secret, EXISTING: existing },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).not.toContain("s3cr3t");
    expect(out).not.toContain("db.example.com");
    const ran = readFileSync(log, "utf8");
    rmSync(dir, { recursive: true, force: true });
    expect(ran.trim().split("\n").filter(Boolean)).toEqual(created.map((d) => `CREATE DATABASE "${d}"`));
  });
});

describe("application role setup", () => {
  const ROLE = { user: "langsmith_app", database: "langsmith" };

  test("the shipped case (no agents) still gets the Job: it creates the IAM-authenticated role", () => {
    const job = databaseJob({ namespace: "langsmith", databases: [], appRole: ROLE, image: IMAGE })!;
    expect(job.metadata.name).toBe("langsmith-database-setup");
    expect((job.spec.template.spec.containers as Container[])[0].command[2]).toBe(databaseScript([], ROLE));
  });

  test("the role logs in only with IAM tokens, owns the LangSmith database and what the master created there, and nothing else", () => {
    const sql = appRoleSql(ROLE);
    expect(sql).toContain('GRANT rds_iam TO "langsmith_app";');
    expect(sql).toContain('ALTER DATABASE "langsmith" OWNER TO "langsmith_app";');
    expect(sql).toContain('REASSIGN OWNED BY CURRENT_USER TO "langsmith_app";');
    // No other role connects (PUBLIC's default CONNECT, TEMPORARY): __tests__/lib/secrets/database-isolation.test.ts.
    expect(sql).toContain('REVOKE CONNECT, TEMPORARY ON DATABASE "langsmith" FROM PUBLIC;');
    // Every other database the REASSIGN moved goes back to the master.
    expect(sql).toMatch(/datname NOT IN \('langsmith'\)[^]*ALTER DATABASE %I OWNER TO %I', d, current_user/);
    expect(sql).not.toMatch(/PASSWORD|SUPERUSER|rds_superuser|CREATEROLE|CREATEDB/i);
    expect(() => appRoleSql({ user: "x\"; DROP ROLE y; --", database: "langsmith" })).toThrow("must match [a-z][a-z0-9_]*");
  });

  test("shared agent databases: the role owns them too (connecting to each), and the restore loop leaves them", () => {
    const sql = appRoleSql({ ...ROLE, alsoOwns: ["langsmith_insights"] });
    expect(sql).toContain('ALTER DATABASE "langsmith_insights" OWNER TO "langsmith_app";');
    expect(sql).toMatch(/\\connect langsmith_insights\nREASSIGN OWNED BY CURRENT_USER TO "langsmith_app";/);
    expect(sql).toContain("datname NOT IN ('langsmith', 'langsmith_insights')");
    // The databases exist before the role takes them over.
    const script = databaseScript(["langsmith_insights"], { ...ROLE, alsoOwns: ["langsmith_insights"] });
    expect(script.indexOf('CREATE DATABASE "langsmith_insights"')).toBeLessThan(script.indexOf("GRANT rds_iam"));
  });

  test.each([
    ["fresh server: creates the role", "", true],
    ["role exists: does not create it again", "langsmith_app", false],
  ])("%s, then runs the grants; never prints the URL", (_l, existing, creates) => {
    const dir = mkdtempSync(join(tmpdir(), "dbrole-"));
    const log = join(dir, "log");
    writeFileSync(log, "");
    writeFileSync(
      join(dir, "psql"),
      [
        "#!/bin/sh",
        'for a in "$@"; do case "$a" in',
        `  "SELECT 1 FROM pg_roles WHERE rolname='"*) r=\${a#*rolname=\\'}; r=\${r%\\'}; for e in $EXISTING; do [ "$e" = "$r" ] && echo 1; done; exit 0;;`,
        `  'CREATE ROLE '*) echo "$a" >> "${log}"; exit 0;;`,
        "esac; done",
        // No -c: the SQL comes on stdin (the heredoc).
        `cat >> "${log}"`,
      ].join("\n"),
    );
    chmodSync(join(dir, "psql"), 0o755);
    const out = execFileSync("/bin/sh", ["-c", databaseScript([], ROLE)], {
      env: { PATH: `${dir}:/usr/bin:/bin`, PG_CONNECTION_URL: "master:s3cr3t@db.example.com:5432/langsmith?sslmode=require", EXISTING: existing },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).not.toContain("s3cr3t");
    const ran = readFileSync(log, "utf8");
    expect(ran.includes('CREATE ROLE "langsmith_app" LOGIN')).toBe(creates);
    rmSync(dir, { recursive: true, force: true });
    // The heredoc reached psql verbatim (the shell expanded nothing: `$setup$` is intact).
    expect(ran).toContain(appRoleSql(ROLE));
  });
});
