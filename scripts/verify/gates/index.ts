import { accountServices } from "./account";
import { albTargets, blobStorage, clusterActive, natEgress, postgresReachable, redisReachable } from "./aws";
import { clusterAddons, langsmithPods } from "./kubernetes";
import { firstTrace, uiHttps } from "./langsmith";
import type { Gate } from "./types";

/**
 * The walkthrough's gates in its order: Terraform (2.3), cluster (3), release (5.4), ingress (3.4),
 * reachability (6.3), trace (7); then the account-level services production expects.
 */
export const GATES: readonly Gate[] = [
  clusterActive,
  natEgress,
  postgresReachable,
  redisReachable,
  blobStorage,
  clusterAddons,
  langsmithPods,
  albTargets,
  uiHttps,
  firstTrace,
  accountServices,
];

export type { Gate, GateContext, GateOutcome, VerifyOptions } from "./types";
