import { LANGSMITH_APP_SERVICE_ACCOUNTS, LangsmithAppRole, langsmithAppPolicy } from "../../../modules/langsmith-identity";
import { envWith, Json, resource, resources } from "../../helpers";
import { namerOf, PLATFORM, synthWith } from "../data-fixtures";

const env = envWith("dev");
const ACCESS = {
  region: "us-west-2",
  blob: { bucketArn: "arn:aws:s3:::ls-dev-blobs-111111111111", kmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/blob" },
  redis: {
    replicationGroupArn: "arn:aws:elasticache:us-west-2:111111111111:replicationgroup:ls-dev-redis",
    userArn: "arn:aws:elasticache:us-west-2:111111111111:user:ls-dev-langsmith",
  },
};

function synth(grant = true): Json {
  return synthWith(env, (scope) => {
    const role = new LangsmithAppRole(scope, "langsmith-app", { namer: namerOf(env), oidcProviderArn: PLATFORM.oidcProviderArn, oidcIssuer: PLATFORM.oidcIssuer });
    if (grant) role.grant(ACCESS);
  });
}

describe("langsmith-app IRSA role", () => {
  const json = synth();

  test("trusted by exactly the five LangSmith service accounts in namespace langsmith, audience sts", () => {
    const role = resource(json, "aws_iam_role");
    expect(role.name).toBe("ls-dev-langsmith-app");
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]).toMatchObject({ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: PLATFORM.oidcProviderArn } });
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: {
        [`${PLATFORM.oidcIssuer}:sub`]: [
          "system:serviceaccount:langsmith:langsmith-backend",
          "system:serviceaccount:langsmith:langsmith-platform-backend",
          "system:serviceaccount:langsmith:langsmith-queue",
          "system:serviceaccount:langsmith:langsmith-ingest-queue",
        ],
        [`${PLATFORM.oidcIssuer}:aud`]: "sts.amazonaws.com",
      },
    });
  });

  test("one inline policy: objects of the bucket, list of the bucket, its key via S3, Redis connect; nothing else", () => {
    const policies = resources(json, "aws_iam_role_policy").map(([, p]) => p);
    expect(policies).toHaveLength(1);
    expect(resources(json, "aws_iam_role_policy_attachment")).toEqual([]);
    const doc = JSON.parse(policies[0].policy);
    expect(doc.Statement).toEqual([
      { Sid: "BlobObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${ACCESS.blob.bucketArn}/*` },
      { Sid: "BlobList", Effect: "Allow", Action: "s3:ListBucket", Resource: ACCESS.blob.bucketArn },
      {
        Sid: "BlobKey",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: ACCESS.blob.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
      },
      { Sid: "RedisIamAuth", Effect: "Allow", Action: "elasticache:Connect", Resource: [ACCESS.redis.replicationGroupArn, ACCESS.redis.userArn] },
    ]);
    for (const s of doc.Statement) {
      expect([s.Action].flat().some((a: string) => a.includes("*"))).toBe(false);
      expect([s.Resource].flat()).not.toContain("*");
    }
  });

  test("without blob storage only Redis connect remains", () => {
    expect(langsmithAppPolicy({ ...ACCESS, blob: undefined }).Statement.map((s) => s.Sid)).toEqual(["RedisIamAuth"]);
  });

  test("grant is a one-time call", () => {
    synthWith(env, (scope) => {
      const role = new LangsmithAppRole(scope, "langsmith-app", { namer: namerOf(env), oidcProviderArn: PLATFORM.oidcProviderArn, oidcIssuer: PLATFORM.oidcIssuer });
      role.grant(ACCESS);
      expect(() => role.grant(ACCESS)).toThrow("LangsmithAppRole langsmith-app: grant() was already called; pass all access in one call");
    });
  });

  test("the service account list is the chart's <release>-<component> names", () => {
    expect(LANGSMITH_APP_SERVICE_ACCOUNTS.every((sa) => sa.startsWith("langsmith-"))).toBe(true);
    expect(resources(synth(false), "aws_iam_role_policy")).toEqual([]);
  });
});
