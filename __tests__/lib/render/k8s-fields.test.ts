import { checkFields, k8sModelsRelease, modelOf } from "../../../lib/render/k8s-fields";

const job = (spec: Record<string, unknown>) => ({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "setup", labels: { "any.label/key": "x" } }, spec });

describe("fields a Kubernetes API object does not have", () => {
  test("a built-in kind is checked against its model, by group version and kind", () => {
    expect([modelOf("batch/v1", "Job"), modelOf("networking.k8s.io/v1", "NetworkPolicy"), modelOf("autoscaling/v2", "HorizontalPodAutoscaler"), modelOf("v1", "Secret")]).toEqual([
      "V1Job",
      "V1NetworkPolicy",
      "V2HorizontalPodAutoscaler",
      "V1Secret",
    ]);
    expect(k8sModelsRelease()).toMatch(/^1\.\d+$/);
  });

  test("a misspelt field is found at its path, in objects, lists and maps of objects", () => {
    const check = checkFields(
      job({
        activeDeadlineSecond: 600,
        template: {
          spec: {
            restartPolicy: "Never",
            containers: [{ name: "a", image: "postgres:16", resourcez: {}, resources: { requests: { cpu: "50m" } }, env: [{ name: "X", valueFrom: { secretKeyRef: { name: "s", key: "k", optionl: true } } }] }],
          },
        },
      }),
    );
    expect(check).toEqual({
      object: "Job/setup",
      model: "V1Job",
      unknown: ["spec.activeDeadlineSecond", "spec.template.spec.containers[0].resourcez", "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.optionl"],
    });
  });

  test("free-form maps (labels, resource quantities) and loosely typed leaves (IntOrString) are not field names", () => {
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "p", annotations: { "a/b": "c" } }, spec: { maxUnavailable: "25%", selector: { matchLabels: { app: "x" } } } };
    expect(checkFields(pdb).unknown).toEqual([]);
    expect(checkFields(job({ template: { spec: { containers: [{ name: "a", resources: { limits: { "nvidia.com/gpu": "1" } } }] } } })).unknown).toEqual([]);
  });

  test("a kind without a model (a CRD) is not checked, and says so; the render's `source` note is not a field", () => {
    expect(checkFields({ apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "e" }, spec: { anything: 1 } })).toEqual({ object: "ExternalSecret/e", unknown: [] });
    expect(checkFields({ ...job({}), source: "langsmith/templates/x.yaml" }).unknown).toEqual([]);
  });
});
