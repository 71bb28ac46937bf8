/**
 * Sizing profiles of the Langfuse web and worker pods (`langfuse.sizing`).
 *
 * production follows Langfuse's self-hosting guide ("Scaling"): at least 2 CPU and 4 GiB per
 * container and two replicas of each for availability, spread across zones; development is one
 * small replica each. CPU limits at twice the request (production: burst to 4 CPU) bound a
 * runaway pod without throttling ordinary load; memory limits equal the working set Langfuse sizes for.
 */
import { isCpuQuantity, isMemoryQuantity, podRequest, wholeNumber } from "../capacity";
import type { EnvironmentConfig } from "../config/schema";
import type { ApplicationDemand } from "../general-pool";
import { isPlainObject } from "../merge";
import { DATABASE_JOB_RESOURCES } from "../secrets/database-job";

export interface LangfuseWorkloadSize {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

export interface LangfuseSizing {
  readonly web: LangfuseWorkloadSize;
  readonly worker: LangfuseWorkloadSize;
  /** HPA CPU target (percent of requests). */
  readonly targetCpuPercent: number;
  /** Spread each workload's replicas across zones and nodes (topologySpreadConstraints). */
  readonly spreadAcrossZones: boolean;
}

export const LANGFUSE_SIZING: Record<"development" | "production", LangfuseSizing> = {
  development: {
    web: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" }, minReplicas: 1, maxReplicas: 2 },
    worker: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" }, minReplicas: 1, maxReplicas: 2 },
    targetCpuPercent: 70,
    spreadAcrossZones: false,
  },
  production: {
    web: { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "4", memory: "4Gi" }, minReplicas: 2, maxReplicas: 8 },
    worker: { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "4", memory: "4Gi" }, minReplicas: 2, maxReplicas: 8 },
    targetCpuPercent: 60,
    spreadAcrossZones: true,
  },
};

/**
 * What Langfuse puts on the general pool: web and worker at the profile's replicas and requests,
 * with `langfuse.valuesOverrides.langfuse.<web|worker>` applied the way the chart reads them
 * (`hpa.minReplicas` / `hpa.maxReplicas`; `hpa.enabled: false` with `replicas`, or the chart-wide
 * `langfuse.replicas`, fixes the count, or hands it to `keda` with its bounds; `resources.requests`),
 * and the database Job of every apply.
 * lib/general-pool.ts checks that it fits beside LangSmith and the add-ons.
 */
export function langfusePoolDemand(env: EnvironmentConfig): ApplicationDemand {
  const lf = env.langfuse;
  if (!lf) throw new Error(`langfusePoolDemand: environment ${env.name} has no langfuse settings`);
  const profile = LANGFUSE_SIZING[lf.sizing];
  const chart = (lf.valuesOverrides as { langfuse?: Record<string, unknown> }).langfuse;
  const overridden: string[] = [];
  const workloads = (["web", "worker"] as const).map((component) => {
    const size = profile[component];
    const base = `langfuse.valuesOverrides.langfuse.${component}`;
    const o = (isPlainObject(chart) && isPlainObject(chart[component]) ? chart[component] : {}) as {
      hpa?: { enabled?: unknown; minReplicas?: unknown; maxReplicas?: unknown };
      keda?: { enabled?: unknown; minReplicas?: unknown; maxReplicas?: unknown };
      replicas?: unknown;
      resources?: { requests?: { cpu?: unknown; memory?: unknown } };
    };
    let { minReplicas, maxReplicas } = size;
    if (o.hpa?.enabled === false && o.keda?.enabled === true) {
      // KEDA instead of the HPA (the chart refuses both): its bounds, chart defaults 1 and 2.
      minReplicas = wholeNumber(o.keda.minReplicas) ?? 1;
      maxReplicas = wholeNumber(o.keda.maxReplicas) ?? 2;
      overridden.push(`${base}.keda`);
    } else if (o.hpa?.enabled === false) {
      const fixed = wholeNumber(o.replicas) ?? wholeNumber(isPlainObject(chart) ? chart.replicas : undefined) ?? 1;
      minReplicas = maxReplicas = fixed;
      overridden.push(`${base}.hpa.enabled`);
    } else {
      const min = wholeNumber(o.hpa?.minReplicas);
      const max = wholeNumber(o.hpa?.maxReplicas);
      if (min !== undefined) (minReplicas = min), overridden.push(`${base}.hpa.minReplicas`);
      if (max !== undefined) (maxReplicas = max), overridden.push(`${base}.hpa.maxReplicas`);
    }
    const req = o.resources?.requests;
    const requests = { ...size.requests };
    if (isCpuQuantity(req?.cpu)) (requests.cpu = req.cpu), overridden.push(`${base}.resources.requests.cpu`);
    if (isMemoryQuantity(req?.memory)) (requests.memory = req.memory), overridden.push(`${base}.resources.requests.memory`);
    return { name: `langfuse.${component}`, requests: podRequest({ requests }), minReplicas, maxReplicas };
  });
  return {
    application: "langfuse",
    workloads,
    upgradeJobs: podRequest(DATABASE_JOB_RESOURCES),
    decidedBy: `langfuse.sizing "${lf.sizing}"${overridden.length > 0 ? ` with ${overridden.join(", ")}` : ""}`,
    smaller: lf.sizing === "development" ? undefined : "langfuse.sizing",
  };
}
