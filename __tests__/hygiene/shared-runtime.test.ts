/**
 * The jest runtime of this repository (__tests__/shared-runtime.js) loads cdktf, constructs and the
 * provider packages once per worker, with Node's own require: their functions come from the worker's
 * realm, not the test file's (a function of a per-file module is an `instanceof Function` of the test
 * file's realm; one of a shared module is not). These tests fail if jest.config.js stops using the
 * runtime or it starts sharing what must stay per file.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ownRealm = (value: unknown) => value instanceof Function;

describe("the shared jest runtime", () => {
  test("cdktf, constructs and the provider classes are loaded once per worker (not from this file's realm)", () => {
    expect(ownRealm(require("cdktf").App)).toBe(false);
    expect(ownRealm(require("constructs").Construct)).toBe(false);
    expect(ownRealm(require("@cdktf/provider-aws/lib/vpc").Vpc)).toBe(false);
    expect(ownRealm(require("@aws-sdk/client-eks").EKSClient)).toBe(false);
    expect(ownRealm(require("@kubernetes/client-node").KubeConfig)).toBe(false);
  });

  test("what the shared AWS SDK sees is global setup's fake credentials, never a developer's", () => {
    const { TEST_AWS_ENV } = require("../global-setup") as { TEST_AWS_ENV: Record<string, string | undefined> };
    // The worker's real environment (the shared SDK reads it): jest's copy for this file started from it.
    for (const [k, v] of Object.entries(TEST_AWS_ENV)) expect([k, process.env[k]]).toEqual([k, v]);
  });

  test("the project's own modules and other packages still load per test file", () => {
    expect(ownRealm(require("../../lib/naming").stackName)).toBe(true);
    expect(ownRealm(require("zod").z.object)).toBe(true);
  });

  test("jest.isolateModules gets a per-file cdktf", () => {
    let isolated: typeof import("cdktf") | undefined;
    jest.isolateModules(() => {
      isolated = require("cdktf");
    });
    expect(ownRealm(isolated!.App)).toBe(true);
    expect(isolated).not.toBe(require("cdktf"));
  });

  test("a source is read from disk once per worker, and again when it changes (mtime or size)", () => {
    const runtime = require("../shared-runtime.js") as { prototype: { readFile(f: string): string }; sources: Map<string, { text: string }> };
    // What jest gives each test file: a runtime with its own per-file read caches.
    const perFile = () => Object.assign(Object.create(runtime.prototype), { _cacheFS: new Map(), _cacheFSBuffer: new Map() }) as { readFile(f: string): string };
    const dir = mkdtempSync(join(tmpdir(), "ls-shared-runtime-"));
    try {
      const file = join(dir, "module.json");
      writeFileSync(file, '{"v":1}');
      expect(perFile().readFile(file)).toBe('{"v":1}');
      expect(runtime.sources.get(file)?.text).toBe('{"v":1}');
      runtime.sources.set(file, { ...runtime.sources.get(file)!, text: "served from the worker's cache" });
      expect(perFile().readFile(file)).toBe("served from the worker's cache");
      writeFileSync(file, '{"v":22}');
      expect(perFile().readFile(file)).toBe('{"v":22}');
      // Same size, another mtime: read again.
      runtime.sources.set(file, { ...runtime.sources.get(file)!, text: "stale" });
      utimesSync(file, new Date(), new Date(Date.now() + 5_000));
      expect(perFile().readFile(file)).toBe('{"v":22}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("only those packages are shared", () => {
    const { SHARED } = require("../shared-runtime.js") as { SHARED: RegExp };
    for (const p of ["/r/node_modules/cdktf/lib/index.js", "/r/node_modules/constructs/lib/index.js", "/r/node_modules/@cdktf/provider-aws/lib/vpc/index.js", "/r/node_modules/@aws-sdk/client-eks/dist-cjs/index.js", "/r/node_modules/@smithy/core/dist-cjs/index.js"]) expect(p).toMatch(SHARED);
    for (const p of ["/r/node_modules/zod/lib/index.js", "/r/lib/naming.ts", "/r/node_modules/cdktf-cli/bin/cdktf", "/r/node_modules/@cdktf/hcl2json/lib/index.js"]) expect(p).not.toMatch(SHARED);
  });

  // Last in this file: it empties the worker's token map, as the runtime does after every file.
  test("after each file the worker's cdktf token map is emptied (a token keeps its construct tree alive), and token strings are never reused", () => {
    type TokenMap = { stringTokenMap: Map<string, unknown>; tokenCounter: number };
    const { forgetTokens } = require("../shared-runtime.js") as { forgetTokens(map: TokenMap): void };
    const { Lazy, Token } = require("cdktf") as typeof import("cdktf");
    // The worker's map (shared cdktf's, on the worker's global; this file's `global` is its own).
    const workerMap = (require("cdktf/lib/tokens/private/token-map") as { TokenMap: { instance(): TokenMap } }).TokenMap.instance();
    const first = Lazy.stringValue({ produce: () => "x" });
    expect(Token.isUnresolved(first)).toBe(true);
    expect(workerMap.stringTokenMap.size).toBeGreaterThan(0);
    const counter = workerMap.tokenCounter;
    forgetTokens(workerMap);
    expect(workerMap.stringTokenMap.size).toBe(0);
    const next = Lazy.stringValue({ produce: () => "y" });
    expect(next).not.toBe(first);
    expect(workerMap.tokenCounter).toBeGreaterThan(counter);
  });
});
