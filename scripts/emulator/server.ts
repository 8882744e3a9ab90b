/**
 * The AWS emulator: moto's server from the toolchain venv, through scripts/emulator/moto_server.py
 * (moto plus fixes for answers that crash hashicorp/aws, and optional IAM enforcement), on a free
 * loopback port. Its lifetime is bounded twice: the caller stops it by PID, and it runs under
 * timeout(1), so even a caller killed outright cannot leave it running past its lifetime.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { toolchainExecutable } from "../lib/toolchain-cache";

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface EmulatorOptions {
  /** Upper bound of the server's life in seconds, whatever happens to the caller. */
  readonly lifetimeSeconds: number;
  /**
   * The account moto answers STS with (the stacks pin it in `allowed_account_ids`).
   * @default "123456789012"
   */
  readonly accountId?: string;
  /**
   * URL of the IAM evaluator that judges every request signed with a role session's credentials.
   * @default - no request is judged
   */
  readonly iamEvaluator?: string;
  /**
   * Keep the server running after the caller exits (the sandbox), writing its output to this file.
   * @default - the server's output is kept in memory and it stops with the caller
   */
  readonly detachedLogFile?: string;
}

export interface Emulator {
  readonly endpoint: string;
  readonly pid: number;
  /** The moto fixes in effect, one line each, as the wrapper printed them. */
  readonly fixes: readonly string[];
  stop(): Promise<void>;
}

/** A loopback port nobody listens on right now (callers retry if another process takes it first). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no free port"))));
    });
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolveExit) => child.once("exit", () => resolveExit()));

/** Whether a process is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the process group `timeout(1)` leads (timeout and moto), then SIGKILL after a grace period. */
export async function stopByPid(pid: number): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      try {
        process.kill(pid, name);
      } catch {
        // already gone
      }
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  if (alive(pid)) signal("SIGKILL");
}

async function startOnce(options: EmulatorOptions, port: number): Promise<Emulator> {
  const python = join(dirname(toolchainExecutable("MOTO_SERVER_BIN")), "python");
  const wrapper = join(__dirname, "moto_server.py");
  const args = [wrapper, "-H", "127.0.0.1", "-p", String(port), ...(options.iamEvaluator ? ["--iam-evaluator", options.iamEvaluator] : [])];
  const env = {
    ...process.env,
    MOTO_ACCOUNT_ID: options.accountId ?? "123456789012",
    // AWS managed policies (ReadOnlyAccess, service roles' policies) exist only when loaded.
    MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
    // AWS issues a DNS-validated certificate once its validation record resolves; moto issues it
    // after this many seconds (60 by default, which would stall every apply with a domain).
    MOTO_ACM_VALIDATION_WAIT: "0",
    PYTHONUNBUFFERED: "1",
  };
  const log = options.detachedLogFile ? openSync(options.detachedLogFile, "a") : undefined;
  const child = spawn("timeout", ["-k", "5", String(options.lifetimeSeconds), python, ...args], {
    env,
    detached: true, // its own process group, led by timeout(1): stopped as a group
    stdio: log === undefined ? ["ignore", "pipe", "pipe"] : ["ignore", log, log],
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${python} ${wrapper}`);
  const killOnExit = (): void => {
    if (!options.detachedLogFile) void stopByPid(pid);
  };
  process.once("exit", killOnExit);
  if (options.detachedLogFile) child.unref();

  const stop = async (): Promise<void> => {
    process.removeListener("exit", killOnExit);
    await stopByPid(pid);
    if (!options.detachedLogFile) await exited(child);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the emulator exited (${child.exitCode ?? child.signalCode}) while starting:\n${output}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) {
        const fixes = output.split("\n").filter((line) => line.startsWith("emulator moto fix")).map((line) => line.replace(/^emulator moto fix \([^)]*\): /, ""));
        return { endpoint, pid, fixes, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  await stop();
  throw new Error(`the emulator did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output}`);
}

/** Starts the emulator on a free loopback port; fails with instructions when the toolchain is missing. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  let lastError: unknown;
  // The free port can be taken between the probe and moto's bind: a new port fixes that.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
