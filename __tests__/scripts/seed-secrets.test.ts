import { SecretsApi, seedSecrets } from "../../scripts/seed-secrets";
import { envWith } from "../helpers";

/** An in-memory Secrets Manager: names with a value, and the writes it received. */
function fakeApi(present: string[]): SecretsApi & { writes: [string, string][] } {
  const values = new Map(present.map((n) => [n, "existing"]));
  const writes: [string, string][] = [];
  return {
    writes,
    async hasValue(name) {
      return values.has(name);
    },
    async putValue(name, value) {
      writes.push([name, value]);
      values.set(name, value);
    },
    async getValue(name) {
      const v = values.get(name);
      if (v === undefined) throw new Error(`no value for ${name}`);
      return v;
    },
  };
}

describe("seed-secrets", () => {
  const env = envWith("dev");

  test("without --apply it changes nothing and says what it would seed", async () => {
    const api = fakeApi([]);
    const results = await seedSecrets(env, api, false);
    expect(api.writes).toEqual([]);
    expect(Object.fromEntries(results.map((r) => [r.id, r.status]))).toEqual({
      "license-key": "operator-missing",
      "api-key-salt": "would-seed",
      "jwt-secret": "would-seed",
      "initial-org-admin-password": "would-seed",
      "clickhouse-password": "would-seed",
    });
  });

  test("with --apply it fills only generated secrets that have no value, each with its generator", async () => {
    const api = fakeApi(["ls-dev/langsmith/api-key-salt"]);
    const results = await seedSecrets(env, api, true, (kind) => `generated-${kind}`);
    expect(api.writes).toEqual([
      ["ls-dev/langsmith/jwt-secret", "generated-token"],
      ["ls-dev/langsmith/initial-org-admin-password", "generated-password"],
      ["ls-dev/langsmith/clickhouse-password", "generated-alphanumeric"],
    ]);
    expect(results.find((r) => r.id === "api-key-salt")?.status).toBe("present");
  });

  test("never generates an operator secret; prints the put-secret-value command instead", async () => {
    const api = fakeApi([]);
    const results = await seedSecrets(envWith("prod"), api, true, () => "x");
    expect(api.writes.map(([n]) => n)).toEqual(["ls-prod/langsmith/api-key-salt"]);
    const license = results.find((r) => r.id === "license-key");
    expect(license?.status).toBe("operator-missing");
    expect(license?.command).toBe("aws secretsmanager put-secret-value --region us-east-1 --secret-id ls-prod/langsmith/license-key --secret-string file://<file holding the license-key>");
  });

  test("a second run is a no-op", async () => {
    const api = fakeApi([]);
    await seedSecrets(env, api, true);
    const writes = api.writes.length;
    await seedSecrets(env, api, true);
    expect(api.writes).toHaveLength(writes);
  });
});

describe("secrets:seed command line", () => {
  const { FIXTURE_ENVIRONMENTS } = require("../fixtures/environments") as typeof import("../fixtures/environments");
  const { main } = require("../../scripts/seed-secrets") as typeof import("../../scripts/seed-secrets");
  const sources = Object.values(FIXTURE_ENVIRONMENTS);
  const run = async (argv: string[], api?: (region: string) => SecretsApi) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { sources, api, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  test("--help prints usage and touches nothing", async () => {
    const r = await run(["--help"], () => {
      throw new Error("no AWS call on --help");
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: npm run secrets:seed -- <environment> \[--apply\]/);
  });

  test("no credentials: names what it needed and says it was a dry run; no stack trace", async () => {
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    const api = (): SecretsApi => ({ hasValue: async () => Promise.reject(noCredentials), putValue: async () => Promise.reject(noCredentials) });
    const r = await run(["dev"], api);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "secrets:seed: no usable AWS credentials for account 111111111111 in us-west-2 (Could not load credentials from any providers).\n" +
        "  Needed: credentials of that account (AWS_PROFILE, aws sso login, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) allowed\n" +
        "  secretsmanager:DescribeSecret and kms:GenerateDataKey on the environment's secrets.\n" +
        "  Dry run (no --apply): nothing was read or written.",
    );
  });

  test("an unknown environment names the known ones, exit 2", async () => {
    const r = await run(["no-such-env"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^secrets:seed: no environment no-such-env \(known: dev, staging, prod\)/);
  });

  test("the AWS SDK's Node-version warning is silenced where we create clients", () => {
    const { quietSdkNodeVersionWarning } = require("../../lib/aws-sdk-node") as typeof import("../../lib/aws-sdk-node");
    const saved = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    try {
      quietSdkNodeVersionWarning();
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe("true");
      const warn = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
      const { SecretsManagerClient } = require("@aws-sdk/client-secrets-manager");
      new SecretsManagerClient({ region: "us-west-2" });
      expect(warn.mock.calls.map((c) => String(c[0])).filter((w) => w.includes("NodeVersionSupportWarning"))).toEqual([]);
      warn.mockRestore();
    } finally {
      if (saved === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = saved;
    }
  });
});
