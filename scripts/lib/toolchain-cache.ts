/**
 * The toolchain cache and its env file: the contract between `npm run toolchain` (the writer) and
 * everything that runs a tool from it (scripts/lib/common.sh `load_toolchain`, the test support).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./tool-versions";

/** Outside the repository, shared by checkouts: the provider alone is ~700 MB. */
export function toolchainCacheDir(): string {
  return process.env.CDKTF_TOOLCHAIN_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "cdktf-platform");
}

/** Files that decide what the toolchain installs and what its env file holds. */
const PIN_FILES = ["scripts/toolchain.ts", "scripts/tool-versions", "scripts/requirements-tools.txt"];

/**
 * One env file per set of pins, so checkouts on different pins (two clones, a branch switch,
 * worktrees) share the cache without overwriting each other's, and a pin change is never served a
 * stale entry.
 */
export function toolchainEnvFile(): string {
  const pins = createHash("sha256");
  for (const file of PIN_FILES) pins.update(readFileSync(join(REPO_ROOT, file)));
  return join(toolchainCacheDir(), `env-${pins.digest("hex").slice(0, 16)}.sh`);
}

/** The env file's variables (`export NAME='value'` lines, bash-sourceable), or undefined when there is none. */
export function readToolchainEnv(file = toolchainEnvFile()): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined;
  const env: Record<string, string> = {};
  for (const [, name, quoted] of readFileSync(file, "utf8").matchAll(/^export ([A-Z_]+)='((?:[^']|'\\'')*)'$/gm)) {
    env[name!] = quoted!.replaceAll("'\\''", "'");
  }
  return env;
}

/** Writes the env file atomically: a reader never sees half of it. */
export function writeToolchainEnv(env: Record<string, string>, file = toolchainEnvFile()): void {
  const lines = Object.entries(env).map(([name, value]) => `export ${name}='${value.replaceAll("'", "'\\''")}'`);
  const header = "# Written by npm run toolchain (scripts/toolchain.ts); do not edit. Load it with load_toolchain (scripts/lib/common.sh).";
  writeFileSync(`${file}.${process.pid}`, `${header}\n${lines.join("\n")}\n`);
  renameSync(`${file}.${process.pid}`, file);
}
