import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { missingReferences, runScriptPaths } from "./workflow-references";

/** Supply-chain and credential rules of the user-facing pipeline (syntax is actionlint's job). */
const root = join(import.meta.dirname, "../..");
const dir = join(root, ".github/workflows");
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => ({ file: f, text: readFileSync(join(dir, f), "utf8") }));

describe("GitHub workflows", () => {
  it("exist for pull requests and deploys", () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(["deploy-environment.yml", "deploy.yml", "pull-request.yml"]);
  });

  for (const { file, text } of workflows) {
    it(`${file}: pins every action to a full commit SHA`, () => {
      const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)/gm)].map((m) => m[1] ?? "");
      for (const ref of uses.filter((u) => !u.startsWith("./"))) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    });

    it(`${file}: refers only to files, npm scripts and npx binaries the repository has`, () => {
      expect(missingReferences(parse(text), root)).toEqual([]);
    });

    it(`${file}: takes Node from .nvmrc and Terraform's version from scripts/tool-versions`, () => {
      const steps = Object.values(parse(text).jobs as Record<string, { steps?: { uses?: string; with?: Record<string, string> }[] }>)
        .flatMap((job) => job.steps ?? []);
      for (const step of steps.filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
        expect(step.with).toEqual(expect.objectContaining({ "node-version-file": ".nvmrc" }));
        expect(step.with).not.toHaveProperty("node-version");
      }
      for (const step of steps.filter((s) => s.uses?.startsWith("hashicorp/setup-terraform@"))) {
        expect(step.with?.terraform_version).toMatch(/^\$\{\{ (steps|needs)\.[\w.-]+\.outputs\.terraform \}\}$/);
      }
    });

    it(`${file}: grants nothing by default and never uses stored AWS keys`, () => {
      expect(text).toMatch(/^permissions: \{\}$/m);
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    });

    it(`${file}: every AWS login assumes a role through OIDC`, () => {
      // The `with:` block of each login: from its `uses:` line to the next step.
      const logins = [...text.matchAll(/uses: aws-actions\/configure-aws-credentials@[^\n]*\n((?:\s{8,}.*\n)+)/g)].map((m) => m[1] ?? "");
      expect(logins).toHaveLength(text.split("uses: aws-actions/configure-aws-credentials@").length - 1);
      for (const login of logins) expect(login).toMatch(/role-to-assume: \$\{\{ vars[.[]/);
      if (logins.length > 0) expect(text).toContain("id-token: write");
    });
  }

  it("deploys staging and prod only after the previous environment, each in its GitHub environment", () => {
    const deploy = workflows.find((w) => w.file === "deploy.yml")?.text ?? "";
    expect(deploy).toMatch(/staging:\n\s+needs: dev\n/);
    expect(deploy).toMatch(/prod:\n\s+needs: staging\n/);
    const reusable = workflows.find((w) => w.file === "deploy-environment.yml")?.text ?? "";
    expect(reusable).toContain("name: ${{ inputs.environment }}");
    expect(reusable).toContain("group: deploy-${{ inputs.environment }}");
    expect(reusable).toContain("cancel-in-progress: false");
  });
});

describe("workflow file references", () => {
  const checked = (workflow: object): string[] => missingReferences(workflow, root);
  const step = (run: object): object => ({ jobs: { build: { steps: [run] } } });

  it("takes paths, and bare names with a source extension, from run scripts", () => {
    const script = `npx tsx scripts/lib/ci-stacks.ts --base "$RUNNER_TEMP/base/cdktf.out"
node -e 'console.log(JSON.parse(process.argv[1]).include.length)' "$matrix"
grep -E '^[a-z_]+=' scripts/tool-versions >>"$GITHUB_OUTPUT" && npx tsx main.ts
npm run cost -- --strict --page /dev/null`;
    expect(runScriptPaths(script)).toEqual(["scripts/lib/ci-stacks.ts", "scripts/tool-versions", "main.ts"]);
  });

  it("fails when a version file is missing", () => {
    expect(checked(step({ uses: "actions/setup-node@x", with: { "node-version-file": ".node-version" } }))).toEqual([
      "job build, step 1 node-version-file: .node-version does not exist in the repository",
    ]);
    expect(checked(step({ uses: "actions/setup-python@x", with: { "python-version-file": ".python-version" } }))).toEqual([
      "job build, step 1 python-version-file: .python-version does not exist in the repository",
    ]);
  });

  it("fails when a run script names a missing file, npm script or npx binary", () => {
    expect(checked(step({ run: "bash scripts/deploy.sh && npm run deploy:all\nnpx cdktn synth" }))).toEqual([
      "job build, step 1 run: scripts/deploy.sh does not exist in the repository",
      "job build, step 1 run: npm run deploy:all is not a script in package.json",
      "job build, step 1 run: npx cdktn is not installed by npm ci (no node_modules/.bin/cdktn)",
    ]);
  });

  it("fails when a local reusable workflow or action is missing", () => {
    expect(checked({ jobs: { dev: { uses: "./.github/workflows/deploy-env.yml" } } })).toEqual([
      "job dev uses: ./.github/workflows/deploy-env.yml does not exist in the repository",
    ]);
    expect(checked(step({ uses: "./.github/actions/setup" }))).toEqual([
      "job build, step 1 uses: ./.github/actions/setup does not exist in the repository",
    ]);
  });

  it("accepts what the workflows create before reading it", () => {
    expect(checked(step({ run: "cat cdktf.out/stacks/network-dev/cdk.tf.json plans/network-dev.json plan-summary.md" }))).toEqual([]);
  });
});
