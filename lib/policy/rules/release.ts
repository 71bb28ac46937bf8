/** Pinned versions, no literal secrets, and `prevent_destroy` on production state. */
import { lastSegment, remoteChart, setEntries, valuesDocuments } from "../helm";
import { findSecrets, literalValue, SecretFinding } from "../secrets";
import { STATEFUL_TYPES } from "../stateful";
import type { Json, PolicyResource } from "../types";
import { isObject, isSet, isTrue, unresolved } from "../values";
import { ALL_TIERS, each, PRODUCTION, rule } from "./rule";

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Paths in a Helm values document or Kubernetes object that select a floating image. */
function floatingImages(v: unknown, path: string, untaggedToo: boolean): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => floatingImages(x, `${path}[${i}]`, untaggedToo));
  if (!isObject(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const at = path ? `${path}.${k}` : k;
    if (typeof x === "string" && !unresolved(x)) {
      if (k === "tag" && /^latest$/i.test(x.trim())) return [at];
      if ((k === "image" || k.endsWith("Image")) && imageFloats(x, untaggedToo)) return [at];
      return [];
    }
    return floatingImages(x, at, untaggedToo);
  });
}

/** `repo/name:latest`, or (for Kubernetes objects, where a bare name means latest) `repo/name`. */
function imageFloats(image: string, untaggedToo: boolean): boolean {
  const s = image.trim();
  if (s === "" || s.includes("@sha256:")) return false;
  if (/:latest$/i.test(s)) return true;
  const last = s.split("/").pop() ?? s;
  return untaggedToo && !last.includes(":");
}

/** Keys of a release whose content the Helm-values rule (LS-SEC-001) judges. */
const HELM_VALUE_KEYS = ["values", "set", "set_sensitive", "set_list"];
const K8S_SECRET_TYPES = ["kubernetes_secret", "kubernetes_secret_v1"];

function helmSecrets(r: PolicyResource): SecretFinding[] {
  const fromValues = valuesDocuments(r).flatMap(({ index, doc }) => findSecrets(doc, `values[${index}]`));
  const fromSets = setEntries(r).flatMap((e) => {
    if (e.kind === "set_sensitive" && literalValue(e.value)) return [{ path: `set_sensitive ${e.name}`, why: "set_sensitive holds a literal value (it is still in the code and the state)" }];
    return findSecrets({ name: lastSegment(e.name), value: e.value }).map((f) => ({ ...f, path: `${e.kind} ${e.name}` }));
  });
  return [...fromValues, ...fromSets];
}

function otherSecrets(r: PolicyResource): SecretFinding[] {
  let values: Json = r.values;
  if (r.type === "helm_release") values = Object.fromEntries(Object.entries(values).filter(([k]) => !HELM_VALUE_KEYS.includes(k)));
  if (K8S_SECRET_TYPES.includes(r.type)) {
    // Everything in a Kubernetes Secret's data is secret, whatever the key is called.
    const data = ["data", "binary_data", "string_data"].flatMap((k) =>
      Object.entries(isObject(values[k]) ? values[k] : {})
        .filter(([, v]) => literalValue(v))
        .map(([key]) => ({ path: `${k}.${key}`, why: "a Kubernetes Secret holds a literal value" })),
    );
    values = Object.fromEntries(Object.entries(values).filter(([k]) => !["data", "binary_data", "string_data"].includes(k)));
    return [...data, ...findSecrets(values)];
  }
  return findSecrets(values);
}

export const RELEASE_RULES = [
  rule({
    id: "LS-VER-001",
    title: "Helm releases from a repository pin an exact chart version",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Without a pinned version every plan may install a different chart; upgrades must be reviewed changes in versions.ts.",
    source: "Reference architecture section 10 (regular, deliberate upgrades); STYLE.md (one versions.ts)",
    check: (ctx, fail) =>
      each(ctx, ["helm_release"], (r) => {
        if (!remoteChart(r)) return undefined;
        const v = r.values.version;
        if (unresolved(v) || (typeof v === "string" && EXACT_SEMVER.test(v.trim()))) return undefined;
        return fail(r, isSet(v) ? `chart version "${v}" is not an exact version` : "chart version is not set, so Helm installs the newest", "set version from CHARTS in versions.ts (an exact x.y.z)");
      }),
  }),
  rule({
    id: "LS-VER-002",
    title: "No image is selected by the `latest` tag (Helm values, Kubernetes objects)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "`latest` changes under a running deployment; a node replacement then runs different code than was reviewed.",
    source: "Reference architecture section 10; Kubernetes configuration best practices (avoid :latest)",
    check: (ctx, fail) => [
      ...each(ctx, ["helm_release"], (r) => {
        const paths = [
          ...valuesDocuments(r).flatMap(({ index, doc }) => floatingImages(doc, `values[${index}]`, false)),
          ...setEntries(r)
            .filter((e) => typeof e.value === "string" && ((/\.tag$/.test(e.name) && /^latest$/i.test(e.value)) || (/image$/i.test(e.name) && imageFloats(e.value, false))))
            .map((e) => `${e.kind} ${e.name}`),
        ];
        return paths.length === 0 ? undefined : fail(r, `image tag "latest" at ${paths.join(", ")}`, "remove the override (the pinned chart's appVersion tag applies) or pin an exact tag or digest");
      }),
      ...ctx
        .view.resources.filter((r) => r.type.startsWith("kubernetes_") && !K8S_SECRET_TYPES.includes(r.type))
        .flatMap((r) => {
          const paths = floatingImages(r.values, "", true);
          return paths.length === 0 ? [] : [fail(r, `image without a pinned tag at ${paths.join(", ")}`, "pin an exact tag or digest")];
        }),
    ],
  }),
  rule({
    id: "LS-VER-003",
    title: "Kubernetes, EKS add-ons and data-store engines are pinned",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "An unset version means whatever AWS defaults to on the day of the apply: environments drift apart.",
    source: "Reference architecture section 10 (regular patching needs a known baseline); STYLE.md (versions.ts)",
    check: (ctx, fail) => {
      const pinned: [string, string, string][] = [
        ["aws_eks_cluster", "version", "KUBERNETES_VERSION"],
        ["aws_eks_addon", "addon_version", "EKS_ADDONS"],
        ["aws_db_instance", "engine_version", "ENGINES.postgres"],
        ["aws_rds_cluster", "engine_version", "ENGINES.auroraPostgres"],
        ["aws_elasticache_replication_group", "engine_version", "ENGINES.redis"],
      ];
      return pinned.flatMap(([type, attr, pin]) =>
        each(ctx, [type], (r) => (isSet(r.values[attr]) ? undefined : fail(r, `${attr} is not set, so AWS picks the version`, `set ${attr} from ${pin} in versions.ts`))),
      );
    },
  }),
  rule({
    id: "LS-SEC-001",
    title: "Helm values hold no secret values (passwords, tokens, keys) — only references to secrets",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "Helm values are stored in the plan, the state and the release's Kubernetes secret; secrets belong in Secrets Manager, synced by ESO.",
    source: "Reference architecture section 10 (no plaintext secrets) and section 8",
    check: (ctx, fail) =>
      each(ctx, ["helm_release"], (r) =>
        helmSecrets(r).map((f) => fail(r, `Helm values: ${f.path}: ${f.why}`, "put the value in Secrets Manager and reference it (config.existingSecretName, an ExternalSecret); never write it into values")),
      ),
  }),
  rule({
    id: "LS-SEC-002",
    title: "No literal secret anywhere in the configuration (resources, providers, backends, outputs)",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "Synthesized JSON is committed, logged and shared; a secret in it is leaked.",
    source: "Reference architecture section 10 (no plaintext secrets); AWS FSBP (no hard-coded credentials)",
    check: (ctx, fail) =>
      ctx.view.resources.flatMap((r) =>
        otherSecrets(r).map((f) =>
          fail(r, `${f.path}: ${f.why}`, "take it from Secrets Manager at run time (manage_master_user_password, ESO, IRSA), or from the environment for provider credentials"),
        ),
      ),
  }),
  rule({
    id: "LS-SEC-003",
    title: "External Secrets stores are namespaced and authenticate as their own service account (no ClusterSecretStore, no store on the controller's identity)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale:
      "A store without auth uses the ESO controller's identity, and the chart's aggregated external-secrets-edit role lets anyone with edit in any namespace create one and pull every secret that identity can read, the RDS master password included.",
    source: "External Secrets Operator docs, security best practices (namespaced SecretStores; restrict the controller's identity)",
    check: (ctx, fail) =>
      each(ctx, ["helm_release"], (r) =>
        valuesDocuments(r).flatMap(({ index, doc }) => {
          const manifests = isObject(doc) && Array.isArray(doc.manifests) ? (doc.manifests as unknown[]) : [];
          return manifests.flatMap((m, i) => {
            if (!isObject(m) || !["ClusterSecretStore", "SecretStore"].includes(String(m.kind))) return [];
            const where = `values[${index}].manifests[${i}] ${m.kind} ${(m.metadata as Json | undefined)?.name ?? ""}`.trim();
            if (m.kind === "ClusterSecretStore") return [fail(r, `${where} is cluster-wide`, "use a SecretStore in the application's namespace with auth.jwt.serviceAccountRef (lib/secrets/manifests.ts)")];
            const providers = isObject((m.spec as Json | undefined)?.provider) ? Object.values((m.spec as Json).provider as Json) : [];
            return providers.some((p) => !isObject(p) || !isObject(p.auth))
              ? [fail(r, `${where} has no auth of its own (it would use the ESO controller's identity)`, "set spec.provider.aws.auth.jwt.serviceAccountRef to a service account annotated with the store's IRSA role")]
              : [];
          });
        }),
      ),
  }),
  rule({
    id: "LS-SEC-004",
    title: "LangSmith connects to an external PostgreSQL with IAM database authentication (postgres.external.iamAuthProvider)",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale:
      "With a password URL LangSmith runs as whatever user the URL names (here it was the rds_superuser master), and an RDS password rotation leaves running pods with a stale URL until they restart; an IAM-authenticated application role has no password at all.",
    source: "RDS user guide, IAM database authentication; LangSmith chart 0.16.11 values.yaml postgres.external.iamAuthProvider",
    check: (ctx, fail) =>
      each(ctx, ["helm_release"], (r) => {
        if (r.values.chart !== "langsmith") return undefined;
        return valuesDocuments(r).flatMap(({ index, doc }) => {
          const external = isObject(doc) && isObject(doc.postgres) && isObject((doc.postgres as Json).external) ? ((doc.postgres as Json).external as Json) : undefined;
          if (!external || external.enabled !== true || unresolved(external.iamAuthProvider)) return [];
          return external.iamAuthProvider
            ? []
            : [fail(r, `values[${index}].postgres.external has no iamAuthProvider: LangSmith logs in with a password`, 'set postgres.external.iamAuthProvider: "aws" and a URL naming the IAM-authenticated application user (lib/langsmith-values, lib/secrets/database-job.ts)')];
        });
      }),
  }),
  rule({
    id: "LS-STATE-001",
    title: "Production stateful resources carry lifecycle.prevent_destroy",
    severity: "high",
    tiers: PRODUCTION,
    views: ["synth"],
    rationale: "prevent_destroy makes any plan that would delete or replace production data fail before apply (plan JSON does not show it, so synth checks it).",
    source: "Reference architecture section 10; Langfuse self-host runbook (additive-only change control for data)",
    check: (ctx, fail) =>
      each(
        ctx,
        Object.entries(STATEFUL_TYPES)
          .filter(([, t]) => t.preventDestroy)
          .map(([type]) => type),
        (r) =>
          isTrue(r.lifecycle?.prevent_destroy)
            ? undefined
            : fail(r, `production ${r.type} lacks lifecycle.prevent_destroy (a delete would lose ${STATEFUL_TYPES[r.type].loses})`, "add lifecycle: { preventDestroy: true } (the data modules set it from their preventDestroy prop, which the stack passes as protectsData(env))"),
      ),
  }),
];
