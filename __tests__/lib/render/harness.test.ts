/** The render harness itself: zip reader, helm locator, chart sources, stand-ins, renderChart. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import {
  chartMeta,
  helmFromLayer,
  layerZip,
  locateChart,
  LANGSMITH_CHART,
  mirroredChart,
  mirroredVersions,
  readZipEntry,
  RenderError,
  renderChart,
  replaceTokens,
  workPrefix,
  requireRenderTier,
  standIn,
  zipEntries,
} from "../../../lib/render";
import { chartDirectory } from "../../../modules/k8s-manifests";
import { RENDER_TOOLS } from "../../../versions";
import { TIER } from "../../render/rendered";

/** A one-entry zip archive (local header, data, central directory, end record). */
function zipOf(name: string, data: Buffer, method: 0 | 8): Buffer {
  const body = method === 8 ? deflateRawSync(data) : data;
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE((0o100755 << 16) >>> 0, 38);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + n.length + body.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + n.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, n, body, central, n, end]);
}

describe("zip reader (no unzip binary)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ls-zip-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  test.each([0, 8] as const)("reads a method-%i entry", (method) => {
    const file = join(dir, `m${method}.zip`);
    require("node:fs").writeFileSync(file, zipOf("helm/helm", Buffer.from("#!/bin/sh\necho hi\n"), method));
    expect(zipEntries(readFileSync(file), file)).toEqual([expect.objectContaining({ name: "helm/helm", mode: 0o100755 })]);
    expect(readZipEntry(file, "helm/helm").toString()).toBe("#!/bin/sh\necho hi\n");
  });
  test("names the archive and the entry when the entry is missing, and refuses a non-zip", () => {
    const file = join(dir, "m0.zip");
    expect(() => readZipEntry(file, "kubectl/kubectl")).toThrow(`${file}: no entry kubectl/kubectl`);
    const bogus = join(dir, "bogus.zip");
    require("node:fs").writeFileSync(bogus, "not a zip");
    expect(() => readZipEntry(bogus, "x")).toThrow(`${bogus}: not a zip archive`);
  });
});

describe("helm from the pinned devDependency", () => {
  const zip = layerZip();
  test(`${RENDER_TOOLS.helmPackage} is installed and ships ${RENDER_TOOLS.helmLayerEntry}`, () => {
    expect(zip).toBeDefined();
    expect(zipEntries(readFileSync(zip as string)).map((e) => e.name)).toContain(RENDER_TOOLS.helmLayerEntry);
  });
  test(`extracts into node_modules/.cache and verifies v${RENDER_TOOLS.helm}`, () => {
    const helm = helmFromLayer(zip as string);
    expect(helm).toEqual({ path: expect.stringMatching(new RegExp(`node_modules/\\.cache/helm-${RENDER_TOOLS.helm.replace(/\./g, "\\.")}/helm$`)), version: `v${RENDER_TOOLS.helm}`, source: "devDependency" });
  });
  test("refuses a helm whose version differs from the pin, naming both", () => {
    // The extracted 3.17.3 binary is not "9.9.9": the check runs against what the binary reports.
    const pinned = helmFromLayer(zip as string).path;
    // A cache root of this test's own (the repository's may be shared with the fleet test's copy,
    // running this same test at the same time), with the pinned binary linked where a 9.9.9
    // extraction would land: the check under test runs without inflating the ~50 MB layer again
    // (extraction itself: the test above, on a clean cache).
    const root = mkdtempSync(join(tmpdir(), "ls-helm-cache-"));
    const before = process.env.LS_RENDER_CACHE_ROOT;
    process.env.LS_RENDER_CACHE_ROOT = root;
    try {
      const wrong = require("../../../lib/render").cacheDir("helm-9.9.9") as string;
      expect(wrong).toBe(join(root, "helm-9.9.9"));
      mkdirSync(wrong, { recursive: true });
      symlinkSync(pinned, join(wrong, "helm"));
      expect(() => helmFromLayer(zip as string, "9.9.9")).toThrow(/reports helm v3\.17\.3, versions\.ts RENDER_TOOLS\.helm pins v9\.9\.9/);
    } finally {
      if (before === undefined) delete process.env.LS_RENDER_CACHE_ROOT;
      else process.env.LS_RENDER_CACHE_ROOT = before;
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("chart sources", () => {
  test("the mirror's copy is used when its Chart.yaml has the pinned name and version", () => {
    const mirror = mirroredChart(LANGSMITH_CHART);
    if (!mirror) return expect(process.env.CI).not.toBe("true"); // a user's clone has no ../shared
    expect(chartMeta(mirror)).toEqual({ name: "langsmith", version: LANGSMITH_CHART.version });
  });
  test("without a mirror and without a digest, the reason names the missing mirror directory and the digest", () => {
    const empty = mkdtempSync(join(tmpdir(), "ls-mirror-"));
    const before = process.env.LS_CHART_MIRROR;
    process.env.LS_CHART_MIRROR = empty;
    try {
      const helm = { path: "helm", version: "v0", source: "PATH" as const };
      expect(locateChart({ repository: "https://example.invalid", chart: "nochart", version: "1.2.3" }, helm)).toEqual({
        missing: `${join(empty, "nochart-1.2.3")} is absent and no digest is pinned for nochart 1.2.3, so it is not pulled`,
      });
    } finally {
      if (before === undefined) delete process.env.LS_CHART_MIRROR;
      else process.env.LS_CHART_MIRROR = before;
      rmSync(empty, { recursive: true, force: true });
    }
  });
  test("mirroredVersions lists the chart's versions in the mirror by their Chart.yaml, in version order, and nothing without a mirror", () => {
    const mirror = mkdtempSync(join(tmpdir(), "ls-mirror-"));
    const before = process.env.LS_CHART_MIRROR;
    process.env.LS_CHART_MIRROR = mirror;
    try {
      const chart = (dir: string, meta: string) => {
        mkdirSync(join(mirror, dir));
        writeFileSync(join(mirror, dir, "Chart.yaml"), meta);
      };
      chart("demo-0.10.0", "name: demo\nversion: 0.10.0\n");
      chart("demo-0.9.1", "name: demo\nversion: 0.9.1\n");
      chart("demo-1.0.0", "name: other\nversion: 1.0.0\n"); // directory name and Chart.yaml disagree
      chart("demoextra-2.0.0", "name: demoextra\nversion: 2.0.0\n");
      expect(mirroredVersions("demo").map((c) => c.version)).toEqual(["0.9.1", "0.10.0"]);
      process.env.LS_CHART_MIRROR = join(mirror, "absent");
      expect(mirroredVersions("demo")).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.LS_CHART_MIRROR;
      else process.env.LS_CHART_MIRROR = before;
      rmSync(mirror, { recursive: true, force: true });
    }
  });
  test("a skipped tier warns loudly, and fails under CI=true", () => {
    const before = process.env.CI;
    const lines: string[] = [];
    try {
      process.env.CI = "false";
      expect(requireRenderTier({ skipped: "no helm here" }, (l) => lines.push(l))).toBeUndefined();
      expect(lines.join("\n")).toMatch(/CHART RENDER TIER SKIPPED: no helm here/);
      process.env.CI = "true";
      expect(() => requireRenderTier({ skipped: "no helm here" }, () => undefined)).toThrow(/CHART RENDER TIER SKIPPED: no helm here.*CI=true: the render tier must run in CI/s);
    } finally {
      if (before === undefined) delete process.env.CI;
      else process.env.CI = before;
    }
  });
});

describe("stand-ins for Terraform references", () => {
  test.each([
    ["aws_iam_role.data_langsmith-app_role_B0724F07.arn", "arn:aws:iam::123456789012:role/data-langsmith-app-role"],
    ["aws_kms_key.data_blob_key_9617130C.arn", "arn:aws:kms:us-east-1:123456789012:key/data-blob-key"],
    ["aws_secretsmanager_secret.data_secrets_license-key_6C3AEA33.arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:data-secrets-license-key"],
    ["aws_db_instance.data_postgres_db_48E0A22E.master_user_secret[0].secret_arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:data-postgres-db"],
    ["aws_lb_target_group.ingress_frontend_86C5BED9.arn", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ingress-frontend"],
    ["aws_db_instance.data_postgres_db_48E0A22E.address", "data-postgres-db.us-east-1.standin.internal"],
    ["aws_elasticache_replication_group.data_redis_group_A1D02FE3.primary_endpoint_address", "data-redis-group.us-east-1.standin.internal"],
    ["aws_s3_bucket.data_blob_bucket_C52F4B73.bucket", "data-blob-bucket"],
    ["aws_eks_cluster.eks_cluster_55B0C966.name", "eks-cluster"],
  ])("%s -> %s", (ref, expected) => expect(standIn(ref, "us-east-1")).toBe(expected));
  test("replaces references inside strings, keys and arrays, and nothing else", () => {
    expect(replaceTokens({ url: "rediss://${aws_elasticache_user.u_1A2B3C4D.user_id}@h:6379", n: 3, list: ["${aws_s3_bucket.b.bucket}"] }, "eu-west-1")).toEqual({
      url: "rediss://u@h:6379",
      n: 3,
      list: ["b"],
    });
  });
});

(TIER ? describe : describe.skip)("renderChart", () => {
  const helm = TIER!?.helm;
  // This process's render directories only: another worker renders (and creates its own) meanwhile.
  const leftovers = () => readdirSync(tmpdir()).filter((f) => join(tmpdir(), f).startsWith(workPrefix())).length;
  test("renders the local k8s-manifests chart, hooks and sources included", () => {
    const manifests = renderChart(helm, chartDirectory(), { manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "ns" } }] }, { releaseName: "r", namespace: "ns" });
    expect(manifests).toEqual([expect.objectContaining({ kind: "ConfigMap", metadata: { name: "a", namespace: "ns" }, source: "k8s-manifests/templates/manifests.yaml" })]);
  });
  test("a chart's own failure is a RenderError carrying helm's message", () => {
    expect(() => renderChart(helm, chartDirectory(), { manifests: [{ kind: "ConfigMap" }] }, { releaseName: "r", namespace: "ns" })).toThrow(RenderError);
    expect(() => renderChart(helm, chartDirectory(), { manifests: [{ kind: "ConfigMap" }] }, { releaseName: "r", namespace: "ns" })).toThrow(/manifests\[0\] needs apiVersion, kind and metadata/);
  });
  const langfuse = join(require("../../../lib/render").chartMirrorDir(), "langfuse-2.0.0");
  (existsSync(langfuse) ? test : test.skip)("renders Langfuse 2.0.0 with its dependencies dropped from a temporary copy, leaving the mirror untouched", () => {
    const before = leftovers();
    const chartYaml = readFileSync(join(langfuse, "Chart.yaml"), "utf8");
    const values = {
      postgresql: { deploy: false, host: "pg.standin.internal", auth: { username: "langfuse", existingSecret: "lf-pg", secretKeys: { userPasswordKey: "password" } } },
      redis: { deploy: false, host: "redis.standin.internal", auth: { existingSecret: "lf-redis", existingSecretPasswordKey: "password" } },
      clickhouse: { deploy: false, host: "ch.standin.internal", auth: { existingSecret: "lf-ch", existingSecretKey: "password" } },
      s3: { deploy: false, bucket: "b", region: "us-east-1" },
      langfuse: { salt: { secretKeyRef: { name: "lf", key: "salt" } }, nextauth: { secret: { secretKeyRef: { name: "lf", key: "nextauth" } } } },
    };
    // cache: false, so the temporary copy is really made (and removed) on every run.
    expect(() => renderChart(helm, langfuse, values, { releaseName: "langfuse", namespace: "langfuse", cache: false })).toThrow(RenderError);
    const manifests = renderChart(helm, langfuse, values, { releaseName: "langfuse", namespace: "langfuse", dropDependencies: true, cache: false });
    expect(manifests.filter((m) => m.kind === "Deployment").map((m) => m.metadata.name).sort()).toEqual(["langfuse-web", "langfuse-worker"]);
    expect(readFileSync(join(langfuse, "Chart.yaml"), "utf8")).toBe(chartYaml);
    expect(leftovers()).toBe(before);
  });
});
