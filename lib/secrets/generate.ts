/**
 * Value generators for the `generated` secrets (lib/secrets/catalog.ts). They run on the
 * operator's machine inside `scripts/seed-secrets`, never in Terraform, and their output is
 * written straight to Secrets Manager, never printed.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { Generator } from "./catalog";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
/** The symbols the chart's initial-admin-password rule accepts (chart validate.yaml). */
export const ADMIN_PASSWORD_SYMBOLS = "!#$%()+,./:?@[]\\^_{~}-";

function pick(alphabet: string, n: number): string[] {
  return Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]);
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * The chart's basic-auth password policy: at least 12 characters, one lowercase, one uppercase
 * and one symbol from ADMIN_PASSWORD_SYMBOLS (chart.md §1).
 */
export function meetsAdminPasswordPolicy(pw: string): boolean {
  return pw.length >= 12 && /[a-z]/.test(pw) && /[A-Z]/.test(pw) && [...pw].some((c) => ADMIN_PASSWORD_SYMBOLS.includes(c));
}

export function generateSecretValue(kind: Generator): string {
  switch (kind) {
    case "token":
      return randomBytes(32).toString("base64url");
    case "fernet":
      // Fernet keys are urlsafe base64 of 32 bytes, padded (cryptography.fernet.Fernet.generate_key()).
      return `${randomBytes(32).toString("base64url")}=`;
    case "alphanumeric":
      return pick(LOWER + UPPER + DIGITS, 32).join("");
    case "hex":
      return randomBytes(32).toString("hex");
    case "langfuse-public-key":
      return `pk-lf-${randomUUID()}`;
    case "langfuse-secret-key":
      return `sk-lf-${randomUUID()}`;
    case "password":
      return shuffle([
        ...pick(LOWER, 2),
        ...pick(UPPER, 2),
        ...pick(DIGITS, 2),
        ...pick(ADMIN_PASSWORD_SYMBOLS, 2),
        ...pick(LOWER + UPPER + DIGITS + ADMIN_PASSWORD_SYMBOLS, 16),
      ]).join("");
  }
}
