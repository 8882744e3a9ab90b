/**
 * The project toolchain (`npm run toolchain`) as tests find it: the env file recording where each
 * tool lives, keyed by the pins, exactly as scripts/lib/common.sh `toolchain_env_file` names it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { toolchainCacheDir } from "../../scripts/lib/toolchain-cache";

/** The env file of this checkout's pins. */
export function toolchainEnvFile(): string {
  const scripts = resolve(__dirname, "..", "..", "scripts");
  const pins = Buffer.concat([
    readFileSync(join(scripts, "toolchain.sh")),
    readFileSync(join(scripts, "requirements-tools.txt")),
  ]);
  const fingerprint = createHash("sha256").update(pins).digest("hex").slice(0, 16);
  return join(toolchainCacheDir(), `env-${fingerprint}.sh`);
}

/** The value `variable` has in the env file (empty when unset); the file must exist. */
export function toolchainVariable(envFile: string, variable: string): string {
  // The env file is written by scripts/toolchain.sh with printf %q quoting; let bash read it back.
  return execFileSync("bash", ["-c", `source "$1" >/dev/null && printf "%s" "\${${variable}:-}"`, "bash", envFile], { encoding: "utf8" });
}
