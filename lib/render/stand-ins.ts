/**
 * Terraform references in synthesized values (`${aws_iam_role.x.arn}`) replaced by well-formed
 * stand-ins of the same shape (an ARN of the right service, a hostname, a bucket name), so the
 * chart's templates see values they would accept, and renders are deterministic.
 */

/** Account id of every stand-in ARN (AWS's documentation example account). */
export const STAND_IN_ACCOUNT = "123456789012";

const TOKEN = /\$\{([^}]*)\}/g;

/** `<service>`, `<resource-type>` and whether the ARN is regional, by Terraform resource type. */
const ARN_SHAPES: Record<string, readonly [string, string, boolean]> = {
  aws_iam_role: ["iam", "role", false],
  aws_iam_policy: ["iam", "policy", false],
  aws_iam_openid_connect_provider: ["iam", "oidc-provider", false],
  aws_kms_key: ["kms", "key", true],
  aws_secretsmanager_secret: ["secretsmanager", "secret", true],
  aws_lb_target_group: ["elasticloadbalancing", "targetgroup", true],
  aws_lb: ["elasticloadbalancing", "loadbalancer/app", true],
  aws_acm_certificate: ["acm", "certificate", true],
  aws_s3_bucket: ["s3", "", false],
};

const HOST_ATTRIBUTES = /(^|_)(address|endpoint|hostname|dns_name|fqdn)$/;

/** Lowercase letters, digits and dashes, as S3 bucket names and DNS labels allow. */
function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 48)
      .replace(/-+$/, "") || "standin"
  );
}

/** The stand-in for one reference (the text between `${` and `}`). */
export function standIn(reference: string, region: string): string {
  const parts = reference.split(".");
  const [type, name] = parts;
  const attribute = (parts.slice(2).join(".").replace(/\[\d+\]/g, "") || "id").split(".").pop() as string;
  const id = slug(`${name ?? type}`.replace(/_[0-9A-F]{8}$/, ""));
  if (/(^|_)arn$/.test(attribute)) {
    // e.g. aws_db_instance.x.master_user_secret[0].secret_arn: a Secrets Manager secret
    const shape = ARN_SHAPES[type] ?? (attribute === "secret_arn" ? ARN_SHAPES.aws_secretsmanager_secret : [type.replace(/^aws_/, "").replace(/_/g, ""), type.replace(/^aws_/, ""), true]);
    const [service, kind, regional] = shape;
    if (service === "s3") return `arn:aws:s3:::${id}`;
    const sep = service === "secretsmanager" ? ":" : "/";
    return `arn:aws:${service}:${regional ? region : ""}:${STAND_IN_ACCOUNT}:${kind}${sep}${id}`;
  }
  if (HOST_ATTRIBUTES.test(attribute)) return `${id}.${region}.standin.internal`;
  if (attribute === "port") return "443";
  return id;
}

/** Resolves a reference to a literal the configuration itself holds (a namespace's name), or undefined. */
export type ReferenceLookup = (reference: string) => string | undefined;

/**
 * The literal a synthesized stack gives `<type>.<name>.<attr>[0].<attr>` (CDKTF writes blocks as
 * objects), when it is a plain string; e.g. the namespace name behind `kubernetes_namespace_v1.x.metadata[0].name`.
 */
export function stackLookup(stack: { resource?: Record<string, Record<string, unknown>> }): ReferenceLookup {
  return (reference) => {
    const [type, name, ...path] = reference.replace(/\[(\d+)\]/g, ".$1").split(".");
    let at: unknown = stack.resource?.[type]?.[name];
    for (const step of path) {
      if (Array.isArray(at)) at = at[Number(step)];
      else if (at && typeof at === "object") at = /^\d+$/.test(step) ? at : (at as Record<string, unknown>)[step];
      else return undefined;
    }
    return typeof at === "string" && !hasToken(at) ? at : undefined;
  };
}

/**
 * A deep copy of `value` with every Terraform reference inside its strings replaced: by the literal
 * `lookup` finds in the configuration, else by its stand-in.
 */
export function replaceTokens<T>(value: T, region: string, lookup: ReferenceLookup = () => undefined): T {
  if (typeof value === "string") return value.replace(TOKEN, (_, ref: string) => lookup(ref) ?? standIn(ref, region)) as T;
  if (Array.isArray(value)) return value.map((v) => replaceTokens(v, region, lookup)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [replaceTokens(k, region, lookup), replaceTokens(v, region, lookup)])) as T;
  return value;
}

/** True when a string still holds a Terraform reference. */
export const hasToken = (text: string): boolean => /\$\{[^}]*\}/.test(text);
