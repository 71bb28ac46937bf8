/** The EKS control plane: its log group, role, the cluster, IRSA's OIDC provider and the admins' access entries. */
import { Construct } from "constructs";
import { Fn, ITerraformDependable, TerraformLocal, Token } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IRSA_AUDIENCE, policyDocument, policyJson, serviceTrust } from "../../lib/iam";
import type { EksClusterProps } from ".";
import { AWS_MANAGED_POLICIES, CONTROL_PLANE_LOG_TYPES } from "./policies";

/** The cluster's own props (documented on `EksClusterProps`), with the Kubernetes version decided. */
export type ControlPlaneProps = Pick<
  EksClusterProps,
  "namer" | "clusterName" | "subnetIds" | "endpointPublicAccess" | "publicAccessCidrs" | "adminPrincipalArns" | "controlPlaneLogRetentionDays" | "logsKmsKeyArn" | "secretsKmsKeyArn"
> & { readonly kubernetesVersion: string };

export interface ControlPlane {
  readonly cluster: EksClusterResource;
  readonly logGroupName: string;
  readonly oidcProviderArn: string;
  /** OIDC issuer host and path, without `https://`. */
  readonly oidcIssuer: string;
  /** The admins' access entries and policy associations (the providers act as the first admin). */
  readonly adminAccess: ITerraformDependable[];
}

/** Created in `scope` (ids `control-plane-logs`, `cluster-role`, `cluster`, `oidc-provider`, `admin-…`). */
export function controlPlane(scope: Construct, props: ControlPlaneProps): ControlPlane {
  const n = props.namer;
  // Created before the cluster: otherwise EKS creates it on first write, unencrypted and kept forever.
  const logGroup = new CloudwatchLogGroup(scope, "control-plane-logs", {
    name: `/aws/eks/${props.clusterName}/cluster`,
    retentionInDays: props.controlPlaneLogRetentionDays,
    kmsKeyId: props.logsKmsKeyArn,
  });

  const clusterRole = new IamRole(scope, "cluster-role", {
    name: n.name("eks-cluster", "iamRole"),
    assumeRolePolicy: policyJson(serviceTrust("eks.amazonaws.com")),
  });
  const clusterPolicy = new IamRolePolicyAttachment(scope, "cluster-policy", { role: clusterRole.name, policyArn: AWS_MANAGED_POLICIES.cluster });
  const clusterKms = new IamRolePolicy(scope, "cluster-secrets-kms", {
    role: clusterRole.id,
    name: "secrets-envelope-encryption",
    policy: policyJson(
      policyDocument({
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
        Resource: props.secretsKmsKeyArn,
      }),
    ),
  });

  const cluster = new EksClusterResource(scope, "cluster", {
    name: props.clusterName,
    version: props.kubernetesVersion,
    roleArn: clusterRole.arn,
    accessConfig: {
      authenticationMode: "API",
      // No admin entry Terraform does not manage for whoever created the cluster (possibly a
      // person): the applying principal is in adminPrincipalArns, with an explicit entry below.
      bootstrapClusterCreatorAdminPermissions: false,
    },
    // vpc-cni, kube-proxy and coredns come from the managed add-ons below instead of
    // unmanaged copies EKS would install (and the add-ons would then have to overwrite).
    bootstrapSelfManagedAddons: false,
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKmsKeyArn } },
    enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
    vpcConfig: {
      subnetIds: [...props.subnetIds],
      endpointPrivateAccess: true,
      endpointPublicAccess: props.endpointPublicAccess,
      ...(props.endpointPublicAccess ? { publicAccessCidrs: [...props.publicAccessCidrs] } : {}),
    },
    // The log group must exist first (see above); the role needs its policies before EKS assumes it.
    dependsOn: [logGroup, clusterPolicy, clusterKms],
    // The setting forces a new cluster: clusters created with `true` keep it (README, upgrade
    // notes: import the apply role's entry, delete the creator's); new clusters get `false`.
    lifecycle: { ignoreChanges: ["access_config[0].bootstrap_cluster_creator_admin_permissions"] },
  });

  // IRSA. No thumbprint_list: optional since AWS provider 5.x, and IAM trusts the EKS issuer's
  // CA itself; fetching it (tls_certificate) would call the network at plan time.
  const oidc = new IamOpenidConnectProvider(scope, "oidc-provider", {
    url: cluster.identity.get(0).oidc.get(0).issuer,
    clientIdList: [IRSA_AUDIENCE],
  });
  // A local, so policies that embed the issuer reference `local.<name>` and stay parseable JSON
  // at synth (a function call inline would put its quoted arguments inside the JSON text).
  const oidcIssuer = Token.asString(new TerraformLocal(scope, "oidc-issuer", Fn.replace(oidc.url, "https://", "")).expression);

  const adminAccess: ITerraformDependable[] = [];
  for (const arn of props.adminPrincipalArns) {
    // Keyed by the principal (not its position) so removing one admin leaves the others in place.
    const key = `admin-${arn.replace(/^arn:aws[a-z-]*:iam::/, "").replace(/[^A-Za-z0-9]+/g, "-")}`;
    const entry = new EksAccessEntry(scope, key, { clusterName: cluster.name, principalArn: arn, type: "STANDARD" });
    adminAccess.push(entry);
    const association = new EksAccessPolicyAssociation(scope, `${key}-policy`, {
      clusterName: cluster.name,
      principalArn: entry.principalArn,
      policyArn: AWS_MANAGED_POLICIES.clusterAdminAccess,
      accessScope: { type: "cluster" },
    });
    adminAccess.push(association);
  }
  return { cluster, logGroupName: logGroup.name, oidcProviderArn: oidc.arn, oidcIssuer, adminAccess };
}
