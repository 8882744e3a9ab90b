/**
 * npm run docs: the reference pages that mirror code, generated so they cannot drift from it.
 *   alarms.md   every CloudWatch alarm, from cdktf.out (run `npm run synth` first)
 *   modules.md  every construct's props, from the sources under modules/
 * Both pages are built before either is written, so a failure leaves the old pages in place.
 *
 * Usage: npm run docs [-- OPTIONS]
 *   --out DIR          where the pages go (default docs/reference)
 *   --cdktf-out DIR    synthesized output (default cdktf.out)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadSynthOutput } from "../lib/synth-output";
import { alarmsMarkdown } from "./alarms";
import { documentModules, ModuleDocError, modulesMarkdown, readModuleSources } from "./modules";

const projectRoot = join(import.meta.dirname, "../..");

function main(): void {
  const started = performance.now();
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: "docs/reference" },
      "cdktf-out": { type: "string", default: "cdktf.out" },
    },
  });
  const pages: [string, string][] = [
    ["alarms.md", alarmsMarkdown(loadSynthOutput(values["cdktf-out"]))],
    ["modules.md", modulesMarkdown(documentModules(readModuleSources(projectRoot)))],
  ];
  mkdirSync(values.out, { recursive: true });
  for (const [name, text] of pages) writeFileSync(join(values.out, name), text);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`docs: wrote ${pages.map(([name]) => join(values.out, name)).join(", ")} (${seconds} s)`);
}

try {
  main();
} catch (error) {
  if (error instanceof ModuleDocError) {
    console.error(`docs: modules/ is not documented as the house rules require:\n${error.problems.map((p) => `  ${p}`).join("\n")}`);
  } else {
    console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
