import { globMatch, pointsAt, policyStatements, stringsPointAt, strings } from "../../../lib/policy/values";
import type { PolicyResource } from "../../../lib/policy/types";

describe("globMatch (IAM action patterns)", () => {
  test.each([
    ["iam:PassRole", "iam:PassRole", true],
    ["IAM:passrole", "iam:PassRole", true],
    ["iam:PassRol", "iam:PassRole", false],
    ["iam.PassRole", "iam:PassRole", false],
    ["iam:Pass*", "iam:PassRole", true],
    ["IAM:PASS*", "iam:PassRole", true],
    ["iam:Pass?ole", "iam:PassRole", true],
    ["iam:*", "iam:PassRole", true],
    ["*", "iam:PassRole", true],
    ["s3:Get*", "iam:PassRole", false],
    ["iam:Pass*.", "iam:PassRole", false],
  ])("%s against %s: %s", (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
    expect(globMatch(pattern, value)).toBe(expected); // the compiled pattern is reused
  });
});

describe("pointsAt", () => {
  const bucket: PolicyResource = { address: "aws_s3_bucket.logs", type: "aws_s3_bucket", values: { bucket: "ls-dev-logs", arn: "${unknown}" } };

  test.each([
    ["${aws_s3_bucket.logs.id}", true],
    [["x", { nested: "${aws_s3_bucket.logs.arn}/*" }], true],
    ["ls-dev-logs", true],
    ["${aws_s3_bucket.logs_2.id}", false],
    ["${module.x.aws_s3_bucket.logs.id}", false],
    ["aws_s3_bucket.logs", false],
    ["${unknown}", false],
  ])("%j: %s", (value, expected) => {
    expect(pointsAt(value, bucket)).toBe(expected);
    expect(stringsPointAt(strings(value), bucket)).toBe(expected);
  });
});

describe("policyStatements (parsed once per document text)", () => {
  const doc = (action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

  test("the same text gives the same parsed statements; another text its own", () => {
    const a = policyStatements(doc("s3:GetObject"));
    expect(a?.[0].Action).toEqual(["s3:GetObject"]);
    expect(policyStatements(doc("s3:GetObject"))).toBe(a);
    expect(policyStatements(doc("s3:PutObject"))?.[0].Action).toEqual(["s3:PutObject"]);
  });

  test("a whole-document reference, text that is not JSON, and a non-string cannot be judged", () => {
    expect(policyStatements("${data.aws_iam_policy_document.x.json}")).toBeUndefined();
    expect(policyStatements("{not json")).toBeUndefined();
    expect(policyStatements(undefined)).toBeUndefined();
  });

  test("many distinct documents (past the cache's bound) still parse right", () => {
    for (let i = 0; i < 2_500; i++) expect(policyStatements(doc(`s3:Action${i}`))?.[0].Action).toEqual([`s3:Action${i}`]);
  });
});
