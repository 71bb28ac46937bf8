import {
  RESTRICTED_CONTAINER,
  appServiceAccounts,
  buildLangsmithValues,
  encodeValues,
  LangsmithValuesError,
  requiredSecrets,
  valueLayers,
} from "../../../lib/langsmith-values";
import { Json } from "../../helpers";
import { combinations, INPUTS, loadWith, shipped, SHIPPED } from "./envs";

const build = (env: ReturnType<typeof shipped>, inputs = INPUTS) => buildLangsmithValues(env, inputs) as Json;

describe("layers", () => {
  test("are base, infrastructure, sizing, features, overrides, in that order", () => {
    expect(valueLayers(shipped("dev"), INPUTS).map((l) => l.name)).toEqual(["base", "infrastructure", "sizing", "features", "overrides"]);
  });

  test("operator overrides are merged last and win", () => {
    const env = loadWith("dev", (i) => (i.langsmith.valuesOverrides = { frontend: { maxBodySize: "50M", autoscaling: { hpa: { maxReplicas: 4 } } } }));
    const v = build(env);
    expect(v.frontend.maxBodySize).toBe("50M");
    expect(v.frontend.autoscaling.hpa).toMatchObject({ enabled: true, minReplicas: 1, maxReplicas: 4 });
  });

  test("are encoded once, as JSON", () => {
    const v = buildLangsmithValues(shipped("prod"), INPUTS);
    expect(JSON.parse(encodeValues(v))).toEqual(v);
  });
});

describe.each(SHIPPED)("environment %s", (name) => {
  const env = shipped(name);
  const v = build(env);

  test("wires the ESO secrets, external Postgres and Redis (IAM auth), no chart Ingress", () => {
    expect(v.config.existingSecretName).toBe("langsmith-config");
    expect(v.postgres.external).toEqual({ enabled: true, existingSecretName: "langsmith-postgres-app", connectionUrlSecretKey: "connection_url", iamAuthProvider: "aws" });
    expect(v.redis.external).toEqual({ enabled: true, existingSecretName: "langsmith-redis", connectionUrlSecretKey: "connection_url", iamAuthProvider: "aws" });
    expect(v.ingress).toEqual({ enabled: false });
    expect(v.frontend.service).toEqual({ type: "ClusterIP" });
  });

  test("sets the hostname with https and the region-specific S3 endpoint", () => {
    expect(v.config.hostname).toBe(`https://${env.dns.hostname}`);
    expect(v.config.blobStorage).toEqual({
      enabled: true,
      engine: "S3",
      bucketName: INPUTS.blobStorage!.bucketName,
      apiURL: `https://s3.${env.aws.region}.amazonaws.com`,
      kmsEncryptionEnabled: true,
      kmsKeyArn: INPUTS.blobStorage!.kmsKeyArn,
    });
    expect(v.commonEnv).toEqual([
      { name: "AWS_REGION", value: env.aws.region },
      { name: "AWS_DEFAULT_REGION", value: env.aws.region },
    ]);
  });

  test.each(["backend", "platformBackend", "queue", "ingestQueue"])("annotates %s's service account with the app IRSA role", (c) => {
    expect(v[c].serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": INPUTS.appRoleArn });
  });

  test("annotates and trusts host-backend only when LangSmith Deployments render it (else the value is dead)", () => {
    expect(v.hostBackend).toBeUndefined();
    expect(appServiceAccounts(env)).not.toContain("langsmith-host-backend");
    for (const overrides of [{ hostBackend: { enabled: true } }]) {
      const withDeployments = loadWith("dev", (i) => (i.langsmith.valuesOverrides = overrides));
      expect((buildLangsmithValues(withDeployments, INPUTS) as Json).hostBackend.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": INPUTS.appRoleArn });
      expect(appServiceAccounts(withDeployments)).toContain("langsmith-host-backend");
    }
  });

  test("annotates no service account that does not need AWS", () => {
    // ... and gives them no Kubernetes API token either (nothing in them calls the API).
    for (const c of ["frontend", "aceBackend", "playground"]) expect([c, v[c]?.serviceAccount]).toEqual([c, { automountServiceAccountToken: false }]);
    expect(v.clickhouse?.serviceAccount).toEqual(env.clickhouse.mode === "in-cluster" ? { automountServiceAccountToken: false } : undefined);
  });

  test("trace TTLs equal the bucket's lifecycle", () => {
    expect(v.config.ttl.ttl_period_seconds).toEqual({
      shortlived: String(env.blobStorage.ttlShortDays * 86400),
      longlived: String(env.blobStorage.ttlLongDays * 86400),
    });
  });
});

describe("auth model", () => {
  test("token: basic auth, authType mixed, the environment's admin email", () => {
    const v = build(shipped("dev"));
    expect(v.config).toMatchObject({ authType: "mixed", basicAuth: { enabled: true }, oauth: { enabled: false }, initialOrgAdminEmail: "langsmith-admins+dev@example.com" });
  });

  test("oidc: OAuth with client secret needs authType mixed; no client id, issuer or secret in values", () => {
    const v = build(shipped("prod"));
    expect(v.config).toMatchObject({ authType: "mixed", basicAuth: { enabled: false }, oauth: { enabled: true }, initialOrgAdminEmail: "langsmith-admins@example.com" });
    expect(Object.keys(v.config.oauth)).toEqual(["enabled"]);
    expect(encodeValues(v)).not.toContain("langsmith-prod");
  });
});

describe("ClickHouse mode", () => {
  test("in-cluster: dedicated tainted pool, gp3 volume of clickhouse.storageGib, sized, secret of seven keys", () => {
    const v = build(shipped("dev"));
    expect(v.clickhouse).toEqual({
      enabled: true,
      external: { enabled: false, existingSecretName: "langsmith-clickhouse" },
      statefulSet: {
        resources: { requests: { cpu: "3500m", memory: "12Gi" }, limits: { cpu: "8000m", memory: "32Gi" } },
        nodeSelector: { dedicated: "clickhouse" },
        tolerations: [{ key: "dedicated", operator: "Equal", value: "clickhouse", effect: "NoSchedule" }],
        persistence: { enabled: true, size: "100Gi", storageClassName: "gp3" },
        podSecurityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, fsGroup: 101, fsGroupChangePolicy: "OnRootMismatch" },
        securityContext: RESTRICTED_CONTAINER,
        volumes: [{ name: "tmp", emptyDir: {} }, { name: "var", emptyDir: {} }, { name: "users-d", emptyDir: {} }],
        volumeMounts: [
          { name: "tmp", mountPath: "/tmp" },
          { name: "var", mountPath: "/var" },
          { name: "users-d", mountPath: "/etc/clickhouse-server/users.d" },
        ],
      },
      serviceAccount: { automountServiceAccountToken: false },
    });
  });

  test("in-cluster: the StorageClass name can be given", () => {
    expect(build(shipped("dev"), { ...INPUTS, clickhouseStorageClassName: "gp3-clickhouse" }).clickhouse.statefulSet.persistence.storageClassName).toBe("gp3-clickhouse");
  });

  test("external: enabled stays true, connection from the secret only, topology from config, no statefulSet values", () => {
    const v = build(shipped("prod"));
    expect(v.clickhouse).toEqual({ enabled: true, external: { enabled: true, existingSecretName: "langsmith-clickhouse", hybrid: false, cluster: "langsmith" } });
    const managed = build(loadWith("prod", (i) => (i.clickhouse = { ...i.clickhouse, replicated: undefined, cluster: undefined, hybrid: true })));
    expect(managed.clickhouse.external).toEqual({ enabled: true, existingSecretName: "langsmith-clickhouse", hybrid: true });
  });
});

describe("exposure", () => {
  test("does not change the values (the ALB is Terraform's)", () => {
    const pub = build(loadWith("staging", (i) => (i.exposure = "public")));
    const priv = build(loadWith("staging", (i) => (i.exposure = "private")));
    expect(pub).toEqual(priv);
  });
});

describe.each(["insights", "polly"] as const)("%s", (feature) => {
  const block = feature === "insights" ? "engineInsightsAgent" : "polly";
  const secret = feature === "insights" ? "langsmith-insights-db" : "langsmith-polly-db";

  test("disabled: off, nothing else set", () => {
    const v = build(shipped("prod"));
    expect(v[feature]).toEqual({ enabled: false });
    if (block !== feature) expect(v[block]).toBeUndefined();
  });

  test.each(["dev", "prod"] as const)("shared (%s): on, external Postgres and Redis (IAM) from its secret, IRSA, sized with HPA", (name) => {
    const env = loadWith(name, (i) => (i.langsmith[feature] = "shared"));
    const v = build(env);
    expect(v[feature].enabled).toBe(true);
    expect(v[block].postgres).toEqual({ external: { enabled: true, iamProvider: "aws", existingSecretName: secret } });
    expect(v[block].redis).toEqual({ external: { enabled: true, iamProvider: "aws", existingSecretName: secret } });
    for (const w of ["apiServer", "queue"]) {
      expect(v[block][w].serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(INPUTS.appRoleArn);
      expect(v[block][w].autoscaling.enabled).toBe(true);
      expect(v[block][w].deployment.resources.requests).toBeDefined();
      expect(v[block][w].pdb.enabled).toBe(env.langsmith.sizing === "production");
    }
    expect(appServiceAccounts(env)).toEqual(expect.arrayContaining([`langsmith-standalone-${feature}-api-server`, `langsmith-standalone-${feature}-queue`]));
    const names = requiredSecrets(env).map((s) => s.name);
    expect(names).toContain(secret);
    expect(requiredSecrets(env).find((s) => s.name === "langsmith-config")!.keys.map((k) => k.key)).toContain(`${feature}_encryption_key`);
  });
});

describe("blob storage", () => {
  test("off (development only): disabled, no bucket needed", () => {
    const env = loadWith("dev", (i) => (i.blobStorage.enabled = false));
    expect(build(env, { appRoleArn: "r" }).config.blobStorage).toEqual({ enabled: false });
  });

  test("on without a bucket is refused", () => {
    expect(() => build(shipped("dev"), { appRoleArn: "r" })).toThrow("LangSmith values: blobStorage.enabled is true but no blob bucket was given (inputs.blobStorage)");
  });
});

describe("sizing", () => {
  test.each([
    ["dev", { backend: [1, 3], platformBackend: [1, 3], queue: [1, 4], ingestQueue: [1, 4], frontend: [1, 2], aceBackend: [1, 2], playground: [1, 2] }, false],
    ["prod", { backend: [3, 10], platformBackend: [3, 10], queue: [3, 10], ingestQueue: [3, 10], frontend: [2, 6], aceBackend: [2, 5], playground: [2, 5] }, true],
  ] as const)("%s: HPA on every service with the profile's bounds, PDBs in production", (name, bounds, pdb) => {
    const v = build(shipped(name));
    for (const [svc, [min, max]] of Object.entries(bounds)) {
      expect(v[svc].autoscaling.hpa).toEqual({ enabled: true, minReplicas: min, maxReplicas: max, targetCPUUtilizationPercentage: 50, targetMemoryUtilizationPercentage: 80 });
      expect(v[svc].pdb).toEqual(pdb ? { enabled: true, minAvailable: 1 } : { enabled: false });
      expect(v[svc].deployment.resources.requests).toBeDefined();
      expect(v[svc].autoscaling.keda).toBeUndefined();
    }
  });
});

describe("refusals", () => {
  test("an override that sets a secret is refused with the path", () => {
    const env = loadWith("dev", (i) => (i.langsmith.valuesOverrides = { config: { apiKeySalt: "s3cr3t" }, clickhouse: { external: { password: "pw" } } }));
    expect(() => build(env)).toThrow(LangsmithValuesError);
    expect(() => build(env)).toThrow("project: config.apiKeySalt must not be set in Helm values (it is a secret)");
    expect(() => build(env)).toThrow("project: clickhouse.external.password must not be set in Helm values");
  });

  test("an override that breaks a chart rule is refused with the chart's message", () => {
    const env = loadWith("dev", (i) => (i.langsmith.valuesOverrides = { config: { oauth: { enabled: true } } }));
    expect(() => build(env)).toThrow("Basic auth and OAuth are both enabled. Please enable only one.");
  });

  test("an override that turns on in-cluster databases for an agent is refused", () => {
    const env = loadWith("prod", (i) => (i.langsmith.valuesOverrides = { insights: { enabled: true } }));
    expect(() => build(env)).toThrow('project: insights is enabled with its in-cluster postgres (engineInsightsAgent.postgres.external.enabled is false); set langsmith.insights to "shared" or "disabled"');
  });
});

describe("every option combination", () => {
  const all = combinations();
  test("covers the options (more than 50 valid environments)", () => {
    expect(all.length).toBeGreaterThan(50);
  });
  test.each(all.map((c) => [c.label, c.env] as const))("%s builds", (_label, env) => {
    expect(() => buildLangsmithValues(env, INPUTS)).not.toThrow();
  });
});
