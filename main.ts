/**
 * Entry point of `npm run synth` and of the cdktf CLI (`cdktf.json` app), both through synth.cjs.
 * The only file that reads the process environment: it selects and validates environments, then
 * synthesizes every stack.
 *
 * Nothing is written until the whole configuration is valid (the configuration's own checks and
 * every construct's checks of the props it was given) and every stack passes the policy rules
 * (rules/); see stacks/synthesize.ts. A successful run lists the rule suppressions in effect.
 */
import "./synth-process";
import { readFileSync } from "node:fs";
import { accounts, checkConfig, ConfigError, environments } from "./config";
import { describeSuppressions, PolicyViolations, type Finding } from "./rules";
import { buildCheckedApp } from "./stacks/app";
import { synthesizeApp } from "./stacks/synthesize";

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

/** Synthesizes the selected environments; returns the findings suppressions exempted. */
function synthesize(): Finding[] {
  const checked = checkConfig(environments, selectedEnvironments(), accounts);
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  // Under the cdktf CLI (it sets CDKTF_OUTDIR), which deletes the stacks a narrower selection drops.
  const underCli = process.env.CDKTF_OUTDIR !== undefined;
  return synthesizeApp(outdir, (app, spare) => buildCheckedApp(app, checked, spare), { leaveRemovedStackDirectories: underCli });
}

try {
  const started = Date.now();
  const suppressions = describeSuppressions(synthesize());
  // `npm run synth` says what it wrote and which exemptions hold; under the cdktf CLI (which sets
  // CDKTF_OUTDIR) the CLI reports, and it shows anything the app writes to stderr as an [ERROR].
  if (process.env.CDKTF_OUTDIR === undefined) {
    const { stacks } = JSON.parse(readFileSync("cdktf.out/manifest.json", "utf8")) as { stacks: object };
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const selection = selectedEnvironments()?.join(", ") ?? "all";
    console.error(`synth: ${Object.keys(stacks).length} stacks written to cdktf.out/stacks/ (environments: ${selection}; ${seconds} s)`);
    console.error(
      suppressions.length === 0
        ? "policy rules: passed, no suppressions in effect"
        : `policy rules: passed, ${suppressions.length} suppression${suppressions.length === 1 ? "" : "s"} in effect:\n${suppressions.map((line) => `  - ${line}`).join("\n")}`,
    );
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof PolicyViolations) {
    // A configuration mistake or a rule violation is the user's to fix: the list, no stack trace.
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
