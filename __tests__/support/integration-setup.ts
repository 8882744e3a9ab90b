/**
 * Global setup of the integration tier: the handlers and the service are tested against moto,
 * which lives in the toolchain's Python venv. Installs it when missing (the toolchain's own
 * cached step: a second run only checks it), so `npm test` works on a fresh clone; the unit tier
 * never needs it. Tests that run the toolchain's Python (the scan summary) need it too.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export default function setup(): void {
  const root = resolve(import.meta.dirname, "../..");
  try {
    execFileSync(resolve(root, "node_modules/.bin/tsx"), [resolve(root, "scripts/toolchain.ts"), "--only=python"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
    throw new Error(`the integration tier needs moto from the toolchain's Python venv, and installing it failed; run \`npm run toolchain\` and see its summary:\n${stderr}`);
  }
}
