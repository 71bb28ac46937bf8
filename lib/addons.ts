/**
 * The cluster add-ons: pinned chart, release, namespace, service account and default values of
 * each, in one visible object (cdk-eks-blueprints style).
 */
import { CHARTS, ChartPin } from "../versions";

/**
 * No ExternalDNS: Terraform owns the one record LangSmith needs (the ALB alias, modules/ingress),
 * the chart's Ingress is off and the frontend Service is ClusterIP, so ExternalDNS would publish
 * nothing while holding write access to the hosted zone.
 */
export type AddonName = "awsLoadBalancerController" | "clusterAutoscaler" | "metricsServer" | "externalSecrets";

/** One Helm-installed add-on: what it installs, where, as whom, with which defaults. */
export interface AddonDefaults {
  readonly chart: ChartPin;
  readonly releaseName: string;
  readonly namespace: string;
  /** The service account the chart runs as; an IRSA role trusts exactly it. Absent: needs no AWS access. */
  readonly serviceAccount?: string;
  /** Values from the chart's values.yaml we change; infrastructure-derived values and overrides merge over them. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * `app.kubernetes.io/name` label values of the chart's main Deployment (any one matches):
   * `npm run verify` finds the running add-on by them.
   */
  readonly deploymentLabels: readonly string[];
}

/**
 * Every add-on's pinned chart and default values in one place (cdk-eks-blueprints style).
 * Values keys: notes/versions.md §3. Plain data (no CDKTF): modules/cluster-addons installs
 * these, `verify` checks that each one runs.
 */
export const ADDON_DEFAULTS = {
  awsLoadBalancerController: {
    chart: CHARTS.awsLoadBalancerController,
    deploymentLabels: ["aws-load-balancer-controller"],
    releaseName: "aws-load-balancer-controller",
    namespace: "kube-system",
    serviceAccount: "aws-load-balancer-controller",
    values: {
      replicaCount: 2,
      // No Service of type LoadBalancer is used (the ALB is Terraform's); the
      // Service mutating webhook would only add a failure point to every Service create.
      enableServiceMutatorWebhook: false,
      // Terraform associates the WAF with the ALB (modules/ingress); the controller has no
      // WAF/Shield permission, and these features would make it call those APIs.
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
    },
  },
  clusterAutoscaler: {
    chart: CHARTS.clusterAutoscaler,
    // The chart labels itself `<cloudProvider>-cluster-autoscaler` (fullnameOverride renames objects only).
    deploymentLabels: ["aws-cluster-autoscaler", "cluster-autoscaler"],
    releaseName: "cluster-autoscaler",
    namespace: "kube-system",
    serviceAccount: "cluster-autoscaler",
    values: {
      cloudProvider: "aws",
      fullnameOverride: "cluster-autoscaler",
      extraArgs: {
        // Pick the group that leaves the least idle CPU/memory after scale-up.
        expander: "least-waste",
        // Keep zones even when the general pool grows.
        "balance-similar-node-groups": true,
      },
    },
  },
  metricsServer: {
    chart: CHARTS.metricsServer,
    deploymentLabels: ["metrics-server"],
    releaseName: "metrics-server",
    namespace: "kube-system",
    // Reads kubelets only: no IAM role.
    values: {},
  },
  externalSecrets: {
    chart: CHARTS.externalSecrets,
    deploymentLabels: ["external-secrets"],
    releaseName: "external-secrets",
    namespace: "external-secrets",
    serviceAccount: "external-secrets",
    values: { installCRDs: true },
  },
} as const satisfies Record<AddonName, AddonDefaults>;

/** Where External Secrets Operator runs: its controller role (created with the data stores) trusts this. */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = {
  namespace: ADDON_DEFAULTS.externalSecrets.namespace,
  name: ADDON_DEFAULTS.externalSecrets.serviceAccount,
} as const;
