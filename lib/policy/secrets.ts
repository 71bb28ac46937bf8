/**
 * Finding secret values written literally into configuration. Two signals:
 * 1. a secret-looking key (`password`, `jwtSecret`, `auth_token`, `licenseKey`...) holding a
 *    literal string — not a `${...}` reference, not a `{{ }}` template, not an ARN;
 * 2. a value in a known secret format under any key (AWS access key id, PEM private key,
 *    LangSmith/GitHub/Slack tokens, credentials inside a URL).
 * Keys that only point at a secret (`existingSecretName`, `passwordSecretKey`, `secret_arn`,
 * `kms_key_id`) are not secrets. Findings name the key path, never the value.
 */
import { isObject, unresolved } from "./values";

const SECRET_WORD =
  /(password|passwd|passphrase|secret|token|api_?key|salt|jwt|licen[cs]e_?key|private_?key|access_?key|encryption_?key|signing_?key|credential)/i;

/** Kubernetes/Helm convention: `<x>SecretKey` is the key *within* a Secret, `secretName` its name. */
const POINTER_CAMEL =
  /(SecretKey|SecretName|SecretRef|KeyRef|Secrets|Name|Names|Arn|Arns|Id|Ids|Ref|Path|File|Strategy|Enabled|Length|Mode|Type|Version|Provider|Url|URL|Uri|Endpoint|Field|Property|Format)$/;
const POINTER_SNAKE = /_(name|names|arn|arns|id|ids|ref|path|file|strategy|enabled|length|mode|type|version|provider|url|uri|endpoint|field|property|format)$/i;
const POINTER_EXACT = new Set(["secretKey", "secretName", "secretRef"]);
/** Settings whose names contain a secret word (IMDS `http_tokens = "required"`). */
const NOT_SECRETS = new Set(["http_tokens"]);
const POINTER_PREFIX = /^(existing|disable|automount|use|enable|create|manage|rotate)/i;

/** Subtrees that hold metadata, not configuration secrets. */
const SKIP_SUBTREES = new Set(["tags", "tags_all", "labels", "annotations", "default_tags"]);

export function secretLookingKey(key: string): boolean {
  if (!SECRET_WORD.test(key)) return false;
  if (POINTER_EXACT.has(key) || NOT_SECRETS.has(key) || POINTER_PREFIX.test(key)) return false;
  return !(POINTER_CAMEL.test(key) || POINTER_SNAKE.test(key));
}

/** A literal the author typed: not empty, not a reference, a template, an ARN or a `<placeholder>`. */
export function literalValue(v: unknown): boolean {
  if (typeof v !== "string") return false;
  const s = v.trim();
  return s !== "" && !unresolved(s) && !s.includes("{{") && !s.startsWith("arn:") && !/^<[^>]*>$/.test(s);
}

const FORMATS: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, "a PEM private key"],
  [/\blsv2_(pt|sk)_[0-9a-f]{32}/i, "a LangSmith API key"],
  [/\bgh[pousr]_[A-Za-z0-9]{36}\b/, "a GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\bsk-[A-Za-z0-9_-]{20,}/, "an API secret key (sk-...)"],
];
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/i;
/** Text every format above contains (case-insensitive, so a superset): most strings are ruled out by one test. */
const MAY_HOLD_FORMAT = /AKIA|ASIA|PRIVATE KEY|lsv2_|gh[pousr]_|xox[abprs]-|sk-|:\/\//i;

/** Which known secret format `s` is in, if any. */
export function secretFormat(s: string): string | undefined {
  if (!MAY_HOLD_FORMAT.test(s)) return undefined;
  for (const [re, what] of FORMATS) if (re.test(s)) return what;
  const url = URL_CREDENTIALS.exec(s);
  if (url && literalValue(url[1]) && !/^[*x]+$/i.test(url[1])) return "credentials inside a URL";
  return undefined;
}

export interface SecretFinding {
  /** Dotted path of the key inside the scanned value, e.g. `config.initialOrgAdminPassword`. */
  readonly path: string;
  /** Why it looks like a secret (never the value). */
  readonly why: string;
}

/** Every literal secret inside `v`. `path` prefixes the reported paths. */
export function findSecrets(v: unknown, path = ""): SecretFinding[] {
  const at = (k: string | number) => (path === "" ? String(k) : typeof k === "number" ? `${path}[${k}]` : `${path}.${k}`);
  if (typeof v === "string") {
    const format = secretFormat(v);
    return format ? [{ path: path || "(value)", why: `looks like ${format}` }] : [];
  }
  if (Array.isArray(v)) return v.flatMap((x, i) => findSecrets(x, at(i)));
  if (!isObject(v)) return [];
  // `{ name: "DB_PASSWORD", value: "..." }`: Helm `set` entries, container env vars.
  if (typeof v.name === "string" && secretLookingKey(v.name.split(".").pop() ?? v.name) && literalValue(v.value)) {
    return [{ path: at(v.name), why: "a secret-looking name holds a literal value" }];
  }
  return Object.entries(v).flatMap(([k, x]) => {
    if (k === "//") return [];
    if (SKIP_SUBTREES.has(k)) return typeof x === "object" ? findSecretFormats(x, at(k)) : [];
    if (typeof x === "string" && secretLookingKey(k) && literalValue(x)) return [{ path: at(k), why: "a secret-looking key holds a literal value" }];
    return findSecrets(x, at(k));
  });
}

/** Only the format signal (for metadata subtrees, whose keys are free-form). */
function findSecretFormats(v: unknown, path: string): SecretFinding[] {
  if (typeof v === "string") {
    const format = secretFormat(v);
    return format ? [{ path, why: `looks like ${format}` }] : [];
  }
  if (Array.isArray(v)) return v.flatMap((x, i) => findSecretFormats(x, `${path}[${i}]`));
  if (isObject(v)) return Object.entries(v).flatMap(([k, x]) => findSecretFormats(x, `${path}.${k}`));
  return [];
}
