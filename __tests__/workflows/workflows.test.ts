/**
 * The GitHub Actions workflows, parsed: jobs, permissions, pinning, the plan-then-apply-the-same-plan
 * structure, the order and protection of applies, and tool versions from .tool-versions.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { githubEnvironment } from "../../lib/ci";
import { applyOrder, ciMatrix, planRoleVariable } from "../../lib/ci-matrix";
import { loadEnvironments } from "../../lib/config/load";
import { main as ciMatrixMain } from "../../scripts/ci-matrix";
import { FIXTURE_ENVIRONMENTS } from "../fixtures/environments";
import { TERRAFORM_REQUIRED_VERSION } from "../../versions";
import { Json } from "../helpers";

const ROOT = join(__dirname, "..", "..");
const DIR = join(ROOT, ".github", "workflows");
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
const wf = (f: string) => parse(text(f)) as Json;
const pr = wf("pr.yml");
const apply = wf("apply.yml");
const applyEnv = wf("terraform-apply.yml");
const envs = loadEnvironments(ENVIRONMENTS).map((e) => e.config).filter((e) => e.ci);
const fixtures = loadEnvironments(Object.values(FIXTURE_ENVIRONMENTS)).map((e) => e.config);

type Step = Json & { uses?: string; run?: string; with?: Json; name?: string; if?: string };
const steps = (job: Json): Step[] => job.steps ?? [];
const allJobs = (): [string, string, Json][] => FILES.flatMap((f) => Object.entries(wf(f).jobs as Json).map(([id, job]) => [f, id, job] as [string, string, Json]));
const runs = (job: Json) => steps(job).map((s) => s.run ?? "").join("\n");
const usesOf = (job: Json, action: string) => steps(job).filter((s) => s.uses?.startsWith(`${action}@`));
const index = (job: Json, pred: (s: Step) => boolean) => steps(job).findIndex(pred);

describe("every workflow", () => {
  test("exists: pr.yml, apply.yml and the reusable terraform-apply.yml", () => {
    expect(FILES.sort()).toEqual(["apply.yml", "pr.yml", "terraform-apply.yml"]);
  });

  test.each(FILES)("%s grants only contents: read by default", (f) => {
    expect(wf(f).permissions).toEqual({ contents: "read" });
  });

  test("pins every action by full commit SHA, with the release it came from in a comment", () => {
    const lines = FILES.flatMap((f) => text(f).split("\n").map((l) => [f, l] as const)).filter(([, l]) => /^\s*(-\s+)?uses:/.test(l));
    expect(lines.length).toBeGreaterThan(10);
    for (const [f, line] of lines) {
      const ref = line.replace(/^\s*(-\s+)?uses:\s*/, "");
      if (ref.startsWith("./.github/workflows/")) continue; // a workflow of this repository, at this commit
      expect(`${f}: ${ref}`).toMatch(/^[^:]+: [\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test("one SHA per action across all files (a bump changes every use)", () => {
    const shas = new Map<string, Set<string>>();
    for (const [, , job] of allJobs()) {
      for (const s of steps(job).filter((x) => x.uses)) {
        const [action, sha] = (s.uses as string).split("@");
        shas.set(action, (shas.get(action) ?? new Set()).add(sha));
      }
    }
    for (const [action, set] of shas) expect([action, set.size]).toEqual([action, 1]);
  });

  test("id-token: write exactly on the jobs that assume an AWS role (and the callers of the reusable apply)", () => {
    for (const [f, id, job] of allJobs()) {
      const assumes = usesOf(job, "aws-actions/configure-aws-credentials").length > 0 || job.uses === "./.github/workflows/terraform-apply.yml";
      expect([f, id, job.permissions?.["id-token"] === "write"]).toEqual([f, id, assumes]);
    }
  });

  test("no job can comment or write to the repository", () => {
    for (const [, , job] of allJobs()) {
      for (const [scope, level] of Object.entries((job.permissions ?? {}) as Json)) {
        if (scope !== "id-token") expect([scope, level]).toEqual([scope, "read"]);
      }
    }
  });

  test("checkouts keep no credentials", () => {
    for (const [, , job] of allJobs()) for (const s of usesOf(job, "actions/checkout")) expect(s.with?.["persist-credentials"]).toBe(false);
  });

  test("AWS roles come from variables and sessions are named; no long-lived keys anywhere", () => {
    for (const [, , job] of allJobs()) {
      for (const s of usesOf(job, "aws-actions/configure-aws-credentials")) {
        expect(s.with?.["role-to-assume"]).toMatch(/^\$\{\{ vars[.[]/);
        expect(s.with?.["role-session-name"]).toBeDefined();
        expect(Object.keys(s.with ?? {})).not.toEqual(expect.arrayContaining(["aws-access-key-id"]));
      }
    }
    for (const f of FILES) expect(text(f)).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key|secrets\./);
  });
});

describe("tool versions come from .tool-versions only", () => {
  const tools = Object.fromEntries(
    readFileSync(join(ROOT, ".tool-versions"), "utf8")
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim().split(/\s+/))
      .filter((p) => p.length === 2),
  ) as Record<string, string>;

  test("the file pins Node and Terraform exactly", () => {
    expect(tools.nodejs).toMatch(/^\d+\.\d+\.\d+$/);
    expect(tools.terraform).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("Terraform there satisfies every stack's required_version, Node the package's engines", () => {
    const [, min] = /^>=\s*(\d+\.\d+(\.\d+)?)$/.exec(TERRAFORM_REQUIRED_VERSION) ?? [];
    expect(min).toBeDefined();
    const cmp = (a: string, b: string) => {
      const [x, y] = [a, b].map((v) => v.split(".").map(Number));
      for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
      return 0;
    };
    expect(cmp(tools.terraform, min)).toBeGreaterThanOrEqual(0);
    const engines = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.node as string;
    expect(cmp(tools.nodejs, engines.replace(/^>=\s*/, ""))).toBeGreaterThanOrEqual(0);
  });

  test("setup-node reads .tool-versions; setup-terraform gets the version a step read from it", () => {
    for (const [, , job] of allJobs()) {
      for (const s of usesOf(job, "actions/setup-node")) {
        expect(s.with?.["node-version-file"]).toBe(".tool-versions");
        expect(s.with?.["node-version"]).toBeUndefined();
      }
      for (const s of usesOf(job, "hashicorp/setup-terraform")) {
        expect(s.with?.terraform_version).toBe("${{ steps.versions.outputs.terraform }}");
        expect(steps(job).find((x) => x.id === "versions")?.run).toContain(".tool-versions");
        expect(s.with?.terraform_wrapper).toBe(false);
      }
    }
  });

  test("no workflow names a Node or Terraform version literally", () => {
    for (const f of FILES) {
      const body = text(f).split("\n").filter((l) => !/^\s*#/.test(l) && !/uses:/.test(l)).join("\n");
      expect(body).not.toContain(tools.terraform);
      expect(body).not.toContain(tools.nodejs);
      expect(body).not.toMatch(/(node-version|terraform_version):\s*["']?\d/);
    }
  });
});

describe("pr.yml: plan every environment on pull requests", () => {
  const { build, plan } = pr.jobs as Json;

  test("runs on pull requests to main only, never on push", () => {
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(pr.on.pull_request.branches).toEqual(["main"]);
  });

  test("build installs, tests and synthesizes, in that order, and hands the stacks over", () => {
    const cmds = steps(build).map((s) => s.run).filter(Boolean);
    expect(cmds.filter((c) => /^npm /.test(c as string))).toEqual(["npm ci --no-audit --no-fund", "npm test", "npm run synth", expect.stringMatching(/^npm run --silent ci:matrix > ci-matrix\.json\n/)]);
    expect(usesOf(build, "actions/upload-artifact").map((u) => u.with?.name)).toEqual(["synth", "ci-matrix"]);
  });

  test("checks every chart's digest on each pull request, after synth built dist/, without continue-on-error", () => {
    const at = index(build, (s) => s.run === "node dist/scripts/verify-chart-digest.js --all");
    expect(at).toBeGreaterThan(index(build, (s) => s.run === "npm run synth"));
    expect(steps(build)[at]["continue-on-error"]).toBeUndefined();
    expect(existsSync(join(ROOT, "scripts", "verify-chart-digest.ts"))).toBe(true);
  });

  test("the plan matrix comes from the environment files (npm run ci:matrix), not from a list in the workflow", () => {
    expect(text("pr.yml")).not.toMatch(/^\s*-?\s*environment:\s*\w/m);
    const matrixStep = steps(build).find((s) => s.id === "matrix") as Step;
    expect(matrixStep.run).toContain('echo "plan=$(jq -c .plan ci-matrix.json)" >> "$GITHUB_OUTPUT"');
    expect(build.outputs).toEqual({ "plan-matrix": "${{ steps.matrix.outputs.plan }}", plans: "${{ steps.matrix.outputs.plans }}" });
    expect(plan.strategy.matrix).toBe("${{ fromJSON(needs.build.outputs.plan-matrix) }}");
    expect(plan.if).toBe("needs.build.outputs.plans != '0'");
    expect(usesOf(build, "actions/upload-artifact")[1].with?.path).toBe("ci-matrix.json");
  });

  test("one plan job per environment with a ci block, none in a GitHub environment (subject pull_request)", () => {
    expect(plan.needs).toBe("build");
    expect(ciMatrix([...envs]).plan.include.map((m) => m.environment)).toEqual(envs.map((e) => e.name));
    for (const m of ciMatrix([...envs]).plan.include) expect(m.plan_role_variable).toBe(`AWS_PLAN_ROLE_ARN_${m.environment.toUpperCase()}`);
    expect(plan.environment).toBeUndefined();
    expect(usesOf(plan, "aws-actions/configure-aws-credentials")[0].with?.["role-to-assume"]).toBe("${{ vars[matrix.plan_role_variable] }}");
  });

  test("init, plan -out=tfplan, show -json, summary, plan guard, policy check, then upload, in that order", () => {
    const at = (re: RegExp) => index(plan, (s) => re.test(s.run ?? ""));
    const order = [
      index(plan, (s) => !!s.uses?.startsWith("aws-actions/configure-aws-credentials@")),
      at(/^terraform init/),
      at(/^terraform plan .*-out=tfplan/),
      at(/^terraform show -json tfplan > plan\.json$/),
      at(/plan-summary\.js [\s\S]*>> "\$GITHUB_STEP_SUMMARY"/),
      at(/^node dist\/scripts\/plan-guard\.js "\$STACK_DIR\/plan\.json"$/),
      at(/^node dist\/scripts\/policy-check\.js "\$STACK_DIR\/plan\.json"$/),
      index(plan, (s) => !!s.uses?.startsWith("actions/upload-artifact@")),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const s of steps(plan).filter((x) => /^terraform /.test(x.run ?? ""))) expect(s["working-directory"]).toBe("${{ env.STACK_DIR }}");
    expect(plan.env.STACK_DIR).toBe("cdktf.out/stacks/langsmith-${{ matrix.environment }}");
  });

  test("the uploaded plan artifact holds tfplan with its stack directory and .terraform.lock.hcl, not the providers", () => {
    const up = usesOf(plan, "actions/upload-artifact")[0].with as Json;
    expect(up.name).toBe("plan-${{ matrix.environment }}");
    expect(up.path.split("\n").filter(Boolean)).toEqual(["${{ env.STACK_DIR }}/", "!${{ env.STACK_DIR }}/.terraform/**", "!${{ env.STACK_DIR }}/offline/**"]);
    expect(up["include-hidden-files"]).toBe(true);
    expect(up["if-no-files-found"]).toBe("error");
  });

  test("the summary records the planned commit and tree for the apply job's check", () => {
    expect(runs(plan)).toMatch(/--commit "\$GITHUB_SHA" --tree "\$\(git rev-parse 'HEAD\^\{tree\}'\)"/);
  });
});

describe("apply.yml: apply the reviewed plans after the merge", () => {
  const jobs = apply.jobs as Json;
  const applyJobs = Object.entries(jobs).filter(([, j]) => (j as Json).uses === "./.github/workflows/terraform-apply.yml") as [string, Json][];
  const job = applyEnv.jobs.apply as Json;

  test("runs on push to main only", () => {
    expect(apply.on).toEqual({ push: { branches: ["main"] } });
    expect(applyEnv.on).toEqual({ workflow_call: expect.anything() });
  });

  test("one apply job: a matrix of the reviewed run's apply order, one at a time, a failure stopping the rest", () => {
    expect(applyJobs.map(([id]) => id)).toEqual(["apply"]);
    const [, j] = applyJobs[0];
    expect(j.needs).toEqual(["reviewed-plan"]);
    expect(j.strategy).toEqual({ "max-parallel": 1, "fail-fast": true, matrix: "${{ fromJSON(needs.reviewed-plan.outputs.apply-matrix) }}" });
    expect(j.if).toBe("needs.reviewed-plan.outputs.applies != '0'");
    expect(j.with).toEqual({
      environment: "${{ matrix.environment }}",
      "github-environment": "${{ matrix.github_environment }}",
      "plan-run-id": "${{ needs.reviewed-plan.outputs.run-id }}",
    });
    expect(text("apply.yml")).not.toMatch(/^\s*environment:\s*\w/m);
  });

  test("the apply order is read from the ci-matrix artifact of the reviewed pr.yml run", () => {
    const rp = jobs["reviewed-plan"] as Json;
    const dl = usesOf(rp, "actions/download-artifact")[0].with as Json;
    expect(dl).toMatchObject({ name: "ci-matrix", "run-id": "${{ steps.find.outputs.run-id }}", "github-token": "${{ github.token }}" });
    expect(index(rp, (s) => s.id === "order")).toBeGreaterThan(index(rp, (s) => !!s.uses?.startsWith("actions/download-artifact@")));
    expect(runs(rp)).toContain('echo "matrix=$(jq -c .apply ci-matrix/ci-matrix.json)" >> "$GITHUB_OUTPUT"');
    expect(rp.outputs["apply-matrix"]).toBe("${{ steps.order.outputs.matrix }}");
  });

  test("each apply runs in the GitHub environment its apply role trusts", () => {
    expect(job.environment).toBe("${{ inputs.github-environment || inputs.environment }}");
    const m = ciMatrix([...envs]).apply.include;
    expect(m.map((a) => a.environment).sort()).toEqual(envs.map((e) => e.name).sort());
    for (const a of m) expect(a.github_environment).toBe(githubEnvironment(envs.find((e) => e.name === a.environment) as (typeof envs)[number]));
  });
});

describe("ci:matrix (lib/ci-matrix.ts)", () => {
  test("apply order: development tier before production, registration order within a tier", () => {
    const order = ciMatrix(fixtures).apply.include.map((a) => [a.environment, a.tier]);
    expect(order).toEqual([["dev", "development"], ["staging", "production"], ["prod", "production"]]);
    const reversed = ciMatrix([...fixtures].reverse()).apply.include.map((a) => a.environment);
    expect(reversed).toEqual(["dev", "prod", "staging"]);
    expect(applyOrder([{ tier: "production", n: 1 }, { tier: "development", n: 2 }, { tier: "production", n: 3 }]).map((e) => e.n)).toEqual([2, 1, 3]);
  });

  test("environments without a ci block are neither planned nor applied by CI; the variable name follows the environment name", () => {
    const { ci: _ci, ...noCi } = fixtures[0];
    const m = ciMatrix([noCi as (typeof fixtures)[number], fixtures[1]]);
    expect(m.plan.include).toEqual([{ environment: "staging", plan_role_variable: "AWS_PLAN_ROLE_ARN_STAGING" }]);
    expect(m.apply.include.map((a) => a.environment)).toEqual(["staging"]);
    expect(planRoleVariable({ name: "eu2" })).toBe("AWS_PLAN_ROLE_ARN_EU2");
  });

  test("the script prints the matrix of the given environments as one JSON line, and --help prints usage", () => {
    let out = "";
    const w = jest.spyOn(process.stdout, "write").mockImplementation((t) => ((out += String(t)), true));
    const l = jest.spyOn(console, "log").mockImplementation((t) => void (out += `${String(t)}\n`));
    try {
      expect(ciMatrixMain([], Object.values(FIXTURE_ENVIRONMENTS))).toBe(0);
      expect(JSON.parse(out)).toEqual(ciMatrix(fixtures));
      out = "";
      expect(ciMatrixMain(["--help"])).toBe(0);
      expect(out).toMatch(/^usage: npm run --silent ci:matrix\n/);
    } finally {
      w.mockRestore();
      l.mockRestore();
    }
  });
});

describe("apply.yml and terraform-apply.yml", () => {
  const jobs = apply.jobs as Json;
  const job = applyEnv.jobs.apply as Json;

  test("one concurrency group per environment, never cancelling a running apply", () => {
    expect(job.concurrency).toEqual({ group: "terraform-state-${{ inputs.environment }}", "cancel-in-progress": false });
  });

  test("the reviewed-plan job finds the pr.yml run of the merged pull request's head commit", () => {
    const find = runs(jobs["reviewed-plan"]);
    expect(find).toContain("commits/$SHA/pulls");
    expect(find).toContain("actions/workflows/pr.yml/runs?head_sha=$head&event=pull_request&status=success");
    expect(jobs["reviewed-plan"].permissions).toEqual({ contents: "read", actions: "read", "pull-requests": "read" });
  });

  test("the apply job downloads the plan artifact of that run and applies that file", () => {
    const download = usesOf(job, "actions/download-artifact")[0].with as Json;
    expect(download).toMatchObject({ name: "plan-${{ inputs.environment }}", path: "${{ env.STACK_DIR }}", "run-id": "${{ inputs.plan-run-id }}" });
    const applyAt = index(job, (s) => /terraform apply -input=false tfplan/.test(s.run ?? ""));
    expect(applyAt).toBeGreaterThan(index(job, (s) => !!s.uses?.startsWith("actions/download-artifact@")));
    expect(applyAt).toBeGreaterThan(index(job, (s) => /terraform init -input=false -lockfile=readonly/.test(s.run ?? "")));
  });

  test("never synthesizes, plans or deploys before applying: no npm, cdktf, terraform plan or -auto-approve", () => {
    for (const [, , j] of allJobs().filter(([f]) => f !== "pr.yml")) {
      const body = runs(j);
      expect(body).not.toMatch(/\bnpm\b|\bcdktf\b|terraform plan|-auto-approve|terraform apply(?! -input=false tfplan)/);
      expect(usesOf(j, "actions/setup-node")).toEqual([]);
    }
  });

  test("checks the plan was made from this commit's tree, and explains the fallback when the plan is stale", () => {
    const body = runs(job);
    expect(body).toContain("jq -r .tree \"$STACK_DIR/plan-summary.json\"");
    expect(body).toContain("git rev-parse 'HEAD^{tree}'");
    expect(body).toContain('grep -q "Saved plan is stale" apply.log');
    expect(body).toMatch(/re-run all jobs of pr\.yml run/);
  });

  test("the apply role session lasts as long as the role allows (7200 s)", () => {
    expect(usesOf(job, "aws-actions/configure-aws-credentials")[0].with?.["role-duration-seconds"]).toBe(7200);
    expect(usesOf(job, "aws-actions/configure-aws-credentials")[0].with?.["role-to-assume"]).toBe("${{ vars.AWS_APPLY_ROLE_ARN }}");
  });
});

describe("docs/ci-cd.md agrees with the workflows", () => {
  const doc = readFileSync(join(ROOT, "docs", "ci-cd.md"), "utf8");

  test("its pin table lists exactly the actions, releases and SHAs the workflows use", () => {
    const used = new Set(
      allJobs().flatMap(([f, , job]) =>
        steps(job)
          .filter((s) => s.uses && !s.uses.startsWith("./"))
          .map((s) => {
            const line = text(f).split("\n").find((l) => l.includes(`uses: ${s.uses}`)) ?? "";
            return `${s.uses} ${line.replace(/.*# /, "")}`;
          }),
      ),
    );
    const documented = new Set([...doc.matchAll(/^\s*\| ([\w.-]+\/[\w.-]+) \| (v[\d.]+) \| `([0-9a-f]{40})` \|$/gm)].map((m) => `${m[1]}@${m[3]} ${m[2]}`));
    expect([...documented].sort()).toEqual([...used].sort());
  });

  test("names the variables the workflows read", () => {
    expect(doc).toContain("AWS_PLAN_ROLE_ARN_<NAME>");
    expect(doc).toContain("AWS_APPLY_ROLE_ARN");
    expect(doc).toContain("npm run --silent ci:matrix");
  });
});
