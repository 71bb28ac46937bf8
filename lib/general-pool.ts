/**
 * What the general node pool must hold, for whichever applications the environment runs: their
 * sized workloads (LangSmith's `langsmith.sizing`, Langfuse's `langfuse.sizing`, each with its
 * values overrides), the Jobs their applies run, and the cluster's add-ons and daemonsets.
 *
 * - At minimum replicas, with one surge pod per workload (`helm upgrade` rolls every Deployment
 *   at once; maxSurge 25% rounds up to one extra pod each) and the upgrade Jobs, on the pool at
 *   its minSize: an upgrade never waits for the autoscaler.
 * - At maximum replicas on the pool at its maxSize: no HPA creates pods the cluster autoscaler
 *   cannot place.
 *
 * One rule for both applications, so a pool sized for LangSmith is refused when Langfuse's pods do
 * not fit beside it, and a Langfuse-only environment is sized by Langfuse's pods (the reference's
 * 16 vCPU / 64 GiB minimum is LangSmith's: lib/capacity.ts). Each application's profile stays in
 * its values builder (`langsmithPoolDemand`, `langfusePoolDemand`).
 */
import { addNeeds, Allocatable, CLUSTER_OVERHEAD, formatNeed, Need, poolNodeAllocatable, timesNeed } from "./capacity";
import { Application, APPLICATIONS, EnvironmentConfig, runs } from "./config/schema";
import { langfusePoolDemand } from "./langfuse-values/sizing";
import { langsmithPoolDemand, SizingProblem } from "./langsmith-values/sizing";

/** One Deployment on the general pool. */
export interface PoolWorkload {
  /** The chart component (`backend`, `langfuse.web`), for messages. */
  readonly name: string;
  /** Requests of one pod. */
  readonly requests: Need;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/** What one application puts on the general pool, and the fields that decide it. */
export interface ApplicationDemand {
  readonly application: Application;
  readonly workloads: readonly PoolWorkload[];
  /** Jobs that run beside the workloads during an apply (migrations, database setup). */
  readonly upgradeJobs: Need;
  /** For messages: `langsmith.sizing "production" with langsmith.valuesOverrides...`. */
  readonly decidedBy: string;
  /** The sizing field to name in a fix when a smaller profile exists (undefined at the smallest). */
  readonly smaller?: string;
}

/** The demands of the applications the environment runs, each once (a repeated name is the loader's `applications` rule). */
export function applicationDemands(env: EnvironmentConfig): ApplicationDemand[] {
  return APPLICATIONS.filter((app) => runs(env, app)).flatMap((app) => {
    if (app === "langsmith") return [langsmithPoolDemand(env)];
    return env.langfuse ? [langfusePoolDemand(env)] : [];
  });
}

/** vCPU an application requests at minimum replicas (the cost split's key: lib/cost/applications.ts). */
export function requestedVcpu(env: EnvironmentConfig, app: Application): number {
  const demand = applicationDemands(env).find((d) => d.application === app);
  return demand ? demand.workloads.reduce((s, w) => s + w.minReplicas * w.requests.vcpu, 0) : 0;
}

export interface PoolDemand {
  readonly total: Need;
  readonly services: Need;
  readonly surgePods: Need;
  readonly overhead: Need;
}

/** Requests on the general pool at minimum replicas (with upgrade surge and Jobs) or at maximum replicas, for `nodes` nodes. */
export function generalPoolDemand(demands: readonly ApplicationDemand[], at: "min" | "max", nodes: number): PoolDemand {
  const workloads = demands.flatMap((d) => d.workloads);
  const services = addNeeds(...workloads.map((w) => timesNeed(at === "min" ? w.minReplicas : w.maxReplicas, w.requests)));
  const surgePods = at === "min" ? addNeeds(...workloads.map((w) => w.requests)) : { vcpu: 0, memoryGib: 0 };
  const jobs = at === "min" ? addNeeds(...demands.map((d) => d.upgradeJobs)) : { vcpu: 0, memoryGib: 0 };
  const overhead = addNeeds(CLUSTER_OVERHEAD.addOns, jobs, timesNeed(nodes, CLUSTER_OVERHEAD.perNode));
  return { total: addNeeds(services, surgePods, overhead), services, surgePods, overhead };
}

/** The fewest nodes of `node` that hold `need(n)` (which grows with the node count: daemonsets). */
export function nodesFor(node: Allocatable, need: (nodes: number) => Need, max = 1000): number {
  for (let n = 1; n <= max; n++) {
    const want = need(n);
    if (node.vcpu * n >= want.vcpu && node.memoryGib * n >= want.memoryGib) return n;
  }
  return max;
}

/**
 * Whether the general pool holds the applications at minimum replicas on its minSize and at
 * maximum replicas on its maxSize. Pools with instance types outside the catalog are skipped (the
 * capacity rule reports those).
 */
export function generalPoolProblems(env: EnvironmentConfig): SizingProblem[] {
  const demands = applicationDemands(env);
  const general = env.nodePools.general;
  const node = poolNodeAllocatable(general);
  if (demands.length === 0 || !node) return [];
  const problems: SizingProblem[] = [];
  const type = general.instanceTypes[0];
  const decidedBy = demands.map((d) => d.decidedBy).join(" and ");
  const verb = demands.length === 1 ? "requests" : "request";
  const smaller = demands.flatMap((d) => (d.smaller ? [d.smaller] : []));
  const orSmaller = smaller.length > 0 ? `, or set ${smaller.join(" / ")} to "development"` : "";

  // The pool at minSize must hold minimum replicas (with an upgrade's surge), at maxSize every HPA's maximum.
  for (const at of ["min", "max"] as const) {
    const nodes = at === "min" ? general.minSize : general.maxSize;
    const want = generalPoolDemand(demands, at, nodes);
    const have = timesNeed(nodes, node);
    if (have.vcpu >= want.total.vcpu && have.memoryGib >= want.total.memoryGib) continue;
    const n = nodesFor(node, (k) => generalPoolDemand(demands, at, k).total);
    const requested = `${decidedBy} ${verb} ${formatNeed(want.total)}`;
    problems.push(
      at === "min"
        ? {
            path: "nodePools.general.minSize",
            message:
              `gives ${formatNeed(have)} allocatable (${nodes} x ${type}), but ${requested} at minimum replicas ` +
              `(services ${formatNeed(want.services)}, one surge pod per service during an upgrade ${formatNeed(want.surgePods)}, upgrade jobs, add-ons and daemonsets ${formatNeed(want.overhead)})`,
            value: nodes,
            fix: `set nodePools.general.minSize to ${n} (and desiredSize >= ${n}), use a larger instance type${orSmaller}`,
          }
        : {
            path: "nodePools.general.maxSize",
            message: `gives at most ${formatNeed(have)} allocatable (${nodes} x ${type}), but ${requested} with every HPA at maxReplicas: the autoscaler could not place the last pods`,
            value: nodes,
            fix: `set nodePools.general.maxSize to at least ${n}`,
          },
    );
  }
  return problems;
}
