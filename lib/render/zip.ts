/**
 * Reads one entry of a zip archive with Node alone (no `unzip` binary: CI machines have only
 * Node, npm and Terraform). Enough of PKWARE's APPNOTE for the archives we read: the central
 * directory, stored (0) and deflated (8) entries, no zip64 (archives under 4 GiB), no encryption.
 */
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Offset of the entry's local file header. */
  readonly localOffset: number;
  /** Unix mode bits from the external attributes (0 when the archive was not made on Unix). */
  readonly mode: number;
}

function endOfCentralDirectory(buf: Buffer, file: string): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  }
  throw new Error(`${file}: not a zip archive (no end-of-central-directory record)`);
}

/** Every entry of the archive's central directory. */
export function zipEntries(buf: Buffer, file = "zip"): ZipEntry[] {
  const eocd = endOfCentralDirectory(buf, file);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error(`${file}: corrupt central directory at byte ${at}`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      mode: buf.readUInt32LE(at + 38) >>> 16,
      localOffset: buf.readUInt32LE(at + 42),
      name: buf.toString("utf8", at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of entry `name` (throws naming the archive and the entry when it is missing). */
export function readZipEntry(file: string, name: string): Buffer {
  const buf = readFileSync(file);
  const entry = zipEntries(buf, file).find((e) => e.name === name);
  if (!entry) throw new Error(`${file}: no entry ${name}`);
  const at = entry.localOffset;
  if (buf.readUInt32LE(at) !== LOCAL_SIGNATURE) throw new Error(`${file}: corrupt local header of ${name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const raw = buf.subarray(start, start + entry.compressedSize);
  const data = entry.method === 0 ? Buffer.from(raw) : entry.method === 8 ? inflateRawSync(raw) : undefined;
  if (!data) throw new Error(`${file}: ${name} uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`);
  if (data.length !== entry.size) throw new Error(`${file}: ${name} inflated to ${data.length} bytes, the directory says ${entry.size}`);
  return data;
}
