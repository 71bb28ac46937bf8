/**
 * A gRPC pass-through between Terraform and a reattached provider (provider-server.ts) that
 * answers `GetProviderSchema` with only the resource and data source types the configuration
 * uses, and answers it from memory after the first time.
 *
 * Why: the AWS provider's schema response holds ~1,500 types. Every Terraform process decodes
 * all of it (~0.8 CPU-s: `plan` and `show` each), and the provider builds it again for every
 * call (~0.3 CPU-s). Terraform looks up the schema of exactly the types in the configuration,
 * the state and the plan, so the plan is the same; a type missing from the list fails loudly
 * ("The provider hashicorp/aws does not support resource type ..."), never silently.
 *
 * Everything else (every other call, the go-plugin stdio and broker streams) is relayed as is,
 * stream for stream, over HTTP/2 (node:http2; gRPC is HTTP/2 with 5-byte framed messages and
 * trailers). Only the top level of the protobuf response is read: map fields 2
 * (resource_schemas) and 3 (data_source_schemas) are entries whose key is field 1.
 */
import { connect, createServer, constants, type ClientHttp2Session, type Http2Server, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import { connect as netConnect } from "node:net";

/** The schema call and the configure call, in protocol 5 (the AWS provider's) and 6. */
const SCHEMA_PATHS = new Set(["/tfplugin5.Provider/GetSchema", "/tfplugin6.Provider/GetProviderSchema"]);
const CONFIGURE_PATHS = new Set(["/tfplugin5.Provider/Configure", "/tfplugin6.Provider/ConfigureProvider"]);

/** The types an offline config uses: `resource` and `data` keys of a Terraform JSON config (and of a state). */
export interface KeptTypes {
  readonly resources: ReadonlySet<string>;
  readonly dataSources: ReadonlySet<string>;
}

export function typesOf(...configs: Record<string, any>[]): KeptTypes {
  const resources = new Set<string>();
  const dataSources = new Set<string>();
  for (const c of configs) {
    for (const t of Object.keys(c.resource ?? {})) resources.add(t);
    for (const t of Object.keys(c.data ?? {})) dataSources.add(t);
    // A state file (the replacement plan's): resources[].{mode,type}.
    if (Array.isArray(c.resources)) for (const r of c.resources) (r.mode === "data" ? dataSources : resources).add(r.type);
  }
  return { resources, dataSources };
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let mult = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error("protobuf: truncated varint");
    const b = buf[pos++];
    value += (b & 0x7f) * mult;
    if ((b & 0x80) === 0) return [value, pos];
    mult *= 128;
  }
}

/** The string key (field 1) of a map entry message, or undefined. */
function entryKey(entry: Buffer): string | undefined {
  let pos = 0;
  while (pos < entry.length) {
    const [tag, p1] = readVarint(entry, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire !== 2) return undefined;
    const [len, p2] = readVarint(entry, p1);
    if (field === 1) return entry.subarray(p2, p2 + len).toString("utf8");
    pos = p2 + len;
  }
  return undefined;
}

/**
 * A GetProviderSchema.Response message with only the kept types in fields 2 and 3; every other
 * field byte for byte. Throws on a message it cannot walk (the caller then relays the original).
 */
export function filterSchemaResponse(message: Buffer, keep: KeptTypes): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < message.length) {
    const start = pos;
    const [tag, p1] = readVarint(message, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) pos = readVarint(message, p1)[1];
    else if (wire === 1) pos = p1 + 8;
    else if (wire === 5) pos = p1 + 4;
    else if (wire === 2) {
      const [len, p2] = readVarint(message, p1);
      pos = p2 + len;
      if (pos > message.length) throw new Error("protobuf: field runs past the message");
      if (field === 2 || field === 3) {
        const key = entryKey(message.subarray(p2, pos));
        if (key === undefined) throw new Error(`protobuf: map entry of field ${field} without a key`);
        if (!(field === 2 ? keep.resources : keep.dataSources).has(key)) continue;
      }
    } else throw new Error(`protobuf: wire type ${wire} at ${start}`);
    if (pos > message.length) throw new Error("protobuf: field runs past the message");
    parts.push(message.subarray(start, pos));
  }
  return Buffer.concat(parts);
}

/** gRPC framing: 1 byte compressed flag, 4 bytes big-endian length, the message. */
export function grpcFrame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** The one uncompressed message of a unary gRPC body, or undefined. */
export function grpcMessage(body: Buffer): Buffer | undefined {
  if (body.length < 5 || body[0] !== 0) return undefined;
  const len = body.readUInt32BE(1);
  return body.length === 5 + len ? body.subarray(5) : undefined;
}

function forwardable(headers: IncomingHttpHeaders, keepStatus: boolean): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith(":") && !(keepStatus && k === ":status")) continue;
    out[k] = v;
  }
  return out;
}

/** A provider process behind the proxy. */
export interface Upstream {
  /** Its unix socket. */
  readonly socket: string;
  /** Whether a ConfigureProvider went to it (a process takes one). */
  configured: boolean;
  client?: ClientHttp2Session;
}

/** The provider's full schema answer, kept by the proxies of one provider binary. */
export interface SchemaCache {
  body?: Buffer;
  headers?: IncomingHttpHeaders;
  trailers?: IncomingHttpHeaders;
  /** Called once the answer is known (to keep it on disk). */
  persist?: () => void;
}

export interface SchemaProxy {
  /** The unix socket Terraform connects to. */
  readonly socket: string;
  /** Schema answers: asked of a provider, and served from memory. */
  readonly served: { fromProvider: number; fromMemory: number };
  /** Provider processes used (the first plus one per further provider configuration). */
  readonly upstreams: number;
  close(): void;
}

/** Large flow-control windows: plan messages of big resources (the WAF ACL's) are MBs of msgpack. */
const WINDOW = { initialWindowSize: 16 << 20 };

const grpcError = (stream: ServerHttp2Stream, message: string): void => {
  if (stream.headersSent || stream.destroyed) {
    stream.destroy();
    return;
  }
  // 14 = UNAVAILABLE; trailers-only answer.
  stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "14", "grpc-message": encodeURIComponent(message) }, { endStream: true });
};

/**
 * Listens on `socket` for Terraform. Every Terraform connection (one per provider instance:
 * the schema lookup, each provider configuration's validate and plan, `show`) starts on
 * `first`; a connection that sends ConfigureProvider to a process already configured (a second
 * `provider "aws"` block, an alias) moves to a fresh process from `more()`, as Terraform itself
 * would launch one per configuration. `GetSchema` is answered filtered to `keep` and, once
 * known, from `cache` without asking a provider.
 */
export function startSchemaProxy(socket: string, first: Upstream, more: () => Promise<Upstream>, keep: KeptTypes, cache: SchemaCache = {}): Promise<SchemaProxy> {
  const served = { fromProvider: 0, fromMemory: 0 };
  let upstreams = 1;
  const client = (u: Upstream) => {
    if (!u.client || u.client.closed || u.client.destroyed) {
      u.client = connect("http://localhost", { createConnection: () => netConnect(u.socket), settings: WINDOW });
      u.client.on("error", () => {});
    }
    return u.client;
  };
  const clients = new Set<Upstream>([first]);
  const replySchema = (stream: ServerHttp2Stream) => {
    let body = cache.body!;
    const message = grpcMessage(body);
    if (message) {
      try {
        body = grpcFrame(filterSchemaResponse(message, keep));
      } catch {
        // relay the provider's own answer
      }
    }
    stream.respond(forwardable(cache.headers!, true), { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers(forwardable(cache.trailers ?? {}, false)));
    stream.end(body);
  };
  const forward = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, u: Upstream) => {
    const path = String(headers[":path"]);
    const up = client(u).request({ ...forwardable(headers, false), ":method": String(headers[":method"] ?? "POST"), ":path": path });
    up.on("error", () => stream.destroy());
    stream.on("close", () => {
      if (!up.closed) up.close(constants.NGHTTP2_CANCEL);
    });
    stream.pipe(up);
    let trailers: IncomingHttpHeaders = {};
    up.on("trailers", (t) => (trailers = t));
    up.on("response", (h) => {
      if (h["grpc-status"] !== undefined) {
        // Trailers-only: the status is in the headers and the stream ends with them.
        stream.respond(forwardable(h, true), { endStream: true });
        return;
      }
      if (SCHEMA_PATHS.has(path)) {
        // The whole answer, kept, then filtered.
        const chunks: Buffer[] = [];
        up.on("data", (d: Buffer) => chunks.push(d));
        up.on("end", () => {
          served.fromProvider++;
          if (trailers["grpc-status"] === "0") {
            Object.assign(cache, { body: Buffer.concat(chunks), headers: h, trailers });
            replySchema(stream);
            cache.persist?.();
          } else {
            stream.respond(forwardable(h, true), { waitForTrailers: true });
            stream.on("wantTrailers", () => stream.sendTrailers(forwardable(trailers, false)));
            stream.end(Buffer.concat(chunks));
          }
        });
        return;
      }
      stream.respond(forwardable(h, true), { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers(forwardable(trailers, false)));
      up.pipe(stream);
    });
  };
  const route = new WeakMap<object, Promise<Upstream>>();
  const server: Http2Server = createServer({ settings: WINDOW });
  const sessions = new Set<import("node:http2").ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    route.set(s, Promise.resolve(first));
    s.on("close", () => sessions.delete(s));
    s.on("error", () => {});
  });
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    const path = String(headers[":path"]);
    if (SCHEMA_PATHS.has(path) && cache.body) {
      served.fromMemory++;
      stream.resume();
      stream.on("end", () => replySchema(stream));
      return;
    }
    const session = stream.session!;
    let target = route.get(session) ?? Promise.resolve(first);
    if (CONFIGURE_PATHS.has(path)) {
      target = target.then(async (u) => {
        if (!u.configured) {
          u.configured = true;
          return u;
        }
        const fresh = await more();
        upstreams++;
        clients.add(fresh);
        fresh.configured = true;
        return fresh;
      });
      route.set(session, target);
    }
    target.then(
      (u) => forward(stream, headers, u),
      (e) => grpcError(stream, `offline plan: could not start another provider process: ${e instanceof Error ? e.message : String(e)}`),
    );
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(socket, () => {
      server.removeListener("error", fail);
      done({
        socket,
        served,
        get upstreams() {
          return upstreams;
        },
        close() {
          for (const u of clients) u.client?.destroy();
          // Streams Terraform leaves open (go-plugin's stdio and broker) end with their sessions.
          for (const s of sessions) s.destroy();
          server.close();
        },
      });
    });
  });
}
