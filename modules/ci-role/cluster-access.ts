import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { K8sManifests, KubernetesObject } from "../k8s-manifests";

/**
 * Kubernetes group of the CI plan role (its EKS access entry). Not `system:*` or `eks*`: EKS
 * refuses those prefixes in an access entry's groups.
 */
export const PLAN_READER_GROUP = "langsmith:ci-plan-reader";
/** ClusterRole and ClusterRoleBinding name. */
export const PLAN_READER_NAME = "langsmith-ci-plan-reader";

/** Read verbs only. */
export const READ_VERBS = ["get", "list", "watch"] as const;

/**
 * Core ("") resources the plan role may read: every top-level core resource except `secrets`.
 * Listed one by one because RBAC has no deny and `*` would include Secrets; subresources
 * (`pods/log`, `pods/exec`, `serviceaccounts/token`) are not listed, so not granted.
 */
export const CORE_READABLE = [
  "configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes", "persistentvolumeclaims", "persistentvolumes",
  "pods", "podtemplates", "replicationcontrollers", "resourcequotas", "serviceaccounts", "services",
] as const;

/**
 * API groups read in full: none of them holds Secret values (Secrets are only in the core
 * group). External Secrets objects name secrets, never hold their values; the SecretStore
 * authenticates with a service-account token the API server issues on demand (no stored key).
 */
export const GROUPS_READABLE = [
  "admissionregistration.k8s.io", "apiextensions.k8s.io", "apps", "autoscaling", "batch", "coordination.k8s.io", "discovery.k8s.io",
  "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
  "elbv2.k8s.aws", "external-secrets.io", "metrics.k8s.io",
] as const;

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface ClusterRoleObject extends KubernetesObject {
  readonly rules: readonly PolicyRule[];
}

export interface ClusterRoleBindingObject extends KubernetesObject {
  readonly roleRef: { readonly apiGroup: string; readonly kind: string; readonly name: string };
  readonly subjects: readonly { readonly apiGroup: string; readonly kind: string; readonly name: string }[];
}

/**
 * What `terraform plan` refreshes through the kubernetes and helm providers, minus Secrets: a
 * ClusterRole with read verbs on every core resource but Secrets and on the groups above, bound
 * to `PLAN_READER_GROUP`. Helm's release records are ConfigMaps (the helm provider's
 * `helm_driver = "configmap"`, stacks/providers.ts), so refreshing a helm_release needs no Secret.
 */
export function planReaderManifests(group = PLAN_READER_GROUP): [ClusterRoleObject, ClusterRoleBindingObject] {
  const labels = { "app.kubernetes.io/part-of": "langsmith-ci" };
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: PLAN_READER_NAME, labels },
      rules: [
        { apiGroups: [""], resources: [...CORE_READABLE], verbs: [...READ_VERBS] },
        { apiGroups: [...GROUPS_READABLE], resources: ["*"], verbs: [...READ_VERBS] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: PLAN_READER_NAME, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: PLAN_READER_NAME },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }],
    },
  ];
}

export interface PlanRoleClusterAccessProps {
  readonly clusterName: string;
  /** The CI plan role (`ciArns(env).planRole`); it must exist (bootstrap stack) before this apply. */
  readonly principalArn: string;
  /** Nodes and DNS (the RBAC objects are a Helm release of the local manifests chart). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * Read-only Kubernetes access for the CI plan role, so a pull-request `terraform plan` can refresh
 * the helm and kubernetes resources, and no Secret: an access entry that puts the role in
 * `PLAN_READER_GROUP`, with no EKS access policy (AmazonEKSAdminViewPolicy would include Secrets),
 * and the group's ClusterRole (`planReaderManifests`). Never write access.
 */
export class PlanRoleClusterAccess extends Construct {
  readonly entry: EksAccessEntry;
  readonly rbac: K8sManifests;

  constructor(scope: Construct, id: string, props: PlanRoleClusterAccessProps) {
    super(scope, id);
    this.entry = new EksAccessEntry(this, "entry", {
      clusterName: props.clusterName,
      principalArn: props.principalArn,
      type: "STANDARD",
      kubernetesGroups: [PLAN_READER_GROUP],
    });
    this.rbac = new K8sManifests(this, "rbac", {
      releaseName: PLAN_READER_NAME,
      namespace: "kube-system",
      manifests: planReaderManifests(),
      dependsOn: props.dependsOn,
    });
  }
}
