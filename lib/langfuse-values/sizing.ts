/**
 * Sizing profiles of the Langfuse web and worker pods (`langfuse.sizing`).
 *
 * production follows Langfuse's self-hosting guide ("Scaling"): at least 2 CPU and 4 GiB per
 * container and two replicas of each for availability, spread across zones; development is one
 * small replica each. CPU limits at twice the request (production: burst to 4 CPU) bound a
 * runaway pod without throttling ordinary load; memory limits equal the working set Langfuse sizes for.
 */
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
