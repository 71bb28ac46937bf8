import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { ADDON_DEFAULTS, AddonDefaults, AddonName } from "../../lib/addons";
import { deepMerge } from "../../lib/merge";
import { PolicyDocument } from "../../lib/iam";
import { IRSA_ANNOTATION } from "../../lib/langsmith-values/chart";
import { Namer } from "../../lib/naming";
import { IrsaRole } from "../irsa";
import { clusterAutoscalerPolicy, loadBalancerControllerPolicy } from "./policies";

export { ADDON_DEFAULTS, EXTERNAL_SECRETS_SERVICE_ACCOUNT } from "../../lib/addons";
export type { AddonDefaults, AddonName } from "../../lib/addons";

/** The release settings every add-on shares. */
const RELEASE_SETTINGS = {
  // A failed install or upgrade rolls back by itself: no half-upgraded controller stays behind.
  atomic: true,
  cleanupOnFail: true,
  // Wait until Deployments are ready: custom resources applied next need a serving webhook.
  wait: true,
  // 10 minutes covers image pulls on fresh nodes and webhook certificates; longer only hides a crash loop.
  timeout: 600,
  maxHistory: 10,
} as const;

/** The cluster as the add-ons see it (EksCluster provides all of it). */
export interface AddonCluster {
  readonly clusterName: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuer: string;
  readonly nodeGroups: Readonly<Record<string, { readonly arn: string }>>;
  /** Nodes, DNS and the EBS CSI driver: every release waits for them. */
  readonly readyDependencies: readonly ITerraformDependable[];
}

export interface ClusterAddonsProps {
  readonly namer: Namer;
  readonly cluster: AddonCluster;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  /** CMK of the default gp3 StorageClass. */
  readonly ebsKmsKeyArn: string;
  /**
   * IAM role of the External Secrets controller (trusting `EXTERNAL_SECRETS_SERVICE_ACCOUNT`),
   * created where the secrets it may read are known. Without it ESO runs with no AWS identity.
   * @default none
   */
  readonly externalSecretsRoleArn?: string;
  /**
   * Values merged last into each add-on's values (keys must exist in the chart).
   * @default {}
   */
  readonly valuesOverrides?: Partial<Record<AddonName, Record<string, unknown>>>;
  /**
   * Reclaim policy of the default gp3 StorageClass.
   * @default "Delete"
   */
  readonly storageReclaimPolicy?: "Delete" | "Retain";
  /**
   * Annotate the EKS-created `gp2` StorageClass as not default. `kubernetes_annotations` needs
   * the object to exist: turn this off for a cluster that has no `gp2` class.
   * @default true
   */
  readonly demoteGp2?: boolean;
}

const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/**
 * The cluster add-ons the reference architecture requires (section 5; walkthrough 3.2), as
 * Helm releases with one IRSA role each, plus the default encrypted gp3 StorageClass.
 */
export class ClusterAddons extends Construct {
  readonly releases: Readonly<Record<AddonName, Release>>;
  /** IRSA roles by add-on (metrics-server and External Secrets have none here). */
  readonly roles: Readonly<Partial<Record<AddonName, IrsaRole>>>;
  /** Installs the TargetGroupBinding CRD and webhook. */
  readonly loadBalancerController: Release;
  /** Installs the External Secrets CRDs and webhook. */
  readonly externalSecrets: Release;
  readonly storageClass: StorageClassV1;
  readonly storageClassName: string;

  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    const { cluster, namer: n } = props;
    const scopeArgs = { region: props.region, accountId: props.accountId };

    const role = (name: AddonName, policy: PolicyDocument): IrsaRole => {
      const d: AddonDefaults = ADDON_DEFAULTS[name];
      return new IrsaRole(this, `${d.releaseName}-irsa`, {
        roleName: n.name(`irsa-${d.releaseName}`, "iamRole"),
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        namespace: d.namespace,
        serviceAccounts: [d.serviceAccount as string],
        policies: { [d.releaseName]: policy },
      });
    };
    const roles: Partial<Record<AddonName, IrsaRole>> = {
      awsLoadBalancerController: role(
        "awsLoadBalancerController",
        // The environment's target groups (`{prefix}-{env}-*`), the only ones a binding may fill.
        loadBalancerControllerPolicy([`arn:aws:elasticloadbalancing:${props.region}:${props.accountId}:targetgroup/${n.base}-*/*`]),
      ),
      clusterAutoscaler: role(
        "clusterAutoscaler",
        clusterAutoscalerPolicy(scopeArgs, cluster.clusterName, Object.values(cluster.nodeGroups).map((g) => g.arn)),
      ),
    };
    this.roles = roles;
    const annotation = (arn: string | undefined) => (arn ? { annotations: { [IRSA_ANNOTATION]: arn } } : {});

    // Values derived from the infrastructure, per add-on.
    const derived: Record<AddonName, Record<string, unknown>> = {
      awsLoadBalancerController: {
        clusterName: cluster.clusterName,
        // Set explicitly: with IMDSv2 the controller would otherwise look them up from the node.
        region: props.region,
        vpcId: props.vpcId,
        serviceAccount: { create: true, name: ADDON_DEFAULTS.awsLoadBalancerController.serviceAccount, ...annotation(roles.awsLoadBalancerController?.roleArn) },
      },
      clusterAutoscaler: {
        autoDiscovery: { clusterName: cluster.clusterName },
        awsRegion: props.region,
        rbac: { serviceAccount: { create: true, name: ADDON_DEFAULTS.clusterAutoscaler.serviceAccount, ...annotation(roles.clusterAutoscaler?.roleArn) } },
      },
      metricsServer: {},
      externalSecrets: {
        serviceAccount: { create: true, name: ADDON_DEFAULTS.externalSecrets.serviceAccount, ...annotation(props.externalSecretsRoleArn) },
      },
    };

    const release = (name: AddonName): Release => {
      const d: AddonDefaults = ADDON_DEFAULTS[name];
      return new Release(this, d.releaseName, {
        name: d.releaseName,
        namespace: d.namespace,
        createNamespace: d.namespace !== "kube-system",
        repository: d.chart.repository,
        chart: d.chart.chart,
        version: d.chart.version,
        values: [JSON.stringify(deepMerge(d.values, derived[name], props.valuesOverrides?.[name]))],
        ...RELEASE_SETTINGS,
        // Pods need nodes and DNS; IRSA roles need their policies before the first AWS call.
        dependsOn: [...cluster.readyDependencies, ...(roles[name]?.policyResources ?? [])],
      });
    };
    const names = Object.keys(ADDON_DEFAULTS) as AddonName[];
    this.releases = Object.fromEntries(names.map((name) => [name, release(name)])) as Record<AddonName, Release>;
    this.loadBalancerController = this.releases.awsLoadBalancerController;
    this.externalSecrets = this.releases.externalSecrets;

    // Default StorageClass: encrypted gp3 with the EBS CMK. WaitForFirstConsumer creates the
    // volume in the zone the pod is scheduled to (EBS volumes are zonal).
    this.storageClass = new StorageClassV1(this, "gp3", {
      metadata: { name: "gp3", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
      storageProvisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: props.ebsKmsKeyArn, fsType: "ext4" },
      reclaimPolicy: props.storageReclaimPolicy ?? "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      // The provisioner is the EBS CSI add-on.
      dependsOn: [...cluster.readyDependencies],
    });
    this.storageClassName = this.storageClass.metadata.name;
    // Exactly one default: EKS clusters may carry gp2 (in-tree, unencrypted) marked default.
    // `force` takes the annotation over from whichever field manager set it.
    if (props.demoteGp2 ?? true) new Annotations(this, "gp2-not-default", {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "gp2" },
      annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" },
      force: true,
      dependsOn: [...cluster.readyDependencies],
    });
  }
}
