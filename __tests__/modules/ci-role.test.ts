import { Aspects, Testing, TerraformStack } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CiRoles, githubTrust, PermissionsBoundary } from "../../modules/ci-role";
import { boundaryPolicy, CiScope, dataPolicy, edgePolicy, iamEksPolicy, networkPolicy, readPolicy, statePolicy } from "../../modules/ci-role/policies";
import { PolicyDocument, PolicyStatement } from "../../lib/iam";
import { Json, resource, resources } from "../helpers";

const SCOPE: CiScope = {
  accountId: "111111111111",
  region: "us-west-2",
  resourcePrefix: "ls-dev-",
  ciPrefix: "ls-dev-ci-",
  boundaryPolicyArn: "arn:aws:iam::111111111111:policy/ls-dev-ci-boundary",
  environmentTag: "dev",
  hostname: "langsmith.dev.example.com",
  hostedZoneId: "Z0DEV00000000000000001",
  state: {
    bucket: "ls-tfstate-111111111111-us-west-2",
    bucketArn: "arn:aws:s3:::ls-tfstate-111111111111-us-west-2",
    key: "langsmith/dev/terraform.tfstate",
    kmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/k",
    lockTableArn: "arn:aws:dynamodb:us-west-2:111111111111:table/ls-tfstate-lock",
  },
};
const DOCS: Record<string, PolicyDocument> = {
  read: readPolicy(SCOPE),
  "state-plan": statePolicy(SCOPE, "plan"),
  "state-apply": statePolicy(SCOPE, "apply"),
  network: networkPolicy(SCOPE),
  "iam-eks": iamEksPolicy(SCOPE),
  data: dataPolicy(SCOPE),
  edge: edgePolicy(SCOPE),
  boundary: boundaryPolicy(SCOPE),
};
const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === "string" ? [v] : [...v]);
const allows = (doc: PolicyDocument) => doc.Statement.filter((s) => s.Effect === "Allow");
const actionsOf = (doc: PolicyDocument, effect: PolicyStatement["Effect"] = "Allow") => doc.Statement.filter((s) => s.Effect === effect).flatMap((s) => list(s.Action));

describe.each(Object.entries(DOCS))("policy %s", (_name, doc) => {
  test("never allows * actions, and no service-wide wildcard on * without a condition except in the boundary", () => {
    for (const s of allows(doc)) {
      expect(list(s.Action)).not.toContain("*");
      const serviceWide = list(s.Action).filter((a) => /:\*$/.test(a));
      if (_name !== "boundary" && list(s.Resource).includes("*")) expect(serviceWide).toEqual([]);
    }
  });

  test("fits the managed-policy size limit (6,144 characters without whitespace)", () => {
    expect(JSON.stringify(doc).length).toBeLessThan(6144);
  });

  test("iam:PassRole only on the environment's roles, only to named services", () => {
    for (const s of allows(doc).filter((x) => list(x.Action).some((a) => a === "iam:PassRole" || a === "iam:*"))) {
      expect(list(s.Resource)).toEqual(["arn:aws:iam::111111111111:role/ls-dev-*"]);
      expect(s.Condition?.StringEquals?.["iam:PassedToService"]).toBeDefined();
    }
  });
});

describe("apply role policies", () => {
  test("creating or changing a role's policies requires the environment's boundary", () => {
    const iam = iamEksPolicy(SCOPE);
    const needBoundary = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:DetachRolePolicy"];
    for (const action of needBoundary) {
      const statements = allows(iam).filter((s) => list(s.Action).includes(action));
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) expect(s.Condition?.StringEquals?.["iam:PermissionsBoundary"]).toBe(SCOPE.boundaryPolicyArn);
    }
  });

  test("denies every IAM write on the CI roles and policies, dropping a boundary, and role hopping", () => {
    const denied = iamEksPolicy(SCOPE).Statement.filter((s) => s.Effect === "Deny");
    const onCi = denied.find((s) => list(s.Resource).includes("arn:aws:iam::111111111111:role/ls-dev-ci-*"));
    expect(onCi && list(onCi.Action)).toEqual(expect.arrayContaining(["iam:Put*", "iam:Attach*", "iam:Update*", "iam:PassRole", "iam:Create*", "iam:Delete*"]));
    expect(list(onCi?.Resource)).toContain("arn:aws:iam::111111111111:policy/ls-dev-ci-*");
    expect(actionsOf(iamEksPolicy(SCOPE), "Deny")).toEqual(expect.arrayContaining(["iam:DeleteRolePermissionsBoundary", "sts:AssumeRole"]));
  });

  test.each<[string, PolicyDocument, string[]]>([
    ["EKS", iamEksPolicy(SCOPE), ["arn:aws:eks:us-west-2:111111111111:cluster/ls-dev-*"]],
    ["RDS", dataPolicy(SCOPE), ["arn:aws:rds:us-west-2:111111111111:db:ls-dev-*", "arn:aws:rds:us-west-2:111111111111:cluster:ls-dev-*"]],
    ["ElastiCache", dataPolicy(SCOPE), ["arn:aws:elasticache:us-west-2:111111111111:replicationgroup:ls-dev-*"]],
    ["S3", dataPolicy(SCOPE), ["arn:aws:s3:::ls-dev-*"]],
    ["ALB", edgePolicy(SCOPE), ["arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/ls-dev-*/*"]],
    ["WAF", edgePolicy(SCOPE), ["arn:aws:wafv2:us-west-2:111111111111:regional/webacl/ls-dev-*/*"]],
  ])("%s writes are scoped to the environment's names", (_svc, doc, expected) => {
    const resourcesAllowed = allows(doc).flatMap((s) => list(s.Resource));
    expect(resourcesAllowed).toEqual(expect.arrayContaining(expected));
  });

  test("secrets of the environment by both naming schemes; alarms, topics and keys in any region (us-east-1 health-check alarm)", () => {
    const allowed = [...allows(dataPolicy(SCOPE)), ...allows(edgePolicy(SCOPE))].flatMap((s) => list(s.Resource));
    expect(allowed).toEqual(expect.arrayContaining([
      "arn:aws:secretsmanager:us-west-2:111111111111:secret:ls-dev/*",
      "arn:aws:cloudwatch:*:111111111111:alarm:ls-dev-*",
      "arn:aws:sns:*:111111111111:ls-dev-*",
      "arn:aws:kms:*:111111111111:key/*",
      "arn:aws:route53:::healthcheck/*",
    ]));
    expect(list(boundaryPolicy(SCOPE).Statement.find((x) => x.Sid === "OwnSecrets")?.Resource)).toContain("arn:aws:secretsmanager:us-west-2:111111111111:secret:ls-dev/*");
  });

  test("boundary: S3 on the environment's buckets is objects only (no s3:*, no bucket policy or configuration, no version purge)", () => {
    const s3 = boundaryPolicy(SCOPE).Statement.filter((x) => list(x.Action).some((a) => a.startsWith("s3:")));
    expect(s3).toEqual([expect.objectContaining({ Resource: ["arn:aws:s3:::ls-dev-*", "arn:aws:s3:::ls-dev-*/*"] })]);
    const actions = list(s3[0].Action);
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    for (const a of ["s3:PutBucketPolicy", "s3:DeleteBucket", "s3:DeleteObjectVersion", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"]) expect(actions).not.toContain(a);
  });

  test("S3: bucket configuration only, never object read/write/delete on the environment's buckets", () => {
    const s3 = actionsOf(dataPolicy(SCOPE)).filter((a) => a.startsWith("s3:"));
    expect(s3).not.toEqual(expect.arrayContaining(["s3:GetObject"]));
    expect(s3.some((a) => /^s3:(\*|GetObject|PutObject|DeleteObject)/.test(a))).toBe(false);
  });

  test("secrets are managed without values: no GetSecretValue or PutSecretValue", () => {
    const all = Object.entries(DOCS).filter(([n]) => n !== "boundary").flatMap(([, d]) => actionsOf(d));
    expect(all.filter((a) => /GetSecretValue|PutSecretValue/.test(a))).toEqual([]);
  });

  test("KMS keys, certificates and snapshot policies are limited by the environment tag", () => {
    const tagged = [...allows(dataPolicy(SCOPE)), ...allows(edgePolicy(SCOPE))].filter((s) => list(s.Action).some((a) => /^(kms:CreateKey|kms:ScheduleKeyDeletion|acm:RequestCertificate|acm:DeleteCertificate|dlm:CreateLifecyclePolicy)$/.test(a)));
    expect(tagged).toHaveLength(5);
    for (const s of tagged) expect(Object.values(s.Condition?.StringEquals ?? {})).toEqual(["dev"]);
  });

  test("DNS changes only for the LangSmith hostname and names under it, in its zone", () => {
    const s = allows(edgePolicy(SCOPE)).find((x) => list(x.Action).includes("route53:ChangeResourceRecordSets"));
    expect(s?.Resource).toBe("arn:aws:route53:::hostedzone/Z0DEV00000000000000001");
    expect(s?.Condition?.["ForAllValues:StringLike"]?.["route53:ChangeResourceRecordSetsNormalizedRecordNames"]).toEqual(["langsmith.dev.example.com", "*.langsmith.dev.example.com"]);
  });

  test("a second name on the ALB (Langfuse) and a separate validation zone are allowed too, and nothing else", () => {
    const s = allows(edgePolicy({ ...SCOPE, otherHostnames: ["langfuse.dev.example.com"], validationZoneId: "Z0PUBLIC0000000000001" })).find((x) => list(x.Action).includes("route53:ChangeResourceRecordSets"));
    expect(s?.Resource).toEqual(["arn:aws:route53:::hostedzone/Z0DEV00000000000000001", "arn:aws:route53:::hostedzone/Z0PUBLIC0000000000001"]);
    expect(s?.Condition?.["ForAllValues:StringLike"]?.["route53:ChangeResourceRecordSetsNormalizedRecordNames"]).toEqual([
      "langsmith.dev.example.com", "*.langsmith.dev.example.com", "langfuse.dev.example.com", "*.langfuse.dev.example.com",
    ]);
  });

  test("EC2 writes are a list of actions limited to the region", () => {
    const [s] = allows(networkPolicy(SCOPE));
    expect(s.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": "us-west-2" } });
    expect(list(s.Action).every((a) => a.startsWith("ec2:") && !a.includes("*"))).toBe(true);
    expect(list(s.Action)).not.toContain("ec2:RunInstances");
  });
});

describe("state policies", () => {
  test("plan reads the state object, apply also writes it; both lock", () => {
    const object = (doc: PolicyDocument) => doc.Statement.find((s) => s.Resource === `${SCOPE.state.bucketArn}/${SCOPE.state.key}`);
    expect(list(object(statePolicy(SCOPE, "plan"))?.Action)).toEqual(["s3:GetObject"]);
    expect(list(object(statePolicy(SCOPE, "apply"))?.Action)).toEqual(["s3:GetObject", "s3:PutObject"]);
    for (const access of ["plan", "apply"] as const) {
      const doc = statePolicy(SCOPE, access);
      expect(doc.Statement.find((s) => s.Resource === `${SCOPE.state.bucketArn}/${SCOPE.state.key}.tflock`)).toBeDefined();
      expect(doc.Statement.find((s) => s.Resource === SCOPE.state.lockTableArn)?.Action).toEqual(expect.arrayContaining(["dynamodb:PutItem", "dynamodb:DeleteItem"]));
    }
  });

  test.each(["plan", "apply"] as const)("%s: the lock table's items of this environment only (LockID <bucket>/<key> and its -md5 digest), not another environment's lock", (access) => {
    const lock = statePolicy(SCOPE, access).Statement.filter((s) => list(s.Action).some((a) => a.startsWith("dynamodb:")));
    expect(lock).toEqual([
      expect.objectContaining({
        Resource: SCOPE.state.lockTableArn,
        Condition: {
          "ForAllValues:StringEquals": {
            "dynamodb:LeadingKeys": ["ls-tfstate-111111111111-us-west-2/langsmith/dev/terraform.tfstate", "ls-tfstate-111111111111-us-west-2/langsmith/dev/terraform.tfstate-md5"],
          },
        },
      }),
    ]);
    // No item action that reads or writes many keys at once (Scan, Query, Batch*) and could skip LeadingKeys.
    expect(lock.flatMap((s) => list(s.Action)).sort()).toEqual(["dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"]);
  });

  test("without a lock table there is no DynamoDB statement", () => {
    const doc = statePolicy({ ...SCOPE, state: { ...SCOPE.state, lockTableArn: undefined } }, "plan");
    expect(doc.Statement.flatMap((s) => list(s.Action)).some((a) => a.startsWith("dynamodb:"))).toBe(false);
  });

  test("the read policy has no write verb", () => {
    const actions = readPolicy(SCOPE).Statement.flatMap((x) => list(x.Action));
    expect(actions.filter((a) => !/:(Describe|Get|List)/.test(a))).toEqual([]);
    expect(readPolicy(SCOPE).Statement[1]).toMatchObject({ Action: "s3:ListBucket", Resource: "arn:aws:s3:::ls-dev-*" });
  });
});

describe("CiRoles construct", () => {
  const synth = (subjects = { plan: "repo:o/r:pull_request", apply: "repo:o/r:environment:dev" }) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "t");
    new AwsProvider(stack, "aws", { region: "us-west-2" });
    const { boundaryPolicyArn: _omit, ...scope } = SCOPE;
    new CiRoles(stack, "ci", {
      oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
      names: { planRole: "ls-dev-ci-plan", applyRole: "ls-dev-ci-apply", boundaryPolicy: "ls-dev-ci-boundary", policyPrefix: "ls-dev-ci-" },
      subjects,
      scope,
    });
    return JSON.parse(Testing.synth(stack, true)) as Json;
  };

  test("plan gets read + state-plan, apply gets read + state-apply + the write policies", () => {
    const json = synth();
    const attached = (role: string) =>
      resources(json, "aws_iam_role_policy_attachment")
        .filter(([, a]) => a.role.includes(role))
        .map(([, a]) => /policy-([a-z-]+)_/.exec(a.policy_arn)?.[1])
        .sort();
    expect(attached("plan-role")).toEqual(["read", "state-plan"]);
    expect(attached("apply-role")).toEqual(["data", "edge", "iam-eks", "network", "read", "state-apply"]);
    expect(resource(json, "aws_iam_role", "apply-role").max_session_duration).toBe(7200);
    expect(resource(json, "aws_iam_role", "plan-role").max_session_duration).toBe(3600);
  });

  test("each role trusts exactly one subject with the STS audience", () => {
    const json = synth();
    for (const [role, sub] of [["plan-role", "repo:o/r:pull_request"], ["apply-role", "repo:o/r:environment:dev"]]) {
      const trust = JSON.parse(resource(json, "aws_iam_role", role).assume_role_policy);
      expect(trust.Statement).toHaveLength(1);
      expect(trust.Statement[0].Condition).toEqual({
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub },
      });
    }
  });

  test("refuses a wildcard subject", () => {
    expect(() => synth({ plan: "repo:o/r:*", apply: "repo:o/r:environment:dev" })).toThrow("CiRoles ci: the plan subject must be exact, got repo:o/r:*");
  });

  test("githubTrust uses StringEquals, never StringLike", () => {
    expect(JSON.stringify(githubTrust("arn", "repo:o/r:pull_request"))).not.toContain("StringLike");
  });
});

describe("PermissionsBoundary aspect", () => {
  test("sets the boundary on roles without one and keeps an explicit one", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "t");
    new AwsProvider(stack, "aws", { region: "us-west-2" });
    new IamRole(stack, "plain", { name: "ls-dev-a", assumeRolePolicy: "{}" });
    new IamRole(stack, "own", { name: "ls-dev-b", assumeRolePolicy: "{}", permissionsBoundary: "arn:aws:iam::111111111111:policy/other" });
    Aspects.of(stack).add(new PermissionsBoundary(SCOPE.boundaryPolicyArn));
    const json = JSON.parse(Testing.synth(stack, true)) as Json;
    expect(resource(json, "aws_iam_role", "plain").permissions_boundary).toBe(SCOPE.boundaryPolicyArn);
    expect(resource(json, "aws_iam_role", "own").permissions_boundary).toBe("arn:aws:iam::111111111111:policy/other");
  });
});
