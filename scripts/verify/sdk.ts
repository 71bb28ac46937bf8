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

export const sdk: Sdk = {
  get cloudtrail() {
    return require("@aws-sdk/client-cloudtrail");
  },
  get config() {
    return require("@aws-sdk/client-config-service");
  },
  get ec2() {
    return require("@aws-sdk/client-ec2");
  },
  get eks() {
    return require("@aws-sdk/client-eks");
  },
  get elasticache() {
    return require("@aws-sdk/client-elasticache");
  },
  get elbv2() {
    return require("@aws-sdk/client-elastic-load-balancing-v2");
  },
  get guardduty() {
    return require("@aws-sdk/client-guardduty");
  },
  get rds() {
    return require("@aws-sdk/client-rds");
  },
  get secrets() {
    return require("@aws-sdk/client-secrets-manager");
  },
  get kube() {
    return require("@kubernetes/client-node");
  },
};
