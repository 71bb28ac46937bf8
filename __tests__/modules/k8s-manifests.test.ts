import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { chartDirectory, K8sManifests, KubernetesObject } from "../../modules/k8s-manifests";
import { Json, resources } from "../helpers";

// Typed objects of callers (interfaces with `spec`) are accepted as they are.
interface Tgb extends KubernetesObject {
  readonly spec: { readonly serviceRef: { readonly name: string; readonly port: number }; readonly targetType: "ip"; readonly targetGroupARN: string };
}
const binding: Tgb = {
  apiVersion: "elbv2.k8s.aws/v1beta1",
  kind: "TargetGroupBinding",
  metadata: { name: "langsmith-frontend", namespace: "langsmith" },
  spec: { serviceRef: { name: "langsmith-frontend", port: 80 }, targetType: "ip", targetGroupARN: "arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/x/y" },
};
const store = {
  apiVersion: "external-secrets.io/v1",
  kind: "ClusterSecretStore",
  metadata: { name: "aws-secrets-manager" },
  spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2" } } },
};

function synth(build: (scope: Parameters<Parameters<typeof Testing.synthScope>[0]>[0], crdRelease: CloudwatchLogGroup) => void): Json {
  return JSON.parse(
    Testing.synthScope((scope) => {
      // Stands in for the add-on release that installs the CRDs.
      const crds = new CloudwatchLogGroup(scope, "crd-release", { name: "crds" });
      build(scope, crds);
    }),
  );
}

describe("K8sManifests", () => {
  const json = synth((scope, crds) => {
    new K8sManifests(scope, "tgb", { releaseName: "langsmith-target-group-binding", namespace: "langsmith", manifests: [binding], dependsOn: [crds] });
    new K8sManifests(scope, "stores", { releaseName: "secret-stores", namespace: "external-secrets", manifests: [store], dependsOn: [crds] });
  });
  const releases = resources(json, "helm_release")
    .map(([, r]) => r)
    .sort((a, b) => a.name.localeCompare(b.name));

  test("one helm_release per set, of the local chart shipped as a stack asset (shared)", () => {
    expect(releases.map((r) => r.name)).toEqual(["langsmith-target-group-binding", "secret-stores"]);
    for (const r of releases) {
      expect(r.chart).toMatch(/^assets\/k8s-manifests-chart\/[A-F0-9]+$/);
      expect(r.repository).toBeUndefined();
    }
    expect(releases[0].chart).toBe(releases[1].chart);
  });

  test("values are the typed objects, encoded once as { manifests: [...] }", () => {
    expect(releases[0].values).toHaveLength(1);
    expect(JSON.parse(releases[0].values[0])).toEqual({ manifests: [binding] });
    expect(JSON.parse(releases[1].values[0])).toEqual({ manifests: [store] });
  });

  test("waits for the release that installs the CRDs and rolls back as a whole", () => {
    for (const r of releases) {
      expect(r.depends_on).toEqual(["aws_cloudwatch_log_group.crd-release"]);
      expect(r).toMatchObject({ atomic: true, wait: true, timeout: 300 });
    }
  });

  test("never uses kubernetes_manifest (it needs the CRD at plan time)", () => {
    expect(json.resource.kubernetes_manifest).toBeUndefined();
  });

  test("refuses an empty set and a repeated object", () => {
    expect(() => synth((scope, crds) => new K8sManifests(scope, "empty", { releaseName: "x", namespace: "langsmith", manifests: [], dependsOn: [crds] }))).toThrow(
      "K8sManifests empty: manifests must list at least one object",
    );
    expect(() => synth((scope, crds) => new K8sManifests(scope, "twice", { releaseName: "x", namespace: "langsmith", manifests: [binding, binding], dependsOn: [crds] }))).toThrow(
      "K8sManifests twice: TargetGroupBinding/langsmith/langsmith-frontend is listed twice",
    );
  });
});

describe("charts/k8s-manifests", () => {
  const dir = chartDirectory();

  test("is a Helm v2 chart whose one template renders each listed object as a YAML document", () => {
    expect(readFileSync(join(dir, "Chart.yaml"), "utf8")).toMatch(/^apiVersion: v2\nname: k8s-manifests\n/);
    const template = readFileSync(join(dir, "templates", "manifests.yaml"), "utf8");
    expect(template).toContain("range $i, $m := .Values.manifests");
    expect(template).toContain("---\n{{ toYaml $m }}");
    expect(readFileSync(join(dir, "values.yaml"), "utf8")).toContain("manifests: []");
  });

  test("is found from compiled code too (dist/modules/k8s-manifests)", () => {
    expect(chartDirectory(join(dir, "..", "..", "dist", "modules", "k8s-manifests"))).toBe(dir);
  });
});
