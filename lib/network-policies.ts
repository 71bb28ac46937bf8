/**
 * NetworkPolicies of the LangSmith namespace, as plain objects delivered by the local manifests
 * chart. Enforced by the VPC CNI's network policy agent (`enableNetworkPolicy`, modules/eks).
 * Default deny in both directions, then explicit allows: within the namespace, DNS to CoreDNS,
 * the ALB to the frontend's container port, the data stores' ports in the data subnets, and
 * outbound TLS (AWS APIs, the OIDC issuer, the license check; external ClickHouse ports) to
 * anything but the instance metadata service.
 */
import { KubernetesObject } from "../modules/k8s-manifests";

/** The instance metadata service: never a destination for pods (the node role lives there). */
export const IMDS_CIDR = "169.254.169.254/32";

interface Port {
  readonly protocol: "TCP" | "UDP";
  readonly port: number;
}

interface Peer {
  readonly podSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly namespaceSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface NetworkPolicy extends KubernetesObject {
  readonly apiVersion: "networking.k8s.io/v1";
  readonly kind: "NetworkPolicy";
  readonly spec: {
    readonly podSelector: { readonly matchLabels?: Readonly<Record<string, string>> };
    readonly policyTypes: readonly ("Ingress" | "Egress")[];
    readonly ingress?: readonly { readonly from?: readonly Peer[]; readonly ports?: readonly Port[] }[];
    readonly egress?: readonly { readonly to?: readonly Peer[]; readonly ports?: readonly Port[] }[];
  };
}

export interface NetworkPolicyInput {
  readonly namespace: string;
  /** Where the ALB's nodes are: the public subnets (the VPC CIDR when only subnet ids are known). */
  readonly albSourceCidrs: readonly string[];
  /** The frontend container port the target group sends to (FRONTEND_SERVICE.containerPort). */
  readonly frontendPort: number;
  /** Where PostgreSQL and Redis are: the data subnets (the VPC CIDR when only subnet ids are known). */
  readonly dataStoreCidrs: readonly string[];
  /** PostgreSQL and Redis ports. */
  readonly dataStorePorts: readonly number[];
  /** Outbound ports to anywhere but IMDS: 443, plus external ClickHouse's HTTP and native ports. */
  readonly egressPorts: readonly number[];
}

const tcp = (port: number): Port => ({ protocol: "TCP", port });
const LABELS = { "app.kubernetes.io/part-of": "langsmith", "app.kubernetes.io/component": "network-policy" } as const;

export function networkPolicies(input: NetworkPolicyInput): NetworkPolicy[] {
  const policy = (name: string, spec: NetworkPolicy["spec"]): NetworkPolicy => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: input.namespace, labels: LABELS },
    spec,
  });
  const all = { podSelector: {} };
  return [
    policy("default-deny", { ...all, policyTypes: ["Ingress", "Egress"] }),
    // LangSmith's services, in-cluster ClickHouse and the hook Jobs talk to each other freely.
    policy("allow-same-namespace", { ...all, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] }),
    policy("allow-dns", {
      ...all,
      policyTypes: ["Egress"],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [{ protocol: "UDP", port: 53 }, tcp(53)],
      }],
    }),
    // Only the frontend listens on this port; the ALB registers pod IPs (target type ip).
    policy("allow-alb-to-frontend", {
      ...all,
      policyTypes: ["Ingress"],
      ingress: [{ from: input.albSourceCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(input.frontendPort)] }],
    }),
    policy("allow-data-stores", {
      ...all,
      policyTypes: ["Egress"],
      egress: [{ to: input.dataStoreCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: input.dataStorePorts.map(tcp) }],
    }),
    policy("allow-tls-out", {
      ...all,
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [IMDS_CIDR] } }], ports: [...new Set(input.egressPorts)].map(tcp) }],
    }),
  ];
}
