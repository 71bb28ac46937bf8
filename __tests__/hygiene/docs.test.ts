import { readFileSync } from "node:fs";
import { join } from "node:path";
import { versionsTable, withVersionsTable } from "../../lib/docs/versions-table";
import { CHARTS, KUBERNETES_VERSION } from "../../versions";

const README = join(__dirname, "..", "..", "README.md");

describe("README versions table", () => {
  test("is the one generated from versions.ts (run npm run docs)", () => {
    const readme = readFileSync(README, "utf8");
    expect(readme).toBe(withVersionsTable(readme));
  });
  test("lists the chart and Kubernetes pins", () => {
    expect(versionsTable()).toContain(`| chart langsmith | ${CHARTS.langsmith.version} |`);
    expect(versionsTable()).toContain(`| Kubernetes (EKS) | ${KUBERNETES_VERSION} |`);
  });
});
