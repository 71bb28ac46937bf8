/**
 * The rules of every environment's WAF web ACL (modules/ingress builds it): the AWS managed rule
 * groups in priority order, then the per-IP rate limits. Plain data, so the cost model
 * (lib/cost/model.ts) counts the rules the stack creates instead of an estimate of its own.
 */

/** AWS managed rule groups of the web ACL, in priority order (WAF developer guide, "Baseline rule groups"). */
export const MANAGED_RULE_GROUPS = [
  // Known-bad source IPs first: cheapest, and blocks before body inspection. Applies everywhere.
  { name: "AWSManagedRulesAmazonIpReputationList", countOnly: [] as string[], inspectsBodies: false },
  // OWASP-style common rules. Datasets, prompts and traces are request bodies far above the group's
  // 8 KB SizeRestrictions_BODY limit and routinely carry HTML/markdown that CrossSiteScripting_BODY
  // matches: both count everywhere. On the ingestion paths the whole group is skipped (modules/ingress).
  { name: "AWSManagedRulesCommonRuleSet", countOnly: ["SizeRestrictions_BODY", "CrossSiteScripting_BODY"], inspectsBodies: true },
  // Log4j / Java deserialization / exploitable-path patterns, some matched in bodies (Log4JRCE_BODY...).
  { name: "AWSManagedRulesKnownBadInputsRuleSet", countOnly: [] as string[], inspectsBodies: true },
] as const;

/** The per-IP rate limits after the managed groups, in priority order: trace ingestion, then everything else. */
export const RATE_LIMIT_RULES = ["RateLimitIngestPerIp", "RateLimitPerIp"] as const;

/** Every rule of the web ACL, in priority order (WAF bills each one). */
export const WAF_RULE_NAMES: readonly string[] = [...MANAGED_RULE_GROUPS.map((g) => g.name), ...RATE_LIMIT_RULES];
