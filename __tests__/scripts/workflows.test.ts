import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Supply-chain and credential rules of the user-facing pipeline (syntax is actionlint's job). */
const dir = join(import.meta.dirname, "../../.github/workflows");
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
