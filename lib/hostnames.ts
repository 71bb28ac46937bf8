/**
 * DNS names of an environment and the hosted zone that holds them. Plain TypeScript: the loader
 * (lib/config/rules.ts) and `env:new` (lib/env-new.ts) share these, so a bare domain like
 * `example.com` is never taken for a subdomain of `com`.
 */

/**
 * The domain a sibling name goes in: the parent of `hostname` (`langsmith.example.com` ->
 * `example.com`), or `hostname` itself when it has two labels (`example.com` is a bare domain: its
 * parent would be a top-level domain, which no hosted zone of yours can be).
 */
export function siblingDomain(hostname: string): string {
  const labels = hostname.split(".");
  return labels.length > 2 ? labels.slice(1).join(".") : hostname;
}

/**
 * The domains a Route 53 zone holding `hostname` can have: `hostname` and its parents of two
 * labels or more, nearest first (`a.b.example.com` -> `a.b.example.com`, `b.example.com`, `example.com`).
 */
export function zoneCandidates(hostname: string): string[] {
  const labels = hostname.split(".");
  return Array.from({ length: Math.max(labels.length - 1, 0) }, (_, i) => labels.slice(i).join("."));
}

/**
 * The longest domain (two labels or more) both names are in (`langfuse.example.com` and
 * `example.com` -> `example.com`), or undefined when they share at most a top-level domain: then
 * no one hosted zone can hold both. Whether the environment's zone is that domain or one of its
 * parents is only known to Route 53 (the zone id names no domain offline); a two-label public
 * suffix (`co.uk`) is not told apart from a domain either (no public suffix list offline).
 */
export function sharedDomain(a: string, b: string): string | undefined {
  const x = a.split(".").reverse();
  const y = b.split(".").reverse();
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n >= 2 ? x.slice(0, n).reverse().join(".") : undefined;
}
