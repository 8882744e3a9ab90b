/**
 * Entry point of `npm run synth` and of the cdktf CLI (`cdktf.json` app). The only file that reads
 * the process environment: it selects and validates environments, then synthesizes every stack.
 *
 * Nothing is written until the whole configuration is valid (the configuration's own checks and
 * every construct's checks of the props it was given), and synthesis goes to a staging
 * directory that replaces the output directory only when it completed, so a failure never
 * leaves a partial `cdktf.out`.
 */
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { App } from "cdktf";
import { accounts, checkConfig, ConfigError, environments } from "./config";
import { buildCheckedApp } from "./stacks/app";

/** `ENVIRONMENTS=dev,prod`, else cdktf context `environments` (`-c`/`cdktf.json`), else all. */
function selectedEnvironments(): string[] | undefined {
  const fromEnv = process.env.ENVIRONMENTS;
  if (fromEnv !== undefined) return split(fromEnv);
  const context = parseContext(process.env.CDKTF_CONTEXT_JSON);
  const fromContext: unknown = context.environments;
  if (fromContext === undefined) return undefined;
  return Array.isArray(fromContext) ? fromContext.map(String) : split(String(fromContext));
}

function parseContext(json: string | undefined): Record<string, unknown> {
  if (!json) return {};
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new ConfigError([`CDKTF_CONTEXT_JSON: ${JSON.stringify(json)} is not valid JSON; expected an object such as {"environments":"dev"}`]);
  }
}

function split(list: string): string[] {
  return list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

function synthesize(): void {
  const checked = checkConfig(environments, selectedEnvironments(), accounts);
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const staging = `${outdir}.partial-${process.pid}`;
  try {
    const app = new App({ outdir: staging });
    const problems = buildCheckedApp(app, checked, () => new App({ outdir: staging }));
    if (problems.length > 0) throw new ConfigError(problems);
    app.synth();
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const previous = `${outdir}.previous-${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, previous);
  renameSync(staging, outdir);
  rmSync(previous, { recursive: true, force: true });
}

try {
  const started = Date.now();
  synthesize();
  // `npm run synth` says what it wrote; under the cdktf CLI (which sets CDKTF_OUTDIR) the CLI does.
  if (process.env.CDKTF_OUTDIR === undefined) {
    const { stacks } = JSON.parse(readFileSync("cdktf.out/manifest.json", "utf8")) as { stacks: object };
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const selection = selectedEnvironments()?.join(", ") ?? "all";
    console.error(`synth: ${Object.keys(stacks).length} stacks written to cdktf.out/stacks/ (environments: ${selection}; ${seconds} s)`);
  }
} catch (error) {
  if (error instanceof ConfigError) {
    // A configuration mistake is the user's to fix: the list of problems, no stack trace.
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
