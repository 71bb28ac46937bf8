/**
 * The GitHub Actions workflows, parsed: jobs, permissions, pinning, the plan-then-apply-the-same-plan
 * structure, the order and protection of applies, and tool versions from .tool-versions.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { githubEnvironment } from "../../lib/ci";
import { loadEnvironments } from "../../lib/config/load";
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
    expect(cmds.filter((c) => /^npm /.test(c as string))).toEqual(["npm ci --no-audit --no-fund", "npm test", "npm run synth"]);
    expect(usesOf(build, "actions/upload-artifact")[0].with?.name).toBe("synth");
  });

  test("one plan job per environment with a ci block, none in a GitHub environment (subject pull_request)", () => {
    expect(plan.needs).toBe("build");
    expect(plan.strategy.matrix.include.map((m: Json) => m.environment)).toEqual(envs.map((e) => e.name));
    for (const m of plan.strategy.matrix.include) expect(m.plan_role_variable).toBe(`AWS_PLAN_ROLE_ARN_${m.environment.toUpperCase()}`);
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

  test("one apply per environment, in order dev -> staging -> prod, each after the previous", () => {
    expect(applyJobs.map(([, j]) => j.with.environment)).toEqual(envs.map((e) => e.name));
    const order = applyJobs.map(([, j]) => j.with.environment as string);
    expect(order.indexOf("dev")).toBeLessThan(order.indexOf("staging"));
    expect(order.indexOf("staging")).toBeLessThan(order.indexOf("prod"));
    applyJobs.forEach(([, j], i) => {
      const needs = [].concat(j.needs);
      expect(needs).toContain("reviewed-plan");
      if (i > 0) expect(needs).toContain(applyJobs[i - 1][0]);
      expect(j.with["plan-run-id"]).toBe("${{ needs.reviewed-plan.outputs.run-id }}");
    });
  });

  test("each apply runs in the GitHub environment its apply role trusts", () => {
    expect(job.environment).toBe("${{ inputs.github-environment || inputs.environment }}");
    applyJobs.forEach(([, j], i) => expect(j.with["github-environment"] ?? j.with.environment).toBe(githubEnvironment(envs[i])));
  });

  test("production is the last apply and runs in the protected GitHub environment", () => {
    const prod = envs.find((e) => e.tier === "production" && e.name === "prod");
    const [, last] = applyJobs[applyJobs.length - 1];
    expect(last.with.environment).toBe(prod?.name);
    expect(text("apply.yml")).toMatch(/requires reviewers/);
  });

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
    for (const e of envs) expect(doc).toContain(`AWS_PLAN_ROLE_ARN_${e.name.toUpperCase()}`);
    expect(doc).toContain("AWS_APPLY_ROLE_ARN");
  });
});
