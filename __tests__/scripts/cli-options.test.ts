/**
 * Every command refuses an option it does not take (exit 2, naming it and the options it takes),
 * instead of ignoring it: `--aply` would do a dry run, `--evn prod` judge a plan by the wrong
 * tier, `--hostnme` fork with the source's host name.
 */
import { main as ciMatrix } from "../../scripts/ci-matrix";
import { benchOptions } from "../../scripts/bench";
import { unknownOptions, unknownOptionsMessage } from "../../scripts/cli";
import { main as cost } from "../../scripts/cost";
import { main as envNew } from "../../scripts/env-new";
import { main as planGuard } from "../../scripts/plan-guard";
import { main as policyCheck } from "../../scripts/policy-check";
import { main as seedSecrets } from "../../scripts/seed-secrets";
import { FIXTURE_ENVIRONMENTS } from "../fixtures/environments";

const SOURCES = Object.values(FIXTURE_ENVIRONMENTS);

describe("unknown options", () => {
  test("are the dashed arguments a command does not take; --help and values are not", () => {
    expect(unknownOptions(["dev", "--env", "prod", "--evn", "-x", "--help", "-h"], ["--env"])).toEqual(["--evn", "-x"]);
    expect(unknownOptionsMessage("cost", ["--bogus"], ["--json"])).toBe("cost: unknown option --bogus (it takes --json; --help for usage)");
    expect(unknownOptionsMessage("ci:matrix", ["--a", "--b"], [])).toBe("ci:matrix: unknown options --a, --b (it takes none; --help for usage)");
  });

  describe("each command refuses one, exit 2, before doing anything", () => {
    let errors: string[];
    beforeEach(() => {
      errors = [];
      jest.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
      jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    });
    afterEach(() => jest.restoreAllMocks());

    test.each<[string, () => number | Promise<number>, string]>([
      ["cost", () => cost(["dev", "--jsn"], SOURCES), "cost: unknown option --jsn (it takes --json"],
      ["ci:matrix", () => ciMatrix(["--pretty"], SOURCES), "ci:matrix: unknown option --pretty (it takes none"],
      ["policy", () => policyCheck(["plan.json", "--evn", "prod"], SOURCES), "policy-check: unknown option --evn (it takes --env"],
      ["plan:guard", () => planGuard(["plan.json", "--alow", "aws_db_instance.x"]), "plan-guard: unknown option --alow (it takes --allow"],
      ["secrets:seed", () => seedSecrets(["dev", "--aply"], { sources: SOURCES, err: (l) => void errors.push(l) }), "secrets:seed: unknown option --aply (it takes --apply, --aws-endpoint"],
      [
        "env:new",
        () => envNew(["eu", "--from", "dev", "--account", "444444444444", "--region", "eu-central-1", "--hostnme", "x"], { sources: SOURCES, err: (l) => void errors.push(l), out: () => undefined }),
        "env:new: unknown option --hostnme (it takes --from, --account, --region, --tier, --hostname",
      ],
    ])("%s", async (_name, run, message) => {
      expect(await run()).toBe(2);
      expect(errors.join("\n")).toContain(message);
    });
  });

  test("bench: --runs must be a whole number of at least 1, and nothing else is taken", () => {
    expect(benchOptions(["--quick", "--runs", "3"], {})).toEqual({ quick: true, runs: 3 });
    expect(benchOptions([], { BENCH_RUNS: "2" })).toEqual({ quick: false, runs: 2 });
    expect(() => benchOptions(["--runs", "0"], {})).toThrow("bench: --runs must be a whole number of at least 1, got 0");
    expect(() => benchOptions(["--quik"], {})).toThrow("bench: unknown option --quik (it takes --quick, --runs; --help for usage)");
  });
});
