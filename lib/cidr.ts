/**
 * IPv4 CIDR arithmetic, in plain TypeScript (no Terraform functions), so subnet plans are
 * computed and validated before synth and can be unit-tested.
 */

export interface Cidr {
  readonly network: number;
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const network = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  if ((network & ~mask(prefix)) >>> 0 !== 0) return undefined;
  return { network, prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function formatCidr(c: Cidr): string {
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

/** Terraform's `cidrsubnet(prefix, newbits, netnum)`. */
export function cidrSubnet(base: Cidr, newBits: number, netNum: number): Cidr {
  const prefix = base.prefix + newBits;
  if (prefix > 32 || netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`cidrSubnet: ${formatCidr(base)} has no subnet ${netNum} of /${prefix}`);
  }
  return { network: (base.network + netNum * 2 ** (32 - prefix)) >>> 0, prefix };
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return (a.network & mask(p)) >>> 0 === (b.network & mask(p)) >>> 0;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c) as Cidr);

/** True when the CIDR lies entirely inside an RFC 1918 range. */
export function isPrivateCidr(c: Cidr): boolean {
  return PRIVATE_RANGES.some((r) => c.prefix >= r.prefix && cidrsOverlap(c, r));
}

/** The subnet plan of one VPC: one subnet of each kind per availability zone. */
export interface SubnetPlan {
  readonly public: string[];
  readonly private: string[];
  readonly data: string[];
}

/** The most availability zones a computed subnet plan supports. */
export const MAX_AZS = 4;

/**
 * Splits a VPC into per-AZ subnets. Nodes get the large blocks (the VPC CNI gives every pod
 * a VPC address): the first half of the VPC is four 1/8 blocks for node subnets. The third
 * quarter holds public (ALB-only) and data subnets, 1/32 each. The last quarter stays free.
 *
 * /16 → nodes /19 (8,190 addresses each), public and data /21 (2,046 each).
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`planSubnets: malformed CIDR ${vpcCidr}`);
  if (azCount < 1 || azCount > MAX_AZS) throw new Error(`planSubnets: 1 to ${MAX_AZS} AZs, got ${azCount}`);
  const azs = [...Array(azCount).keys()];
  return {
    private: azs.map((i) => formatCidr(cidrSubnet(vpc, 3, i))),
    public: azs.map((i) => formatCidr(cidrSubnet(vpc, 5, 16 + i))),
    data: azs.map((i) => formatCidr(cidrSubnet(vpc, 5, 20 + i))),
  };
}
