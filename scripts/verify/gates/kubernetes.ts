/**
 * Gates 6 and 7: the cluster (walkthrough 3.1-3.2) and the release (walkthrough 5.4), through
 * the Kubernetes API.
 */
import type { CoreV1Event, V1Deployment, V1Pod } from "@kubernetes/client-node";
import { ADDON_DEFAULTS } from "../../../lib/addons";
import { describeError, Kube } from "../clients";
import { describeCluster } from "./aws";
import { fail, Gate, listed, pass } from "./types";

/**
 * The add-ons the stack installs (lib/addons.ts: the walkthrough's 3.2 list plus those this design
 * depends on), found by their charts' `app.kubernetes.io/name` label in any namespace.
 */
export const REQUIRED_ADDONS: readonly { readonly name: string; readonly labels: readonly string[] }[] = Object.values(ADDON_DEFAULTS).map((d) => ({
  name: d.releaseName,
  labels: d.deploymentLabels,
}));
const NAME_LABEL = "app.kubernetes.io/name";
const ADDON_SELECTOR = `${NAME_LABEL} in (${REQUIRED_ADDONS.flatMap((a) => a.labels).join(",")})`;

/** `kubectl get`-style quantity → number (cores, bytes). */
export function quantity(q: string | undefined): number {
  if (!q) return 0;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q);
  if (!m) return 0;
  const factors: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(m[1]) * (factors[m[2]] ?? 1);
}

const normalizeUrl = (u: string | undefined) => (u ?? "").toLowerCase().replace(/\/+$/, "");

export const clusterAddons: Gate = {
  id: "cluster-addons",
  title: "Nodes are Ready and the cluster add-ons run",
  triage: [
    "`kubectl get nodes` / `kubectl describe node <name>` (conditions, taints) and the node group's health in the EKS console",
    `\`kubectl get deploy -A -l '${ADDON_SELECTOR}'\` and their logs`,
    "`kubectl top nodes` needs metrics-server and its APIService (`kubectl get apiservice v1beta1.metrics.k8s.io`)",
  ],
  async run(ctx) {
    const cluster = await describeCluster(ctx);
    let kube: Kube;
    try {
      kube = ctx.clients.kube();
    } catch (e) {
      return fail([`kubeconfig: ${describeError(e)}`], [`aws eks update-kubeconfig --region ${ctx.target.values.region} --name ${cluster.name}`]);
    }
    // Checking another cluster than the one just described would pass for the wrong reasons.
    if (normalizeUrl(kube.server) !== normalizeUrl(cluster.endpoint)) {
      return fail([`kubeconfig points at ${kube.server}, cluster ${cluster.name} is ${cluster.endpoint}`], [
        `aws eks update-kubeconfig --region ${ctx.target.values.region} --name ${cluster.name}, or pass --context / --kubeconfig`,
      ]);
    }
    const evidence: string[] = [`kubeconfig context → ${cluster.name} (${kube.server})`];
    const problems: string[] = [];

    const nodes = (await kube.core.listNode()).body.items;
    const notReady = nodes.filter((n) => !(n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"));
    const cpu = nodes.reduce((s, n) => s + quantity(n.status?.allocatable?.cpu), 0);
    const mem = nodes.reduce((s, n) => s + quantity(n.status?.allocatable?.memory), 0);
    evidence.push(`${nodes.length - notReady.length}/${nodes.length} nodes Ready, ${cpu.toFixed(1)} vCPU / ${(mem / 2 ** 30).toFixed(0)} GiB allocatable`);
    if (nodes.length === 0) problems.push("no nodes registered: check the node groups and the aws-auth/access entries of the node role");
    notReady.forEach((n) => {
      const ready = (n.status?.conditions ?? []).find((c) => c.type === "Ready");
      problems.push(`node ${n.metadata?.name} not Ready (${ready?.reason ?? "no Ready condition"}${ready?.message ? `: ${ready.message}` : ""})`);
    });

    const deployments: V1Deployment[] = (await kube.apps.listDeploymentForAllNamespaces(undefined, undefined, undefined, ADDON_SELECTOR)).body.items;
    for (const addon of REQUIRED_ADDONS) {
      const found = deployments.filter((d) => addon.labels.includes(d.metadata?.labels?.[NAME_LABEL] ?? ""));
      if (found.length === 0) {
        problems.push(`${addon.name}: no Deployment labelled ${NAME_LABEL}=${addon.labels.join("|")}`);
        continue;
      }
      for (const d of found) {
        const want = d.spec?.replicas ?? 1;
        const ready = d.status?.readyReplicas ?? 0;
        const line = `${addon.name}: ${d.metadata?.namespace}/${d.metadata?.name} ${ready}/${want} ready`;
        if (ready >= 1 && ready >= want) evidence.push(line);
        else problems.push(line);
      }
    }

    // The walkthrough's check for metrics-server is `kubectl top nodes`: the metrics API answers.
    try {
      const metrics = (await kube.custom.listClusterCustomObject("metrics.k8s.io", "v1beta1", "nodes")).body as { items?: unknown[] };
      const n = metrics.items?.length ?? 0;
      if (n > 0) evidence.push(`metrics API: usage for ${n} node(s)`);
      else problems.push("metrics API: no node metrics yet (metrics-server scraping?)");
    } catch (e) {
      problems.push(`metrics API (metrics.k8s.io/v1beta1): ${describeError(e)}`);
    }
    return problems.length === 0 ? pass(evidence) : fail([...evidence, ...problems]);
  },
};

/** Container states that never heal on their own. */
const STUCK_REASONS = ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName"];

function podProblems(pod: V1Pod, all: readonly V1Pod[], maxRestarts: number): string[] {
  const name = pod.metadata?.name ?? "?";
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const problems: string[] = [];
  for (const c of statuses) {
    const reason = c.state?.waiting?.reason;
    if (reason && STUCK_REASONS.includes(reason)) problems.push(`pod ${name}: container ${c.name} ${reason}${c.state?.waiting?.message ? ` (${c.state.waiting.message})` : ""}`);
  }
  const restarts = (pod.status?.containerStatuses ?? []).reduce((s, c) => s + (c.restartCount ?? 0), 0);
  if (restarts > maxRestarts) problems.push(`pod ${name}: ${restarts} restarts (more than ${maxRestarts})`);
  switch (pod.status?.phase) {
    case "Succeeded":
      break;
    case "Running":
      if (problems.length === 0 && (pod.status?.containerStatuses ?? []).some((c) => !c.ready)) {
        problems.push(`pod ${name}: Running but not ready (${listed((pod.status?.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name))})`);
      }
      break;
    case "Failed": {
      // A Job retries in a new pod: a failed attempt followed by a success is steady state.
      const job = pod.metadata?.ownerReferences?.find((o) => o.kind === "Job")?.name;
      const succeeded = job && all.some((p) => p.status?.phase === "Succeeded" && p.metadata?.ownerReferences?.some((o) => o.kind === "Job" && o.name === job));
      if (!succeeded) problems.push(`pod ${name}: Failed${pod.status?.reason ? ` (${pod.status.reason})` : ""}`);
      break;
    }
    default: {
      const unscheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
      if (problems.length === 0) problems.push(`pod ${name}: ${pod.status?.phase ?? "Unknown"}${unscheduled ? ` (${unscheduled.reason}: ${unscheduled.message})` : ""}`);
    }
  }
  return problems;
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).getTime() : 0;
}

async function recentWarnings(kube: Kube, namespace: string): Promise<string[]> {
  try {
    const events = (await kube.core.listNamespacedEvent(namespace, undefined, undefined, undefined, "type=Warning")).body.items;
    return [...events]
      .sort((a, b) => eventTime(b) - eventTime(a))
      .slice(0, 5)
      .map((e) => `event ${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.reason} ${e.message ?? ""}`.trim());
  } catch (e) {
    return [`events: ${describeError(e)}`];
  }
}

interface ExternalSecretList {
  items?: { metadata?: { name?: string }; status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] } }[];
}

async function externalSecrets(kube: Kube, namespace: string): Promise<ExternalSecretList> {
  // Current ESO releases serve external-secrets.io/v1; older installs only v1beta1.
  for (const version of ["v1", "v1beta1"]) {
    try {
      return (await kube.custom.listNamespacedCustomObject("external-secrets.io", version, namespace, "externalsecrets")).body as ExternalSecretList;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404 || version === "v1beta1") throw e;
    }
  }
  return {};
}

export const langsmithPods: Gate = {
  id: "langsmith-pods",
  title: "LangSmith pods are steady, services have endpoints, secrets are synced",
  triage: [
    "Secrets handling (walkthrough 10.5): bad credentials injected, pods loop: `kubectl -n langsmith get externalsecrets` and `describe` the failing one",
    "`kubectl -n langsmith describe pod <pod>` and `kubectl -n langsmith logs <pod> --previous`",
    "ClickHouse undersized (walkthrough 10.2): OOMKilled langsmith-clickhouse or ingest errors in langsmith-queue logs",
  ],
  async run(ctx) {
    const ns = ctx.target.namespace;
    const kube = ctx.clients.kube();
    const pods = (await kube.core.listNamespacedPod(ns)).body.items;
    const evidence: string[] = [];
    const problems: string[] = [];
    if (pods.length === 0) problems.push(`no pods in namespace ${ns}: is the langsmith release installed?`);
    const phases = new Map<string, number>();
    pods.forEach((p) => phases.set(p.status?.phase ?? "Unknown", (phases.get(p.status?.phase ?? "Unknown") ?? 0) + 1));
    const restarts = pods.reduce((s, p) => s + (p.status?.containerStatuses ?? []).reduce((t, c) => t + (c.restartCount ?? 0), 0), 0);
    evidence.push(`${pods.length} pods: ${[...phases].map(([k, v]) => `${v} ${k}`).join(", ") || "none"}; ${restarts} restarts in total`);
    pods.forEach((p) => problems.push(...podProblems(p, pods, ctx.options.maxRestarts)));

    const services = (await kube.core.listNamespacedService(ns)).body.items.filter((s) => s.spec?.type !== "ExternalName" && Object.keys(s.spec?.selector ?? {}).length > 0);
    const endpoints = (await kube.core.listNamespacedEndpoints(ns)).body.items;
    const empty = services.filter((s) => {
      const ep = endpoints.find((e) => e.metadata?.name === s.metadata?.name);
      return !(ep?.subsets ?? []).some((sub) => (sub.addresses ?? []).length > 0);
    });
    evidence.push(`${services.length - empty.length}/${services.length} services have ready endpoints`);
    empty.forEach((s) => problems.push(`service ${s.metadata?.name}: no ready endpoints`));

    const es = (await externalSecrets(kube, ns)).items ?? [];
    const notSynced = es.filter((e) => !(e.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"));
    evidence.push(`ExternalSecrets Ready: ${es.length - notSynced.length}/${es.length} (${listed(es.map((e) => e.metadata?.name ?? "?"))})`);
    if (es.length === 0) problems.push(`no ExternalSecrets in ${ns}: the chart's secrets come from ESO (langsmith-config, langsmith-postgres, ...)`);
    notSynced.forEach((e) => {
      const c = (e.status?.conditions ?? []).find((x) => x.type === "Ready");
      problems.push(`ExternalSecret ${e.metadata?.name}: not synced${c ? ` (${c.reason}: ${c.message})` : ""}`);
    });

    if (problems.length === 0) return pass(evidence);
    return fail([...evidence, ...problems, ...(await recentWarnings(kube, ns))]);
  },
};
