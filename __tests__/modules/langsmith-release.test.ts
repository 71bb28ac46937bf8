import { Testing } from "cdktf";
import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { LangsmithRelease, LangsmithReleaseProps, requiredSecretValues, secretValuePreconditions } from "../../modules/langsmith-release";
import { EnvironmentConfig } from "../../lib/config/schema";
import { buildLangsmithValues } from "../../lib/langsmith-values";
import { CHARTS, LANGSMITH_CHART_DIGEST } from "../../versions";
import { Json, resource } from "../helpers";
import { INPUTS, loadWith, shipped } from "../lib/langsmith-values/envs";

function prerequisites(scope: Construct): LangsmithReleaseProps["prerequisites"] {
  const chart = (id: string) => new Release(scope, id, { name: id, chart: id });
  return {
    loadBalancerController: chart("aws-load-balancer-controller"),
    externalSecrets: chart("external-secrets"),
    appSecrets: chart("langsmith-secrets"),
    ebsCsiDriver: new EksAddon(scope, "ebs-csi", { clusterName: "c", addonName: "aws-ebs-csi-driver" }),
    storageClass: new StorageClassV1(scope, "gp3", { metadata: { name: "gp3" }, storageProvisioner: "ebs.csi.aws.com" }),
    metricsServer: chart("metrics-server"),
    dataStores: [
      new DbInstance(scope, "postgres", { instanceClass: "db.t4g.large" }),
      new ElasticacheReplicationGroup(scope, "redis", { replicationGroupId: "r", description: "r" }),
    ],
  };
}

function synth(env: EnvironmentConfig, change: Partial<LangsmithReleaseProps> = {}): Json {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new LangsmithRelease(scope, "langsmith", {
        provider: new HelmProvider(scope, "helm", {}),
        namespace: "langsmith",
        values: buildLangsmithValues(env, INPUTS),
        prerequisites: prerequisites(scope),
        ...change,
      });
    }),
  );
}

const prod = synth(shipped("prod"));
const release = resource(prod, "helm_release", "langsmith_release");

describe("LangSmith helm_release", () => {
  test("installs the pinned chart as release langsmith in namespace langsmith", () => {
    expect(release).toMatchObject({
      name: "langsmith",
      namespace: "langsmith",
      create_namespace: false,
      repository: CHARTS.langsmith.repository,
      chart: CHARTS.langsmith.chart,
      version: CHARTS.langsmith.version,
      provider: "helm",
    });
    expect(release.description).toContain(LANGSMITH_CHART_DIGEST);
  });

  test("is idempotent and awaits its hooks but not its Deployments (day 1: migrations are post-install hooks), with bounded history", () => {
    expect(release).toMatchObject({ upgrade_install: true, atomic: false, wait: false, wait_for_jobs: false, cleanup_on_fail: true, timeout: 1200, max_history: 10 });
  });

  test("refuses to install while a secret the ExternalSecrets read is empty, naming it and the command that fills it", () => {
    let out: Json = {};
    out = JSON.parse(
      Testing.synthScope((scope) => {
        const checks = secretValuePreconditions(
          scope,
          requiredSecretValues("prod", {
            catalog: [
              { id: "license-key", source: "operator" },
              { id: "api-key-salt", source: "generated" },
            ],
            secretArns: { "license-key": "arn:aws:secretsmanager:us-east-1:1:secret:l", "api-key-salt": "arn:aws:secretsmanager:us-east-1:1:secret:s" },
            secretNames: { "license-key": "ls-prod/langsmith/license-key", "api-key-salt": "ls-prod/langsmith/api-key-salt" },
          }),
        );
        new LangsmithRelease(scope, "langsmith", { provider: new HelmProvider(scope, "helm", {}), namespace: "langsmith", values: buildLangsmithValues(shipped("prod"), INPUTS), prerequisites: prerequisites(scope), secretPreconditions: checks });
      }),
    );
    expect(Object.keys(out.data.aws_secretsmanager_secret_versions).sort()).toEqual(["secret-value-api-key-salt", "secret-value-license-key"]);
    const pre = resource(out, "helm_release", "langsmith_release").lifecycle.precondition;
    expect(pre).toEqual([
      {
        condition: '${contains(flatten(data.aws_secretsmanager_secret_versions.secret-value-license-key.versions[*].version_stages), "AWSCURRENT")}',
        error_message: expect.stringContaining("Secrets Manager secret ls-prod/langsmith/license-key has no value yet"),
      },
      { condition: expect.stringContaining("secret-value-api-key-salt.versions"), error_message: expect.stringContaining("Fill it: npm run secrets:seed -- prod --apply") },
    ]);
    expect(pre[0].error_message).toContain("aws secretsmanager put-secret-value --secret-id ls-prod/langsmith/license-key");
    expect(JSON.stringify(out.data)).not.toMatch(/secret_string|aws_secretsmanager_secret_version"/); // metadata only, never a value
  });

  test("depends on the load balancer controller, ESO and the app secrets, EBS CSI, the StorageClass, metrics-server and the data stores", () => {
    expect(release.depends_on).toEqual([
      expect.stringMatching(/^helm_release\.aws-load-balancer-controller$/),
      expect.stringMatching(/^helm_release\.external-secrets$/),
      expect.stringMatching(/^helm_release\.langsmith-secrets$/),
      expect.stringMatching(/^aws_eks_addon\.ebs-csi$/),
      expect.stringMatching(/^kubernetes_storage_class_v1\.gp3$/),
      expect.stringMatching(/^helm_release\.metrics-server$/),
      expect.stringMatching(/^aws_db_instance\.postgres$/),
      expect.stringMatching(/^aws_elasticache_replication_group\.redis$/),
    ]);
  });

  test("carries the values once, as JSON, equal to the builder's output", () => {
    expect(release.values).toHaveLength(1);
    const values = JSON.parse(release.values[0]);
    expect(values.config).toMatchObject({ existingSecretName: "langsmith-config", hostname: "https://langsmith.example.com", authType: "mixed" });
    expect(values.backend.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(INPUTS.appRoleArn);
    expect(release.set).toBeUndefined();
    expect(release.set_sensitive).toBeUndefined();
  });

  test("infrastructure tokens become Terraform references inside the encoded values", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const role = new Release(scope, "stand-in", { name: "x", chart: "x" });
        new LangsmithRelease(scope, "langsmith", {
          provider: new HelmProvider(scope, "helm", {}),
          namespace: "langsmith",
          values: buildLangsmithValues(shipped("dev"), { appRoleArn: role.id, blobStorage: { bucketName: role.name, kmsKeyArn: role.chart } }),
          prerequisites: prerequisites(scope),
        });
      }),
    );
    const encoded = resource(json, "helm_release", "langsmith_release").values[0] as string;
    expect(encoded).toContain('"eks.amazonaws.com/role-arn":"${helm_release.stand-in.id}"');
    expect(encoded).toContain('"bucketName":"${helm_release.stand-in.name}"');
  });

  test("no secret-looking value is synthesized", () => {
    const text = JSON.stringify(prod);
    for (const key of ["apiKeySalt", "langsmithLicenseKey", "initialOrgAdminPassword", "jwtSecret", "oauthClientSecret", "encryptionKey", "password"]) expect(text).not.toContain(key);
  });
});

describe("guards", () => {
  test("another namespace is refused (IRSA trust and secrets are in langsmith)", () => {
    expect(() => synth(shipped("dev"), { namespace: "default" })).toThrow('LangsmithRelease langsmith: namespace must be "langsmith" (the IRSA trust and ESO secrets live there), got "default"');
  });

  test("a release without its data stores is refused", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new LangsmithRelease(scope, "langsmith", {
          provider: new HelmProvider(scope, "helm", {}),
          namespace: "langsmith",
          values: buildLangsmithValues(shipped("dev"), INPUTS),
          prerequisites: { ...prerequisites(scope), dataStores: [] },
        });
      }),
    ).toThrow("LangsmithRelease langsmith: prerequisites.dataStores must list the RDS and ElastiCache resources");
  });

  test("invalid values fail the synth with the chart's message", () => {
    const env = loadWith("dev", (i) => (i.langsmith.valuesOverrides = { ingress: { enabled: true }, gateway: { enabled: true } }));
    expect(() => synth(env)).toThrow("Only one of ingress, gateway, or istioGateway can be enabled at the same time.");
  });
});
