/**
 * Node capacity, computed before synth from an instance-type catalog and the EKS allocatable
 * formula, so an under-sized environment is refused with a message that says what would fit.
 *
 * Allocatable (Amazon EKS optimized AMIs, AL2023 nodeadm):
 *   maxPods   = min(ENIs x (IPv4 per ENI - 1) + 2, vCPU < 30 ? 110 : 250)
 *   memory    = total - kubeReserved (255 MiB + 11 MiB x maxPods) - eviction threshold (100 MiB)
 *   cpu       = total - (6% of core 1 + 1% of core 2 + 0.5% of cores 3-4 + 0.25% of the rest)
 * Sources: awslabs/amazon-eks-ami (nodeadm kubelet config, eni-max-pods.txt).
 *
 * "GB" in the reference architecture is read as GiB (the stricter reading).
 */
import { EnvironmentConfig, NodePool, runs } from "./config/schema";

export interface InstanceType {
  readonly vcpu: number;
  readonly memoryGib: number;
  readonly enis: number;
  readonly ipsPerEni: number;
}

/** [size, vCPU, ENIs, IPv4 per ENI] shared by the m/r/c families of the 5th-7th generations. */
const SIZES: readonly [string, number, number, number][] = [
  ["large", 2, 3, 10],
  ["xlarge", 4, 4, 15],
  ["2xlarge", 8, 4, 15],
  ["4xlarge", 16, 8, 30],
  ["8xlarge", 32, 8, 30],
  ["12xlarge", 48, 8, 30],
  ["16xlarge", 64, 15, 50],
];

/** GiB of memory per vCPU in each family line. */
const FAMILIES: Record<string, number> = {
  m5: 4, m6i: 4, m6a: 4, m6g: 4, m7i: 4, m7a: 4, m7g: 4,
  r5: 8, r6i: 8, r6a: 8, r6g: 8, r7i: 8, r7a: 8, r7g: 8,
  c5: 2, c6i: 2, c6a: 2, c6g: 2, c7i: 2, c7a: 2, c7g: 2,
};

function buildCatalog(): Record<string, InstanceType> {
  const catalog: Record<string, InstanceType> = {
    "t3.large": { vcpu: 2, memoryGib: 8, enis: 3, ipsPerEni: 12 },
    "t3.xlarge": { vcpu: 4, memoryGib: 16, enis: 4, ipsPerEni: 15 },
    "t3.2xlarge": { vcpu: 8, memoryGib: 32, enis: 4, ipsPerEni: 15 },
  };
  for (const [family, gibPerVcpu] of Object.entries(FAMILIES)) {
    for (const [size, vcpu, enis, ipsPerEni] of SIZES) {
      catalog[`${family}.${size}`] = { vcpu, memoryGib: vcpu * gibPerVcpu, enis, ipsPerEni };
    }
  }
  return catalog;
}

export type CpuArchitecture = "x86_64" | "arm64";

/** Graviton (arm64) families carry a `g` right after the generation digit: m6g, r7g, c7gn, t4g. */
export function architectureOf(instanceType: string): CpuArchitecture {
  return /^[a-z]+\d+g/.test(instanceType) ? "arm64" : "x86_64";
}

/** Instance types the capacity check knows. Add a type here to use it in a node pool. */
export const INSTANCE_CATALOG: Readonly<Record<string, InstanceType>> = buildCatalog();

export interface Allocatable {
  readonly vcpu: number;
  readonly memoryGib: number;
  readonly maxPods: number;
}

export function maxPods(t: InstanceType): number {
  return Math.min(t.enis * (t.ipsPerEni - 1) + 2, t.vcpu < 30 ? 110 : 250);
}

/** Allocatable capacity of one node of the given type. */
export function allocatable(t: InstanceType): Allocatable {
  const pods = maxPods(t);
  const reservedMib = 255 + 11 * pods + 100;
  const coreShares = [0.06, 0.01, 0.005, 0.005];
  const reservedCpu = [...Array(t.vcpu).keys()].reduce((sum, core) => sum + (coreShares[core] ?? 0.0025), 0);
  return {
    vcpu: round(t.vcpu - reservedCpu),
    memoryGib: round(t.memoryGib - reservedMib / 1024),
    maxPods: pods,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** vCPU and GiB of memory: what pods request, or what nodes offer. */
export interface Need {
  readonly vcpu: number;
  readonly memoryGib: number;
}

/** The CPU and memory quantities the sizing arithmetic reads (`500m`, `2`; `512Mi`, `4Gi`). */
const CPU_QUANTITY = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY_QUANTITY = /^(\d+(?:\.\d+)?)(Mi|Gi)$/;

/** Whether `v` is a CPU quantity `cpuCores` reads (an operator override the sizing then counts). */
export const isCpuQuantity = (v: unknown): v is string => typeof v === "string" && CPU_QUANTITY.test(v);
/** Whether `v` is a memory quantity `memoryGib` reads. */
export const isMemoryQuantity = (v: unknown): v is string => typeof v === "string" && MEMORY_QUANTITY.test(v);

/** Cores in a Kubernetes CPU quantity (`500m`, `2`). */
export function cpuCores(q: string): number {
  const m = CPU_QUANTITY.exec(q);
  if (!m) throw new Error(`not a CPU quantity: ${q}`);
  return m[2] === "m" ? Number(m[1]) / 1000 : Number(m[1]);
}

/** GiB in a Kubernetes memory quantity (`512Mi`, `4Gi`). */
export function memoryGib(q: string): number {
  const m = MEMORY_QUANTITY.exec(q);
  if (!m) throw new Error(`not a memory quantity (Mi or Gi): ${q}`);
  return m[2] === "Gi" ? Number(m[1]) : Number(m[1]) / 1024;
}

/** A pod's requests (`resources.requests` of its container). */
export const podRequest = (res: { readonly requests: { readonly cpu: string; readonly memory: string } }): Need => ({ vcpu: cpuCores(res.requests.cpu), memoryGib: memoryGib(res.requests.memory) });
export const addNeeds = (...needs: Need[]): Need => needs.reduce((a, b) => ({ vcpu: a.vcpu + b.vcpu, memoryGib: a.memoryGib + b.memoryGib }), { vcpu: 0, memoryGib: 0 });
export const timesNeed = (n: number, s: Need): Need => ({ vcpu: n * s.vcpu, memoryGib: n * s.memoryGib });
export const formatNeed = (n: Need): string => `${round(n.vcpu)} vCPU / ${round(n.memoryGib)} GiB`;
/** A replica count from operator overrides (a whole number >= 0), else undefined. */
export const wholeNumber = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);

/**
 * Requests of the cluster itself on the general pool, next to the applications. Estimates from the
 * add-ons' charts and EKS add-on defaults; generous on purpose (an unschedulable upgrade is the
 * failure we avoid).
 */
export const CLUSTER_OVERHEAD = {
  /** Deployments of the add-ons on the general pool: CoreDNS x2, LB controller x2, ESO x3, metrics-server, cluster-autoscaler, EBS CSI controller x2 (ExternalDNS was counted too; kept as margin). */
  addOns: { vcpu: 1.5, memoryGib: 3 },
  /** DaemonSets on every node: aws-node, kube-proxy, ebs-csi-node, eks-pod-identity-agent, CloudWatch agent + Fluent Bit. */
  perNode: { vcpu: 0.5, memoryGib: 0.75 },
} as const;

/** The reference architecture's hard requirements (walkthrough 2.2, architecture section 5): LangSmith's. */
export const CAPACITY_REQUIREMENTS = {
  /** Across the general pool at its minimum size, when the environment runs LangSmith. */
  general: { vcpu: 16, memoryGib: 64 },
  /** One node of the ClickHouse pool, by tier. */
  clickhouse: {
    production: { vcpu: 8, memoryGib: 32 },
    development: { vcpu: 4, memoryGib: 16 },
  },
} as const;

/** Smallest allocatable capacity per node of the pool (its least capable instance type). */
export function poolNodeAllocatable(pool: NodePool): Allocatable | undefined {
  const types = pool.instanceTypes.map((t) => INSTANCE_CATALOG[t]);
  if (types.some((t) => t === undefined)) return undefined;
  const each = types.map((t) => allocatable(t as InstanceType));
  return each.reduce((a, b) => ({
    vcpu: Math.min(a.vcpu, b.vcpu),
    memoryGib: Math.min(a.memoryGib, b.memoryGib),
    maxPods: Math.min(a.maxPods, b.maxPods),
  }));
}

/** The fewest nodes of `type` whose allocatable sum meets `need`. */
function nodesNeeded(type: string | Allocatable, need: { vcpu: number; memoryGib: number }): number {
  const a = typeof type === "string" ? allocatable(INSTANCE_CATALOG[type]) : type;
  return Math.max(Math.ceil(need.vcpu / a.vcpu), Math.ceil(need.memoryGib / a.memoryGib));
}

/** Problems with the node pools' capacity, in the loader's Problem shape. */
export function capacityProblems(env: EnvironmentConfig) {
  const problems: { path: string; message: string; value: unknown; fix?: string }[] = [];
  for (const [name, pool] of Object.entries(env.nodePools)) {
    if (!pool) continue;
    pool.instanceTypes.forEach((t, i) => {
      if (!INSTANCE_CATALOG[t]) {
        problems.push({
          path: `nodePools.${name}.instanceTypes.${i}`,
          message: "is not in the instance catalog the capacity check uses (lib/capacity.ts)",
          value: t,
          fix: "pick a catalogued type (m6i, m7i, r6i, r7i, c6i ... large to 16xlarge) or add it to INSTANCE_CATALOG",
        });
      }
    });
  }
  for (const [name, pool] of Object.entries(env.nodePools)) {
    const archs = [...new Set((pool?.instanceTypes ?? []).map(architectureOf))];
    if (archs.length > 1) {
      problems.push({
        path: `nodePools.${name}.instanceTypes`,
        message: `must share one CPU architecture (a managed node group runs one AMI type; these mix ${archs.join(" and ")})`,
        value: pool?.instanceTypes,
        fix: "split them into separate pools or pick types of one architecture",
      });
    }
  }
  if (problems.length > 0) return problems;

  // The reference minimum is LangSmith's; a Langfuse-only pool is sized by its pods (lib/general-pool.ts).
  const general = env.nodePools.general;
  const node = poolNodeAllocatable(general) as Allocatable;
  const total = { vcpu: round(node.vcpu * general.minSize), memoryGib: round(node.memoryGib * general.minSize) };
  const need = CAPACITY_REQUIREMENTS.general;
  if (runs(env, "langsmith") && (total.vcpu < need.vcpu || total.memoryGib < need.memoryGib)) {
    // With several types the autoscaler may launch any of them: the pool is sized by the smallest.
    const types = general.instanceTypes;
    const label = types.length === 1 ? types[0] : `the smallest of ${types.join(", ")}`;
    problems.push({
      path: "nodePools.general.minSize",
      message:
        `gives ${total.vcpu} vCPU / ${total.memoryGib} GiB allocatable (${general.minSize} x ${label} at ${node.vcpu} vCPU / ${node.memoryGib} GiB each), ` +
        `the reference requires at least ${need.vcpu} vCPU / ${need.memoryGib} GiB across the general pool at its minimum size`,
      value: general.minSize,
      fix: `set minSize to ${nodesNeeded(node, need)} with ${types.join(", ")}, or use ${nodesNeeded("m6i.4xlarge", need)} x m6i.4xlarge`,
    });
  }

  const ch = env.nodePools.clickhouse;
  if (ch && env.clickhouse.mode === "in-cluster") {
    const chNode = poolNodeAllocatable(ch) as Allocatable;
    const chNeed = CAPACITY_REQUIREMENTS.clickhouse[env.tier];
    if (chNode.vcpu < chNeed.vcpu || chNode.memoryGib < chNeed.memoryGib) {
      const fit = env.tier === "production" ? "r6i.4xlarge" : "r6i.2xlarge";
      problems.push({
        path: "nodePools.clickhouse.instanceTypes",
        message:
          `gives ${chNode.vcpu} vCPU / ${chNode.memoryGib} GiB allocatable per node, ` +
          `ClickHouse in tier ${env.tier} needs one node with at least ${chNeed.vcpu} vCPU / ${chNeed.memoryGib} GiB allocatable`,
        value: ch.instanceTypes,
        fix: `use ${fit} (${allocatable(INSTANCE_CATALOG[fit]).vcpu} vCPU / ${allocatable(INSTANCE_CATALOG[fit]).memoryGib} GiB allocatable)`,
      });
    }
    if (ch.minSize < 1) {
      problems.push({ path: "nodePools.clickhouse.minSize", message: "must be at least 1: ClickHouse needs its node at all times", value: ch.minSize });
    }
  }
  return problems;
}
