/**
 * All-or-nothing synthesis: an app is synthesized into a staging directory that replaces the
 * output directory only when every check passed, so a failure never leaves a partial or mixed
 * `cdktf.out`.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { ConfigError } from "../config";
import { PolicyChecks, PolicyViolations, type Finding } from "../rules";

export interface SynthesizeOptions {
  /**
   * Leave an empty directory for each stack the previous output had and this one has not. The
   * cdktf CLI lists the stack directories before running the app and deletes those the new
   * manifest lacks afterwards, failing on one that is already gone.
   * @default false
   */
  readonly leaveRemovedStackDirectories?: boolean;
}

/**
 * Builds an app with `build` (which returns the problems it found: configuration, construct
 * props; `spare` makes another app in the same staging directory, never synthesized) and
 * synthesizes it into `outdir`. Returns the findings suppressions exempted.
 *
 * @throws ConfigError listing every problem `build` returned; nothing is synthesized.
 * @throws PolicyViolations listing every policy rule violation of every stack; nothing is written.
 */
export function synthesizeApp(outdir: string, build: (app: App, spare: () => App) => readonly string[], options: SynthesizeOptions = {}): Finding[] {
  const staging = `${outdir}.partial-${process.pid}`;
  let suppressed: Finding[];
  try {
    const app = new App({ outdir: staging });
    const problems = build(app, () => new App({ outdir: staging }));
    if (problems.length > 0) throw new ConfigError(problems);
    const checks = PolicyChecks.of(app);
    try {
      app.synth();
    } catch (error) {
      // The rules run as each stack synthesizes and fail the app's validation once all have.
      const violations = checks.problems();
      throw violations.length > 0 ? new PolicyViolations(violations) : error;
    }
    suppressed = checks.suppressed;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const previous = `${outdir}.previous-${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, previous);
  renameSync(staging, outdir);
  if (options.leaveRemovedStackDirectories && existsSync(join(previous, "stacks"))) {
    for (const stack of readdirSync(join(previous, "stacks"))) mkdirSync(join(outdir, "stacks", stack), { recursive: true });
  }
  rmSync(previous, { recursive: true, force: true });
  return suppressed;
}
