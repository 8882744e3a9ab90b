/**
 * The commands the e2e suite runs, each the one a user or the pipeline types: the cdktf CLI on
 * a prepared output (`--skip-synth`), and plain Terraform where the README tells users to run it
 * by hand. Output goes to a log file per step; a failure shows its tail; a step longer than ten
 * seconds reports progress.
 */
import { spawn } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..", "..");
const PROGRESS_EVERY_MS = 15_000;

export interface CommandResult {
  readonly code: number;
  readonly output: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logFile: string;
  readonly timeoutMs: number;
  /** Shown in progress lines. */
  readonly label: string;
  /** Bytes written to stdin, then closed. */
  readonly input?: string;
}

/** Prints one progress line (vitest shows stderr of a running test as it comes). */
export function progress(message: string): void {
  process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs a command to completion (or its timeout), never throwing for a non-zero exit. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  const started = Date.now();
  writeFileSync(options.logFile, `$ ${command} ${args.join(" ")}\n`);
  return new Promise((resolveRun) => {
    const env = Object.fromEntries(Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const child = spawn(command, [...args], { cwd: options.cwd ?? REPO, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let output = "";
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString("utf8");
      output += text;
      appendFileSync(options.logFile, text);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.stdin.end(options.input ?? "");
    const ticker = setInterval(() => progress(`${options.label}: still running (${Math.round((Date.now() - started) / 1000)} s)`), PROGRESS_EVERY_MS);
    const timer = setTimeout(() => {
      output += `\n[timed out after ${options.timeoutMs / 1000} s]`;
      try {
        process.kill(-(child.pid ?? 0), "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }, options.timeoutMs);
    child.on("close", (code) => {
      clearInterval(ticker);
      clearTimeout(timer);
      resolveRun({ code: code ?? 1, output, ms: Date.now() - started });
    });
  });
}

/** The last lines of a command's output, for a failure message. */
export function tail(result: CommandResult, lines = 60): string {
  return result.output
    .split("\n")
    .filter((line) => !/: (Refreshing state|Reading|Read complete after)/.test(line))
    .slice(-lines)
    .join("\n");
}

/** The `Plan:` / `No changes` line(s) of a plan's output. */
export function planSummary(output: string): string[] {
  return output
    .split("\n")
    .map((line) => line.match(/(Plan: \d+ to add.*|No changes\. Your infrastructure matches the configuration\.)/)?.[1]?.trim())
    .filter((line): line is string => line !== undefined);
}

export const logFile = (dir: string, name: string): string => join(dir, `${name.replace(/[^a-zA-Z0-9.-]+/g, "_")}.log`);
