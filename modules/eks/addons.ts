/**
 * The EKS managed add-ons (vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver) and the IRSA roles
 * of those that call AWS, in the order they can become healthy: networking before the nodes,
 * Deployments after them.
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksAddon, EksAddonConfig } from "@cdktf/provider-aws/lib/eks-addon";
import { policyDocument } from "../../lib/iam";
import { Namer } from "../../lib/naming";
import { IrsaRole, IrsaRoleProps } from "../irsa";
import { AWS_MANAGED_POLICIES } from "./policies";

/** Service accounts of the managed add-ons that get IRSA roles (fixed by the add-ons). */
export const ADDON_SERVICE_ACCOUNTS = {
  vpcCni: { namespace: "kube-system", name: "aws-node" },
  ebsCsi: { namespace: "kube-system", name: "ebs-csi-controller-sa" },
} as const;

export interface EksAddonVersions {
  readonly vpcCni: string;
  readonly coredns: string;
  readonly kubeProxy: string;
  readonly ebsCsiDriver: string;
}

export interface ManagedAddonsProps {
  readonly namer: Namer;
  readonly clusterName: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuer: string;
  readonly versions: EksAddonVersions;
  /** CMK the EBS CSI driver encrypts volumes with (its role gets use of it). */
  readonly ebsKmsKeyArn: string;
}

/** Creates the add-ons in `scope`, in two steps around the node groups. */
export function managedAddons(scope: Construct, p: ManagedAddonsProps) {
  const n = p.namer;
  const versions = p.versions;
  const irsa = (key: string, sa: { namespace: string; name: string }, extra: Pick<IrsaRoleProps, "policies" | "managedPolicyArns">) =>
    new IrsaRole(scope, `${key}-irsa`, {
      roleName: n.name(`irsa-${key}`, "iamRole"),
      oidcProviderArn: p.oidcProviderArn,
      oidcIssuer: p.oidcIssuer,
      namespace: sa.namespace,
      serviceAccounts: [sa.name],
      ...extra,
    });
  const addon = (key: string, name: string, version: string, extra: Partial<EksAddonConfig> = {}) =>
    new EksAddon(scope, key, {
      clusterName: p.clusterName,
      addonName: name,
      addonVersion: version,
      // Terraform owns the add-on configuration: manual edits are reverted on the next apply.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...extra,
    });

  /** vpc-cni (own IRSA role) and kube-proxy: a node is Ready only once the CNI runs on it. */
  const beforeNodes = () => {
    // Networking add-ons before the nodes: a node is Ready only once the CNI runs on it.
    const cniRole = irsa("vpc-cni", ADDON_SERVICE_ACCOUNTS.vpcCni, { managedPolicyArns: [AWS_MANAGED_POLICIES.cni] });
    const vpcCni = addon("vpc-cni", "vpc-cni", versions.vpcCni, {
      serviceAccountRoleArn: cniRole.roleArn,
      // The network policy agent enforces Kubernetes NetworkPolicies (default deny in langsmith).
      configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
      dependsOn: cniRole.policyResources,
    });
    const kubeProxy = addon("kube-proxy", "kube-proxy", versions.kubeProxy);
    return { vpcCni, kubeProxy };
  };

  /** coredns and the EBS CSI driver (own IRSA role): Deployments that need nodes. */
  const afterNodes = (groups: readonly ITerraformDependable[]) => {
    // After the nodes: Deployments (CoreDNS, the CSI controller) stay DEGRADED without nodes,
    // and Terraform would wait for them until it times out.
    const coredns = addon("coredns", "coredns", versions.coredns, { dependsOn: [...groups] });
    const ebsRole = irsa("ebs-csi", ADDON_SERVICE_ACCOUNTS.ebsCsi, {
      managedPolicyArns: [AWS_MANAGED_POLICIES.ebsCsi],
      policies: {
        // AWS EBS CSI docs ("KMS key for encryption"): grants let EC2 attach the encrypted volume.
        "ebs-cmk": policyDocument(
          {
            Sid: "GrantsForAttachedVolumes",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: p.ebsKmsKeyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
          },
          {
            Sid: "EncryptVolumes",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: p.ebsKmsKeyArn,
          },
        ),
      },
    });
    const ebsCsi = addon("aws-ebs-csi-driver", "aws-ebs-csi-driver", versions.ebsCsiDriver, {
      serviceAccountRoleArn: ebsRole.roleArn,
      dependsOn: [...groups, ...ebsRole.policyResources],
    });
    return { coredns, ebsCsi, ebsCsiRoleArn: ebsRole.roleArn };
  };
  return { beforeNodes, afterNodes };
}
