/**
 * Typed IAM policy documents. Policies are built as data (so the policy pack can inspect
 * them at synth) and encoded once with `policyJson`; CDKTF tokens inside resolve to
 * Terraform references.
 */

/** The service-account annotation the EKS pod identity webhook reads for IRSA: the role a pod assumes. */
export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

/**
 * The audience of IRSA web identity tokens: the cluster's OIDC provider lists it as its client id
 * (modules/eks) and every IRSA trust policy requires it as `<issuer>:aud` (modules/irsa). The two
 * must agree, or no pod can assume its role.
 */
export const IRSA_AUDIENCE = "sts.amazonaws.com";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** JSON text of a policy document, with keys in a stable order. */
export function policyJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/** Trust policy for an AWS service principal, e.g. `vpc-flow-logs.amazonaws.com`. */
export function serviceTrust(service: string, accountId?: string): PolicyDocument {
  return policyDocument({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(accountId ? { Condition: { StringEquals: { "aws:SourceAccount": accountId } } } : {}),
  });
}

/** Bucket-policy statement: every request to the bucket or its objects without TLS is denied. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

export function accountRootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}
