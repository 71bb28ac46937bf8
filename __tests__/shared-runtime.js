/**
 * Jest's runtime with one change: cdktf, constructs, the @cdktf provider packages, and the AWS
 * SDK and Kubernetes client that verify uses, are loaded once per worker process (Node's own
 * require) instead of once per test file. Jest gives every test file a fresh module registry, so
 * each of the ~110 files evaluated cdktf and the provider classes again: ~14 s of a 55 s run was
 * module loading, most of it these packages (measured with --cpu-prof). They are plain libraries
 * whose module state (cdktf's token map, the creation-stack switch of stacks/creation-stacks.ts)
 * is the same for every file, and the project's own code (lib/, modules/, stacks/) still loads per
 * file, so tests stay isolated.
 *
 * Sources are read once per worker too (`readFile` below), and read again when a file changes.
 *
 * `jest.isolateModules` still gets fresh copies (jest's own loading), and so does every module of
 * a file that calls jest.mock. `__tests__/hygiene/shared-runtime.test.ts` pins both.
 *
 * A shared module lives in the worker's realm and sees the worker's real `process.env`, not the
 * copy jest gives each test file: global setup puts fake AWS credentials in the real environment
 * (global-setup.ts), so the SDK never finds a developer's own; a test that needs the SDK to see
 * something else passes it through client options, not process.env.
 *
 * Plain JavaScript: jest loads a runtime with Node's require, before any transform.
 */
const { statSync } = require("node:fs");
const Runtime = require("jest-runtime").default;

/** Packages shared by the test files of a worker: absolute paths inside these are required natively. */
const SHARED = /[\\/]node_modules[\\/](?:cdktf|constructs|@cdktf[\\/]provider-[^\\/]+|@aws-sdk[\\/][^\\/]+|@smithy[\\/][^\\/]+|@aws-crypto[\\/][^\\/]+|@kubernetes[\\/]client-node)[\\/]/;

/**
 * Source text of every file a test file of this worker loaded, by path, with the mtime and size
 * it was read at. Jest reads a module's source from disk again for every test file that loads it
 * (and then finds its transform in the worker's own cache, by path and mtime): ~0.7 s of each
 * worker's run was those reads. A file changed since (a test writing and requiring it) is read again.
 */
const sources = new Map();

/** Empties the worker's cdktf token map (see teardown below); its counter goes on. */
function forgetTokens(tokens = global.__cdktfTokenMap) {
  if (tokens) {
    tokens.stringTokenMap.clear();
    tokens.numberTokenMap.clear();
  }
}

class SharedRuntime extends Runtime {
  readFile(filename) {
    const st = statSync(filename, { throwIfNoEntry: false });
    const hit = st && sources.get(filename);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
    const text = super.readFile(filename);
    if (st) sources.set(filename, { mtimeMs: st.mtimeMs, size: st.size, text });
    return text;
  }

  teardown() {
    // cdktf's token map is a process global (global.__cdktfTokenMap) that keeps every token ever
    // created, and a token keeps its construct tree: shared cdktf kept every test file's stacks
    // alive (the workers' heaps grew ~3 MB a file, and every major GC marked them all). Nothing of
    // a finished file resolves a token again, and loading cdktf and the providers registers none:
    // emptied, not replaced (cdktf modules hold the instance), and its counter goes on, so no
    // token string is ever reused.
    forgetTokens();
    return super.teardown();
  }

  requireModuleOrMock(from, moduleName) {
    // Jest's own loading inside isolateModules, and in a file that mocks anything (jest.mock).
    if (!this._isolatedModuleRegistry && this._explicitShouldMock.size === 0 && moduleName !== "@jest/globals") {
      let path;
      try {
        path = this._resolveCjsModule(from, moduleName);
      } catch {
        path = undefined;
      }
      if (path && SHARED.test(path)) return require(path);
    }
    return super.requireModuleOrMock(from, moduleName);
  }
}

module.exports = SharedRuntime;
module.exports.SHARED = SHARED;
module.exports.sources = sources;
module.exports.forgetTokens = forgetTokens;
