import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readToolchainEnv, writeToolchainEnv } from "../../scripts/lib/toolchain-cache";

const dir = mkdtempSync(join(tmpdir(), "toolchain-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("toolchain env file", () => {
  const env = { TF_BIN: "/opt/tools/terraform", TOOLCHAIN_VENV: "/home/o'brien/.cache/cdktf platform/venv-1" };

  it("reads back what it wrote, quotes and spaces included", () => {
    const file = join(dir, "env-roundtrip.sh");
    writeToolchainEnv(env, file);
    expect(readToolchainEnv(file)).toEqual(env);
  });

  it("gives bash the same values (scripts/lib/common.sh sources it)", () => {
    const file = join(dir, "env-bash.sh");
    writeToolchainEnv(env, file);
    const fromBash = execFileSync("bash", ["-c", 'source "$1" && printf "%s\\n%s" "$TF_BIN" "$TOOLCHAIN_VENV"', "bash", file], { encoding: "utf8" });
    expect(fromBash).toBe(`${env.TF_BIN}\n${env.TOOLCHAIN_VENV}`);
  });

  it("is undefined when the toolchain has not run for these pins", () => {
    expect(readToolchainEnv(join(dir, "env-missing.sh"))).toBeUndefined();
  });
});
