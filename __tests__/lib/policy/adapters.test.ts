import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configAddress, fromPlan, fromSynth } from "../../../lib/policy/adapters";
import type { Json } from "../../../lib/policy/types";

const FIXTURE = join(__dirname, "..", "..", "fixtures", "plan-guard", "replace-database.plan.json");

describe("fromSynth", () => {
  const view = fromSynth({
    resource: {
      aws_s3_bucket: {
        blob_ABC: { "//": { metadata: { path: "langsmith-dev/blob/bucket" } }, bucket: "x", lifecycle: { prevent_destroy: true }, depends_on: ["aws_kms_key.k"] },
      },
    },
    data: { aws_eks_cluster_auth: { auth: { name: "c" } } },
    provider: { aws: [{ region: "us-west-2" }], helm: [{ alias: "a" }, { alias: "b" }] },
    terraform: { backend: { s3: { bucket: "state" } } },
    output: { vpc_id: { value: "${aws_vpc.v.id}" } },
    variable: { x: { default: "y" } },
    locals: { a: 1 },
  });

  test("resources: address, type, values without meta-arguments, construct path, lifecycle", () => {
    const bucket = view.resources[0];
    expect(bucket).toEqual({ address: "aws_s3_bucket.blob_ABC", type: "aws_s3_bucket", values: { bucket: "x" }, path: "langsmith-dev/blob/bucket", lifecycle: { prevent_destroy: true } });
    expect(view.kind).toBe("synth");
  });

  test("non-resource blocks become pseudo entries for the secret scan", () => {
    expect(view.resources.slice(1).map((r) => `${r.type} ${r.address}`)).toEqual([
      "data data.aws_eks_cluster_auth.auth",
      "provider provider.aws",
      "provider provider.helm[0]",
      "provider provider.helm[1]",
      "backend terraform.backend.s3",
      "output output.vpc_id",
      "variable var.x",
      "locals locals",
    ]);
  });
});

describe("fromPlan", () => {
  const plan: Json = {
    resource_changes: [
      {
        address: "aws_s3_bucket_server_side_encryption_configuration.sse",
        mode: "managed",
        type: "aws_s3_bucket_server_side_encryption_configuration",
        change: {
          actions: ["create"],
          after: { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms" }], bucket_key_enabled: true }] },
          after_unknown: { bucket: true, id: true, rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] },
        },
      },
      {
        address: "aws_s3_bucket_policy.p",
        mode: "managed",
        type: "aws_s3_bucket_policy",
        change: { actions: ["create"], after: {}, after_unknown: { bucket: true, policy: true } },
      },
      { address: "aws_s3_bucket.gone", mode: "managed", type: "aws_s3_bucket", change: { actions: ["delete"], before: { bucket: "x" }, after: null } },
      { address: "data.aws_region.r", mode: "data", type: "aws_region", change: { actions: ["read"], after: {} } },
      {
        address: 'aws_subnet.s["a"]',
        mode: "managed",
        type: "aws_subnet",
        change: { actions: ["create"], after: { tags: { Name: "a" } }, after_unknown: { tags_all: {}, vpc_id: true } },
      },
    ],
    configuration: {
      root_module: {
        resources: [
          {
            address: "aws_s3_bucket_server_side_encryption_configuration.sse",
            mode: "managed",
            expressions: {
              bucket: { constant_value: "${aws_s3_bucket.b.id}", references: ["aws_s3_bucket.b.id", "aws_s3_bucket.b"] },
              rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: { references: ["aws_kms_key.k.arn", "aws_kms_key.k"] } }] }],
            },
          },
          { address: "aws_s3_bucket_policy.p", mode: "managed", expressions: { policy: { constant_value: '{"Statement":[{"Resource":"${aws_s3_bucket.b.arn}"}]}' } } },
          { address: "aws_subnet.s", mode: "managed", expressions: { vpc_id: { references: ["aws_vpc.v.id", "aws_vpc.v"] } } },
        ],
      },
    },
  };
  const view = fromPlan(plan);
  const byAddress = (a: string) => view.resources.find((r) => r.address === a)?.values;

  test("unknown values read like the synth view: the configuration's expression, else ${unknown}", () => {
    expect(byAddress("aws_s3_bucket_server_side_encryption_configuration.sse")).toEqual({
      bucket: "${aws_s3_bucket.b.id}",
      id: "${unknown}",
      rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.k.arn}" }], bucket_key_enabled: true }],
    });
    expect(byAddress("aws_s3_bucket_policy.p")).toEqual({ bucket: "${unknown}", policy: '{"Statement":[{"Resource":"${aws_s3_bucket.b.arn}"}]}' });
  });

  test("instance keys are dropped to find the configuration; known values are kept as they are", () => {
    expect(byAddress('aws_subnet.s["a"]')).toEqual({ tags: { Name: "a" }, tags_all: undefined, vpc_id: "${aws_vpc.v.id}" });
  });

  test("deleted resources and data sources are not judged", () => {
    expect(view.resources.map((r) => r.address)).toEqual(["aws_s3_bucket_server_side_encryption_configuration.sse", "aws_s3_bucket_policy.p", 'aws_subnet.s["a"]']);
    expect(view.kind).toBe("plan");
  });

  test("a real offline plan: every resource, references restored from the configuration", () => {
    const real = fromPlan(JSON.parse(readFileSync(FIXTURE, "utf8")));
    expect(real.resources.map((r) => r.type).sort()).toEqual(["aws_db_instance", "aws_dynamodb_table", "aws_kms_key", "aws_s3_bucket"]);
    expect(real.resources.find((r) => r.type === "aws_db_instance")?.values).toMatchObject({ engine: "postgres", storage_encrypted: true, identifier: "ls-dev-postgres" });
  });

  test.each([
    ["aws_s3_bucket.b", "aws_s3_bucket.b"],
    ["aws_subnet.s[0]", "aws_subnet.s"],
    ['module.net["x"].aws_subnet.s["a"]', "module.net.aws_subnet.s"],
  ])("configAddress(%s) = %s", (address, expected) => {
    expect(configAddress(address)).toBe(expected);
  });
});
