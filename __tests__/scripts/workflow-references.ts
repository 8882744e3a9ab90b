/**
 * The files, npm scripts and npx binaries a GitHub workflow refers to, and which of them this
 * repository lacks. A workflow that names a missing file cannot start (or fails halfway), and
 * nothing but a real GitHub run would tell: this makes the unit tier tell.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, normalize } from "node:path";

/** Files the workflows create before they read them (synth output, downloaded plan artifacts). */
const CREATED_BY_WORKFLOWS = ["cdktf.out/", "plans/", "plan-summary.md"];

/** A bare file name is taken for a repository file when it ends in one of these. */
const FILE_EXTENSION = /\.(?:ts|mts|mjs|js|json|sh|py|md|txt|yml|yaml)$/;

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly jobs?: Record<string, { readonly uses?: string; readonly steps?: readonly Step[] }>;
}

/** `with:` inputs of well-known actions that name a repository file. */
const FILE_INPUTS = ["node-version-file", "python-version-file", "go-version-file", "java-version-file"];

/**
 * Words of a `run:` script that name a repository file: relative paths, and bare names with a
 * source extension. Single-quoted text (inline JS, regexes) and anything holding a variable, a
 * glob, an option or a URL is not a path.
 */
export function runScriptPaths(script: string): string[] {
  const words = script
    .replace(/'[^']*'/g, " ")
    .replace(/"/g, "")
    .split(/[\s;|&()<>]+/);
  return words.filter(
    (word) =>
      word !== "" &&
      !/^[-$~/]/.test(word) &&
      !/[$*=:{}]/.test(word) &&
      (word.includes("/") || FILE_EXTENSION.test(word)),
  );
}

/** Problems of one workflow, each naming what it refers to and what is missing. */
export function missingReferences(workflow: Workflow, root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const problems: string[] = [];
  const file = (path: string, where: string): void => {
    const relative = normalize(path).replace(/^\.\//, "");
    if (CREATED_BY_WORKFLOWS.some((created) => relative === created || relative.startsWith(created))) return;
    if (!existsSync(join(root, relative))) problems.push(`${where}: ${path} does not exist in the repository`);
  };
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    if (job.uses?.startsWith("./")) file(job.uses, `job ${jobName} uses`);
    for (const [index, step] of (job.steps ?? []).entries()) {
      const where = `job ${jobName}, step ${index + 1}`;
      if (step.uses?.startsWith("./")) file(step.uses, `${where} uses`);
      for (const input of FILE_INPUTS) {
        const value = step.with?.[input];
        if (typeof value === "string") file(value, `${where} ${input}`);
      }
      if (step.run === undefined) continue;
      for (const path of runScriptPaths(step.run)) file(path, `${where} run`);
      for (const [, script] of step.run.matchAll(/\bnpm run (?:--silent )?([\w:.-]+)/g)) {
        if (!(script! in pkg.scripts)) problems.push(`${where} run: npm run ${script} is not a script in package.json`);
      }
      for (const [, bin] of step.run.matchAll(/\bnpx ([\w.-]+)/g)) {
        if (!existsSync(join(root, "node_modules", ".bin", bin!))) {
          problems.push(`${where} run: npx ${bin} is not installed by npm ci (no node_modules/.bin/${bin})`);
        }
      }
    }
  }
  return problems;
}
