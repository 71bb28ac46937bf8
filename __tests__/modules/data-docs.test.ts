import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("data module docs", () => {
  // The README snippets themselves are type-checked by npm run typecheck (lib/docs/readme-snippets.ts).
  test("backup-restore covers every store with commands", () => {
    const text = read("docs/backup-restore.md");
    for (const heading of ["## PostgreSQL (RDS)", "## Redis (ElastiCache)", "## ClickHouse in-cluster (development)", "## S3 blob storage", "## Secrets and keys"]) expect(text).toContain(heading);
    for (const command of ["restore-db-instance-to-point-in-time", "restore-db-cluster-to-point-in-time", "create-replication-group --replication-group-id", "aws ec2 create-volume --snapshot-id", "list-object-versions", "restore-secret"]) {
      expect(text).toContain(command);
    }
  });

  test("secrets doc states what lands in Terraform state", () => {
    expect(read("docs/secrets.md")).toContain("**No secret value lands in Terraform state.**");
  });
});
