/** Where the render tier keeps what it extracts or downloads: inside the repository, never outside it. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGE_NAME = "langsmith-aws-cdktf";

/** The repository root (the directory of this project's package.json), from sources or from dist/. */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${from}`);
  }
}

/**
 * Where the render tier keeps its caches: `node_modules/.cache` of the repository (deleted with
 * node_modules; `npm ci` starts clean), or `$LS_RENDER_CACHE_ROOT`: the fleet test's throwaway
 * copy shares the repository's, as it shares the offline plans. Everything kept here is keyed by
 * its content or written once atomically (helm renders and verdicts by the hash of every input,
 * the extracted helm by version), so two checkouts of any content can share it.
 */
export function cacheRoot(root: string = repoRoot(), env: NodeJS.ProcessEnv = process.env): string {
  return env.LS_RENDER_CACHE_ROOT ?? join(root, "node_modules", ".cache");
}

/** `<cacheRoot()>/<name>`. */
export function cacheDir(name: string): string {
  return join(cacheRoot(), name);
}

/**
 * `../shared/reference/charts` beside the clone: a mirror of the chart sources, like the provider
 * mirror. It exists on the team's CI machines, not in a user's clone.
 */
export function chartMirrorDir(root: string = repoRoot(), env: NodeJS.ProcessEnv = process.env): string {
  return env.LS_CHART_MIRROR ?? join(root, "..", "shared", "reference", "charts");
}
