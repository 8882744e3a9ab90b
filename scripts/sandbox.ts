/**
 * npm run sandbox [-- start|stop|status]: a local AWS (the emulator: moto on 127.0.0.1) to try the
 * whole platform without an account. `start` (the default) runs it in the background for a bounded
 * time and records it; `npm run plan/deploy/destroy -- <target>` then deploy into it (they see the
 * record); `stop` stops it by its PID.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pinnedAccount, runningSandbox, SANDBOX_LIFETIME_SECONDS, sandboxDir, sandboxRecordFile, type SandboxRecord } from "./emulator/sandbox";
import { startEmulator, stopByPid } from "./emulator/server";

async function start(): Promise<void> {
  const running = runningSandbox();
  if (running) {
    console.log(`sandbox: already running at ${running.endpoint} (pid ${running.pid}, stops by itself at ${running.stopsAt})`);
    return;
  }
  mkdirSync(sandboxDir(), { recursive: true });
  const accountId = pinnedAccount(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const logFile = join(sandboxDir(), "emulator.log");
  const emulator = await startEmulator({ lifetimeSeconds: SANDBOX_LIFETIME_SECONDS, accountId, detachedLogFile: logFile });
  const now = new Date();
  const record: SandboxRecord = {
    pid: emulator.pid,
    endpoint: emulator.endpoint,
    accountId,
    startedAt: now.toISOString(),
    stopsAt: new Date(now.getTime() + SANDBOX_LIFETIME_SECONDS * 1000).toISOString(),
    logFile,
  };
  writeFileSync(sandboxRecordFile(), `${JSON.stringify(record, null, 2)}\n`);
  console.log(
    [
      `sandbox: a local AWS (moto) for account ${accountId} is running at ${emulator.endpoint} (pid ${emulator.pid}); it stops by itself at ${record.stopsAt}.`,
      "The same commands now deploy into it (no AWS account, no credentials needed):",
      "  npm run deploy -- bootstrap     # state bucket and lock table",
      "  npm run deploy -- account       # CI roles, boundaries, API Gateway logging role (what the emulator serves of the account stack)",
      "  npm run deploy -- dev           # every dev layer, in order",
      "  npm run plan -- dev             # a re-plan: no changes",
      "  npm run destroy -- dev",
      "Stop it: npm run sandbox -- stop",
    ].join("\n"),
  );
}

async function stop(): Promise<void> {
  const running = runningSandbox();
  if (!running) {
    console.log("sandbox: not running");
    return;
  }
  await stopByPid(running.pid);
  rmSync(sandboxRecordFile(), { force: true });
  console.log(`sandbox: stopped (pid ${running.pid})`);
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? "start";
  if (command === "start") return start();
  if (command === "stop") return stop();
  if (command === "status") {
    const running = runningSandbox();
    console.log(running ? `sandbox: running at ${running.endpoint} (pid ${running.pid}, stops at ${running.stopsAt})` : "sandbox: not running");
    return;
  }
  throw new Error(`unknown command '${command}': npm run sandbox [-- start|stop|status]`);
}

main().catch((error: unknown) => {
  console.error(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
