import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { PROVIDERS, TERRAFORM_REQUIRED_VERSION } from "../../versions";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { shippedAppDir } from "../synth-cache";
import { Testing } from "cdktf";
import { BootstrapStack, bootstrapStackName, bootstrapTargets } from "../../stacks/bootstrap-stack";
import { envWith, Json, resource, resources, synthEnv, describeEach } from "../helpers";

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => e.config);

describeEach(shipped.map((env) => [env.name, env] as const))("stack langsmith-%s", (_name, env) => {
  const json = synthEnv(env);

  test("pins Terraform and the AWS provider exactly", () => {
    expect(json.terraform.required_version).toBe(TERRAFORM_REQUIRED_VERSION);
    // Every provider the stack uses is pinned to the exact version in versions.ts ("aws" is short for hashicorp/aws).
    for (const [name, req] of Object.entries(json.terraform.required_providers as Record<string, { source: string; version: string }>)) {
      const pin = PROVIDERS[name as keyof typeof PROVIDERS];
      expect(pin).toBeDefined();
      expect(req.version).toBe(pin.version);
      expect([name, pin.source]).toContain(req.source);
    }
  });

  test("provider is locked to the account and region, with default tags", () => {
    const aws = json.provider.aws[0];
    expect(aws.region).toBe(env.aws.region);
    expect(aws.allowed_account_ids).toEqual([env.aws.accountId]);
    expect(aws.default_tags[0].tags).toMatchObject({ app: "langsmith", environment: env.name, "managed-by": "cdktf", owner: env.owner, "cost-center": env.costCenter });
  });

  test("has its own encrypted, locked S3 state", () => {
    const s3 = json.terraform.backend.s3;
    if (env.state.backend !== "s3") return; // Terraform Cloud: terraform-cloud.test.ts
    expect(s3).toMatchObject({ bucket: env.state.bucket, key: env.state.key, encrypt: true, region: env.aws.region });
    if (env.state.backend === "s3" && env.state.locking === "dynamodb") expect(s3.dynamodb_table).toBe(env.state.lockTable);
    else expect(s3.use_lockfile).toBe(true);
  });

  test("one VPC from the environment CIDR, three subnets per AZ, none mapping public IPs", () => {
    expect(resource(json, "aws_vpc").cidr_block).toBe(env.network.vpcCidr);
    const subnets = resources(json, "aws_subnet").map(([, s]) => s);
    expect(subnets).toHaveLength(3 * env.aws.availabilityZones.length);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    const tiers = (tier: string) => subnets.filter((s) => s.tags["langsmith/subnet-tier"] === tier);
    expect(tiers("public").every((s) => s.tags["kubernetes.io/role/elb"] === "1")).toBe(true);
    expect(tiers("private").every((s) => s.tags["kubernetes.io/role/internal-elb"] === "1" && s.tags["kubernetes.io/cluster/ls-" + env.name + "-eks"] === "shared")).toBe(true);
  });

  test("NAT gateways follow network.natGateways", () => {
    const expected = env.network.mode === "create" && env.network.natGateways === "per-az" ? env.aws.availabilityZones.length : 1;
    expect(resources(json, "aws_nat_gateway")).toHaveLength(expected);
  });

  test("data subnets have no route to the internet; the default security group is closed", () => {
    const dataRt = resource(json, "aws_route_table", "data-rt");
    expect(dataRt.route ?? []).toEqual([]);
    const routes = resources(json, "aws_route").map(([, r]) => r.route_table_id);
    expect(routes.some((id: string) => id.includes("data-rt"))).toBe(false);
    expect(resource(json, "aws_default_security_group")).toMatchObject({ ingress: [], egress: [] });
  });

  test("S3 gateway endpoint and flow logs with the configured retention, KMS-encrypted", () => {
    expect(resource(json, "aws_vpc_endpoint", "s3")).toMatchObject({ vpc_endpoint_type: "Gateway", service_name: `com.amazonaws.${env.aws.region}.s3` });
    expect(resource(json, "aws_flow_log")).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    const group = resource(json, "aws_cloudwatch_log_group", "flow-logs");
    expect(group.retention_in_days).toBe(env.network.mode === "create" ? env.network.flowLogsRetentionDays : undefined);
    expect(group.kms_key_id).toMatch(/aws_kms_key/);
  });
});

describe("distinct state per environment", () => {
  test("no two environments share a backend key", () => {
    const keys = shipped.map((env) => synthEnv(env).terraform.backend.s3.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("bring your own VPC", () => {
  const env = envWith("dev", {
    network: {
      mode: "existing",
      vpcId: "vpc-0123456789abcdef0",
      vpcCidr: "10.50.0.0/16",
      publicSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
      privateSubnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"],
      dataSubnetIds: ["subnet-0000000000000000e", "subnet-0000000000000000f"],
    },
  });
  const json = synthEnv(env);

  test("creates no network, only tags the given subnets", () => {
    for (const type of ["aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway", "aws_route_table"]) {
      expect(resources(json, type)).toHaveLength(0);
    }
    const tags = resources(json, "aws_ec2_tag").map(([, t]) => `${t.resource_id} ${t.key}=${t.value}`).sort();
    expect(tags).toEqual([
      "subnet-0000000000000000a kubernetes.io/role/elb=1",
      "subnet-0000000000000000b kubernetes.io/role/elb=1",
      "subnet-0000000000000000c kubernetes.io/cluster/ls-dev-eks=shared",
      "subnet-0000000000000000c kubernetes.io/role/internal-elb=1",
      "subnet-0000000000000000d kubernetes.io/cluster/ls-dev-eks=shared",
      "subnet-0000000000000000d kubernetes.io/role/internal-elb=1",
    ]);
  });

  test("an existing VPC must list one subnet per AZ", () => {
    expect(() => envWith("dev", { network: { mode: "existing", vpcId: "vpc-0123456789abcdef0", vpcCidr: "10.50.0.0/16", publicSubnetIds: [], privateSubnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"], dataSubnetIds: ["subnet-0000000000000000e", "subnet-0000000000000000f"] } })).toThrow(
      "environments/dev.ts: network.publicSubnetIds must list one subnet per availability zone (2), got []",
    );
  });
});

describe("the app", () => {
  const targets = bootstrapTargets(shipped);

  test("one stack per environment and one bootstrap stack per state bucket", () => {
    const written = JSON.parse(readFileSync(join(shippedAppDir(), "manifest.json"), "utf8"));
    const buckets = new Set(shipped.flatMap((e) => (e.state.backend === "s3" ? [e.state.bucket] : [])));
    expect(targets).toHaveLength(buckets.size);
    const expected = [...targets.map((t) => bootstrapStackName(t, targets)), ...shipped.map((e) => `langsmith-${e.name}`)];
    expect(Object.keys(written.stacks).sort()).toEqual(expected.sort());
  });
});

describe("bootstrap stacks (fixture environments)", () => {
  // dev: DynamoDB locking; staging: the S3 lockfile (fixtures, so a fork's choices do not matter).
  const [withTable, lockfileOnly] = (["dev", "staging"] as const).map((name) => {
    const env = envWith(name);
    const [target] = bootstrapTargets([env]);
    return JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), bootstrapStackName(target, [target]), target), true)) as Json;
  });

  test("the bootstrap stack keeps local state and makes an encrypted, versioned, TLS-only, private bucket and a PITR lock table", () => {
    const json = withTable;
    expect(json.terraform.backend.local).toBeDefined();
    expect(resource(json, "aws_s3_bucket").lifecycle.prevent_destroy).toBe(true);
    expect(resource(json, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(resource(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(resource(json, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const policy = JSON.parse(resource(json, "aws_s3_bucket_policy").policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(resource(json, "aws_s3_bucket_lifecycle_configuration").rule[0].noncurrent_version_expiration).toBeDefined();
    expect(resource(json, "aws_dynamodb_table")).toMatchObject({ name: "ls-tfstate-lock", hash_key: "LockID", point_in_time_recovery: { enabled: true } });
    expect(resource(json, "aws_kms_key").enable_key_rotation).toBe(true);
  });

  test("a lockfile-only account gets no lock table", () => {
    const json = lockfileOnly;
    expect(resources(json, "aws_dynamodb_table")).toHaveLength(0);
  });
});
