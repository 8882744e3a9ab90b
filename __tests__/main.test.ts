/**
 * main.ts end to end, as `npm run synth` and the cdktf CLI run it (`node synth.cjs`). Each case is
 * one process (~1.5 s), so there are only three: a configuration error, a selection through
 * ENVIRONMENTS, one through cdktf context.
 * What it synthesizes, and how it refuses a policy rule violation, is stacks/synthesize.test.ts's.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { environments } from "../config";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const temp = mkdtempSync(join(tmpdir(), "main-test-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs main.ts with `env` on top of a process environment cleared of any selection. */
function runMain(dir: string, env: Record<string, string>): SpawnSyncReturns<string> {
  const { ENVIRONMENTS: _ignored, CDKTF_CONTEXT_JSON: _alsoIgnored, ...base } = process.env;
  return spawnSync(process.execPath, ["synth.cjs"], {
    cwd: ROOT,
    env: { ...base, CDKTF_OUTDIR: join(dir, "out"), ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

const stacksIn = (outdir: string): string[] => readdirSync(join(outdir, "stacks")).sort();

describe("main", () => {
  it("prints configuration problems without a stack trace, exits 1 and writes nothing", () => {
    const dir = mkdtempSync(join(temp, "nope-"));
    const result = runMain(dir, { ENVIRONMENTS: "nope" });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`ENVIRONMENTS: "nope" is not a known environment; known: ${Object.keys(environments).join(", ")}`);
    expect(result.stderr).toContain("Environment configuration is invalid (1 problem):");
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(existsSync(join(dir, "out"))).toBe(false);
    // No staging directory left behind either.
    expect(readdirSync(dir)).toEqual([]);
  });

  it("synthesizes only the environments in ENVIRONMENTS, plus the bootstrap and account stacks", () => {
    const dir = mkdtempSync(join(temp, "dev-"));
    const result = runMain(dir, { ENVIRONMENTS: "dev" });
    expect(result.status, result.stderr).toBe(0);
    // Under the cdktf CLI (CDKTF_OUTDIR set) a passing synth writes nothing to stderr, which the CLI
    // would show as [ERROR] lines; `npm run synth` lists the suppressions (stacks/synthesize.test.ts has the cases).
    expect(result.stderr).not.toMatch(/policy rules|synth:/);
    const stacks = stacksIn(join(dir, "out"));
    expect(stacks).toEqual(expect.arrayContaining(["bootstrap", "account", "network-dev"]));
    // Every other layer of dev may be there; nothing of staging or prod.
    for (const id of stacks.filter((id) => id !== "bootstrap" && id !== "account")) expect(id).toMatch(/-dev$/);
    const network = JSON.parse(readFileSync(join(dir, "out/stacks/network-dev/cdk.tf.json"), "utf8"));
    expect(network.terraform.backend.s3).toEqual(expect.objectContaining({ key: "dev/network.tfstate" }));
    expect(readdirSync(dir)).toEqual(["out"]);
  });

  it("selects environments from cdktf context, replacing the previous output", () => {
    const dir = mkdtempSync(join(temp, "context-"));
    // A stale stack from an earlier synth must not survive.
    mkdirSync(join(dir, "out/stacks/network-dev"), { recursive: true });
    writeFileSync(join(dir, "out/stacks/network-dev/cdk.tf.json"), "{}");
    const result = runMain(dir, { CDKTF_CONTEXT_JSON: JSON.stringify({ environments: "staging" }) });
    expect(result.status, result.stderr).toBe(0);
    // Under the cdktf CLI the dropped stack's directory stays, emptied: the CLI deletes it itself.
    expect(readdirSync(join(dir, "out/stacks/network-dev"))).toEqual([]);
    const stacks = stacksIn(join(dir, "out")).filter((id) => id !== "network-dev");
    expect(stacks).toEqual(expect.arrayContaining(["bootstrap", "account", "network-staging"]));
    for (const id of stacks.filter((id) => id !== "bootstrap" && id !== "account")) expect(id).toMatch(/-staging$/);
    expect(readdirSync(dir)).toEqual(["out"]);
  });
});
