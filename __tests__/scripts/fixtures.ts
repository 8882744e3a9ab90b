/** Hand-made cdktf.out JSON for resource types other branches add (REST API, observability, account baseline). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AssumptionFile, PriceFile } from "../../scripts/cost/estimate";
import { parseStacks, type SynthOutput } from "../../scripts/lib/synth-output";
import { shippedApp } from "../support/synth";

const dir = join(import.meta.dirname, "fixtures");

export function fixtureStacks(): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(join(dir, "stacks.json"), "utf8")) as Record<string, Record<string, unknown>>;
}

export function fixtureOutput(): SynthOutput {
  return parseStacks(fixtureStacks());
}

export function fixtureAssumptions(): AssumptionFile {
  return JSON.parse(readFileSync(join(dir, "assumptions.json"), "utf8")) as AssumptionFile;
}

/** Prices the fixed-input tests pin their figures against: a copy, so updating the shipped price file breaks nothing. */
export function fixturePrices(): PriceFile {
  return JSON.parse(readFileSync(join(dir, "prices.json"), "utf8")) as PriceFile;
}

/** The shipped price file (scripts/cost/prices.json), for expectations derived from it. */
export function shippedPrices(): PriceFile {
  return JSON.parse(readFileSync(join(import.meta.dirname, "../../scripts/cost/prices.json"), "utf8")) as PriceFile;
}

/** The shipped app's stacks, parsed the way the tools read cdktf.out. */
export function shippedOutput(): SynthOutput {
  return parseStacks(Object.fromEntries(shippedApp().json) as Record<string, Record<string, unknown>>);
}
