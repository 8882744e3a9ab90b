/**
 * Prints the GitHub Actions matrix of stacks to plan: `{"include":[{"stack":..,"environment":..}]}`.
 * Only stacks with a remote (S3) backend are plannable in CI; bootstrap keeps local state.
 * With --base <cdktf.out of the base branch>, only stacks whose synthesized JSON differs (or that
 * are new) are listed, so a PR plans what it changes.
 *
 * Usage: tsx scripts/lib/ci-stacks.ts [--base DIR] [--cdktf-out DIR]
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { asRecord, loadSynthOutput } from "./synth-output";

const { values } = parseArgs({ options: { base: { type: "string" }, "cdktf-out": { type: "string", default: "cdktf.out" } } });
const head = values["cdktf-out"];
const include = loadSynthOutput(head)
  .stacks.filter((s) => asRecord(asRecord(s.json.terraform).backend).s3 !== undefined)
  .filter((s) => {
    if (!values.base) return true;
    const before = join(values.base, "stacks", s.name, "cdk.tf.json");
    return !existsSync(before) || readFileSync(before, "utf8") !== readFileSync(join(head, "stacks", s.name, "cdk.tf.json"), "utf8");
  })
  .map((s) => ({ stack: s.name, environment: s.environment }));
console.log(JSON.stringify({ include }));
