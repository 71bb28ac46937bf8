import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, chmodSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { databaseJob, databaseScript } from "../../../lib/secrets/database-job";
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

  test("reads the URL from langsmith-postgres connection_url (so it waits for that secret)", () => {
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
    expect(readFileSync(log, "utf8").trim().split("\n").filter(Boolean)).toEqual(created.map((d) => `CREATE DATABASE "${d}"`));
  });
});
