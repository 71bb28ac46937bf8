/**
 * Render tier for Langfuse: the pinned chart 2.0.0 rendered with real `helm template` (sub-chart
 * dependencies dropped from a temporary copy; they stay disabled) with the values each
 * Langfuse-running configuration synthesizes, and the wiring asserted on the rendered objects:
 * service accounts <-> the IRSA trust, secretKeyRefs <-> the ExternalSecrets' keys,
 * Service <-> TargetGroupBinding and target group. The shipped fleet runs LangSmith alone, so the
 * configurations are dev with Langfuse beside LangSmith (token and OIDC), prod with both, a
 * Langfuse-only fork (shared database and own instance), and every environment of environments/
 * that runs Langfuse, as its file has it.
 */
import { LANGFUSE_RELEASE, LANGFUSE_WEB_SERVICE } from "../../lib/langfuse-values/chart";
import { ALB_DRAIN_SECONDS } from "../../lib/langsmith-values/chart";
import { Manifest, renderChart, replaceTokens } from "../../lib/render";
import { checkFields } from "../../lib/render/k8s-fields";
import { type EnvironmentConfig, runs } from "../../lib/config/schema";
import { Json, resources, synthEnv } from "../helpers";
import { langfuseOnly, withLangfuse } from "../langfuse-envs";
import { pods, restrictedViolations, selects, unboundedContainers } from "./manifests";
import { ENVIRONMENT_CONFIGS, langfuseChartDir, TIER } from "./rendered";

const source = TIER ? langfuseChartDir(TIER) : undefined;
if (TIER && source && "missing" in source) console.warn(`LANGFUSE RENDER SKIPPED: ${source.missing}`);

const CONFIGS: [string, () => EnvironmentConfig][] = [
  ["dev + Langfuse (token auth)", () => withLangfuse("dev")],
  ["dev + Langfuse (OIDC)", () => withLangfuse("dev", (i) => (i.auth = { model: "oidc", clientId: "platform", issuerUrl: "https://sso.example.com" }))],
  ["prod + Langfuse", () => withLangfuse("prod")],
  ["Langfuse-only fork", () => langfuseOnly()],
  ["dev + Langfuse, own PostgreSQL", () => withLangfuse("dev", (i) => (i.langfuse.database = "own-instance"))],
  // Every environment of environments/ that runs Langfuse, with its own overrides (none in the shipped fleet).
  ...ENVIRONMENT_CONFIGS.filter((c) => runs(c, "langfuse")).map((c): [string, () => EnvironmentConfig] => [`environments/${c.name}.ts`, () => c]),
];

// Without helm or the chart, one skipped test says so (describe.skip would still run the body, which renders).
const describeLangfuse =
  TIER && source && "dir" in source
    ? describe.each(CONFIGS)
    : (title: string, _fn: (label: string, make: () => EnvironmentConfig) => void) => test.skip(`${title.replace("%s", "every configuration")}: helm or the pinned Langfuse chart is not available here`, () => undefined);

const release = (stack: Json, name: string) => resources(stack, "helm_release").find(([, r]) => r.name === name)![1];
const values = (stack: Json, name: string, region: string) => replaceTokens(release(stack, name).values.reduce((a: Json, v: string) => ({ ...a, ...JSON.parse(v) }), {}), region) as Json;
const containers = (m: Manifest): Json[] => [...(m.spec?.template?.spec?.containers ?? []), ...(m.spec?.template?.spec?.initContainers ?? [])];

describeLangfuse("rendered Langfuse chart: %s", (_label, make) => {
  const env = make();
  const stack = synthEnv(env);
  const region = env.aws.region;
  const rendered = renderChart(TIER!.helm, (source as { dir: string }).dir, values(stack, LANGFUSE_RELEASE.name, region), {
    releaseName: LANGFUSE_RELEASE.name,
    namespace: LANGFUSE_RELEASE.namespace,
    dropDependencies: true,
  });
  const workloads = rendered.filter((m) => m.kind === "Deployment");
  const esObjects = values(stack, "langfuse-secrets", region).manifests as Json[];
  const tgb = (values(stack, "langfuse-target-group-binding", region).manifests as Json[])[0];

  test("every object of a built-in kind, and the Job and policies this project adds, has only fields its Kubernetes API has", () => {
    const checks = [...rendered, ...esObjects, tgb].map((m) => checkFields(m as Manifest));
    expect(checks.filter((c) => c.model).length).toBeGreaterThan(5);
    expect(checks.flatMap((c) => c.unknown.map((u) => `${c.object}: ${u}`))).toEqual([]);
  });

  test("renders web and worker only: no bundled store, no chart Ingress", () => {
    expect(workloads.map((d) => d.metadata.name).sort()).toEqual(["langfuse-web", "langfuse-worker"]);
    expect(rendered.filter((m) => ["StatefulSet", "Ingress", "ClickHouseCluster", "KeeperCluster"].includes(m.kind))).toEqual([]);
  });

  test("service accounts: every pod runs as one the IRSA role trusts, annotated with that role", () => {
    const [roleName, role] = resources(stack, "aws_iam_role").find(([n]) => n.startsWith("langfuse-data_role"))!;
    const trust = JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals;
    const subjects = [Object.entries(trust).find(([k]) => k.endsWith(":sub"))![1]].flat() as string[];
    const accounts = rendered.filter((m) => m.kind === "ServiceAccount");
    expect(accounts.map((a) => `system:serviceaccount:${a.metadata.namespace}:${a.metadata.name}`)).toEqual(subjects);
    const roleArn = replaceTokens(`\${aws_iam_role.${roleName}.arn}`, region);
    for (const a of accounts) expect(a.metadata.annotations?.["eks.amazonaws.com/role-arn"]).toBe(roleArn);
    for (const d of workloads) expect(accounts.map((a) => a.metadata.name)).toContain(d.spec.template.spec.serviceAccountName);
  });

  test("secrets: every secretKeyRef names a key an ExternalSecret of the langfuse namespace produces", () => {
    const produced = new Map<string, Set<string>>(
      esObjects.filter((o) => o.kind === "ExternalSecret" && o.metadata.namespace === LANGFUSE_RELEASE.namespace).map((o) => [o.spec.target.name, new Set(Object.keys(o.spec.target.template.data))]),
    );
    const refs = workloads.flatMap((d) => containers(d).flatMap((c) => (c.env ?? []).filter((e: Json) => e.valueFrom?.secretKeyRef).map((e: Json) => ({ env: e.name, ...e.valueFrom.secretKeyRef }))));
    expect(refs.length).toBeGreaterThan(5);
    const dangling = refs.filter((r) => !produced.get(r.name)?.has(r.key)).map((r) => `${r.env} -> ${r.name}/${r.key}`);
    expect(dangling).toEqual([]);
  });

  test("no credential reaches a pod any other way; the chart composes no connection of its own", () => {
    for (const d of workloads) {
      for (const c of containers(d)) {
        const names = (c.env ?? []).map((e: Json) => e.name);
        expect(names.filter((n: string, i: number) => names.indexOf(n) !== i)).toEqual([]);
        const byName = Object.fromEntries((c.env ?? []).map((e: Json) => [e.name, e]));
        for (const secret of ["SALT", "ENCRYPTION_KEY", "NEXTAUTH_SECRET", "DATABASE_URL", "REDIS_CONNECTION_STRING", "CLICKHOUSE_PASSWORD"]) {
          expect([secret, byName[secret]?.valueFrom?.secretKeyRef !== undefined]).toEqual([secret, true]);
        }
        expect(names.filter((n: string) => /^DATABASE_(HOST|PASSWORD|USERNAME)$|^REDIS_PASSWORD$|ACCESS_KEY_ID|SECRET_ACCESS_KEY/.test(n))).toEqual([]);
      }
    }
  });

  test("pods: requests and limits on every container, Pod Security restricted (root filesystem writable: the web image migrates and caches at start), numeric non-root user", () => {
    const all = pods(rendered);
    expect(all.length).toBe(2);
    expect(all.flatMap(unboundedContainers)).toEqual([]);
    expect(all.flatMap((p) => restrictedViolations(p, { readOnlyRoot: false }))).toEqual([]);
    for (const p of all) expect([p.owner, p.spec.securityContext.runAsUser]).toEqual([p.owner, expect.any(Number)]);
  });

  test("production sizing: >= 2 replicas under a PDB that allows a drain, spread across zones by its own labels; development: no spread", () => {
    const production = env.langfuse!.sizing === "production";
    for (const d of workloads) {
      const labels = d.spec.template.metadata.labels;
      const hpa = rendered.find((m) => m.kind === "HorizontalPodAutoscaler" && m.spec.scaleTargetRef.name === d.metadata.name)!;
      const pdb = rendered.find((m) => m.kind === "PodDisruptionBudget" && selects(m.spec.selector, labels));
      const zoned = (d.spec.template.spec.topologySpreadConstraints ?? []).filter((t: Json) => t.topologyKey === "topology.kubernetes.io/zone" && selects(t.labelSelector, labels));
      expect({ d: d.metadata.name, pdb: pdb?.spec.maxUnavailable, zoned: zoned.length > 0, twoOrMore: hpa.spec.minReplicas >= 2 }).toEqual({ d: d.metadata.name, pdb: 1, zoned: production, twoOrMore: production });
    }
  });

  test("Service <-> TargetGroupBinding <-> target group: same Service, port and pod port, health path of the liveness probe", () => {
    const svc = rendered.find((m) => m.kind === "Service" && m.metadata.name === LANGFUSE_WEB_SERVICE.name)!;
    expect(tgb.spec.serviceRef).toEqual({ name: svc.metadata.name, port: svc.spec.ports[0].port });
    const web = workloads.find((d) => d.metadata.name === "langfuse-web")!;
    const container = web.spec.template.spec.containers.find((c: Json) => (c.ports ?? []).some((p: Json) => p.name === svc.spec.ports[0].targetPort))!;
    const podPort = container.ports.find((p: Json) => p.name === svc.spec.ports[0].targetPort).containerPort;
    const [, tg] = resources(stack, "aws_lb_target_group").find(([n]) => n.includes("langfuse"))!;
    expect([podPort, tg.health_check.path]).toEqual([tg.port, container.livenessProbe.httpGet.path]);
    // It keeps serving while the ALB drains it, within its grace period.
    const sleep = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(sleep >= ALB_DRAIN_SECONDS && sleep < (web.spec.template.spec.terminationGracePeriodSeconds ?? 30)).toBe(true);
    expect(tgb.spec.targetGroupARN).toBe(replaceTokens(`\${aws_lb_target_group.${resources(stack, "aws_lb_target_group").find(([n]) => n.includes("langfuse"))![0]}.arn}`, region));
  });
});
