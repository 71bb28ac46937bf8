import { Construct } from "constructs";
import { AssetType, ITerraformDependable, TerraformAsset, TerraformStack } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * What every Kubernetes object has. Callers pass their own typed objects (TargetGroupBinding,
 * ExternalSecret, ...): the construct is generic, so `spec` and friends keep their types.
 */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

export interface K8sManifestsProps<T extends KubernetesObject = KubernetesObject> {
  /** Helm release name (unique within `namespace`), e.g. `langsmith-target-group-binding`. */
  readonly releaseName: string;
  /** Namespace of the release record; objects without `metadata.namespace` land here too. */
  readonly namespace: string;
  /** The objects, in the order they are applied. */
  readonly manifests: readonly T[];
  /**
   * The releases that install the CRDs and webhooks these objects need (e.g. the load balancer
   * controller for TargetGroupBinding, External Secrets for ExternalSecret). Required: an
   * object whose CRD is missing fails the apply.
   */
  readonly dependsOn: readonly ITerraformDependable[];
  /**
   * Create `namespace` if it does not exist.
   * @default false
   */
  readonly createNamespace?: boolean;
}

/** Construct id of the one chart asset per stack. */
const CHART_ASSET_ID = "k8s-manifests-chart";

/** `charts/k8s-manifests`, found from the sources (jest) or from `dist/` (compiled). */
export function chartDirectory(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "charts", "k8s-manifests");
    if (existsSync(join(candidate, "Chart.yaml"))) return candidate;
  }
  throw new Error(`k8s-manifests: charts/k8s-manifests/Chart.yaml not found above ${from}`);
}

/** The chart, copied once into the stack's output (`assets/...`) so Terraform Cloud gets it too. */
function chartAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(CHART_ASSET_ID);
  return existing instanceof TerraformAsset ? existing : new TerraformAsset(stack, CHART_ASSET_ID, { path: chartDirectory(), type: AssetType.DIRECTORY });
}

/**
 * Custom resources as a `helm_release` of the local chart `charts/k8s-manifests`. A helm_release
 * plans without talking to the cluster, so a plan of a cluster that does not exist yet succeeds;
 * `kubernetes_manifest` needs the CRD at plan time and is never used.
 */
export class K8sManifests<T extends KubernetesObject = KubernetesObject> extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: K8sManifestsProps<T>) {
    super(scope, id);
    if (props.manifests.length === 0) throw new Error(`K8sManifests ${id}: manifests must list at least one object`);
    const keys = props.manifests.map((m) => `${m.kind}/${m.metadata.namespace ?? props.namespace}/${m.metadata.name}`);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) throw new Error(`K8sManifests ${id}: ${dup} is listed twice`);

    this.release = new Release(this, "release", {
      name: props.releaseName,
      namespace: props.namespace,
      createNamespace: props.createNamespace ?? false,
      chart: chartAsset(this).path,
      // One encoding of typed data (JSON is YAML); tokens inside resolve to Terraform references.
      values: [JSON.stringify({ manifests: props.manifests })],
      // A rejected object (webhook validation) rolls the whole set back instead of leaving half of it.
      atomic: true,
      cleanupOnFail: true,
      // Custom resources have no readiness Helm understands; waiting only covers built-in kinds.
      wait: true,
      timeout: 300,
      dependsOn: [...props.dependsOn],
    });
  }
}
