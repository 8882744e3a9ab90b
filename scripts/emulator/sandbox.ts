/**
 * The record of the running local sandbox (`npm run sandbox`), so the per-environment commands
 * can point the same commands at it.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readManifest } from "../lib/stack-order";
import { toolchainCacheDir } from "../lib/toolchain-cache";
import { alive } from "./server";

/** How long a sandbox lives unless stopped: a working day. */
export const SANDBOX_LIFETIME_SECONDS = 8 * 3600;

export interface SandboxRecord {
  readonly pid: number;
  readonly endpoint: string;
  readonly accountId: string;
  readonly startedAt: string;
  readonly stopsAt: string;
  readonly logFile: string;
}

export const sandboxDir = () => join(toolchainCacheDir(), "sandbox");
export const sandboxRecordFile = () => join(sandboxDir(), "sandbox.json");

/** The running sandbox, if any (a record whose process is gone is removed). */
export function runningSandbox(): SandboxRecord | undefined {
  if (!existsSync(sandboxRecordFile())) return undefined;
  const record = JSON.parse(readFileSync(sandboxRecordFile(), "utf8")) as SandboxRecord;
  if (alive(record.pid) && Date.parse(record.stopsAt) > Date.now()) return record;
  rmSync(sandboxRecordFile(), { force: true });
  return undefined;
}

/** The account the synthesized stacks pin (`allowed_account_ids` of bootstrap): the sandbox answers as it. */
export function pinnedAccount(outdir: string): string {
  const manifest = readManifest(outdir);
  const bootstrap = Object.keys(manifest.stacks).find((name) => name.startsWith("bootstrap"));
  if (!bootstrap) throw new Error(`no bootstrap stack in ${outdir}: synthesize first (npm run synth)`);
  const json = JSON.parse(readFileSync(join(outdir, "stacks", bootstrap, "cdk.tf.json"), "utf8")) as { provider: { aws: Array<{ allowed_account_ids?: string[] }> } };
  const account = json.provider.aws[0]?.allowed_account_ids?.[0];
  if (!account) throw new Error(`${bootstrap} pins no account (allowed_account_ids)`);
  return account;
}

