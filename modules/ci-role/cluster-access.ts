import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";

/** EKS access policy that reads every resource, Secrets included (no writes). */
export const ADMIN_VIEW_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";

export interface PlanRoleClusterAccessProps {
  readonly clusterName: string;
  /** The CI plan role (`ciArns(env).planRole`); it must exist (bootstrap stack) before this apply. */
  readonly principalArn: string;
}

/**
 * Read-only Kubernetes access for the CI plan role, so `terraform plan` can refresh the helm and
 * kubernetes resources. Helm keeps its release records as Secrets and the stack manages
 * cluster-scoped objects (StorageClasses), so the view must include Secrets and span the cluster:
 * AmazonEKSAdminViewPolicy. Never write access; the apply role is the cluster creator (or listed
 * in eks.adminPrincipalArns).
 */
export class PlanRoleClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: PlanRoleClusterAccessProps) {
    super(scope, id);
    const entry = new EksAccessEntry(this, "entry", { clusterName: props.clusterName, principalArn: props.principalArn, type: "STANDARD" });
    new EksAccessPolicyAssociation(this, "admin-view", {
      clusterName: props.clusterName,
      principalArn: entry.principalArn,
      policyArn: ADMIN_VIEW_POLICY_ARN,
      accessScope: { type: "cluster" },
    });
  }
}
