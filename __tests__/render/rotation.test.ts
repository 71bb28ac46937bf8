/**
 * Day 30: a secret that rotates must reach the pods that read it. A Kubernetes Secret read through
 * environment variables is fixed for the life of the pod, so: no long-running pod may read, through
 * env, a Secret that ESO syncs from a rotating source (an RDS-managed master secret, rotated every
 * 7 days, or a Secrets Manager secret with a rotation schedule), unless it is listed below with the
 * change that removes it. The list cannot rot: an entry that no longer applies fails the test.
 */
import type { Json } from "../helpers";
import { pods, secretReads } from "./manifests";
import { describeRendered, describeWithLangsmithSample, LANGSMITH_ENVIRONMENT_NAMES, rendered, RenderedEnvironment } from "./rendered";
import { describeEach } from "../helpers";

/**
 * Known readers of rotating secrets, each with what removes it. Empty: LangSmith connects to
 * Postgres as its own role with IAM authentication (issue 12), so no pod holds the rotating RDS
 * master password; only the database-setup hook Job reads it, and a Job is not long-running.
 */
const KNOWN_ROTATING_READS: Record<string, string> = {};

/** Kubernetes Secrets whose ExternalSecret reads a rotating Secrets Manager secret. */
function rotatingSecrets(env: RenderedEnvironment): Set<string> {
  const stack = env.stack;
  const rotationTargets = Object.values((stack.resource?.aws_secretsmanager_secret_rotation ?? {}) as Json).map((r) => String(r.secret_id).replace(/^\$\{(.*)\.(id|arn)\}$/, "$1"));
  const out = new Set<string>();
  for (const r of env.releases) {
    const raw = (stack.resource.helm_release as Json)[r.resource]?.values as string[] | undefined;
    const manifests: Json[] = raw ? raw.flatMap((v) => (JSON.parse(v).manifests ?? []) as Json[]) : [];
    for (const m of manifests.filter((x) => x.kind === "ExternalSecret")) {
      const keys: string[] = (m.spec.data ?? []).map((d: Json) => String(d.remoteRef?.key ?? ""));
      const rotating = keys.some((k) => /\.master_user_secret\[0\]\.secret_arn\}/.test(k) || rotationTargets.some((t) => k.includes(t)));
      if (rotating) out.add(m.spec.target?.name ?? m.metadata.name);
    }
  }
  return out;
}

describeEach(LANGSMITH_ENVIRONMENT_NAMES, describeRendered)("%s: rotation reaches the pods", (name) => {
  test("no long-running pod reads a rotating secret through env, except the known ones awaiting their fix", () => {
    const env = rendered(name);
    const rotating = rotatingSecrets(env);
    const longRunning = pods(env.langsmith.manifests).filter((p) => p.kind !== "Job");
    const reads = longRunning.flatMap(secretReads).filter((r) => rotating.has(r.secret));
    const unexpected = reads.filter((r) => !(r.secret in KNOWN_ROTATING_READS)).map((r) => `${r.pod} reads ${r.secret}${r.key ? `/${r.key}` : ""}`);
    expect([...new Set(unexpected)]).toEqual([]);
    // Every known entry still applies somewhere in the fleet, else it must be removed (see below).
    for (const s of rotating) if (s in KNOWN_ROTATING_READS) expect(reads.some((r) => r.secret === s)).toBe(true);
  });
});

// Needs the fleet's LangSmith environments: in a fleet without one, every entry would look stale.
describeWithLangsmithSample("the known list cannot rot", () => {
  test("every entry is still a rotating secret read by a long-running pod in some environment", () => {
    const stillRead = new Set<string>();
    for (const name of LANGSMITH_ENVIRONMENT_NAMES) {
      const env = rendered(name);
      const rotating = rotatingSecrets(env);
      for (const r of pods(env.langsmith.manifests).filter((p) => p.kind !== "Job").flatMap(secretReads)) if (rotating.has(r.secret)) stillRead.add(r.secret);
    }
    const stale = Object.keys(KNOWN_ROTATING_READS)
      .filter((s) => !stillRead.has(s))
      .map((s) => `${s} is no longer a rotating secret read by a pod (${KNOWN_ROTATING_READS[s]}): remove it from KNOWN_ROTATING_READS in __tests__/render/rotation.test.ts`);
    expect(stale).toEqual([]);
  });
});
