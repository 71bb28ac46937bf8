import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectSources, ROOT } from "./source-scan";
import { CDKTF_VERSION, CHARTS, KUBERNETES_VERSION, PROVIDERS, RENDER_TOOLS } from "../../versions";

/** A string literal that is only a version: 1.33, 16.10, 0.16.11, v1.20.4-eksbuild.1, 5.100.0 ... */
const VERSION_LITERAL = /["'`]v?\d+\.\d+(\.\d+)?(-[A-Za-z0-9.]+)?["'`]/g;

describe("versions live in versions.ts only", () => {
  test("no version literal appears in any other source file", () => {
    const offenders = projectSources()
      .filter(([file]) => file !== "versions.ts")
      .flatMap(([file, text]) =>
        text.split("\n").flatMap((line, i) => {
          if (/^\s*(\*|\/\/)/.test(line)) return []; // comments may cite versions
          return (line.match(VERSION_LITERAL) ?? []).map((m) => `${file}:${i + 1}: ${m}`);
        }),
      );
    expect(offenders).toEqual([]);
  });

  test("the pattern catches chart, engine, Kubernetes and add-on versions but not CIDRs", () => {
    const hits = (s: string) => s.match(VERSION_LITERAL) ?? [];
    expect(hits('version: "0.16.11"')).toHaveLength(1);
    expect(hits('engineVersion: "16.10"')).toHaveLength(1);
    expect(hits('version: "1.33"')).toHaveLength(1);
    expect(hits('addonVersion: "v1.20.4-eksbuild.1"')).toHaveLength(1);
    expect(hits('cidr: "10.10.0.0/16"')).toHaveLength(0);
  });

  test("package.json pins every dependency exactly and agrees with versions.ts", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const all: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
    // file:stubs/<name>: an empty stand-in for an unused peer dependency (stubs/aws-cdk-lib/README.md).
    const floating = Object.entries(all).filter(([name, v]) => !/^\d+\.\d+\.\d+$/.test(v) && v !== `file:stubs/${name}`);
    expect(floating).toEqual([]);
    expect(all[RENDER_TOOLS.helmPackage]).toBe(RENDER_TOOLS.helmPackageVersion);
    for (const p of Object.values(PROVIDERS)) {
      const [name, version] = p.cdktfPackage.split(/@(?=[^@]+$)/);
      expect(all[name]).toBe(version);
    }
    expect(all.cdktf).toBe(CDKTF_VERSION);
    expect(all["cdktf-cli"]).toBe(CDKTF_VERSION);
  });

  test("the prebuilt provider packages wrap exactly the pinned Terraform providers", () => {
    for (const [name, p] of Object.entries(PROVIDERS)) {
      const meta = JSON.parse(readFileSync(join(ROOT, "node_modules", "@cdktf", `provider-${name}`, "package.json"), "utf8"));
      expect(meta.cdktf.provider.version).toBe(p.version);
    }
  });

  test("cluster-autoscaler's minor matches the Kubernetes minor", () => {
    expect(CHARTS.clusterAutoscaler.appVersion.split(".").slice(0, 2).join(".")).toBe(KUBERNETES_VERSION);
  });

  test("every chart is pinned to an exact version", () => {
    for (const chart of Object.values(CHARTS)) expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
