/**
 * Sizing profiles of the LangSmith services (`langsmith.sizing`): resources, HPA bounds and
 * PodDisruptionBudgets per service, and the check that a profile fits the node pools.
 *
 * development: the chart's own requests/limits, one replica minimum, no PDBs (a PDB with
 *   minAvailable 1 over a single replica blocks every node drain and cluster-autoscaler scale-down).
 * production: at least three replicas of each request-path service (one per AZ), two of the
 *   rest, PDBs (minAvailable 1) on all of them, HPA headroom to ~3x.
 *
 * HPA is required by the reference architecture (sections 5 and 7.5); the chart supports it on
 * aceBackend, backend, frontend, hostBackend, listener, platformBackend, playground, queue and
 * ingestQueue (`<c>.autoscaling.hpa`). hostBackend and listener render only with LangSmith
 * Deployments, which this project does not enable, so they are not sized.
 */
import { addNeeds, allocatable, CLUSTER_OVERHEAD, formatNeed, INSTANCE_CATALOG, isCpuQuantity, isMemoryQuantity, Need, podRequest, poolNodeAllocatable, wholeNumber } from "../capacity";
import type { ApplicationDemand } from "../general-pool";
import { EnvironmentConfig, NodePool } from "../config/schema";
import { Resources } from "./types";

/** Services with `autoscaling.hpa` that always render. */
export const MAIN_SERVICES = ["backend", "platformBackend", "queue", "ingestQueue", "frontend", "aceBackend", "playground"] as const;
export type MainService = (typeof MAIN_SERVICES)[number];

/** Agent-feature workloads, sized only when the feature is on. */
export const AGENT_WORKLOADS = {
  insights: { apiServer: "engineInsightsAgent.apiServer", queue: "engineInsightsAgent.queue" },
  polly: { apiServer: "polly.apiServer", queue: "polly.queue" },
} as const;

export interface ServiceSize {
  readonly resources: Resources;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** PodDisruptionBudget with minAvailable 1; needs minReplicas >= 2. */
  readonly pdb: boolean;
}

export interface SizingProfile {
  readonly services: Readonly<Record<MainService, ServiceSize>>;
  /** Insights / Polly api-server and queue (the chart ships `resources: {}`, i.e. BestEffort pods). */
  readonly agents: { readonly apiServer: ServiceSize; readonly queue: ServiceSize };
  /** In-cluster ClickHouse (development only; production must be external). */
  readonly clickhouse: Resources;
  /** HPA targets (chart defaults 50 / 80). */
  readonly targetCpuPercent: number;
  readonly targetMemoryPercent: number;
  /**
   * Spread each service's replicas across availability zones (and nodes), so a zone outage leaves
   * replicas running: topologySpreadConstraints on the main services, zone anti-affinity on the
   * agents (their chart blocks have no topologySpreadConstraints).
   */
  readonly spreadAcrossZones: boolean;
}

const r = (reqCpu: string, reqMem: string, limCpu: string, limMem: string): Resources => ({
  requests: { cpu: reqCpu, memory: reqMem },
  limits: { cpu: limCpu, memory: limMem },
});

// The chart's defaults (values.yaml `<c>.deployment.resources`), kept so both profiles start
// from what LangChain tests; production changes replicas, not pod shapes.
const CHART_RESOURCES: Readonly<Record<MainService, Resources>> = {
  backend: r("1000m", "2Gi", "2000m", "4Gi"),
  platformBackend: r("1000m", "2Gi", "2000m", "4Gi"),
  queue: r("1000m", "2Gi", "2000m", "4Gi"),
  ingestQueue: r("1000m", "2Gi", "2000m", "4Gi"),
  frontend: r("500m", "1Gi", "1000m", "2Gi"),
  aceBackend: r("1000m", "2000Mi", "2000m", "4000Mi"),
  playground: r("500m", "1Gi", "1000m", "8Gi"),
};

const size = (service: MainService, minReplicas: number, maxReplicas: number, pdb: boolean): ServiceSize => ({
  resources: CHART_RESOURCES[service],
  minReplicas,
  maxReplicas,
  pdb,
});

export const SIZING_PROFILES: Readonly<Record<EnvironmentConfig["langsmith"]["sizing"], SizingProfile>> = {
  development: {
    services: {
      backend: size("backend", 1, 3, false),
      platformBackend: size("platformBackend", 1, 3, false),
      queue: size("queue", 1, 4, false),
      ingestQueue: size("ingestQueue", 1, 4, false),
      frontend: size("frontend", 1, 2, false),
      aceBackend: size("aceBackend", 1, 2, false),
      playground: size("playground", 1, 2, false),
    },
    agents: {
      apiServer: { resources: r("250m", "512Mi", "1000m", "2Gi"), minReplicas: 1, maxReplicas: 2, pdb: false },
      queue: { resources: r("500m", "1Gi", "1000m", "2Gi"), minReplicas: 1, maxReplicas: 3, pdb: false },
    },
    // The chart's defaults; fit one r6i.2xlarge of the dedicated pool (7.9 vCPU / 61 GiB allocatable).
    clickhouse: r("3500m", "12Gi", "8000m", "32Gi"),
    targetCpuPercent: 50,
    targetMemoryPercent: 80,
    spreadAcrossZones: false,
  },
  production: {
    services: {
      backend: size("backend", 3, 10, true),
      platformBackend: size("platformBackend", 3, 10, true),
      queue: size("queue", 3, 10, true),
      ingestQueue: size("ingestQueue", 3, 10, true),
      frontend: size("frontend", 2, 6, true),
      aceBackend: size("aceBackend", 2, 5, true),
      playground: size("playground", 2, 5, true),
    },
    agents: {
      apiServer: { resources: r("250m", "512Mi", "1000m", "2Gi"), minReplicas: 2, maxReplicas: 4, pdb: true },
      queue: { resources: r("500m", "1Gi", "1000m", "2Gi"), minReplicas: 2, maxReplicas: 6, pdb: true },
    },
    // Unused while production ClickHouse must be external (config rule); the chart's production hint.
    clickhouse: r("8000m", "32Gi", "16000m", "64Gi"),
    targetCpuPercent: 50,
    targetMemoryPercent: 80,
    spreadAcrossZones: true,
  },
};

/**
 * Jobs each LangSmith `helm upgrade` runs next to the services (values.yaml requests):
 * backend.migrations, clickhouseMigrations, authBootstrap (200m/500Mi each), backfillCheck
 * (100m/256Mi), e2eTest (200m/500Mi).
 */
export const LANGSMITH_UPGRADE_JOBS: Need = { vcpu: 0.9, memoryGib: 2.2 };

/**
 * A main service's size with the operator's `langsmith.valuesOverrides.<service>` applied (they
 * are merged last into the Helm values, so the capacity arithmetic must see them too): HPA
 * min/max replicas, or a fixed `deployment.replicas` with the HPA disabled, and request overrides.
 * `overridden` lists the override paths used, for messages.
 */
export function withOverrides(env: EnvironmentConfig, service: string, size: ServiceSize): { size: ServiceSize; overridden: string[] } {
  const o = (env.langsmith.valuesOverrides as Record<string, unknown> | undefined)?.[service] as
    | { autoscaling?: { hpa?: { enabled?: unknown; minReplicas?: unknown; maxReplicas?: unknown } }; deployment?: { replicas?: unknown; resources?: { requests?: { cpu?: unknown; memory?: unknown } } } }
    | undefined;
  if (!o || typeof o !== "object") return { size, overridden: [] };
  const base = `langsmith.valuesOverrides.${service}`;
  const overridden: string[] = [];
  let { minReplicas, maxReplicas } = size;
  const hpa = o.autoscaling?.hpa;
  const fixed = wholeNumber(o.deployment?.replicas);
  if (hpa?.enabled === false && fixed !== undefined) {
    minReplicas = maxReplicas = fixed;
    overridden.push(`${base}.deployment.replicas`);
  }
  if (hpa?.enabled !== false) {
    const min = wholeNumber(hpa?.minReplicas);
    const max = wholeNumber(hpa?.maxReplicas);
    if (min !== undefined) (minReplicas = min), overridden.push(`${base}.autoscaling.hpa.minReplicas`);
    if (max !== undefined) (maxReplicas = max), overridden.push(`${base}.autoscaling.hpa.maxReplicas`);
  }
  const req = o.deployment?.resources?.requests;
  let resources = size.resources;
  if (isCpuQuantity(req?.cpu)) (resources = { ...resources, requests: { ...resources.requests, cpu: req.cpu } }), overridden.push(`${base}.deployment.resources.requests.cpu`);
  if (isMemoryQuantity(req?.memory)) (resources = { ...resources, requests: { ...resources.requests, memory: req.memory } }), overridden.push(`${base}.deployment.resources.requests.memory`);
  return { size: { ...size, minReplicas, maxReplicas, resources }, overridden };
}

/**
 * The sized workloads of an environment on the general pool: main services (with operator
 * overrides, and the override paths that changed the arithmetic, named in the sizing messages)
 * plus enabled agent features.
 */
export function sizedWorkloads(env: EnvironmentConfig): { name: string; size: ServiceSize; overridden: readonly string[] }[] {
  const profile = SIZING_PROFILES[env.langsmith.sizing];
  const out: { name: string; size: ServiceSize; overridden: readonly string[] }[] = MAIN_SERVICES.map((s) => ({ name: s, ...withOverrides(env, s, profile.services[s]) }));
  for (const feature of ["insights", "polly"] as const) {
    if (env.langsmith[feature] === "disabled") continue;
    out.push({ name: AGENT_WORKLOADS[feature].apiServer, size: profile.agents.apiServer, overridden: [] });
    out.push({ name: AGENT_WORKLOADS[feature].queue, size: profile.agents.queue, overridden: [] });
  }
  return out;
}

/** What LangSmith puts on the general pool (lib/general-pool.ts checks that it fits beside the other applications). */
export function langsmithPoolDemand(env: EnvironmentConfig): ApplicationDemand {
  const sized = sizedWorkloads(env);
  const overrides = sized.flatMap((w) => w.overridden);
  return {
    application: "langsmith",
    workloads: sized.map((w) => ({ name: w.name, requests: podRequest(w.size.resources), minReplicas: w.size.minReplicas, maxReplicas: w.size.maxReplicas })),
    upgradeJobs: LANGSMITH_UPGRADE_JOBS,
    decidedBy: `langsmith.sizing "${env.langsmith.sizing}"${overrides.length > 0 ? ` with ${overrides.join(", ")}` : ""}`,
    smaller: env.langsmith.sizing === "development" ? undefined : "langsmith.sizing",
  };
}

/** A problem in the loader's shape (`lib/config/rules.ts`). */
export interface SizingProblem {
  readonly path: string;
  readonly message: string;
  readonly value: unknown;
  readonly fix?: string;
}

/**
 * Whether the sizing profile holds together and fits its dedicated pool:
 * - PodDisruptionBudgets only over two or more replicas, minReplicas <= maxReplicas;
 * - in-cluster ClickHouse on one node of the dedicated pool.
 * The general pool, which LangSmith shares with Langfuse and the add-ons, is lib/general-pool.ts.
 * Pools with instance types outside the catalog are skipped (the capacity rule reports those).
 */
export function sizingProblems(env: EnvironmentConfig): SizingProblem[] {
  const problems: SizingProblem[] = [];
  const profile = SIZING_PROFILES[env.langsmith.sizing];
  const sizing = env.langsmith.sizing;
  for (const w of sizedWorkloads(env)) {
    if (w.size.pdb && w.size.minReplicas < 2) {
      problems.push({ path: "langsmith.sizing", message: `profile ${sizing} gives ${w.name} a PodDisruptionBudget with minReplicas ${w.size.minReplicas}, which blocks every node drain`, value: sizing });
    }
    if (w.size.minReplicas > w.size.maxReplicas) {
      problems.push({ path: "langsmith.sizing", message: `profile ${sizing} gives ${w.name} minReplicas above maxReplicas`, value: sizing });
    }
  }

  const chPool: NodePool | undefined = env.nodePools.clickhouse;
  if (env.clickhouse.mode === "in-cluster" && chPool) {
    const chNode = poolNodeAllocatable(chPool);
    const need = addNeeds(podRequest(profile.clickhouse), CLUSTER_OVERHEAD.perNode);
    if (chNode && (chNode.vcpu < need.vcpu || chNode.memoryGib < need.memoryGib)) {
      const fit = Object.keys(INSTANCE_CATALOG).find((t) => t.startsWith("r6i.") && allocatable(INSTANCE_CATALOG[t]).vcpu >= need.vcpu && allocatable(INSTANCE_CATALOG[t]).memoryGib >= need.memoryGib);
      problems.push({
        path: "nodePools.clickhouse.instanceTypes",
        message: `gives ${formatNeed(chNode)} allocatable per node, but in-cluster ClickHouse of langsmith.sizing "${sizing}" requests ${formatNeed(need)} (with daemonsets) on one node`,
        value: chPool.instanceTypes,
        fix: fit ? `use ${fit}` : "use a larger memory-optimized instance type",
      });
    }
  }
  return problems;
}
