/** Every rule of the pack, in id order. Add a rule to its area's file; ids are never reused. */
import type { Rule } from "../types";
import { ENCRYPTION_RULES } from "./encryption";
import { IAM_RULES } from "./iam";
import { NETWORK_RULES } from "./network";
import { BACKUP_RULES, LOGGING_RULES, NODE_RULES } from "./operations";
import { RELEASE_RULES } from "./release";
import { TRANSIT_RULES } from "./transit";

export const RULES: readonly Rule[] = [
  ...ENCRYPTION_RULES,
  ...TRANSIT_RULES,
  ...NETWORK_RULES,
  ...IAM_RULES,
  ...NODE_RULES,
  ...LOGGING_RULES,
  ...BACKUP_RULES,
  ...RELEASE_RULES,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
