import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IRSA_AUDIENCE, PolicyDocument, policyDocument, policyJson } from "../../lib/iam";

export interface IrsaRoleProps {
  /** IAM role name (use the Namer: `namer.name("irsa-<addon>", "iamRole")`). */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`, e.g. `oidc.eks.us-west-2.amazonaws.com/id/ABC`. */
  readonly oidcIssuer: string;
  readonly namespace: string;
  /**
   * The service accounts allowed to assume the role, each matched exactly
   * (`system:serviceaccount:<namespace>:<name>`; no wildcards).
   */
  readonly serviceAccounts: readonly string[];
  /** Inline policies by name, built with `policyDocument(...)`. */
  readonly policies?: Readonly<Record<string, PolicyDocument>>;
  /**
   * AWS-managed policy ARNs to attach (only where AWS maintains the policy, e.g. the EBS CSI driver).
   * @default []
   */
  readonly managedPolicyArns?: readonly string[];
}

/**
 * An IAM role for Kubernetes service accounts (IRSA): trusted only by the named
 * `namespace:serviceaccount` subjects of one cluster, with audience `sts.amazonaws.com`.
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly roleName: string;
  /** The exact trust subjects, for tests and the policy pack. */
  readonly subjects: readonly string[];
  /**
   * The role's policy resources: `dependsOn` these (not just the role) when a workload must
   * have its permissions from its first start, e.g. an EKS add-on created with the role.
   */
  readonly policyResources: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    if (props.serviceAccounts.length === 0) throw new Error(`IrsaRole ${id}: serviceAccounts must name at least one service account`);
    const bad = props.serviceAccounts.filter((sa) => /[*?]/.test(sa));
    if (bad.length > 0) throw new Error(`IrsaRole ${id}: service account names must be exact, got ${bad.join(", ")}`);
    this.subjects = props.serviceAccounts.map((sa) => `system:serviceaccount:${props.namespace}:${sa}`);
    const trust = policyDocument({
      Effect: "Allow",
      Principal: { Federated: props.oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${props.oidcIssuer}:sub`]: this.subjects.length === 1 ? this.subjects[0] : this.subjects,
          [`${props.oidcIssuer}:aud`]: IRSA_AUDIENCE,
        },
      },
    });
    this.role = new IamRole(this, "role", { name: props.roleName, assumeRolePolicy: policyJson(trust) });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    for (const [name, doc] of Object.entries(props.policies ?? {})) {
      this.policyResources.push(new IamRolePolicy(this, `policy-${name}`, { role: this.role.id, name, policy: policyJson(doc) }));
    }
    (props.managedPolicyArns ?? []).forEach((arn, i) =>
      this.policyResources.push(new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn: arn })),
    );
  }
}
