/**
 * How every LangSmith pod runs: the Pod Security Standard `restricted` (non-root, no privilege
 * escalation, every capability dropped, RuntimeDefault seccomp), a read-only root filesystem with
 * emptyDir volumes where the image writes, and no Kubernetes API token where the pod has no use for it.
 *
 * Evidence for the users and writable paths: the chart's own read-only configuration, which its
 * CI installs (`ci/readonly-config-values.yaml`, identical in 0.16.11 and 0.17.0-rc.12): the
 * LangSmith images run as uid 1000, ClickHouse as 101; nginx needs /var/lib/nginx, /var/run, /run
 * and /var/cache/nginx (the chart's frontend template fails the render without them), the ACE
 * backend its node_modules and Deno cache, ClickHouse /var and users.d. /tmp is writable
 * everywhere (spooling, Python temp files).
 *
 * Every block is set only where the chart renders its pod, so no value is dead (the render tier
 * checks both): the agents only with their feature, the ClickHouse StatefulSet only in-cluster.
 */
import { EnvironmentConfig } from "../config/schema";
import { MAIN_SERVICES } from "./sizing";

export interface WritableDir {
  /** emptyDir volume name (unique within the pod). */
  readonly name: string;
  readonly mountPath: string;
}

/** A pod template block of the chart: the keys `podSecurityContext`, `securityContext`, `volumes`, `volumeMounts` live at `path`. */
export interface RestrictedWorkload {
  /** Dot path of the block in the values, e.g. `backend.migrations`, `frontend.deployment`. */
  readonly path: string;
  /** The image's user (and group). */
  readonly uid: number;
  readonly writable: readonly WritableDir[];
  /** Whether the chart renders this pod for `env`. */
  readonly renders: (env: EnvironmentConfig) => boolean;
}

const TMP: WritableDir = { name: "tmp", mountPath: "/tmp" };
const always = () => true;

/** The LangSmith image's user (ci/readonly-config-values.yaml `runAsUser: 1000`). */
export const LANGSMITH_UID = 1000;
/** The ClickHouse image's user (`clickhouse`, 101). */
export const CLICKHOUSE_UID = 101;

/** Every pod block the values configure, Jobs (hooks) included. */
export const RESTRICTED_WORKLOADS: readonly RestrictedWorkload[] = [
  ...MAIN_SERVICES.filter((s) => s !== "frontend" && s !== "aceBackend").map((s) => ({ path: `${s}.deployment`, uid: LANGSMITH_UID, writable: [TMP], renders: always })),
  {
    path: "frontend.deployment",
    uid: LANGSMITH_UID,
    writable: [TMP, { name: "var-run", mountPath: "/var/run" }, { name: "run", mountPath: "/run" }, { name: "var-lib-nginx", mountPath: "/var/lib/nginx" }, { name: "var-cache-nginx", mountPath: "/var/cache/nginx" }],
    renders: always,
  },
  {
    path: "aceBackend.deployment",
    uid: LANGSMITH_UID,
    writable: [TMP, { name: "node-modules", mountPath: "/app/node_modules" }, { name: "deno-cache", mountPath: "/.cache" }],
    renders: always,
  },
  // The backend image's hook Jobs: migrations, ClickHouse migrations, auth bootstrap, backfill check, e2e trace.
  ...["migrations", "clickhouseMigrations", "authBootstrap", "backfillCheck", "e2eTest"].map((j) => ({ path: `backend.${j}`, uid: LANGSMITH_UID, writable: [TMP], renders: always })),
  {
    path: "clickhouse.statefulSet",
    uid: CLICKHOUSE_UID,
    writable: [TMP, { name: "var", mountPath: "/var" }, { name: "users-d", mountPath: "/etc/clickhouse-server/users.d" }],
    renders: (env) => env.clickhouse.mode === "in-cluster",
  },
  ...(["apiServer", "queue"] as const).flatMap((w) => [
    { path: `engineInsightsAgent.${w}.deployment`, uid: LANGSMITH_UID, writable: [TMP], renders: (env: EnvironmentConfig) => env.langsmith.insights !== "disabled" },
    { path: `polly.${w}.deployment`, uid: LANGSMITH_UID, writable: [TMP], renders: (env: EnvironmentConfig) => env.langsmith.polly !== "disabled" },
  ]),
];

/** The container securityContext of every workload (PSS restricted, read-only root). */
export const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
} as const;

/**
 * The pod securityContext of a workload running as `uid` (seccomp comes from `commonPodSecurityContext`).
 * `OnRootMismatch`: a persistent volume already owned by the group (ClickHouse's) is not chowned
 * file by file at every start.
 */
export const restrictedPod = (uid: number) => ({ runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, fsGroupChangePolicy: "OnRootMismatch" });

/** `a.b.c` -> `{ a: { b: { c: leaf } } }` */
function nest(path: string, leaf: Record<string, unknown>): Record<string, unknown> {
  return path
    .split(".")
    .reverse()
    .reduce((acc, key) => ({ [key]: acc }), leaf);
}

/** The pod-security values of one workload block. */
export function workloadSecurity(w: RestrictedWorkload): Record<string, unknown> {
  return nest(w.path, {
    podSecurityContext: restrictedPod(w.uid),
    securityContext: RESTRICTED_CONTAINER,
    volumes: w.writable.map((d) => ({ name: d.name, emptyDir: {} })),
    volumeMounts: w.writable.map((d) => ({ name: d.name, mountPath: d.mountPath })),
  });
}

/** The workloads the chart renders for `env`. */
export const restrictedWorkloads = (env: EnvironmentConfig): RestrictedWorkload[] => RESTRICTED_WORKLOADS.filter((w) => w.renders(env));
