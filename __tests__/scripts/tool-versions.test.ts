import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readToolVersions, REPO_ROOT, supportedNode } from "../../scripts/lib/tool-versions";

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { engines: { node: string } };
const numbers = (version: string): number[] => version.split(".").map(Number);

describe("tool versions", () => {
  it(".nvmrc names one exact Node.js release of an LTS (even) major", () => {
    expect(supportedNode()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(numbers(supportedNode())[0]! % 2).toBe(0);
  });

  it("package.json engines accepts the .nvmrc release and no other major", () => {
    const [, floor] = /^\^(\d+\.\d+\.\d+)$/.exec(pkg.engines.node) ?? [];
    expect(floor, `engines.node "${pkg.engines.node}" must be ^<major>.<minor>.<patch>`).toBeDefined();
    const [major, ...rest] = numbers(supportedNode());
    const [floorMajor, ...floorRest] = numbers(floor!);
    expect(floorMajor).toBe(major);
    const below = rest[0]! < floorRest[0]! || (rest[0] === floorRest[0] && rest[1]! < floorRest[1]!);
    expect(below, `.nvmrc ${supportedNode()} is below engines.node ${pkg.engines.node}`).toBe(false);
  });

  it("pins the hashicorp/aws release that @cdktf/provider-aws generates for", () => {
    const binding = JSON.parse(readFileSync(join(REPO_ROOT, "node_modules/@cdktf/provider-aws/package.json"), "utf8"));
    expect(readToolVersions().aws_provider).toBe(binding.cdktf.provider.version);
  });

  it("the README's quick start and docs/verifying.md's prerequisites name the versions from where they are written", () => {
    const section = (file: string, heading: string) =>
      new RegExp(`\n${heading}\n([\\s\\S]*?)(?:\n## |$)`).exec(readFileSync(join(REPO_ROOT, file), "utf8"))?.[1] ?? "";
    const versions = readToolVersions();
    for (const text of [section("README.md", "## Quick start"), section("docs/verifying.md", "## What you need, and what the quick start runs")]) {
      expect(text).toContain(`Node.js ${numbers(supportedNode())[0]}`);
      expect(text).toContain(`Python ${versions.python}`);
      expect(text).toContain(`Terraform ${versions.terraform}`);
    }
  });

  it("fails on a line that is not name=value, naming the file and the line", () => {
    expect(() => readToolVersions(join(import.meta.dirname, "fixtures", "tool-versions-bad"))).toThrow(
      /tool-versions-bad: "terraform 1.11.4" is not a name=value line/,
    );
  });
});
