import { clusterName, fit, httpsUrl, Namer, postgresKind, s3BucketNameProblem, stackName } from "../../lib/naming";

describe("naming", () => {
  test("builds {prefix}-{env}-{component}", () => {
    expect(new Namer("ls", "dev").name("eks")).toBe("ls-dev-eks");
  });
  test("shortens past the kind's limit with a stable hash, never exceeding it", () => {
    const n = new Namer("ls", "staging");
    const long = n.name("a-very-long-component-name-for-a-replication-group", "elasticacheReplicationGroup");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^ls-staging-a-very-long-component-[0-9a-f]{6}$/);
    expect(n.name("a-very-long-component-name-for-a-replication-group", "elasticacheReplicationGroup")).toBe(long);
    expect(fit("x".repeat(70), 63)).toHaveLength(63);
  });
});

describe("derived names", () => {
  test("stack name: langsmith-<env>", () => {
    expect(stackName({ name: "dev" })).toBe("langsmith-dev");
  });
  test("cluster name: {prefix}-{env}-eks within the EKS limit", () => {
    expect(clusterName({ prefix: "ls", name: "dev" })).toBe("ls-dev-eks");
    expect(clusterName({ prefix: "p".repeat(60), name: "e".repeat(60) }).length).toBeLessThanOrEqual(100);
  });
  test.each([
    ["rds", "instance"],
    ["aurora", "cluster"],
  ] as const)("postgres engine %s runs as a DB %s", (engine, kind) => {
    expect(postgresKind(engine)).toBe(kind);
  });
  test("the URL is https://<hostname>", () => {
    expect(httpsUrl("langsmith.example.com")).toBe("https://langsmith.example.com");
  });
});

describe("s3BucketNameProblem: S3's naming rules, before a plan that fails at apply", () => {
  test.each([
    ["ab", /3 to 63 characters/],
    ["a".repeat(64), /3 to 63 characters/],
    ["Tfstate", /lowercase letters/],
    ["tf_state", /lowercase letters/],
    ["-tfstate", /begin and end with a letter or digit/],
    ["192.168.1.1", /IP address/],
    ["tf..state", /dots/],
    ["tf.state", /dots/],
    ["xn--tfstate", /begin with xn--/],
    ["sthree-tfstate", /begin with sthree-/],
    ["tfstate-s3alias", /end with -s3alias/],
    ["tfstate--ol-s3", /end with --ol-s3/],
  ])("%s is refused", (name, why) => {
    expect(s3BucketNameProblem(name)).toMatch(why);
  });

  test("the names this project builds pass", () => {
    expect(s3BucketNameProblem("ls-tfstate-111111111111-ap-southeast-2")).toBeUndefined();
    expect(s3BucketNameProblem(new Namer("abcdefghij", "abcdefghijkl").name("blob-logs-111111111111", "s3Bucket"))).toBeUndefined();
  });
});
