/** Reads scripts/tool-versions (name=value lines, `#` comments): the one place tool versions are written. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");
export const TOOL_VERSIONS_FILE = join(REPO_ROOT, "scripts", "tool-versions");

const KEYS = [
  "terraform",
  "terraform_commit",
  "aws_provider",
  "aws_provider_commit",
  "aws_provider_commit_time",
  "aws_provider_h1_linux_amd64",
  "actionlint",
  "python",
] as const;
export type ToolVersions = Record<(typeof KEYS)[number], string>;

export function readToolVersions(file = TOOL_VERSIONS_FILE): ToolVersions {
  const entries = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-z0-9_]+)=(\S+)$/.exec(line);
      if (!match) throw new Error(`${file}: "${line}" is not a name=value line`);
      return [match[1]!, match[2]!] as const;
    });
  const versions = Object.fromEntries(entries);
  const missing = KEYS.filter((key) => !versions[key]);
  if (missing.length > 0) throw new Error(`${file}: missing ${missing.join(", ")}`);
  return versions as ToolVersions;
}

/** The Node.js version the project runs on, from .nvmrc (exact, e.g. 24.22.3). */
export function supportedNode(): string {
  return readFileSync(join(REPO_ROOT, ".nvmrc"), "utf8").trim().replace(/^v/, "");
}
