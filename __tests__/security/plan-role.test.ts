/**
 * The CI plan role (trusted by every pull request) can read no Secret: not in Kubernetes (a custom
 * read-only group without `secrets`, Helm records in ConfigMaps), not in AWS (no secret value,
 * no object but its state, the state key only through S3/DynamoDB).
 */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { ciArns } from "../../lib/ci";
import { CORE_READABLE, planReaderManifests, PLAN_READER_GROUP, READ_VERBS } from "../../modules/ci-role/cluster-access";
import { githubTrust } from "../../modules/ci-role";
import { readPolicy, statePolicy } from "../../modules/ci-role/policies";
import { Json, resources, shippedStack, describeEach } from "../helpers";

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);

describe("the plan role's ClusterRole", () => {
  const [role, binding] = planReaderManifests();

  test("grants read verbs only", () => {
    for (const r of role.rules) for (const v of r.verbs) expect(READ_VERBS).toContain(v);
  });

  test("never names secrets, a wildcard core resource, a core subresource or every API group", () => {
    for (const r of role.rules) {
      expect(r.resources).not.toContain("secrets");
      expect(r.apiGroups).not.toContain("*");
      if (r.apiGroups.includes("")) {
        expect(r.resources).not.toContain("*");
        expect(r.resources.filter((x) => x.includes("/"))).toEqual([]);
      }
    }
    // Secrets live only in the core group; the other groups are read in full.
    expect(role.rules.filter((r) => r.apiGroups.includes("")).flatMap((r) => r.resources)).toEqual([...CORE_READABLE]);
  });

  test("is bound to the plan role's group and to nothing else", () => {
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name });
    expect(binding.subjects).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: PLAN_READER_GROUP }]);
  });
});

const withCi = loadEnvironments(ENVIRONMENTS).map((e) => e.config).filter((e) => e.ci);

describeEach(withCi.map((e) => [e.name, e] as const))("environment %s", (_name, env) => {
  const json = shippedStack(`langsmith-${env.name}`);
  const planRole = ciArns(env).planRole;

  test("the plan role's access entry puts it in the reader group, with no EKS access policy", () => {
    const entries = resources(json, "aws_eks_access_entry").filter(([, e]) => e.principal_arn === planRole);
    expect(entries).toHaveLength(1);
    expect(entries[0][1].kubernetes_groups).toEqual([PLAN_READER_GROUP]);
    const ref = new RegExp(`aws_eks_access_entry\\.${entries[0][0]}\\.`);
    const policies = resources(json, "aws_eks_access_policy_association").filter(([, a]) => a.principal_arn === planRole || ref.test(a.principal_arn));
    expect(policies).toEqual([]);
  });

  test("the reader ClusterRole and binding are installed by the stack", () => {
    const release = resources(json, "helm_release").find(([, r]) => r.name === "langsmith-ci-plan-reader");
    expect(release).toBeDefined();
    expect(JSON.parse(release![1].values[0]).manifests).toEqual(planReaderManifests());
  });

  test("Helm keeps release records in ConfigMaps, which the group may read", () => {
    for (const p of [json.provider.helm].flat() as Json[]) expect(p.helm_driver).toBe("configmap");
    expect(CORE_READABLE).toContain("configmaps");
  });
});

describe("the plan role in AWS", () => {
  const scope = {
    resourcePrefix: "ls-dev-",
    region: "us-west-2",
    state: { bucketArn: "arn:aws:s3:::b", key: "langsmith/dev/terraform.tfstate", kmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/k" },
  } as Parameters<typeof statePolicy>[0];
  const statements = [...readPolicy(scope).Statement, ...statePolicy(scope, "plan").Statement].filter((s) => s.Effect === "Allow");
  const granting = (pattern: RegExp) => statements.filter((s) => list(s.Action).some((a) => pattern.test(a)));

  test("reads no secret value and no parameter", () => {
    expect(granting(/^(secretsmanager:(GetSecretValue|\*)|ssm:Get|ssm:\*|kms:\*)/)).toEqual([]);
  });

  test("reads no object but its own state and lockfile", () => {
    const reads = granting(/^s3:(GetObject|\*)/).flatMap((s) => list(s.Resource));
    expect(reads.sort()).toEqual(["arn:aws:s3:::b/langsmith/dev/terraform.tfstate", "arn:aws:s3:::b/langsmith/dev/terraform.tfstate.tflock"]);
  });

  test("decrypts only with the state key, only through S3 or DynamoDB", () => {
    const decrypt = granting(/^kms:(Decrypt|\*)/);
    expect(decrypt).toHaveLength(1);
    expect(decrypt[0].Resource).toBe(scope.state.kmsKeyArn);
    expect(decrypt[0].Condition?.StringEquals?.["kms:ViaService"]).toBeDefined();
  });

  test("is trusted only by the exact pull_request subject (StringEquals, audience pinned)", () => {
    const trust = githubTrust("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", "repo:o/r:pull_request").Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0].Condition).toEqual({
      StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:o/r:pull_request" },
    });
    expect(Object.keys(trust[0].Condition ?? {})).not.toContain("StringLike");
  });
});
