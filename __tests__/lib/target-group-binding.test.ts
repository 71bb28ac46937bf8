import { targetGroupBinding } from "../../lib/target-group-binding";

describe("TargetGroupBinding", () => {
  test("binds the chart's frontend Service (port 80) to the target group by pod IP", () => {
    expect(targetGroupBinding({ targetGroupArn: "arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/ls-dev-frontend/abc" })).toEqual({
      apiVersion: "elbv2.k8s.aws/v1beta1",
      kind: "TargetGroupBinding",
      metadata: { name: "langsmith-frontend", namespace: "langsmith", labels: { "app.kubernetes.io/part-of": "langsmith" } },
      spec: {
        serviceRef: { name: "langsmith-frontend", port: 80 },
        targetGroupARN: "arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/ls-dev-frontend/abc",
        targetType: "ip",
      },
    });
  });

  test("leaves security-group management to Terraform (no spec.networking)", () => {
    expect(Object.keys(targetGroupBinding({ targetGroupArn: "arn" }).spec)).not.toContain("networking");
  });

  test("namespace and Service can be given", () => {
    const b = targetGroupBinding({ targetGroupArn: "arn", namespace: "ls", service: { name: "ls-frontend", port: 8080 } });
    expect([b.metadata.namespace, b.metadata.name, b.spec.serviceRef]).toEqual(["ls", "ls-frontend", { name: "ls-frontend", port: 8080 }]);
  });
});
