/**
 * The AWS SDK clients and the Kubernetes client, loaded on first use. Together they take ~0.7 s
 * to load, which `npm run verify -- --help`, a usage or configuration error, and the tests that
 * never reach AWS or a cluster would otherwise pay on every run. Types are imported as types
 * (erased); each getter returns the package, cached by Node's require after the first call.
 */
type Sdk = {
  readonly cloudtrail: typeof import("@aws-sdk/client-cloudtrail");
  readonly config: typeof import("@aws-sdk/client-config-service");
  readonly ec2: typeof import("@aws-sdk/client-ec2");
  readonly eks: typeof import("@aws-sdk/client-eks");
  readonly elasticache: typeof import("@aws-sdk/client-elasticache");
  readonly elbv2: typeof import("@aws-sdk/client-elastic-load-balancing-v2");
  readonly guardduty: typeof import("@aws-sdk/client-guardduty");
  readonly rds: typeof import("@aws-sdk/client-rds");
  readonly secrets: typeof import("@aws-sdk/client-secrets-manager");
  readonly kube: typeof import("@kubernetes/client-node");
};

/** Each package, by the name the gates use. */
const PACKAGES: Readonly<Record<keyof Sdk, string>> = {
  cloudtrail: "@aws-sdk/client-cloudtrail",
  config: "@aws-sdk/client-config-service",
  ec2: "@aws-sdk/client-ec2",
  eks: "@aws-sdk/client-eks",
  elasticache: "@aws-sdk/client-elasticache",
  elbv2: "@aws-sdk/client-elastic-load-balancing-v2",
  guardduty: "@aws-sdk/client-guardduty",
  rds: "@aws-sdk/client-rds",
  secrets: "@aws-sdk/client-secrets-manager",
  kube: "@kubernetes/client-node",
};

export const sdk = {} as Sdk;
for (const [name, pkg] of Object.entries(PACKAGES)) Object.defineProperty(sdk, name, { enumerable: true, get: () => require(pkg) });
