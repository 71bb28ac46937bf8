/**
 * Terraform state is encrypted with the bootstrap stack's state CMK, not SSE-S3: every S3
 * backend names the key, the bucket policy refuses a state upload that does not, and the CI
 * roles may use the key only through S3 and DynamoDB.
 */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { bootstrapStackName, bootstrapTargets } from "../../stacks/bootstrap-stack";
import { stateKeyAliasArn } from "../../stacks/backend";
import { statePolicy } from "../../modules/ci-role/policies";
import { describeEach, Json, resource, resources, shippedStack } from "../helpers";

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
const targets = bootstrapTargets(shipped);
const s3Envs = shipped.filter((e) => e.state.backend === "s3");

describeEach(s3Envs.map((e) => [e.name, e] as const))("state of %s", (_name, env) => {
  const json = shippedStack(`langsmith-${env.name}`);
  const state = env.state as Extract<typeof env.state, { backend: "s3" }>;
  const target = targets.find((t) => t.bucket === state.bucket && t.accountId === env.aws.accountId && t.region === env.aws.region)!;
  const bootstrap = shippedStack(bootstrapStackName(target, targets));

  test("the backend names the state key (kms_key_id), so uploads are not SSE-S3", () => {
    expect(json.terraform.backend.s3).toMatchObject({ encrypt: true, kms_key_id: stateKeyAliasArn({ ...env.aws, bucket: state.bucket }) });
  });

  test("the backend's key is the bootstrap stack's state key alias", () => {
    const alias = resources(bootstrap, "aws_kms_alias").map(([, a]) => a);
    expect(alias.map((a) => `arn:aws:kms:${env.aws.region}:${env.aws.accountId}:${a.name}`)).toContain(json.terraform.backend.s3.kms_key_id);
  });

  test("the bucket policy denies a state upload of this environment that does not name that key", () => {
    const policy = JSON.parse(resource(bootstrap, "aws_s3_bucket_policy").policy);
    const deny = policy.Statement.find((s: Json) => s.Sid === "DenyStateWithoutStateKey");
    expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:PutObject" });
    expect(deny.Resource).toContain(`\${aws_s3_bucket.state-bucket.arn}/${state.key}`);
    const allowed = deny.Condition.StringNotEquals["s3:x-amz-server-side-encryption-aws-kms-key-id"];
    expect(allowed).toContain(json.terraform.backend.s3.kms_key_id);
    expect(allowed.some((v: string) => /aws_kms_key\.state-key/.test(v))).toBe(true);
    // Lock files are not state: a deny on them would only break locking.
    expect(deny.Resource.some((r: string) => r.endsWith(".tflock"))).toBe(false);
  });
});

test("the CI roles use the state key only through S3 and DynamoDB in the state's region", () => {
  const scope = {
    region: "us-west-2",
    state: { bucketArn: "arn:aws:s3:::b", key: "k", kmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/k" },
  } as Parameters<typeof statePolicy>[0];
  for (const access of ["plan", "apply"] as const) {
    const kms = statePolicy(scope, access).Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith("kms:")));
    expect(kms).toHaveLength(1);
    expect(kms[0].Resource).toBe("arn:aws:kms:us-west-2:111111111111:key/k");
    expect(kms[0].Condition?.StringEquals?.["kms:ViaService"]).toEqual(["s3.us-west-2.amazonaws.com", "dynamodb.us-west-2.amazonaws.com"]);
  }
});
