/**
 * Extracts a gzipped tar (a Helm chart archive) with Node alone: regular files and directories,
 * ustar and GNU long names. Paths that would escape the target directory are refused.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { gunzipSync } from "node:zlib";

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.toString("utf8", 0, end === -1 ? length : end);
}

/** Writes the archive's files under `target`; returns their relative paths. */
export function extractTarGz(archive: Buffer, target: string): string[] {
  const tar = gunzipSync(archive);
  const root = resolve(target);
  const written: string[] = [];
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = field(header, 345, 155);
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = data.toString("utf8").replace(/\0+$/, "");
      continue;
    }
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if (type !== "0" && type !== "5") continue; // pax headers, links: charts have none that matter
    const path = resolve(root, name);
    if (path !== root && !path.startsWith(root + sep)) throw new Error(`chart archive entry ${name} escapes ${root}`);
    if (type === "5") {
      mkdirSync(path, { recursive: true });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
    written.push(join(name));
  }
  return written;
}
