import { reduceForOffline } from "../../scripts/offline/reduce";

const synthesized = () => ({
  terraform: {
    required_providers: { aws: { source: "aws", version: "5.100.0" }, helm: { source: "helm", version: "3.1.1" }, kubernetes: { source: "kubernetes", version: "2.38.0" } },
    backend: { s3: { bucket: "b", key: "k", region: "us-west-2" } },
  },
  provider: { aws: [{ region: "us-west-2", allowed_account_ids: ["111111111111"] }], helm: [{}], kubernetes: [{}] },
  resource: {
    aws_vpc: { vpc: { cidr_block: "10.0.0.0/16" } },
    aws_iam_role: { r: { name: "r", depends_on: ["helm_release.lbc", "aws_vpc.vpc"] } },
    helm_release: { lbc: { name: "lbc" } },
    kubernetes_namespace_v1: { ns: { metadata: { name: "langsmith" } } },
  },
  data: { kubernetes_service_v1: { svc: {} } },
  output: { vpc: { value: "${aws_vpc.vpc.id}" }, release: { value: "${helm_release.lbc.status}" } },
});

describe("offline reduction", () => {
  test("drops helm/kubernetes providers, resources, data sources and what points at them", () => {
    const { config, dropped } = reduceForOffline(synthesized());
    expect(Object.keys(config.resource)).toEqual(["aws_vpc", "aws_iam_role"]);
    expect(config.data).toBeUndefined();
    expect(config.resource.aws_iam_role.r.depends_on).toEqual(["aws_vpc.vpc"]);
    expect(Object.keys(config.output)).toEqual(["vpc"]);
    expect(Object.keys(config.provider)).toEqual(["aws"]);
    expect(Object.keys(config.terraform.required_providers)).toEqual(["aws"]);
    expect(dropped.sort()).toEqual(["data.kubernetes_service_v1.svc", "helm_release.lbc", "kubernetes_namespace_v1.ns", "output.release"]);
  });

  test("swaps the backend for local and gives the provider mock credentials, without the account lock", () => {
    const { config } = reduceForOffline(synthesized());
    expect(config.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(config.provider.aws[0]).toMatchObject({ region: "us-west-2", skip_credentials_validation: true, skip_requesting_account_id: true, access_key: "mock-access-key" });
    expect(config.provider.aws[0].allowed_account_ids).toBeUndefined();
  });

  test("refuses an AWS resource that reads a Kubernetes value", () => {
    const input = synthesized();
    (input.resource.aws_vpc.vpc as Record<string, unknown>).tags = { ns: "${kubernetes_namespace_v1.ns.id}" };
    expect(() => reduceForOffline(input)).toThrow("offline reduction: aws_vpc.vpc references a dropped helm/kubernetes object");
  });

  test("does not touch its input", () => {
    const input = synthesized();
    reduceForOffline(input);
    expect(input.resource.helm_release).toBeDefined();
  });
});
