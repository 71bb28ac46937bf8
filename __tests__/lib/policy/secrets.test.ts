import { findSecrets, literalValue, secretFormat, secretLookingKey } from "../../../lib/policy/secrets";

describe("secret-looking keys", () => {
  test.each([
    "password",
    "master_password",
    "initialOrgAdminPassword",
    "jwtSecret",
    "apiKeySalt",
    "langsmithLicenseKey",
    "oauthClientSecret",
    "accessKey",
    "accessKeySecret",
    "encryptionKey",
    "auth_token",
    "secret_key",
    "secret_string",
    "slackSigningSecret",
    "private_key",
  ])("%s holds a secret", (key) => expect(secretLookingKey(key)).toBe(true));

  test.each([
    "existingSecretName",
    "passwordSecretKey",
    "secretKey",
    "secretName",
    "secret_arn",
    "kms_key_id",
    "master_user_secret_kms_key_id",
    "manage_master_user_password",
    "automountServiceAccountToken",
    "imagePullSecrets",
    "auth_token_update_strategy",
    "http_tokens",
    "accessKeyIdSecretKey",
    "description",
    "key",
    "oauthClientId",
  ])("%s only points at one", (key) => expect(secretLookingKey(key)).toBe(false));
});

describe("literal values", () => {
  test.each([
    ["hunter2", true],
    ["", false],
    ["  ", false],
    ["${random_password.p.result}", false],
    ["prefix-${var.x}", false],
    ["{{ .password }}", false],
    ["arn:aws:secretsmanager:us-west-2:111111111111:secret:x", false],
    ["<set me>", false],
    [true, false],
    [42, false],
  ])("%p -> %p", (v, expected) => expect(literalValue(v)).toBe(expected));
});

describe("known secret formats", () => {
  // One example per format: each must also get past secretFormat's one-regex prefilter.
  test.each([
    ["AKIAABCDEFGHIJKLMNOP", "an AWS access key id"],
    ["ASIAABCDEFGHIJKLMNOP", "an AWS access key id"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a PEM private key"],
    ["-----BEGIN PRIVATE KEY-----\nMIIE", "a PEM private key"],
    [`lsv2_pt_${"0".repeat(32)}_abc`, "a LangSmith API key"],
    [`LSV2_SK_${"A".repeat(32)}`, "a LangSmith API key"],
    [`ghp_${"a".repeat(36)}`, "a GitHub token"],
    ["xoxb-1234567890-abcdefghij", "a Slack token"],
    ["postgres://langsmith:s3cret@db:5432/x", "credentials inside a URL"],
    ["sk-ant-api03-aaaaaaaaaaaaaaaaaaaaaaaa", "an API secret key (sk-...)"],
  ])("%s is %s", (v, what) => expect(secretFormat(v)).toBe(what));

  test.each(["postgres://db:5432/x", "rediss://user@host:6379", "postgres://u:${var.p}@db", "postgres://u:{{ .password }}@db", "ls-dev-postgres", "https://sso.example.com/oauth2/default"])(
    "%s is not",
    (v) => expect(secretFormat(v)).toBeUndefined(),
  );
});

describe("findSecrets", () => {
  test("reports key paths (never values), name/value pairs, formats in tags", () => {
    expect(
      findSecrets({
        config: { jwtSecret: "abc", existingSecretName: "langsmith-config" },
        env: [{ name: "DB_PASSWORD", value: "pw" }, { name: "LOG_LEVEL", value: "info" }],
        tags: { password: "not-a-secret-key-here", note: "AKIAABCDEFGHIJKLMNOP" },
      }),
    ).toEqual([
      { path: "config.jwtSecret", why: "a secret-looking key holds a literal value" },
      { path: "env[0].DB_PASSWORD", why: "a secret-looking name holds a literal value" },
      { path: "tags.note", why: "looks like an AWS access key id" },
    ]);
  });
});
