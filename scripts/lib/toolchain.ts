/**
 * The tools `npm run toolchain` installed for this checkout's pins, as recorded in its env file
 * (`<cache>/env-<fingerprint>.sh`, see scripts/lib/common.sh): TypeScript readers of the same
 * contract as the shell scripts' `load_toolchain`.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { toolchainCacheDir } from "./toolchain-cache";

const SCRIPTS = resolve(__dirname, "..");

/** The env file of this checkout's pins, exactly as scripts/lib/common.sh `toolchain_env_file` names it. */
export function toolchainEnvFile(): string {
  const pins = Buffer.concat([readFileSync(join(SCRIPTS, "toolchain.sh")), readFileSync(join(SCRIPTS, "requirements-tools.txt"))]);
  const fingerprint = createHash("sha256").update(pins).digest("hex").slice(0, 16);
  return join(toolchainCacheDir(), `env-${fingerprint}.sh`);
}

/** Variables of the env file (written with printf %q quoting: bash reads it back). */
export function toolchainEnv(): Record<string, string> {
  const envFile = toolchainEnvFile();
  if (!existsSync(envFile)) {
    throw new Error(`the toolchain is not installed for these pins (${envFile} is missing): run \`npm run toolchain\``);
  }
  const dump = execFileSync("bash", ["-c", 'source "$1" >/dev/null && env -0', "bash", envFile], { encoding: "utf8", env: {} });
  return Object.fromEntries(
    dump
      .split("\0")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const)
      .filter(([name]) => !["PWD", "SHLVL", "_", "OLDPWD"].includes(name)),
  );
}

/** One executable the toolchain recorded (e.g. `TF_BIN`, `MOTO_SERVER_BIN`), checked to exist. */
export function toolchainExecutable(variable: string, env = toolchainEnv()): string {
  const path = env[variable];
  const fix = "run `npm run toolchain`";
  if (!path) throw new Error(`${toolchainEnvFile()} sets no ${variable}: ${fix}`);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${variable}='${path}' from ${toolchainEnvFile()} is not executable: ${fix}`);
  }
  return path;
}
