/**
 * The offline plan's provider reattach (scripts/offline/provider-server.ts) and schema proxy
 * (scripts/offline/schema-proxy.ts), without Terraform: fake providers are shell scripts that
 * print the reattach line (or not), and fake gRPC servers stand in for the provider.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Http2Server, type IncomingHttpHeaders } from "node:http2";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_DIST } from "../synth-cache";
import { dropSpares, liveProviders, parseReattachLine, pointReattachAt, providerBinaries, reattachAddress, reattachEnabled, schemaCacheFor, startProvider, withProvider } from "../../scripts/offline/provider-server";
import { filterSchemaResponse, grpcFrame, grpcMessage, startSchemaProxy, typesOf, type Upstream } from "../../scripts/offline/schema-proxy";

const LINE = `Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:

\tTF_REATTACH_PROVIDERS='{"registry.terraform.io/hashicorp/aws":{"Protocol":"grpc","ProtocolVersion":5,"Pid":20815,"Test":true,"Addr":{"Network":"unix","String":"/tmp/x/plugin155106919"}}}'
`;

const scratch = mkdtempSync(join(tmpdir(), "ls-provider-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An executable shell script standing in for the provider binary. */
function fakeProvider(name: string, body: string): string {
  const dir = join(scratch, name, "providers", "registry.terraform.io", "hashicorp", "aws", "5.100.0", "linux_amd64");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "terraform-provider-aws_v5.100.0_x5");
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}
// `exec sleep`: the pid printed is the process that keeps running, as with the real provider.
const PRINTS = `echo "TF_REATTACH_PROVIDERS='{\\"registry.terraform.io/hashicorp/aws\\":{\\"Protocol\\":\\"grpc\\",\\"ProtocolVersion\\":5,\\"Pid\\":$$,\\"Test\\":true,\\"Addr\\":{\\"Network\\":\\"unix\\",\\"String\\":\\"$TMPDIR/plugin1\\"}}}'"\nexec sleep 60`;
/** Running (a zombie whose parent is gone is not: it only waits for init to reap it). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

describe("reattach line", () => {
  test("the JSON between the quotes of the TF_REATTACH_PROVIDERS line", () => {
    expect(JSON.parse(parseReattachLine(LINE)!)["registry.terraform.io/hashicorp/aws"].Addr.String).toBe("/tmp/x/plugin155106919");
  });

  test("nothing yet while the line is not (fully) printed", () => {
    expect(parseReattachLine("Provider started. To attach")).toBeUndefined();
    expect(parseReattachLine(LINE.slice(0, LINE.indexOf("Addr")))).toBeUndefined();
  });

  test.each([
    ["TF_REATTACH_PROVIDERS='{not json}'", "provider printed an unreadable TF_REATTACH_PROVIDERS value: {not json}"],
    ["TF_REATTACH_PROVIDERS='{}'", "provider printed a TF_REATTACH_PROVIDERS value without a provider address: {}"],
    [`TF_REATTACH_PROVIDERS='{"a":{"Pid":1}}'`, `provider printed a TF_REATTACH_PROVIDERS value without a provider address: {"a":{"Pid":1}}`],
  ])("%s is an error naming the value", (text, message) => {
    expect(() => parseReattachLine(text)).toThrow(message);
  });

  test("the proxy's address replaces the provider's; the rest is kept", () => {
    const value = parseReattachLine(LINE)!;
    expect(reattachAddress(value)).toBe("/tmp/x/plugin155106919");
    const pointed = JSON.parse(pointReattachAt(value, "/tmp/y/terraform.sock"))["registry.terraform.io/hashicorp/aws"];
    expect(pointed).toEqual({ Protocol: "grpc", ProtocolVersion: 5, Pid: 20815, Test: true, Addr: { Network: "unix", String: "/tmp/y/terraform.sock" } });
  });

  test.each([
    [undefined, true],
    ["1", true],
    ["0", false],
    ["false", false],
    ["OFF", false],
  ])("LS_PROVIDER_REATTACH=%s: reattach %s", (value, expected) => {
    expect(reattachEnabled(value === undefined ? {} : { LS_PROVIDER_REATTACH: value })).toBe(expected);
  });
});

describe("provider process", () => {
  test("started: the reattach value, a scratch TMPDIR holding its socket; stop() kills it and removes the directory", async () => {
    const bin = fakeProvider("ok", PRINTS);
    const r = await startProvider(bin, process.env, 10_000);
    if (!r.server) throw new Error(r.reason);
    const { server } = r;
    expect(reattachAddress(server.reattach)).toBe(join(server.dir, "plugin1"));
    expect(alive(server.pid)).toBe(true);
    expect(liveProviders()).toContain(server);
    server.stop();
    server.stop(); // idempotent
    expect(existsSync(server.dir)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(server.pid)).toBe(false);
    expect(liveProviders()).toEqual([]);
  });

  test("no reattach line in time: stopped, directory removed, the reason given", async () => {
    const bin = fakeProvider("silent", "exec sleep 60");
    const r = await startProvider(bin, process.env, 100);
    expect(r.server).toBeUndefined();
    expect("reason" in r && r.reason).toBe("no TF_REATTACH_PROVIDERS line within 0.1 s");
    expect(liveProviders()).toEqual([]);
  });

  test("exits before printing the line: the reason with its last stderr lines", async () => {
    const bin = fakeProvider("dies", 'echo "plugin: bad flag -debug" >&2; exit 3');
    const r = await startProvider(bin, process.env, 10_000);
    expect("reason" in r && r.reason).toBe(`${bin} -debug exited (code 3) before printing TF_REATTACH_PROVIDERS: plugin: bad flag -debug`);
    expect(liveProviders()).toEqual([]);
  });

  test("the provider binaries under a data dir's providers/", () => {
    const bin = fakeProvider("listed", PRINTS);
    expect(providerBinaries(join(scratch, "listed"))).toEqual([bin]);
    expect(providerBinaries(join(scratch, "no-such-dir"))).toEqual([]);
  });

  test("withProvider falls back to the plain env and says why when there is no provider binary", async () => {
    const reasons: string[] = [];
    const env = await withProvider(join(scratch, "empty"), { A: "1" }, typesOf({}), async (e) => e, { onFallback: (r) => reasons.push(r) });
    expect(env).toEqual({ A: "1" });
    expect(reasons).toEqual([`no provider binary under ${join(scratch, "empty", "providers")}`]);
  });

  test("withProvider falls back when the provider prints nothing, and leaves no process behind", async () => {
    fakeProvider("silent2", "exec sleep 60");
    const reasons: string[] = [];
    const env = await withProvider(join(scratch, "silent2"), { PATH: process.env.PATH }, typesOf({}), async (e) => e, { onFallback: (r) => reasons.push(r), timeoutMs: 100 });
    expect(env.TF_REATTACH_PROVIDERS).toBeUndefined();
    expect(reasons).toEqual(["no TF_REATTACH_PROVIDERS line within 0.1 s"]);
    expect(liveProviders()).toEqual([]);
  });

  test("withProvider: TF_REATTACH_PROVIDERS points at the proxy while fn runs; everything is stopped after, also when fn throws", async () => {
    fakeProvider("served", PRINTS);
    let seen: { pid: number; dir: string; socket: string } | undefined;
    await expect(
      withProvider(join(scratch, "served"), { PATH: process.env.PATH }, typesOf({}), async (env) => {
        const [server] = liveProviders();
        seen = { pid: server.pid, dir: server.dir, socket: reattachAddress(env.TF_REATTACH_PROVIDERS!) };
        expect(seen.socket).toBe(join(server.dir, "terraform.sock"));
        expect(existsSync(seen.socket)).toBe(true);
        throw new Error("terraform failed");
      }),
    ).rejects.toThrow("terraform failed");
    expect(liveProviders()).toEqual([]);
    expect(existsSync(seen!.dir)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(seen!.pid)).toBe(false);
  });

  test("prestart: the next process is started ahead, the next plan takes it, dropSpares stops the last one", async () => {
    fakeProvider("spares", PRINTS);
    const dataDir = join(scratch, "spares");
    const env = { PATH: process.env.PATH };
    // By scratch directory (fixed at start; the pid is the provider's once it has printed its line).
    const dirsDuring = async () => liveProviders().map((p) => p.dir);
    try {
      const first = await withProvider(dataDir, env, typesOf({}), dirsDuring, { prestart: true });
      expect(first).toHaveLength(2); // its own and the one started ahead
      const spare = liveProviders().map((p) => p.dir);
      expect(spare).toHaveLength(1);
      expect(first).toContain(spare[0]);
      const second = await withProvider(dataDir, env, typesOf({}), async (e) => liveProviders().find((p) => reattachAddress(e.TF_REATTACH_PROVIDERS!).startsWith(p.dir))?.dir);
      expect(second).toBe(spare[0]);
      await withProvider(dataDir, env, typesOf({}), async () => undefined, { prestart: true });
      expect(liveProviders()).toHaveLength(1);
    } finally {
      await dropSpares();
    }
    expect(liveProviders()).toEqual([]);
  });

  test("the script killed outright (SIGKILL, no cleanup of its own): the watchdog kills the provider and removes its directory", async () => {
    const bin = fakeProvider("sigkill", PRINTS);
    const module = join(TEST_DIST, "scripts", "offline", "provider-server.js");
    const child = spawn(process.execPath, ["-e", `require(${JSON.stringify(module)}).startProvider(${JSON.stringify(bin)}, process.env).then((r) => { console.log(JSON.stringify({ pid: r.server.pid, dir: r.server.dir })); setInterval(() => {}, 1000); })`], { stdio: ["ignore", "pipe", "inherit"] });
    const info = await new Promise<{ pid: number; dir: string }>((done) => child.stdout.once("data", (d: Buffer) => done(JSON.parse(String(d)))));
    expect(alive(info.pid)).toBe(true);
    await new Promise((done) => {
      child.on("exit", done);
      child.kill("SIGKILL");
    });
    for (let i = 0; i < 50 && (alive(info.pid) || existsSync(info.dir)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(info.pid)).toBe(false);
    expect(existsSync(info.dir)).toBe(false);
  }, 20_000);

  test.each(["SIGTERM", "SIGINT"] as const)("%s to the script: its provider is killed and its directory removed", async (signal) => {
    const bin = fakeProvider(`signal-${signal}`, PRINTS);
    // A script holding a provider: the fast build's output (global setup builds it).
    const module = join(TEST_DIST, "scripts", "offline", "provider-server.js");
    const child = spawn(process.execPath, ["-e", `require(${JSON.stringify(module)}).startProvider(${JSON.stringify(bin)}, process.env).then((r) => { console.log(JSON.stringify({ pid: r.server.pid, dir: r.server.dir })); setInterval(() => {}, 1000); })`], { stdio: ["ignore", "pipe", "inherit"] });
    const info = await new Promise<{ pid: number; dir: string }>((done) => child.stdout.once("data", (d: Buffer) => done(JSON.parse(String(d)))));
    expect(alive(info.pid)).toBe(true);
    const code = await new Promise<number | null>((done) => {
      child.on("exit", (c) => done(c));
      child.kill(signal);
    });
    expect(code).toBe(signal === "SIGTERM" ? 143 : 130);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(info.pid)).toBe(false);
    expect(existsSync(info.dir)).toBe(false);
  }, 20_000);
});

/** Protobuf: a length-delimited field. */
const field = (no: number, bytes: Buffer) => Buffer.concat([Buffer.from([(no << 3) | 2, bytes.length]), bytes]);
const entry = (no: number, key: string) => field(no, Buffer.concat([field(1, Buffer.from(key)), field(2, Buffer.from("schema"))]));
const SCHEMA = Buffer.concat([field(1, Buffer.from("provider")), entry(2, "aws_vpc"), entry(2, "aws_wafv2_web_acl"), entry(2, "aws_instance"), entry(3, "aws_region"), entry(3, "aws_ami"), Buffer.from([(6 << 3) | 0, 1]), entry(7, "arn_parse")]);

describe("schema answer kept on disk", () => {
  test("written once known, read by a later run (a fresh module), replaced when the binary changes", () => {
    const bin = fakeProvider("cached", PRINTS);
    const dir = join(scratch, "schemas");
    const first = schemaCacheFor(bin, dir);
    expect(first.body).toBeUndefined();
    Object.assign(first, { body: grpcFrame(SCHEMA), headers: { ":status": 200, "content-type": "application/grpc" }, trailers: { "grpc-status": "0" } });
    first.persist!();
    expect(schemaCacheFor(bin, dir)).toBe(first); // the same run: from memory
    jest.isolateModules(() => {
      const later = (require("../../scripts/offline/provider-server") as typeof import("../../scripts/offline/provider-server")).schemaCacheFor(bin, dir);
      expect(later.body).toEqual(grpcFrame(SCHEMA));
      expect(later.headers).toEqual({ ":status": 200, "content-type": "application/grpc" });
      expect(later.trailers).toEqual({ "grpc-status": "0" });
    });
    // Another binary (here: the same path, rewritten): its own file, the old one removed.
    writeFileSync(bin, `#!/bin/sh\n${PRINTS}\n# v2\n`);
    const other = schemaCacheFor(bin, dir);
    expect(other.body).toBeUndefined();
    Object.assign(other, { body: grpcFrame(Buffer.from("v2")), headers: {}, trailers: {} });
    other.persist!();
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe("schema filter", () => {
  test("keeps the provider schema, other fields and the types the config uses; drops the rest", () => {
    const kept = filterSchemaResponse(SCHEMA, typesOf({ resource: { aws_vpc: {}, aws_wafv2_web_acl: {} }, data: { aws_region: {} } }));
    expect(kept).toEqual(Buffer.concat([field(1, Buffer.from("provider")), entry(2, "aws_vpc"), entry(2, "aws_wafv2_web_acl"), entry(3, "aws_region"), Buffer.from([(6 << 3) | 0, 1]), entry(7, "arn_parse")]));
  });

  test("the types of a state file count too (the replacement plan's)", () => {
    const t = typesOf({ resources: [{ mode: "managed", type: "aws_s3_bucket" }, { mode: "data", type: "aws_caller_identity" }] }, { resource: { aws_vpc: {} } });
    expect([...t.resources].sort()).toEqual(["aws_s3_bucket", "aws_vpc"]);
    expect([...t.dataSources]).toEqual(["aws_caller_identity"]);
  });

  test("a message it cannot walk is an error (the proxy then relays the original)", () => {
    expect(() => filterSchemaResponse(Buffer.from([0x12, 0x40, 0x01]), typesOf({}))).toThrow("protobuf: field runs past the message");
    expect(() => filterSchemaResponse(Buffer.from([0x13]), typesOf({}))).toThrow("protobuf: wire type 3 at 0");
  });

  test("gRPC framing round trip; compressed or partial bodies are not read", () => {
    expect(grpcMessage(grpcFrame(SCHEMA))).toEqual(SCHEMA);
    expect(grpcMessage(Buffer.concat([Buffer.from([1]), grpcFrame(SCHEMA).subarray(1)]))).toBeUndefined();
    expect(grpcMessage(grpcFrame(SCHEMA).subarray(0, 10))).toBeUndefined();
  });
});

describe("schema proxy (fake provider servers)", () => {
  const servers: Http2Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));
  const calls: string[] = [];

  /** A gRPC server answering GetSchema with SCHEMA and every other call with its own name. */
  async function fakeUpstream(name: string): Promise<Upstream> {
    const socket = join(scratch, `${name}.sock`);
    const server = createServer();
    server.on("stream", (stream, headers) => {
      const path = String(headers[":path"]);
      calls.push(`${name} ${path}`);
      stream.resume();
      stream.on("end", () => {
        if (path === "/tfplugin5.Provider/Fail") {
          stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "3", "grpc-message": "bad" }, { endStream: true });
          return;
        }
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(grpcFrame(path === "/tfplugin5.Provider/GetSchema" ? SCHEMA : Buffer.from(name)));
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(socket, r));
    return { socket, configured: false };
  }

  /** One Terraform connection: calls in order, each answered with its body, headers and trailers. */
  function terraform(socket: string) {
    const session = connect("http://localhost", { createConnection: () => netConnect(socket) });
    const call = (path: string) =>
      new Promise<{ body: Buffer; headers: IncomingHttpHeaders; trailers: IncomingHttpHeaders }>((done, fail) => {
        const req = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
        const chunks: Buffer[] = [];
        let headers: IncomingHttpHeaders = {};
        let trailers: IncomingHttpHeaders = {};
        req.on("response", (h) => (headers = h));
        req.on("trailers", (t) => (trailers = t));
        req.on("data", (d: Buffer) => chunks.push(d));
        req.on("end", () => done({ body: Buffer.concat(chunks), headers, trailers }));
        req.on("error", fail);
        req.end(grpcFrame(Buffer.alloc(0)));
      });
    return { call, close: () => session.close() };
  }

  test("GetSchema filtered and then served from memory; every other call relayed; a second Configure moves that connection to a new process", async () => {
    const first = await fakeUpstream("first");
    const spawned: string[] = [];
    const proxy = await startSchemaProxy(join(scratch, "proxy.sock"), first, async () => {
      spawned.push("more");
      return fakeUpstream(`more${spawned.length}`);
    }, typesOf({ resource: { aws_vpc: {} }, data: { aws_ami: {} } }));
    try {
      const a = terraform(proxy.socket);
      const schema = await a.call("/tfplugin5.Provider/GetSchema");
      expect(grpcMessage(schema.body)).toEqual(Buffer.concat([field(1, Buffer.from("provider")), entry(2, "aws_vpc"), entry(3, "aws_ami"), Buffer.from([(6 << 3) | 0, 1]), entry(7, "arn_parse")]));
      expect(schema.trailers["grpc-status"]).toBe("0");
      const again = await terraform(proxy.socket).call("/tfplugin5.Provider/GetSchema");
      expect(again.body).toEqual(schema.body);
      expect(proxy.served).toEqual({ fromProvider: 1, fromMemory: 1 });

      // Two provider configurations, each on its own connection: one process each.
      const b = terraform(proxy.socket);
      expect(grpcMessage((await a.call("/tfplugin5.Provider/Configure")).body)!.toString()).toBe("first");
      expect(grpcMessage((await b.call("/tfplugin5.Provider/Configure")).body)!.toString()).toBe("more1");
      expect(grpcMessage((await b.call("/tfplugin5.Provider/PlanResourceChange")).body)!.toString()).toBe("more1");
      expect(grpcMessage((await a.call("/tfplugin5.Provider/PlanResourceChange")).body)!.toString()).toBe("first");
      expect(proxy.upstreams).toBe(2);

      // An error answer (trailers-only) is relayed as such.
      const failed = await a.call("/tfplugin5.Provider/Fail");
      expect(failed.headers["grpc-status"]).toBe("3");
      expect(failed.headers["grpc-message"]).toBe("bad");
      a.close();
      b.close();
    } finally {
      proxy.close();
    }
    expect(calls.filter((c) => c.endsWith("GetSchema"))).toEqual(["first /tfplugin5.Provider/GetSchema"]);
  });
});
