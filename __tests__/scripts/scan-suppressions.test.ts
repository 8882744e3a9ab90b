/**
 * The rules `npm run scan` enforces on .checkov.yaml before checkov runs (scripts/scan/summary.py
 * validate-config), run with the toolchain's Python: the shipped file passes, and a suppression
 * whose reason names no compensating control, or cites a file that does not exist, is refused.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readToolchainEnv, toolchainEnvFile } from "../../scripts/lib/toolchain-cache";

const ROOT = resolve(__dirname, "..", "..");
const SUMMARY = join(ROOT, "scripts", "scan", "summary.py");

function python(): string {
  const envFile = toolchainEnvFile();
  const fix = "run `npm run toolchain` (it installs checkov, whose venv runs the scan's summary), then re-run the tests";
  const env = readToolchainEnv(envFile);
  if (!env) throw new Error(`these tests need the toolchain's Python, but ${envFile} is missing: ${fix}`);
  const checkov = env.CHECKOV_BIN;
  if (!checkov) throw new Error(`${envFile} sets no CHECKOV_BIN: ${fix}`);
  return join(dirname(checkov), "python");
}

/** Runs validate-config on `text` as a .checkov.yaml in a scratch copy of the repository root (its files cited by link). */
const scratch = mkdtempSync(join(tmpdir(), "scan-suppressions-"));
for (const dir of ["modules", "stacks", "config", "scripts", "__tests__", "lambdas"]) symlinkSync(join(ROOT, dir), join(scratch, dir));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function validate(text: string): { status: number | null; stderr: string } {
  const file = join(scratch, ".checkov.yaml");
  writeFileSync(file, text);
  const run = spawnSync(python(), [SUMMARY, "validate-config", file], { encoding: "utf8" });
  return { status: run.status, stderr: run.stderr.replaceAll(file, ".checkov.yaml") };
}

const entry = (reason: string): string => `skip-check:\n${reason}\n  - CKV_AWS_144  # cross-region replication: a decision per data set\n`;

describe(".checkov.yaml rules (scripts/scan/summary.py validate-config)", () => {
  it("accepts the shipped suppressions: every reason names its compensating control and where it lives", () => {
    const shipped = validate(readFileSync(join(ROOT, ".checkov.yaml"), "utf8"));
    expect(shipped.stderr).toBe("");
    expect(shipped.status).toBe(0);
  });

  it("refuses a reason that names no compensating control", () => {
    const result = validate(entry("  # S3 already stores every object in three AZs; replication would be a second bucket to guard."));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      "ERROR: .checkov.yaml: CKV_AWS_144's reason names no compensating control; add a comment line 'Compensating control: <what> (<file of this repository where it lives>)'",
    );
  });

  it("refuses a compensating control that cites no file of the repository", () => {
    const result = validate(entry("  # Replication is DR.\n  # Compensating control: versioning, kept a year."));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("ERROR: .checkov.yaml: CKV_AWS_144's compensating control cites no file of this repository (module, stack, config or test)");
  });

  it("refuses a reason citing a file that does not exist", () => {
    const result = validate(entry("  # Replication is DR.\n  # Compensating control: versioning (modules/core/versioned-bucket.ts)."));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("ERROR: .checkov.yaml: CKV_AWS_144's reason cites modules/core/versioned-bucket.ts, which does not exist");
  });

  it("lets consecutive entries share the reason above the first", () => {
    const text = `skip-check:\n  # Caching hides POSTs.\n  # Compensating control: cache_data_encrypted (modules/serverless/rest-api.ts).\n  - CKV_AWS_120  # stage caching\n  - CKV_AWS_225  # method caching\n`;
    expect(validate(text)).toEqual({ status: 0, stderr: "" });
  });
});
