/**
 * The LangSmith chart as the cluster will see it, for every environment: the rendered manifests
 * (not our values) agree with the IRSA trusts, the ESO-created secrets and the ALB's
 * TargetGroupBinding of the same stack.
 */
import { resources, describeEach, synthEnv } from "../helpers";
import { callsAws, containersOf, IRSA_ANNOTATION, irsaTrusts, pods, producedSecrets, restrictedViolations, secretReads, selects } from "./manifests";
import { ALB_DRAIN_SECONDS } from "../../lib/langsmith-values/chart";
import { RenderError, renderChart } from "../../lib/render";
import { describeRendered, describeWithLangsmithSample, LANGSMITH_ENVIRONMENT_NAMES, ofKind, rendered, RenderedEnvironment, renderedFork, TIER } from "./rendered";
import { forks } from "./forks";

/** The shipped environments, and the forks unlike them (synthesized and rendered alike). */
const ROWS: [string, () => RenderedEnvironment][] = [
  ...LANGSMITH_ENVIRONMENT_NAMES.map((n) => [n, () => rendered(n)] as [string, () => RenderedEnvironment]),
  ...(TIER ? forks() : []).map(([label, config]) => [label, () => renderedFork(label, config, synthEnv)] as [string, () => RenderedEnvironment]),
];

describeEach(ROWS, describeRendered)("%s: rendered LangSmith wiring", (_label, env) => {
  const ns = () => env().langsmith.namespace;

  test("every service account carrying an IRSA role is a subject that role trusts", () => {
    const trusts = irsaTrusts(env());
    const annotated = ofKind(env().langsmith.manifests, "ServiceAccount").filter((sa) => sa.metadata.annotations?.[IRSA_ANNOTATION]);
    expect(annotated.length).toBeGreaterThan(0);
    for (const sa of annotated) {
      const trust = trusts.get(sa.metadata.annotations![IRSA_ANNOTATION]);
      expect({ sa: sa.metadata.name, role: trust?.role }).toEqual({ sa: sa.metadata.name, role: expect.any(String) });
      expect(trust!.subjects).toContain(`system:serviceaccount:${ns()}:${sa.metadata.name}`);
    }
  });

  test("every subject an IRSA role trusts in the release's namespace is a rendered service account carrying that role", () => {
    // Service accounts of every release in the namespace: the chart's, and the SecretStore's own
    // (delivered by the secrets release through charts/k8s-manifests).
    const inNamespace = env().releases.filter((r) => r.namespace === ns()).flatMap((r) => r.manifests ?? []);
    const accounts = new Map(ofKind(inNamespace, "ServiceAccount").map((sa) => [sa.metadata.name, sa.metadata.annotations?.[IRSA_ANNOTATION]]));
    const dangling: string[] = [];
    for (const [arn, { role, subjects }] of irsaTrusts(env())) {
      for (const s of subjects.filter((x) => x.startsWith(`system:serviceaccount:${ns()}:`))) {
        const sa = s.split(":").pop() as string;
        if (accounts.get(sa) !== arn) dangling.push(`${role} trusts ${s}, but ${accounts.has(sa) ? "that service account carries another role" : "the chart renders no such service account"}`);
      }
    }
    expect(dangling).toEqual([]);
  });

  test("every pod that calls AWS (Redis IAM auth, S3 blob storage), hook Jobs included, runs as an IRSA-annotated service account", () => {
    const annotated = new Set(ofKind(env().langsmith.manifests, "ServiceAccount").filter((sa) => sa.metadata.annotations?.[IRSA_ANNOTATION]).map((sa) => sa.metadata.name));
    const callers = pods(env().langsmith.manifests).filter((p) => containersOf(p).some(callsAws));
    expect(callers.some((p) => p.hook !== "")).toBe(true); // the migrations are among them
    const without = callers.filter((p) => !annotated.has(p.serviceAccount)).map((p) => `${p.owner} runs as ${p.serviceAccount}`);
    expect(without).toEqual([]);
  });

  test("every secret key a pod reads (secretKeyRef, envFrom, volumes) is produced by an ExternalSecret or Secret of the stack", () => {
    const produced = producedSecrets(env());
    const missing = pods(env().langsmith.manifests)
      .flatMap(secretReads)
      .filter((r) => !r.optional)
      .filter((r) => {
        if (!produced.has(r.secret)) return true;
        const keys = produced.get(r.secret);
        return r.key !== undefined && keys !== undefined && !keys.has(r.key);
      })
      .map((r) => `${r.pod} reads ${r.secret}${r.key ? `/${r.key}` : ""}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  test("the frontend Service is what the TargetGroupBinding targets: name, port, selector, container port and health check", () => {
    // LangSmith's binding (in its namespace); Langfuse's, where it runs too, is langfuse.test.ts's.
    const tgbs = env().releases.flatMap((r) => ofKind(r.manifests ?? [], "TargetGroupBinding")).filter((t) => t.metadata.namespace === ns());
    expect(tgbs).toHaveLength(1);
    const ref = tgbs[0].spec.serviceRef;
    const svc = ofKind(env().langsmith.manifests, "Service").find((s) => s.metadata.name === ref.name);
    expect(svc?.metadata.name).toBe(ref.name);
    const port = svc!.spec.ports.find((p: Record<string, unknown>) => p.port === ref.port);
    expect(port).toBeDefined();
    const deployment = ofKind(env().langsmith.manifests, "Deployment").find((d) =>
      Object.entries(svc!.spec.selector as Record<string, string>).every(([k, v]) => d.spec.template.metadata.labels?.[k] === v),
    );
    expect(deployment).toBeDefined();
    const container = deployment!.spec.template.spec.containers[0];
    const containerPort = typeof port.targetPort === "number" ? port.targetPort : container.ports.find((p: Record<string, unknown>) => p.name === port.targetPort)?.containerPort;
    const [, tg] = resources(env().stack, "aws_lb_target_group").find(([n]) => n.includes("frontend"))!;
    expect({ targetType: tg.target_type, port: tg.port }).toEqual({ targetType: "ip", port: containerPort });
    expect(tgbs[0].spec.targetType).toBe("ip");
    expect(container.readinessProbe?.httpGet?.path).toBe(tg.health_check.path);
    expect(svc!.metadata.namespace ?? ns()).toBe(tgbs[0].metadata.namespace);
  });
});

describeEach(ROWS, describeRendered)("%s: Pod Security of the namespace", (_label, env) => {
  test("every pod of every release in the LangSmith namespace meets restricted, the level the namespace enforces (a pod outside it would be refused at admission)", () => {
    const ns = env().langsmith.namespace;
    const namespace = (env().stack.resource?.kubernetes_namespace_v1 ?? {}) as Record<string, { metadata: { name: string; labels: Record<string, string> } }>;
    const labels = Object.values(namespace).find((n) => n.metadata.name === ns)!.metadata.labels;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const inNamespace = env().releases.filter((r) => r.namespace === ns);
    const all = inNamespace.flatMap((r) => pods(r.manifests ?? []));
    expect(all.some((p) => p.hook !== "")).toBe(true);
    expect(all.flatMap((p) => restrictedViolations(p))).toEqual([]);
  });
});

describeEach(ROWS, describeRendered)("%s: the pods the ALB targets drain before they stop", (_label, env) => {
  test("every container of the Deployment behind the TargetGroupBinding sleeps ALB_DRAIN_SECONDS in preStop, within its grace period", () => {
    const tgbs = env().releases.flatMap((r) => ofKind(r.manifests ?? [], "TargetGroupBinding")).filter((t) => t.metadata.namespace === env().langsmith.namespace);
    expect(tgbs).toHaveLength(1);
    const tgb = tgbs[0];
    const svc = ofKind(env().langsmith.manifests, "Service").find((s) => s.metadata.name === tgb.spec.serviceRef.name)!;
    const targets = ofKind(env().langsmith.manifests, "Deployment").filter((d) => selects({ matchLabels: svc.spec.selector }, d.spec.template.metadata.labels));
    expect(targets.length).toBe(1);
    for (const d of targets) {
      const grace = d.spec.template.spec.terminationGracePeriodSeconds ?? 30;
      for (const c of d.spec.template.spec.containers) {
        const sleep = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
        expect({ container: c.name, drains: sleep >= ALB_DRAIN_SECONDS && sleep < grace }).toEqual({ container: c.name, drains: true });
      }
    }
  });
});

describeWithLangsmithSample("validate.yaml guards every render", (sample) => {
  test("each environment's values pass the chart's own rules (a render that fails them throws), and a violating value does fail", () => {
    for (const name of LANGSMITH_ENVIRONMENT_NAMES) expect(rendered(name).langsmith.manifests.length).toBeGreaterThan(0);
    const env = rendered(sample);
    const bad = { ...env.langsmith.values, clickhouse: { ...env.langsmith.values.clickhouse, enabled: "true" } };
    expect(() => renderChart(TIER!.helm, TIER!.langsmith.dir, bad, { releaseName: "langsmith", namespace: "langsmith" })).toThrow(RenderError);
    expect(() => renderChart(TIER!.helm, TIER!.langsmith.dir, bad, { releaseName: "langsmith", namespace: "langsmith" })).toThrow(/clickhouse.enabled must be a boolean/);
  });
});
