import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXTURE_ENVIRONMENTS } from "../../fixtures/environments";

const FIXTURES = Object.values(FIXTURE_ENVIRONMENTS);
import { loadTarget, MissingInput, need, resolveLiteral } from "../../../scripts/verify/target";

function synthesized(dir: string, env: string, json: object): void {
  const stackDir = join(dir, "stacks", `langsmith-${env}`);
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(json));
}

const STACK = {
  resource: {
    aws_eks_cluster: { eks_cluster_1A2B: { name: "ls-dev-cluster", role_arn: "${aws_iam_role.r.arn}" } },
    aws_s3_bucket: { blobs_3C4D: { bucket: "ls-dev-blobs-111111111111" } },
  },
  output: {
    cluster_name: { value: "${aws_eks_cluster.eks_cluster_1A2B.name}" },
    blob_bucket_name: { value: "${aws_s3_bucket.blobs_3C4D.bucket}" },
    alb_target_group_arn: { value: "${aws_lb_target_group.tg_5E6F.arn}" },
    postgres_kind: { value: "instance" },
  },
};

describe("loadTarget", () => {
  test("from the environment file alone: region, hostname, cluster name by the stack's naming rule", () => {
    const t = loadTarget({ env: "dev", environments: FIXTURES, cdktfOut: join(tmpdir(), "verify-none") });
    expect(t.values).toEqual({ region: "us-west-2", hostname: "langsmith.dev.example.com", clusterName: "ls-dev-eks", postgresKind: "instance" });
    expect(t.sources.clusterName).toBe("environments/dev.ts (naming rule)");
    expect(t.exposure).toBe("public");
  });

  test("the synthesized stack adds outputs known before apply; computed ones stay missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "verify-target-"));
    synthesized(dir, "dev", STACK);
    const t = loadTarget({ env: "dev", environments: FIXTURES, cdktfOut: dir });
    expect(t.values.clusterName).toBe("ls-dev-cluster");
    expect(t.values.blobBucketName).toBe("ls-dev-blobs-111111111111");
    expect(t.values.targetGroupArn).toBeUndefined();
    expect(t.sources.clusterName).toBe(join(dir, "stacks", "langsmith-dev", "cdk.tf.json"));
    expect(() => need(t, "targetGroupArn")).toThrow(MissingInput);
  });

  test("terraform output -json wins, except sensitive outputs", () => {
    const dir = mkdtempSync(join(tmpdir(), "verify-target-"));
    synthesized(dir, "dev", STACK);
    const file = join(dir, "outputs.json");
    writeFileSync(
      file,
      JSON.stringify({
        cluster_name: { value: "ls-dev-eks-2", type: "string", sensitive: false },
        private_subnet_ids: { value: ["subnet-0a", "subnet-0b"], type: ["list", "string"], sensitive: false },
        alb_target_group_arn: { value: "arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/x/1", type: "string", sensitive: false },
        langsmith_app_role_arn: { value: "arn:aws:iam::111111111111:role/x", type: "string", sensitive: true },
      }),
    );
    const t = loadTarget({ env: "dev", environments: FIXTURES, cdktfOut: dir, outputsFile: file });
    expect(t.values.clusterName).toBe("ls-dev-eks-2");
    expect(t.values.privateSubnetIds).toEqual(["subnet-0a", "subnet-0b"]);
    expect(t.values.targetGroupArn).toMatch(/targetgroup\/x\/1$/);
    expect(t.values.appRoleArn).toBeUndefined();
    expect(t.sources.clusterName).toBe(file);
  });

  test("an unknown environment names the known ones", () => {
    expect(() => loadTarget({ env: "no-such-env", environments: FIXTURES })).toThrow('unknown environment "no-such-env"; known: dev, staging, prod');
  });

  test("MissingInput names the Terraform output and how to provide it", () => {
    expect(new MissingInput("nodeSecurityGroupId").message).toMatch(/stack output "node_security_group_id".*--outputs <file>.*terraform output -json/);
  });
});

describe("resolveLiteral", () => {
  test.each([
    ["us-west-2", "us-west-2"],
    ["${aws_eks_cluster.eks_cluster_1A2B.name}", "ls-dev-cluster"],
    ["${aws_eks_cluster.eks_cluster_1A2B.role_arn}", undefined],
    ["${aws_eks_cluster.eks_cluster_1A2B.arn}", undefined],
    ["${aws_eks_cluster.missing.name}", undefined],
    ["prefix-${aws_eks_cluster.eks_cluster_1A2B.name}", undefined],
    [["${aws_s3_bucket.blobs_3C4D.bucket}", "x"], ["ls-dev-blobs-111111111111", "x"]],
    [["${aws_subnet.a.id}"], undefined],
    [42, undefined],
  ])("%j → %j", (value, expected) => expect(resolveLiteral(STACK, value)).toEqual(expected));
});
