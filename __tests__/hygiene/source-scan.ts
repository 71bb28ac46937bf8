import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const ROOT = join(__dirname, "..", "..");
const SKIP = new Set(["node_modules", "dist", "cdktf.out", ".git", "coverage", "__tests__"]);

/** Project TypeScript sources (not tests), as [relative path, text]. */
export function projectSources(dir = ROOT): [string, string][] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIP.has(name) || name.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return projectSources(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [[relative(ROOT, path), readFileSync(path, "utf8")] as [string, string]] : [];
  });
}
