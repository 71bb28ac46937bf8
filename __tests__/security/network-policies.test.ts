/** The langsmith namespace: default deny both ways, explicit allows, enforced by the VPC CNI. */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { runs } from "../../lib/config/schema";
import { IMDS_CIDR, networkPolicies, NetworkPolicy } from "../../lib/network-policies";
import { planSubnets } from "../../lib/cidr";
import { Json, resources, shippedStack, describeEach } from "../helpers";

const INPUT = { namespace: "langsmith", albSourceCidrs: ["10.0.0.0/24"], frontendPort: 8080, dataStoreCidrs: ["10.0.8.0/24"], dataStorePorts: [5432, 6379], egressPorts: [443, 443, 9440] };
const byName = (ps: NetworkPolicy[], name: string) => ps.find((p) => p.metadata.name === name)!;

describe("networkPolicies", () => {
  const ps = networkPolicies(INPUT);

  test("denies all ingress and egress by default", () => {
    expect(byName(ps, "default-deny").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  test("the ALB reaches only the frontend port, from the public subnets", () => {
    expect(byName(ps, "allow-alb-to-frontend").spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
  });

  test("data stores only on their ports in the data subnets; DNS only to CoreDNS", () => {
    expect(byName(ps, "allow-data-stores").spec.egress).toEqual([{ to: [{ ipBlock: { cidr: "10.0.8.0/24" } }], ports: [{ protocol: "TCP", port: 5432 }, { protocol: "TCP", port: 6379 }] }]);
    expect(byName(ps, "allow-dns").spec.egress?.[0].to?.[0].podSelector).toEqual({ matchLabels: { "k8s-app": "kube-dns" } });
  });

  test("outbound TLS anywhere except the instance metadata service, each port once", () => {
    expect(byName(ps, "allow-tls-out").spec.egress).toEqual([{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [IMDS_CIDR] } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 9440 }] }]);
  });

  test("no policy opens ingress from anywhere", () => {
    for (const p of ps) for (const rule of p.spec.ingress ?? []) for (const peer of rule.from ?? []) expect(peer.ipBlock?.cidr).not.toBe("0.0.0.0/0");
  });
});

describeEach(loadEnvironments(ENVIRONMENTS).map((e) => [e.config.name, e.config] as const))("environment %s", (_n, env) => {
  const json = shippedStack(`langsmith-${env.name}`);

  test("the VPC CNI enforces NetworkPolicies", () => {
    const cni = resources(json, "aws_eks_addon").find(([, a]) => a.addon_name === "vpc-cni")![1];
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: "true" });
  });

  test.each(["langsmith", "langfuse"] as const)("%s: the namespace's policies are installed (when it runs), with the public and data subnets of this VPC", (app) => {
    const release = resources(json, "helm_release").find(([, r]) => r.name === `${app}-network-policies`)?.[1] as Json | undefined;
    if (!runs(env, app)) {
      expect(release).toBeUndefined();
      return;
    }
    expect(release).toBeDefined();
    const ps = JSON.parse(release!.values[0]).manifests as NetworkPolicy[];
    expect(ps.map((p) => p.metadata.name)).toContain("default-deny");
    if (env.network.mode === "create") {
      const plan = planSubnets(env.network.vpcCidr, env.aws.availabilityZones.length);
      expect(byName(ps, "allow-alb-to-frontend").spec.ingress?.[0].from?.map((f) => f.ipBlock?.cidr)).toEqual(plan.public);
      expect(byName(ps, "allow-data-stores").spec.egress?.[0].to?.map((f) => f.ipBlock?.cidr)).toEqual(plan.data);
    }
    expect(release!.depends_on.join(" ")).toMatch(/kubernetes_namespace_v1\./);
    expect(resources(json, "kubernetes_namespace_v1").map(([, n]) => n.metadata.name)).toContain(release!.namespace);
    expect(release!.namespace).toBe(app);
  });
});
