/**
 * npm run plan:summary -- <plan.json | dir>... : summarise `terraform show -json` outputs (one file
 * per stack, named <stack>.json, or a directory of them, e.g. VALIDATE_PLAN_JSON_DIR of npm run
 * validate). Prints a terminal summary; --markdown FILE writes the PR comment; --fail-on-danger
 * exits 3 when a stateful resource would be destroyed or replaced.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { summarize, toMarkdown, toText } from "./plan-summary/summarize";

function planFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith(".json"))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { markdown: { type: "string" }, "fail-on-danger": { type: "boolean", default: false } },
  });
  if (positionals.length === 0) throw new Error("give plan JSON files or directories (terraform show -json <planfile> > <stack>.json)");
  const files = planFiles(positionals);
  if (files.length === 0) throw new Error(`no *.json plan files in ${positionals.join(", ")}`);
  const summaries = files.map((f) => summarize(basename(f).replace(/(\.plan)?\.json$/, ""), JSON.parse(readFileSync(f, "utf8"))));
  process.stdout.write(toText(summaries));
  if (values.markdown) {
    writeFileSync(values.markdown, toMarkdown(summaries));
    console.log(`wrote ${values.markdown}`);
  }
  const dangerous = summaries.reduce((n, s) => n + s.dangerous.length, 0);
  if (dangerous > 0) {
    console.error(`plan:summary: ${dangerous} stateful resource(s) would be destroyed or replaced`);
    if (values["fail-on-danger"]) process.exit(3);
  }
}

try {
  main();
} catch (error) {
  console.error(`plan:summary: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
