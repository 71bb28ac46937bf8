/**
 * Stacks skip cdktf's preparing resolve (stacks/isolated-stack.ts), which is what would turn a
 * reference to another stack's resource into a `terraform_remote_state` lookup. These tests
 * make sure no such reference exists, and that one would be caught.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { IsolatedStack } from "../../stacks/isolated-stack";
import { shippedAppDir } from "../synth-cache";
import type { Json } from "../helpers";
import { testEach } from "../helpers";

/** The `${...}` expressions in a string (nested braces included). */
function expressions(s: string): string[] {
  const found: string[] = [];
  for (let start = s.indexOf("${"); start >= 0; start = s.indexOf("${", start + 2)) {
    let depth = 0;
    for (let i = start + 1; i < s.length; i++) {
      if (s[i] === "{") depth++;
      else if (s[i] === "}" && --depth === 0) {
        found.push(s.slice(start + 2, i));
        break;
      }
    }
  }
  return found;
}

/** `aws_s3_bucket.logs` or `data.aws_x.y` inside an expression (not an attribute of something else). */
const ADDRESS = /(?<![\w.\]])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

/** Every address referenced in `json` (expressions and depends_on), and whether it names a block of it. */
function references(json: Json): { address: string; declared: boolean }[] {
  const found = new Map<string, boolean>();
  const check = (text: string) => {
    for (const [address, data, type, name] of text.matchAll(ADDRESS)) found.set(address, json[data ? "data" : "resource"]?.[type]?.[name] !== undefined);
  };
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === "string") {
      if (key === "depends_on") check(v);
      else expressions(v).forEach(check);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "//") walk(x, k);
  };
  walk(json);
  return [...found].map(([address, declared]) => ({ address, declared }));
}

const undeclaredReferences = (json: Json) => references(json).filter((r) => !r.declared).map((r) => r.address).sort();

const stacksDir = () => join(shippedAppDir(), "stacks");
const stackJson = (dir: string, name: string): Json => JSON.parse(readFileSync(join(dir, name, "cdk.tf.json"), "utf8"));

describe("isolated stacks", () => {
  test("the check sees references in expressions, embedded JSON and depends_on", () => {
    const json = {
      resource: { aws_s3_bucket: { a: {} }, aws_iam_role: { r: { assume_role_policy: '{"x":"${aws_s3_bucket.a.arn}/${aws_kms_key.k.arn}"}', depends_on: ["aws_sns_topic.t"] } } },
      output: { o: { value: "${tolist(aws_acm_certificate.c.domain_validation_options)[0].resource_record_name} ${local.x} ${var.y} ${data.aws_caller_identity.me.account_id}" } },
    };
    expect(undeclaredReferences(json)).toEqual(["aws_acm_certificate.c", "aws_kms_key.k", "aws_sns_topic.t", "data.aws_caller_identity.me"]);
  });

  testEach(readdirSync(stacksDir()))("%s: every reference names a block of its own stack, and no remote state", (name) => {
    const json = stackJson(stacksDir(), name);
    expect(references(json).length).toBeGreaterThan(name.startsWith("langsmith-") ? 100 : 5);
    expect(undeclaredReferences(json)).toEqual([]);
    expect(json.data?.terraform_remote_state).toBeUndefined();
  });

  test("a reference to another stack's resource is written as-is, naming nothing in its stack", () => {
    const outdir = mkdtempSync(join(tmpdir(), "ls-isolated-"));
    try {
      const app = new App({ outdir });
      const a = new IsolatedStack(app, "a");
      new AwsProvider(a, "aws", { region: "us-west-2" });
      const bucket = new S3Bucket(a, "bucket", { bucket: "shared" });
      const b = new IsolatedStack(app, "b");
      new AwsProvider(b, "aws", { region: "us-west-2" });
      new TerraformOutput(b, "arn", { value: bucket.arn });
      app.synth();
      const json = stackJson(join(outdir, "stacks"), "b");
      expect(json.output.arn.value).toBe("${aws_s3_bucket.bucket.arn}");
      expect(undeclaredReferences(json)).toEqual(["aws_s3_bucket.bucket"]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
