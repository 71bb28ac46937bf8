/**
 * The one naming helper: `{prefix}-{env}-{component}`, shortened deterministically to fit
 * the AWS limit of the resource kind (a stable 6-character hash replaces the overflow).
 */
import { createHash } from "node:crypto";

/** AWS name length limits of the resource kinds this project names. */
export const NAME_LIMITS = {
  default: 63,
  iamRole: 64,
  s3Bucket: 63,
  eksCluster: 100,
  nodeGroup: 63,
  /** `node_group_name_prefix` before its trailing "-": Terraform appends a 26-character suffix, 63 in all. */
  nodeGroupPrefix: 36,
  rdsIdentifier: 63,
  elasticacheReplicationGroup: 40,
  elasticacheUser: 40,
  targetGroup: 32,
  loadBalancer: 32,
  wafAcl: 128,
  logGroup: 512,
  dbParameterGroup: 255,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

export class Namer {
  constructor(
    readonly prefix: string,
    readonly env: string,
  ) {}

  /** `{prefix}-{env}-{component}` within the limit of `kind`. */
  name(component: string, kind: NameKind = "default"): string {
    return fit(`${this.prefix}-${this.env}-${component}`, NAME_LIMITS[kind]);
  }

  /** The stem `{prefix}-{env}`, e.g. for tags and cluster names. */
  get base(): string {
    return `${this.prefix}-${this.env}`;
  }
}

/** Shortens `name` to `max` characters: keeps the head, appends `-<hash6>` of the full name. */
export function fit(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `${name.slice(0, max - 7).replace(/-+$/, "")}-${hash}`;
}

/*
 * Names derived from an environment, decided here once (no CDKTF import: scripts such as
 * `verify`, `cost` and `policy-check` use them without loading the provider classes).
 */

/** Stack name of an environment: `langsmith-<name>` (cdktf.out/stacks/<stack name>). */
export function stackName(env: { readonly name: string }): string {
  return `langsmith-${env.name}`;
}

/** The EKS cluster name of an environment (the stack creates it, `verify` looks it up). */
export function clusterName(env: { readonly prefix: string; readonly name: string }): string {
  return new Namer(env.prefix, env.name).name("eks", "eksCluster");
}

/** RDS PostgreSQL runs as a DB instance, Aurora as a DB cluster (log group paths, CloudWatch dimensions, RDS APIs). */
export type PostgresKind = "instance" | "cluster";

/** A Postgres kind read back from outside (a stack output): `cluster`, else `instance`. */
export function asPostgresKind(value: unknown): PostgresKind {
  return value === "cluster" ? "cluster" : "instance";
}

/** `instance` for engine `rds`, `cluster` for engine `aurora`. */
export function postgresKind(engine: "rds" | "aurora"): PostgresKind {
  return engine === "aurora" ? "cluster" : "instance";
}

/** The URL users open: `https://<hostname>` (the ALB terminates TLS on 443 only). */
export function httpsUrl(hostname: string): string {
  return `https://${hostname}`;
}

/**
 * Why `name` cannot be an S3 bucket this project uses, or undefined when it can (S3 user guide,
 * "General purpose bucket naming rules"). Stricter than S3 in one respect: no dots, because the
 * Terraform S3 backend and the SDKs address buckets virtual-hosted style over TLS, and
 * `a.b.s3.<region>.amazonaws.com` does not match the `*.s3.<region>.amazonaws.com` certificate.
 */
export function s3BucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (${name.length})`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "must use only lowercase letters, digits, hyphens (and dots)";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "must begin and end with a letter or digit";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be formatted as an IP address";
  if (name.includes(".")) return "must not contain dots: virtual-hosted-style TLS requests (the Terraform S3 backend, the SDKs) fail the certificate check on a dotted bucket name";
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => name.startsWith(p));
  if (prefix) return `must not begin with ${prefix} (reserved by S3)`;
  const suffix = ["-s3alias", "--ol-s3", "--x-s3", "--table-s3"].find((s) => name.endsWith(s));
  if (suffix) return `must not end with ${suffix} (reserved by S3)`;
  return undefined;
}
