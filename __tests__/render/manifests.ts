/** Reading rendered manifests: pods, the secrets they read, the secrets ExternalSecrets produce, IRSA trusts. */
import type { Manifest } from "../../lib/render";
import { replaceTokens, stackLookup, standIn } from "../../lib/render";
import type { Json } from "../synth-cache";
import type { RenderedEnvironment } from "./rendered";

export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

export interface Pod {
  /** `Deployment/langsmith-backend`, `Job/langsmith-backend-migrations` */
  readonly owner: string;
  readonly kind: string;
  readonly name: string;
  readonly serviceAccount: string;
  /** `helm.sh/hook` of the owner ("" when not a hook). */
  readonly hook: string;
  readonly spec: Json;
  readonly template: Json;
}

const WORKLOADS = ["Deployment", "StatefulSet", "Job", "DaemonSet", "CronJob"];

/** Every pod template of the workloads in `manifests`. */
export function pods(manifests: readonly Manifest[]): Pod[] {
  return manifests
    .filter((m) => WORKLOADS.includes(m.kind))
    .map((m) => {
      const template = m.kind === "CronJob" ? m.spec.jobTemplate.spec.template : m.spec.template;
      return {
        owner: `${m.kind}/${m.metadata.name}`,
        kind: m.kind,
        name: m.metadata.name,
        serviceAccount: template.spec.serviceAccountName ?? "default",
        hook: m.metadata.annotations?.["helm.sh/hook"] ?? "",
        spec: template.spec,
        template,
      };
    });
}

export const containersOf = (pod: Pod): Json[] => [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])];

export interface SecretRead {
  readonly pod: string;
  readonly secret: string;
  /** undefined: the whole secret (envFrom, a volume without items). */
  readonly key?: string;
  readonly optional: boolean;
}

/** Every read of a Kubernetes Secret by a pod: env secretKeyRef, envFrom secretRef, secret volumes. */
export function secretReads(pod: Pod): SecretRead[] {
  const out: SecretRead[] = [];
  for (const c of containersOf(pod)) {
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) out.push({ pod: pod.owner, secret: ref.name, key: ref.key, optional: ref.optional === true });
    }
    for (const f of c.envFrom ?? []) if (f.secretRef) out.push({ pod: pod.owner, secret: f.secretRef.name, optional: f.secretRef.optional === true });
  }
  for (const v of pod.spec.volumes ?? []) {
    if (!v.secret) continue;
    const items: Json[] = v.secret.items ?? [];
    if (items.length === 0) out.push({ pod: pod.owner, secret: v.secret.secretName, optional: v.secret.optional === true });
    for (const i of items) out.push({ pod: pod.owner, secret: v.secret.secretName, key: i.key, optional: v.secret.optional === true });
  }
  return out;
}

/** Env var value of a container, when it is a literal. */
export const envValue = (c: Json, name: string): string | undefined => (c.env ?? []).find((e: Json) => e.name === name)?.value;

/**
 * Secrets other releases create, name -> keys: ExternalSecrets (template keys when templated, else
 * the `data[].secretKey`s; `dataFrom` makes the key set open, `undefined`) and plain Secrets.
 */
export function producedSecrets(env: RenderedEnvironment): Map<string, Set<string> | undefined> {
  const out = new Map<string, Set<string> | undefined>();
  for (const r of env.releases) {
    if (r === env.langsmith) continue;
    for (const m of r.manifests ?? []) {
      if (m.kind === "ExternalSecret") {
        const target = m.spec.target?.name ?? m.metadata.name;
        const template = m.spec.target?.template;
        const keys = template?.data ? Object.keys(template.data) : (m.spec.data ?? []).map((d: Json) => d.secretKey);
        out.set(target, m.spec.dataFrom || template?.templateFrom ? undefined : new Set(keys));
      } else if (m.kind === "Secret") {
        out.set(m.metadata.name, new Set([...Object.keys(m.data ?? {}), ...Object.keys(m.stringData ?? {})]));
      }
    }
  }
  return out;
}

/** IRSA roles of the stack: the stand-in ARN the values carry -> trusted `system:serviceaccount:<ns>:<sa>` subjects. */
export function irsaTrusts(env: RenderedEnvironment): Map<string, { role: string; subjects: string[] }> {
  const out = new Map<string, { role: string; subjects: string[] }>();
  for (const [name, role] of Object.entries((env.stack.resource?.aws_iam_role ?? {}) as Json)) {
    const raw: string = typeof role.assume_role_policy === "string" ? role.assume_role_policy : JSON.stringify(role.assume_role_policy ?? {});
    const policy = replaceTokens(raw, env.config.aws.region, stackLookup(env.stack));
    const subjects = policy.match(/system:serviceaccount:[^"\s]+/g) ?? [];
    if (subjects.length > 0) out.set(standIn(`aws_iam_role.${name}.arn`, env.config.aws.region), { role: name, subjects: [...new Set(subjects)] });
  }
  return out;
}

/**
 * A container calls AWS when it authenticates to a data store with IAM (`*_IAM_AUTH_PROVIDER=aws`:
 * Redis and Postgres, the agents' too) or reaches S3 without access keys.
 */
export function callsAws(c: Json): boolean {
  const iam = (c.env ?? []).some((e: { name: string; value?: string }) => /_IAM_AUTH_PROVIDER$/.test(e.name) && e.value === "aws");
  return iam || (envValue(c, "BLOB_STORAGE_ENGINE") === "S3" && envValue(c, "FF_BLOB_STORAGE_ENABLED") === "true");
}

/** Volume types the Pod Security Standard `restricted` admits. */
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

/**
 * What keeps a pod from the Pod Security Standard `restricted` (Kubernetes "Pod Security Standards",
 * every baseline and restricted control), plus a writable root filesystem, one line each.
 */
export function restrictedViolations(pod: Pod, { readOnlyRoot = true }: { readOnlyRoot?: boolean } = {}): string[] {
  const out: string[] = [];
  const podSc: Json = pod.spec.securityContext ?? {};
  const say = (what: string) => out.push(`${pod.owner}: ${what}`);
  for (const host of ["hostNetwork", "hostPID", "hostIPC"]) if (pod.spec[host]) say(`${host}`);
  // Baseline's other controls: sysctls (only the namespaced safe set; none is set here), SELinux
  // user/role or a custom type, a non-default /proc mount, AppArmor unconfined, host ports.
  if ((podSc.sysctls ?? []).length > 0) say(`sysctls ${JSON.stringify(podSc.sysctls)}`);
  for (const v of pod.spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !RESTRICTED_VOLUMES.includes(type)) say(`volume ${v.name} of type ${type}`);
  }
  for (const c of containersOf(pod)) {
    const sc: Json = c.securityContext ?? {};
    const at = (k: string) => (sc[k] !== undefined ? sc[k] : podSc[k]);
    if (sc.privileged) say(`${c.name} privileged`);
    for (const p of c.ports ?? []) if (p.hostPort) say(`${c.name} hostPort ${p.hostPort}`);
    const selinux: Json | undefined = sc.seLinuxOptions ?? podSc.seLinuxOptions;
    if (selinux && (selinux.user || selinux.role || (selinux.type && !["container_t", "container_init_t", "container_kvm_t"].includes(selinux.type)))) say(`${c.name} seLinuxOptions ${JSON.stringify(selinux)}`);
    if (sc.procMount && sc.procMount !== "Default") say(`${c.name} procMount ${sc.procMount}`);
    if ((sc.appArmorProfile ?? podSc.appArmorProfile)?.type === "Unconfined") say(`${c.name} AppArmor unconfined`);
    if (sc.allowPrivilegeEscalation !== false) say(`${c.name} allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) say(`${c.name} does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") say(`${c.name} adds ${cap}`);
    if (at("runAsNonRoot") !== true) say(`${c.name} runAsNonRoot is not true`);
    if (at("runAsUser") === 0) say(`${c.name} runs as uid 0`);
    const seccomp = (sc.seccompProfile ?? podSc.seccompProfile)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") say(`${c.name} seccompProfile ${seccomp ?? "unset"}`);
    if (readOnlyRoot && sc.readOnlyRootFilesystem !== true) say(`${c.name} root filesystem is writable`);
  }
  return out;
}

/** Containers (init included) without CPU and memory requests and limits. */
export function unboundedContainers(pod: Pod): string[] {
  return containersOf(pod)
    .filter((c) => ["requests", "limits"].some((k) => !c.resources?.[k]?.cpu || !c.resources?.[k]?.memory))
    .map((c) => `${pod.owner}/${c.name}: ${JSON.stringify(c.resources ?? {})}`);
}

/** True when a label selector (`matchLabels` only, as the charts write them) selects `labels`. */
export const selects = (selector: Json | undefined, labels: Record<string, string> = {}): boolean =>
  !!selector?.matchLabels && Object.keys(selector.matchLabels).length > 0 && Object.entries(selector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v);
