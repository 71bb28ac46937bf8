/**
 * The LangSmith pods as the cluster will run them, for every environment of environments/ and for
 * forks unlike them (OIDC with Insights and Polly on the shared stores; external ClickHouse where the
 * environment runs it in-cluster), rendered with the pinned chart and with every newer version in
 * the chart mirror (the next bump): resources on every container, hook Jobs and init containers
 * included; the Pod Security Standard `restricted` with a read-only root; probes; no API token
 * without IRSA; IRSA exactly on the pods that call AWS; no secret value in the manifests; and, for
 * the production sizing profile, replicas >= 2, a PDB and a zone spread that select each pod.
 *
 * Values are built by the pure builder (lib/langsmith-values) with stand-in infrastructure outputs,
 * so no synth is needed; renders are cached (lib/render).
 */
import type { EnvironmentConfig } from "../../lib/config/schema";
import { buildLangsmithValues, RELEASE } from "../../lib/langsmith-values";
import { HOST_KEY, ZONE_KEY } from "../../lib/langsmith-values";
import { LANGSMITH_CHART, Manifest, renderChart } from "../../lib/render";
import { checkFields } from "../../lib/render/k8s-fields";
import { standInInputs } from "../../scripts/chart-diff";
import type { Json } from "../helpers";
import { callsAws, containersOf, IRSA_ANNOTATION, Pod, pods, restrictedViolations, secretReads, selects, unboundedContainers } from "./manifests";
import { configurations } from "./forks";
import { LANGSMITH_CHARTS, NEXT_CHARTS, TIER } from "./rendered";

const NEXT = NEXT_CHARTS;
const CHARTS = LANGSMITH_CHARTS;

const CONFIGS = TIER ? configurations() : [];
const ROWS: [string, string, EnvironmentConfig, string][] = CONFIGS.flatMap(([label, env]) => CHARTS.map((c) => [label, c.version, env, c.dir] as [string, string, EnvironmentConfig, string]));

const memo = new Map<string, Manifest[]>();
function render(env: EnvironmentConfig, dir: string): Manifest[] {
  const key = `${env.name}|${JSON.stringify(env)}|${dir}`;
  if (!memo.has(key)) memo.set(key, renderChart(TIER!.helm, dir, buildLangsmithValues(env, standInInputs(env)), { releaseName: RELEASE.name, namespace: RELEASE.namespace }));
  return memo.get(key)!;
}

const describeRows: (title: string, fn: (label: string, version: string, env: EnvironmentConfig, dir: string) => void) => void =
  ROWS.length > 0
    ? (title, fn) => describe.each(ROWS)(title, fn)
    : (title) => test.skip(`${title.replace(/%s/g, "(every configuration)")}: ${TIER ? "no environment of this fleet runs LangSmith" : "helm or the LangSmith chart is not available here (see the warning above)"}`, () => undefined);

const byKind = (m: readonly Manifest[], kind: string) => m.filter((x) => x.kind === kind);

describeRows("%s, chart %s: LangSmith pods", (_label, _version, env, dir) => {
  const manifests = () => render(env, dir);
  const all = (): Pod[] => pods(manifests());

  test("every container, init containers and hook Jobs included, has CPU and memory requests and limits", () => {
    expect(all().length).toBeGreaterThan(10);
    expect(all().flatMap(unboundedContainers)).toEqual([]);
  });

  test("every pod meets the Pod Security Standard restricted with a read-only root filesystem", () => {
    expect(all().flatMap((p) => restrictedViolations(p))).toEqual([]);
  });

  test("every object of a built-in kind has only fields its Kubernetes API has (the API server drops the others silently)", () => {
    const checks = manifests().map(checkFields);
    expect(checks.filter((c) => c.model).length).toBeGreaterThan(20);
    expect(checks.flatMap((c) => c.unknown.map((u) => `${c.object}: ${u}`))).toEqual([]);
  });

  test("every container of a Deployment or StatefulSet has readiness and liveness probes", () => {
    const missing = all()
      .filter((p) => p.kind === "Deployment" || p.kind === "StatefulSet")
      .flatMap((p) => p.spec.containers.filter((c: Json) => !c.readinessProbe || !c.livenessProbe).map((c: Json) => `${p.owner}/${c.name}`));
    expect(missing).toEqual([]);
  });

  test("IRSA exactly on the service accounts of pods that call AWS; no API token on the others", () => {
    const accounts = byKind(manifests(), "ServiceAccount");
    const callers = new Set(all().filter((p) => containersOf(p).some(callsAws)).map((p) => p.serviceAccount));
    expect(callers.size).toBeGreaterThan(0);
    const irsa = new Set(accounts.filter((a) => a.metadata.annotations?.[IRSA_ANNOTATION]).map((a) => a.metadata.name));
    // Every account a pod uses is one the chart renders (none falls back to `default`).
    const used = new Set(all().map((p) => p.serviceAccount));
    expect([...used].filter((u) => !accounts.some((a) => a.metadata.name === u))).toEqual([]);
    expect([...irsa].sort()).toEqual([...callers].sort());
    const tokenWithoutIrsa = accounts.filter((a) => !irsa.has(a.metadata.name) && a.automountServiceAccountToken !== false).map((a) => a.metadata.name);
    expect(tokenWithoutIrsa).toEqual([]);
  });

  test("no secret value in the manifests: the chart makes no Secret, and no credential-named variable is a literal", () => {
    expect(byKind(manifests(), "Secret").map((s) => s.metadata.name)).toEqual([]);
    const literal = all().flatMap((p) =>
      containersOf(p).flatMap((c) => (c.env ?? []).filter((e: Json) => /PASSWORD|SECRET|SALT|TOKEN|LICENSE|API_KEY|ENCRYPTION_KEY|CONNECTION_URL|DATABASE_URI/.test(e.name) && e.value !== undefined).map((e: Json) => `${p.owner}/${c.name}: ${e.name}`)),
    );
    expect(literal).toEqual([]);
    // The bundled ClickHouse's default password ("password", values.yaml clickhouse.external.password) never renders.
    expect(JSON.stringify(manifests())).not.toMatch(/"password"|>password</);
    expect(all().flatMap(secretReads).length).toBeGreaterThan(0);
  });

  test(`sizing ${env.langsmith.sizing}: production keeps every Deployment at >= 2 replicas under a PDB, spread across zones; development has no PDB`, () => {
    if (env.langsmith.sizing !== "production") {
      // One replica under minAvailable 1 would block every node drain.
      expect(byKind(manifests(), "PodDisruptionBudget")).toEqual([]);
      return;
    }
    const hpas = byKind(manifests(), "HorizontalPodAutoscaler");
    const pdbs = byKind(manifests(), "PodDisruptionBudget");
    const problems: string[] = [];
    for (const d of byKind(manifests(), "Deployment")) {
      const labels: Record<string, string> = d.spec.template.metadata.labels;
      const spec = d.spec.template.spec;
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === d.metadata.name);
      const min = hpa ? hpa.spec.minReplicas : (d.spec.replicas ?? 1);
      if (min < 2) problems.push(`${d.metadata.name}: minimum ${min} replica(s)`);
      const pdb = pdbs.find((p) => selects(p.spec.selector, labels));
      if (!pdb || (pdb.spec.minAvailable ?? 0) >= min) problems.push(`${d.metadata.name}: no PDB selects it that allows a drain (${JSON.stringify(pdb?.spec ?? null)})`);
      const spreads = (spec.topologySpreadConstraints ?? []).filter((t: Json) => selects(t.labelSelector, labels));
      const antiAffinity = (spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((t: Json) => selects(t.podAffinityTerm.labelSelector, labels));
      const zoned = spreads.some((t: Json) => t.topologyKey === ZONE_KEY) || antiAffinity.some((t: Json) => t.podAffinityTerm.topologyKey === ZONE_KEY);
      if (!zoned) problems.push(`${d.metadata.name}: no zone spread or zone anti-affinity selects its own pods`);
      for (const t of spec.topologySpreadConstraints ?? []) if (!selects(t.labelSelector, labels)) problems.push(`${d.metadata.name}: a spread constraint (${t.topologyKey}) selects none of its pods`);
    }
    expect(byKind(manifests(), "Deployment").length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

/** What a chart bump must not change silently: workloads, accounts and their IRSA and token, secret reads, Services. */
function contract(m: readonly Manifest[]) {
  return {
    workloads: pods(m).map((p) => `${p.owner} as ${p.serviceAccount}${p.hook ? ` (hook ${p.hook})` : ""}`).sort(),
    accounts: byKind(m, "ServiceAccount").map((a) => `${a.metadata.name} irsa=${a.metadata.annotations?.[IRSA_ANNOTATION] ?? "-"} token=${a.automountServiceAccountToken}`).sort(),
    secretReads: [...new Set(pods(m).flatMap(secretReads).map((r) => `${r.pod} <- ${r.secret}/${r.key ?? "*"}`))].sort(),
    services: byKind(m, "Service").map((s) => `${s.metadata.name} ${s.spec.type ?? "ClusterIP"} ${s.spec.ports.map((p: Json) => `${p.port}->${p.targetPort}`).join(",")}`).sort(),
    hostKeys: [...new Set(pods(m).flatMap((p) => (p.spec.topologySpreadConstraints ?? []).map((t: Json) => t.topologyKey)))].filter((k) => k === HOST_KEY || k === ZONE_KEY).sort(),
  };
}

const describeBump = TIER && NEXT.length > 0 ? describe : describe.skip;
describeBump(`chart bump ${LANGSMITH_CHART.version} -> ${NEXT.map((n) => n.version).join(", ") || "(none in the mirror)"}`, () => {
  if (CONFIGS.length === 0) test.skip("the bump is a version change: no environment of this fleet runs LangSmith", () => undefined);
  else test.each(CONFIGS)("%s: the same workloads, service accounts, secret reads, Services and spreads render, so the bump is a version change", (_label, env) => {
    const pinned = contract(render(env, CHARTS[0].dir));
    for (const next of NEXT) expect({ chart: next.version, ...contract(render(env, next.dir)) }).toEqual({ chart: next.version, ...pinned });
  });
});

describe("the pod checks can fail", () => {
  const pod = (spec: Json): Pod => ({ owner: "Job/x", kind: "Job", name: "x", serviceAccount: "default", hook: "", spec, template: { spec } });
  test("a pod as the chart renders it by default (empty securityContext, no resources on an init container) is reported", () => {
    const p = pod({ initContainers: [{ name: "init" }], containers: [{ name: "c", securityContext: {}, resources: { requests: { cpu: "1", memory: "1Gi" } } }], volumes: [{ name: "h", hostPath: { path: "/" } }] });
    expect(unboundedContainers(p)).toEqual(['Job/x/init: {}', 'Job/x/c: {"requests":{"cpu":"1","memory":"1Gi"}}']);
    expect(restrictedViolations(p)).toEqual(
      expect.arrayContaining([
        "Job/x: volume h of type hostPath",
        "Job/x: c allowPrivilegeEscalation is not false",
        "Job/x: c does not drop ALL capabilities",
        "Job/x: c runAsNonRoot is not true",
        "Job/x: c seccompProfile unset",
        "Job/x: c root filesystem is writable",
      ]),
    );
  });
  test("a selector matches only labels it names, and an empty one matches nothing", () => {
    expect(selects({ matchLabels: { a: "1" } }, { a: "1", b: "2" })).toBe(true);
    expect(selects({ matchLabels: { a: "1", c: "3" } }, { a: "1", b: "2" })).toBe(false);
    expect(selects({ matchLabels: {} }, { a: "1" })).toBe(false);
  });
});
