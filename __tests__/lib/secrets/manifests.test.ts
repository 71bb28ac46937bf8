import { K8S_SECRETS, secretCatalog } from "../../../lib/secrets/catalog";
import { EsoManifestInput, esoManifests, ExternalSecret, PlainSecret, SecretStore, ServiceAccount } from "../../../lib/secrets/manifests";
import { IN_CLUSTER_CLICKHOUSE } from "../../../lib/clickhouse";
import { EXTERNAL_SECRETS_API } from "../../../versions";
import { AGENT_DATABASES } from "../../../lib/langsmith-values/chart";
import { envWith } from "../../helpers";

const RDS = "arn:aws:secretsmanager:us-west-2:111111111111:secret:rds!db-1-abc";

function input(name: "dev" | "prod", over: Partial<EsoManifestInput> = {}): EsoManifestInput {
  const env = envWith(name);
  return {
    namespace: "langsmith",
    storeName: "langsmith-secrets-manager",
    serviceAccount: { name: "langsmith-secrets-reader", roleArn: "arn:aws:iam::111111111111:role/ls-dev-irsa-external-secrets" },
    region: env.aws.region,
    refreshInterval: "1h",
    secrets: secretCatalog(env).map((s) => ({ ...s, ref: `arn:aws:secretsmanager:${env.aws.region}:${env.aws.accountId}:secret:ls-${env.name}/langsmith/${s.id}-AbCdEf` })),
    oauth: env.auth.model === "oidc" ? { clientId: env.auth.clientId, issuerUrl: env.auth.issuerUrl } : undefined,
    postgres: { host: "ls-dev-postgres.abc.us-west-2.rds.amazonaws.com", port: 5432, database: "langsmith", masterUserSecretArn: RDS, appUser: "langsmith_app" },
    redis: { connectionUrl: "rediss://ls-dev-langsmith@master.ls-dev-redis.abc.usw2.cache.amazonaws.com:6379" },
    clickhouse: env.clickhouse.mode === "in-cluster" ? IN_CLUSTER_CLICKHOUSE : { host: env.clickhouse.host, port: env.clickhouse.port, nativePort: env.clickhouse.nativePort, user: env.clickhouse.user, database: env.clickhouse.database, tls: env.clickhouse.tls },
    ...over,
  };
}

function byName<T>(objects: unknown[], name: string): T {
  const found = (objects as { metadata: { name: string } }[]).filter((o) => o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one object ${name}`);
  return found[0] as T;
}

describe("ESO manifests", () => {
  const dev = esoManifests(input("dev"));
  const prod = esoManifests(input("prod"));

  test("SecretStore: namespaced, AWS Secrets Manager in the region, authenticating as its own service account (never the controller's identity)", () => {
    const store = byName<SecretStore>(dev, "langsmith-secrets-manager");
    expect(store).toEqual({
      apiVersion: EXTERNAL_SECRETS_API.secretStore,
      kind: "SecretStore",
      metadata: { name: "langsmith-secrets-manager", namespace: "langsmith", labels: expect.any(Object) },
      spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2", auth: { jwt: { serviceAccountRef: { name: "langsmith-secrets-reader" } } } } } },
    });
    expect(dev.some((m) => (m as { kind: string }).kind === "ClusterSecretStore")).toBe(false);
    const sa = byName<ServiceAccount>(dev, "langsmith-secrets-reader");
    expect(sa).toMatchObject({ kind: "ServiceAccount", metadata: { namespace: "langsmith", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111111111111:role/ls-dev-irsa-external-secrets" } }, automountServiceAccountToken: false });
  });

  test("every ExternalSecret targets a same-named secret in langsmith through the store, owned, v2 templates", () => {
    for (const es of dev.filter((m): m is ExternalSecret => m.kind === "ExternalSecret")) {
      expect(es.apiVersion).toBe(EXTERNAL_SECRETS_API.externalSecret);
      expect(es.metadata.namespace).toBe("langsmith");
      expect(es.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: "langsmith-secrets-manager" });
      expect(es.spec.target).toMatchObject({ name: es.metadata.name, creationPolicy: "Owner", deletionPolicy: "Retain", template: { engineVersion: "v2", type: "Opaque" } });
      expect(es.spec.data.length).toBeGreaterThan(0); // ESO's webhook rejects an ExternalSecret without data
      expect(es.spec.refreshInterval).toBe("1h");
    }
  });

  test.each([
    ["dev (basic auth)", "dev", ["langsmith_license_key", "api_key_salt", "jwt_secret", "initial_org_admin_password"]],
    ["prod (OIDC)", "prod", ["langsmith_license_key", "api_key_salt", "oauth_client_secret", "oauth_client_id", "oauth_issuer_url"]],
  ] as const)("langsmith-config of %s has exactly the chart's keys", (_l, name, keys) => {
    const es = byName<ExternalSecret>(name === "dev" ? dev : prod, K8S_SECRETS.config);
    expect(Object.keys(es.spec.target.template.data).sort()).toEqual([...keys].sort());
  });

  test("secret values are only template references to fetched data; OIDC client id and issuer are literals", () => {
    const es = byName<ExternalSecret>(prod, K8S_SECRETS.config);
    const fetched = es.spec.data.map((d) => d.secretKey);
    for (const key of fetched) expect(es.spec.target.template.data[key]).toBe(`{{ .${key} }}`);
    expect(es.spec.target.template.data.oauth_client_id).toBe("langsmith-prod");
    expect(es.spec.target.template.data.oauth_issuer_url).toBe("https://sso.example.com/oauth2/default");
    expect(es.spec.data.find((d) => d.secretKey === "langsmith_license_key")?.remoteRef.key).toMatch(/:secret:ls-prod\/langsmith\/license-key-/);
  });

  test("insights and polly keys appear when the features are on", () => {
    const env = envWith("dev", { langsmith: { insights: "shared", polly: "shared" } });
    const objects = esoManifests({ ...input("dev"), secrets: secretCatalog(env).map((s) => ({ ...s, ref: s.id })) });
    const keys = Object.keys(byName<ExternalSecret>(objects, K8S_SECRETS.config).spec.target.template.data);
    expect(keys).toEqual(expect.arrayContaining(["insights_encryption_key", "polly_encryption_key"]));
  });

  test("langsmith-postgres (master, for the setup Job only) composes user:password@host:port/db?sslmode=require (no scheme) from the RDS secret, URL-escaped", () => {
    const es = byName<ExternalSecret>(dev, K8S_SECRETS.postgresAdmin);
    expect(es.spec.data).toEqual([
      { secretKey: "username", remoteRef: { key: RDS, property: "username" } },
      { secretKey: "password", remoteRef: { key: RDS, property: "password" } },
    ]);
    expect(es.spec.target.template.data).toEqual({
      connection_url: "{{ .username | urlquery }}:{{ .password | urlquery }}@ls-dev-postgres.abc.us-west-2.rds.amazonaws.com:5432/langsmith?sslmode=require",
    });
  });

  test("langsmith-postgres-app, what LangSmith reads, is a plain Secret naming the IAM-authenticated app user: no password, no master", () => {
    const s = byName<PlainSecret>(dev, K8S_SECRETS.postgres);
    expect(s).toMatchObject({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { namespace: "langsmith" } });
    expect(s.stringData).toEqual({ connection_url: "langsmith_app@ls-dev-postgres.abc.us-west-2.rds.amazonaws.com:5432/langsmith?sslmode=require" });
  });

  test("langsmith-redis is a plain Secret with the IAM-auth URL: user id, no password", () => {
    const s = byName<PlainSecret>(dev, K8S_SECRETS.redis);
    expect(s).toMatchObject({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { namespace: "langsmith" } });
    expect(s.stringData).toEqual({ connection_url: "rediss://ls-dev-langsmith@master.ls-dev-redis.abc.usw2.cache.amazonaws.com:6379" });
  });

  test.each([
    ["dev (in-cluster)", "dev", { clickhouse_host: "langsmith-clickhouse.langsmith.svc.cluster.local", clickhouse_port: "8123", clickhouse_native_port: "9000", clickhouse_user: "default", clickhouse_db: "default", clickhouse_tls: "false" }],
    ["prod (external)", "prod", { clickhouse_host: "clickhouse.prod.internal.example.com", clickhouse_port: "8443", clickhouse_native_port: "9440", clickhouse_user: "langsmith", clickhouse_db: "langsmith", clickhouse_tls: "true" }],
  ] as const)("langsmith-clickhouse of %s: the seven keys, password fetched", (_l, name, literals) => {
    const es = byName<ExternalSecret>(name === "dev" ? dev : prod, K8S_SECRETS.clickhouse);
    expect(es.spec.target.template.data).toEqual({ ...literals, clickhouse_password: "{{ .clickhouse_password }}" });
    expect(es.spec.data).toEqual([{ secretKey: "clickhouse_password", remoteRef: { key: expect.stringMatching(/langsmith\/clickhouse-password-/) } }]);
  });

  test("no agent secret without agents (the shipped environments)", () => {
    for (const objects of [dev, prod]) expect(objects.map((o) => o.metadata.name)).not.toEqual(expect.arrayContaining([expect.stringMatching(/-(insights|polly)-db$/)]));
    expect(dev.map((o) => o.metadata.name)).toEqual(["langsmith-secrets-reader", "langsmith-secrets-manager", "langsmith-config", "langsmith-postgres", "langsmith-postgres-app", "langsmith-redis", "langsmith-clickhouse"]);
  });

  test.each([
    ["insights", "langsmith-insights-db", "langsmith_insights", 3],
    ["polly", "langsmith-polly-db", "langsmith_polly", 2],
  ] as const)("%s shared: %s with postgresql:// (app user, IAM auth) + its own database and the Redis URL on db %i", (feature, name, database, redisDb) => {
    const objects = esoManifests(input("dev", { agents: [AGENT_DATABASES[feature]] }));
    expect(objects).toHaveLength(8);
    const es = byName<ExternalSecret>(objects, name);
    expect(es.kind).toBe("ExternalSecret");
    expect(es.spec.target).toMatchObject({ name, creationPolicy: "Owner", deletionPolicy: "Retain" });
    // No password: the app user with IAM auth; the fetched master name is unused (ESO needs data).
    expect(es.spec.data).toEqual([{ secretKey: "username", remoteRef: { key: RDS, property: "username" } }]);
    expect(es.spec.target.template.data).toEqual({
      postgres_connection_url: `postgresql://langsmith_app@ls-dev-postgres.abc.us-west-2.rds.amazonaws.com:5432/${database}?sslmode=require`,
      redis_connection_url: `rediss://ls-dev-langsmith@master.ls-dev-redis.abc.usw2.cache.amazonaws.com:6379/${redisDb}`,
    });
    // The master secret is untouched: scheme-less, main database.
    expect(byName<ExternalSecret>(objects, K8S_SECRETS.postgresAdmin).spec.target.template.data.connection_url).toMatch(/^\{\{ \.username[^]*\/langsmith\?sslmode=require$/);
  });

  test("the agent URLs differ from each other and from the main ones (the chart requires distinct URLs)", () => {
    const objects = esoManifests(input("dev", { agents: [AGENT_DATABASES.insights, AGENT_DATABASES.polly] }));
    const urls = [K8S_SECRETS.postgres, K8S_SECRETS.redis].map((n) => {
      const o = byName<ExternalSecret | PlainSecret>(objects, n);
      return o.kind === "Secret" ? o.stringData.connection_url : o.spec.target.template.data.connection_url;
    });
    for (const n of ["langsmith-insights-db", "langsmith-polly-db"]) urls.push(...Object.values(byName<ExternalSecret>(objects, n).spec.target.template.data));
    expect(new Set(urls).size).toBe(6);
  });

  test("refuses literals that ESO would evaluate as templates", () => {
    expect(() => esoManifests(input("prod", { oauth: { clientId: "a{{b", issuerUrl: "https://x" } }))).toThrow('auth.clientId must not contain "{{" or "}}" (ESO template syntax), got a{{b');
  });
});
