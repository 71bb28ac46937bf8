/**
 * Synth-time enforcement: the shipped stacks pass with no waivers, a deliberately weakened
 * stack fails with exactly one message per weakness, and waivers are printed on every synth.
 */
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { ENVIRONMENTS } from "../../../environments";
import { policyDocument, policyJson, serviceTrust } from "../../../lib/iam";
import { enforcePolicy, stateStackPolicy } from "../../../lib/policy/enforce";
import { evaluate, formatViolation } from "../../../lib/policy/engine";
import { fromSynth } from "../../../lib/policy/adapters";
import { RULES } from "../../../lib/policy/rules";
import { IrsaRole } from "../../../modules/irsa";
import { CustomerManagedKey, logsServiceUse } from "../../../modules/kms";
import { CHARTS, ENGINES, KUBERNETES_VERSION } from "../../../versions";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../../../lib/config/load";
import { shippedAppDir, shippedStack } from "../../synth-cache";
import { LangsmithStack } from "../../../stacks/langsmith-stack";
import { envWith, testEach } from "../../helpers";
import { bootstrapStackName, bootstrapTargets } from "../../../stacks/bootstrap-stack";

describe("shipped stacks", () => {
  // Global setup synthesized them with every validation on (a violation fails the whole run);
  // here the pack judges the written files again, so a stack that skipped enforcement is caught.
  const configs = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
  const stacks = readdirSync(join(shippedAppDir(), "stacks")).sort();

  test("every stack of the app was synthesized: one per environment, one per state bucket", () => {
    const targets = bootstrapTargets(configs);
    const expected = [...configs.map((c) => `langsmith-${c.name}`), ...targets.map((t) => bootstrapStackName(t, targets))];
    expect(stacks).toEqual(expected.sort());
  });

  testEach(stacks)("%s passes the whole pack with no waivers", (name) => {
    const env = configs.find((c) => `langsmith-${c.name}` === name) ?? stateStackPolicy(name);
    const result = evaluate(fromSynth(shippedStack(name)), env, RULES);
    expect(result.violations.map((v) => formatViolation(v, RULES))).toEqual([]);
    expect(result.waived).toEqual([]);
  });
});

/**
 * Production tier, every resource compliant except the five weaknesses the issue names:
 * public RDS, EKS API open to 0.0.0.0/0, unencrypted bucket, `*:*` policy, plaintext password in values.
 */
function weakenedStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "weakened");
  new AwsProvider(stack, "aws", { region: "us-west-2" });
  new HelmProvider(stack, "helm", {});
  const keep = { preventDestroy: true };
  const key = new KmsKey(stack, "key", { enableKeyRotation: true, lifecycle: keep });
  const nodes = new SecurityGroup(stack, "nodes", { name: "nodes", vpcId: "vpc-0123456789abcdef0" });
  const dbSg = new SecurityGroup(stack, "db-sg", { name: "db", vpcId: "vpc-0123456789abcdef0" });
  new VpcSecurityGroupIngressRule(stack, "db-from-nodes", { securityGroupId: dbSg.id, referencedSecurityGroupId: nodes.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
  const pg = new DbParameterGroup(stack, "pg", { name: "weak-pg", family: ENGINES.postgres.parameterGroupFamily, parameter: [{ name: "rds.force_ssl", value: "1" }, { name: "log_connections", value: "1" }, { name: "log_disconnections", value: "1" }] });
  new DbInstance(stack, "postgres", {
    identifier: "weak-postgres",
    engine: "postgres",
    engineVersion: ENGINES.postgres.version,
    instanceClass: "db.t4g.large",
    allocatedStorage: 50,
    storageEncrypted: true,
    kmsKeyId: key.arn,
    parameterGroupName: pg.name,
    vpcSecurityGroupIds: [dbSg.id],
    backupRetentionPeriod: 14,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "weak-postgres-final",
    enabledCloudwatchLogsExports: ["postgresql"],
    manageMasterUserPassword: true,
    username: "langsmith",
    publiclyAccessible: true, // weakness 1
    lifecycle: keep,
  });
  const role = new IamRole(stack, "cluster-role", { name: "weak-cluster", assumeRolePolicy: policyJson(serviceTrust("eks.amazonaws.com")) });
  new EksCluster(stack, "eks", {
    name: "weak",
    version: KUBERNETES_VERSION,
    roleArn: role.arn,
    vpcConfig: { subnetIds: ["subnet-0000000000000000c"], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] }, // weakness 2
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  });
  const bucket = new S3Bucket(stack, "blob", { bucket: "weak-blob", lifecycle: keep }); // weakness 3: no SSE configuration
  new S3BucketPublicAccessBlock(stack, "blob-pab", { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  new S3BucketVersioningA(stack, "blob-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  new S3BucketPolicy(stack, "blob-policy", {
    bucket: bucket.id,
    policy: policyJson(policyDocument({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket.arn, `${bucket.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } })),
  });
  new IamRolePolicy(stack, "admin", { role: role.id, name: "everything", policy: policyJson(policyDocument({ Effect: "Allow", Action: "*", Resource: "*" })) }); // weakness 4
  new Release(stack, "langsmith", {
    name: "langsmith",
    repository: CHARTS.langsmith.repository,
    chart: CHARTS.langsmith.chart,
    version: CHARTS.langsmith.version,
    values: [JSON.stringify({ config: { existingSecretName: "langsmith-config", initialOrgAdminPassword: "Passw0rd!" } })], // weakness 5
  });
  enforcePolicy(stack, { name: "weakened", tier: "production", policy: { waivers: [] } });
  return stack;
}

describe("a deliberately weakened production stack", () => {
  const lines = weakenedStack().node.validate();

  test("fails with exactly one message per weakness, each naming address, rule and fix", () => {
    expect(lines).toEqual([
      "aws_s3_bucket.blob (weakened/blob): LS-ENC-004 [critical] S3 bucket has no server-side encryption configuration with a KMS key; fix: add aws_s3_bucket_server_side_encryption_configuration for this bucket with sse_algorithm = \"aws:kms\", kms_master_key_id = <CMK arn>, bucket_key_enabled = true",
      "aws_iam_role_policy.admin (weakened/admin): LS-IAM-001 [critical] policy statement 1 allows \"*\" on \"*\"; fix: list the actions the holder needs, on the ARNs it needs (lib/iam.ts policyDocument)",
      "aws_db_instance.postgres (weakened/postgres): LS-NET-002 [critical] database is publicly accessible; fix: set publicly_accessible = false (the data subnets have no internet route anyway)",
      "aws_eks_cluster.eks (weakened/eks): LS-NET-005 [critical] EKS API endpoint is public and open to the world (public_access_cidrs 0.0.0.0/0); fix: set eks.endpointPublicAccess to false, or eks.publicAccessCidrs to your VPN/CI egress ranges",
      "helm_release.langsmith (weakened/langsmith): LS-SEC-001 [critical] Helm values: values[0].config.initialOrgAdminPassword: a secret-looking key holds a literal value; fix: put the value in Secrets Manager and reference it (config.existingSecretName, an ExternalSecret); never write it into values",
    ]);
  });

  test("cdktf synth fails listing them all", () => {
    const error = (() => {
      try {
        Testing.synth(weakenedStack(), true);
        return "";
      } catch (e) {
        return String(e);
      }
    })();
    for (const id of ["LS-ENC-004", "LS-IAM-001", "LS-NET-002", "LS-NET-005", "LS-SEC-001"]) expect(error).toContain(id);
    expect(error).not.toContain("Passw0rd!");
  });
});

describe("waivers", () => {
  test("are printed on every synth, one line each, with what they hid", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const env = envWith("dev", { policy: { waivers: [{ rule: "LS-LOG-004", reason: "development ALB logs go to the ingress proxy" }] } });
      const stack = new LangsmithStack(Testing.app(), { env });
      Testing.synth(stack, true);
      Testing.synth(stack, true);
      const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith("policy:"));
      expect(lines).toEqual([
        "policy: dev waives LS-LOG-004 [medium] (Application load balancers write access logs (production)): development ALB logs go to the ingress proxy (0 violations suppressed)",
        "policy: dev waives LS-LOG-004 [medium] (Application load balancers write access logs (production)): development ALB logs go to the ingress proxy (0 violations suppressed)",
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  test("a waived rule's violations disappear; a refused waiver fails the synth", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    new AwsProvider(stack, "aws", { region: "us-west-2" });
    new KmsKey(stack, "key", { description: "no rotation" });
    const lines: string[] = [];
    enforcePolicy(stack, { name: "dev", tier: "development", policy: { waivers: [{ rule: "LS-ENC-008", reason: "throwaway sandbox key" }] } }, { warn: (l) => lines.push(l) });
    expect(stack.node.validate()).toEqual([]);
    expect(lines).toEqual(["policy: dev waives LS-ENC-008 [high] (Symmetric KMS keys rotate automatically): throwaway sandbox key (1 violation suppressed)"]);

    const prod = new TerraformStack(Testing.app(), "p");
    new AwsProvider(prod, "aws", { region: "us-west-2" });
    enforcePolicy(prod, { name: "prod", tier: "production", policy: { waivers: [{ rule: "LS-NET-002", reason: "a long enough reason" }] } }, { warn: () => undefined });
    expect(prod.node.validate()).toEqual([
      "prod: policy.waivers.0.rule must not waive a critical rule in tier production (LS-NET-002: Databases are not publicly accessible), got LS-NET-002; fix the resource instead; critical rules cannot be waived in production",
    ]);
  });
});

describe("the project's own constructs satisfy the rules that judge them", () => {
  test("IrsaRole's trust passes LS-IAM-003; CustomerManagedKey passes LS-ENC-008 and LS-IAM-004", () => {
    const stack = new TerraformStack(Testing.app(), "constructs");
    new AwsProvider(stack, "aws", { region: "us-west-2" });
    const key = new CustomerManagedKey(stack, "key", { alias: "ls-dev-x", description: "x", accountId: "111111111111", region: "us-west-2", services: [logsServiceUse("us-west-2", "111111111111")], usedThrough: ["logs"] });
    new IrsaRole(stack, "app", {
      roleName: "ls-dev-langsmith-app",
      oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
      oidcIssuer: "oidc.eks.us-west-2.amazonaws.com/id/ABC",
      namespace: "langsmith",
      serviceAccounts: ["langsmith-backend", "langsmith-queue"],
      policies: { s3: policyDocument({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: key.keyArn }) },
    });
    enforcePolicy(stack, { name: "dev", tier: "development", policy: { waivers: [] } });
    expect(stack.node.validate()).toEqual([]);
  });
});
