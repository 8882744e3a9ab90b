/**
 * npm run cost: estimated monthly cost per environment and stack from cdktf.out, checked against
 * each environment's budget (its synthesized aws_budgets_budget, so cdktf.out is the only source).
 * Offline: prices come from scripts/cost/prices.json.
 *
 * Usage: npm run cost [-- OPTIONS]
 *   --assumptions FILE   usage assumptions (default scripts/cost/assumptions.json)
 *   --set KEY=VALUE      override one assumption for every environment (repeatable)
 *   --prices FILE        price file (default scripts/cost/prices.json)
 *   --out DIR            where cost-estimate.md/.json go (default docs)
 *   --page FILE          the page whose <!-- cost-estimate:start/end --> block gets the summary table
 *                        (default docs/costs.md; a file without the markers is left alone)
 *   --cdktf-out DIR      synthesized output (default cdktf.out)
 *   --strict             exit 2 when an estimate exceeds its budget (default: warn only)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { AssumptionFile, Assumptions, PriceFile } from "./cost/estimate";
import { estimate, replaceCostTable, toMarkdown, toMarkdownDetails, toText } from "./cost/report";
import { loadSynthOutput, stableJson } from "./lib/synth-output";

const here = import.meta.dirname;

function parseOverrides(pairs: readonly string[], known: Assumptions): Partial<Assumptions> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const [key, raw] = pair.split("=");
    if (!key || !(key in known)) throw new Error(`--set ${pair}: unknown assumption "${key}" (known: ${Object.keys(known).join(", ")})`);
    const value = Number(raw);
    if (raw === undefined || raw === "" || !Number.isFinite(value) || value < 0) throw new Error(`--set ${pair}: value must be a non-negative number`);
    out[key] = value;
  }
  return out as Partial<Assumptions>;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      assumptions: { type: "string", default: join(here, "cost/assumptions.json") },
      set: { type: "string", multiple: true, default: [] },
      prices: { type: "string", default: join(here, "cost/prices.json") },
      out: { type: "string", default: "docs" },
      page: { type: "string", default: "docs/costs.md" },
      "cdktf-out": { type: "string", default: "cdktf.out" },
      strict: { type: "boolean", default: false },
    },
  });
  const prices = JSON.parse(readFileSync(values.prices, "utf8")) as PriceFile;
  const assumptions = JSON.parse(readFileSync(values.assumptions, "utf8")) as AssumptionFile;
  const overrides = parseOverrides(values.set, assumptions.default);
  const result = estimate(loadSynthOutput(values["cdktf-out"]), prices, assumptions, overrides);

  process.stdout.write(toText(result));
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "cost-estimate.json"), stableJson(result));
  writeFileSync(join(values.out, "cost-estimate.md"), toMarkdownDetails(result));
  const written = [join(values.out, "cost-estimate.md"), join(values.out, "cost-estimate.json")];
  if (existsSync(values.page)) {
    const updated = replaceCostTable(readFileSync(values.page, "utf8"), toMarkdown(result));
    if (updated !== undefined) {
      writeFileSync(values.page, updated);
      written.push(values.page);
    }
  }
  console.log(`wrote ${written.join(", ")}`);
  if (values.strict && result.warnings.length > 0) {
    console.error(`cost: ${result.warnings.length} estimate(s) over budget (--strict)`);
    process.exit(2);
  }
}

try {
  main();
} catch (error) {
  console.error(`cost: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
