/** Groups stacks into environments (plus account-level stacks), and renders the estimate. */
import type { SynthOutput } from "../lib/synth-output";
import { environments, isSharedStack } from "../lib/synth-output";
import type { SynthOutput as Output, TfStack } from "../lib/synth-output";
import type { AssumptionFile, Assumptions, GroupEstimate, PriceFile, StackEstimate } from "./estimate";
import { assumptionsFor, drivers, estimateStack, MissingPricesError, round, synthesizedBudget } from "./estimate";

export interface Estimate {
  readonly prices: { readonly source: string; readonly compiled: string; readonly currency: string };
  readonly groups: readonly GroupEstimate[];
  /** Estimates over budget (`--strict` fails on them). */
  readonly warnings: readonly string[];
  /** Stacks left out for want of prices: reported, never a failure (the price file lags new regions). */
  readonly unpriced: readonly string[];
}

/** The stack's estimate, or an empty one that says which prices are missing. */
function estimateOrReport(output: Output, stack: TfStack, scope: readonly TfStack[], prices: PriceFile, a: Assumptions, unpriced: string[]): StackEstimate {
  try {
    return estimateStack(output, stack, scope, prices, a);
  } catch (error) {
    if (!(error instanceof MissingPricesError)) throw error;
    unpriced.push(`${stack.name} (${stack.region}): not estimated, ${error.message}`);
    return { stack: stack.name, region: stack.region, monthlyUsd: 0, items: [], unpriced: error.message };
  }
}

/**
 * Environment totals cover the environment's own stacks; account-level stacks (bootstrap, account
 * baseline) are shared by every environment of the account, so they are a group of their own
 * instead of being counted once per environment.
 */
export function estimate(
  output: SynthOutput,
  prices: PriceFile,
  assumptions: AssumptionFile,
  overrides: Partial<Assumptions>,
): Estimate {
  const groups: GroupEstimate[] = [];
  const warnings: string[] = [];
  const unpriced: string[] = [];
  for (const [env, stacks] of environments(output)) {
    const own = stacks.filter((s) => !isSharedStack(s));
    const a = assumptionsFor(assumptions, env, overrides);
    const estimates = own.map((s) => estimateOrReport(output, s, own, prices, a, unpriced));
    const monthlyUsd = round(estimates.reduce((sum, s) => sum + s.monthlyUsd, 0));
    const budgetUsd = synthesizedBudget(output, env);
    const group: GroupEstimate = {
      name: env,
      shared: false,
      monthlyUsd,
      stacks: estimates,
      assumptions: a,
      ...(budgetUsd === undefined ? {} : { budgetUsd, budgetSource: "aws_budgets_budget" }),
    };
    groups.push(group);
    if (budgetUsd !== undefined && monthlyUsd > budgetUsd) {
      warnings.push(`${env}: estimate $${monthlyUsd.toFixed(2)}/month exceeds its budget of $${budgetUsd.toFixed(2)}/month`);
    }
  }
  // Smallest budget first (dev, staging, prod as shipped), environments without one last, then by name.
  const rank = (group: GroupEstimate): number => group.budgetUsd ?? Number.POSITIVE_INFINITY;
  groups.sort((x, y) => rank(x) - rank(y) || x.name.localeCompare(y.name));
  const shared = output.stacks.filter(isSharedStack);
  for (const account of [...new Set(shared.map((s) => s.accountId ?? "unknown"))].sort()) {
    const stacks = shared.filter((s) => (s.accountId ?? "unknown") === account);
    const a = assumptionsFor(assumptions, "shared", overrides);
    const estimates = stacks.map((s) => estimateOrReport(output, s, stacks, prices, a, unpriced));
    groups.push({
      name: `shared (account ${account})`,
      shared: true,
      monthlyUsd: round(estimates.reduce((sum, s) => sum + s.monthlyUsd, 0)),
      stacks: estimates,
      assumptions: a,
    });
  }
  return { prices: { source: prices.source, compiled: prices.compiled, currency: prices.currency }, groups, warnings, unpriced };
}

const money = (n: number): string => `$${n.toFixed(2)}`;

function budgetText(group: GroupEstimate): string {
  if (group.budgetUsd === undefined) return group.shared ? "shared by the account's environments" : "no budget";
  const pct = Math.round((group.monthlyUsd / group.budgetUsd) * 100);
  const state = group.monthlyUsd > group.budgetUsd ? "OVER BUDGET" : "within budget";
  return `${pct}% of ${money(group.budgetUsd)} budget (${group.budgetSource}): ${state}`;
}

function assumptionLines(a: Assumptions): string[] {
  return Object.entries(a).map(([k, v]) => `${k}=${v}`);
}

/** Fixed-width table for the terminal. */
export function toText(e: Estimate): string {
  const out: string[] = [];
  for (const group of e.groups) {
    out.push(`\n== ${group.name}: ${money(group.monthlyUsd)}/month  [${budgetText(group)}]`);
    const rows = group.stacks.flatMap((s) => s.items.map((i) => [s.stack, i.component, i.quantity, money(i.monthlyUsd)]));
    const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] ?? "").length), ["STACK", "ITEM", "QUANTITY", "USD/MONTH"][c]?.length ?? 0));
    const line = (r: string[]): string => r.map((cell, c) => (c === 3 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join("  ");
    out.push(line(["STACK", "ITEM", "QUANTITY", "USD/MONTH"]));
    for (const row of rows) out.push(line(row));
    for (const s of group.stacks) out.push(`  subtotal ${s.stack} (${s.region}): ${s.unpriced === undefined ? money(s.monthlyUsd) : "not estimated (no prices)"}`);
    out.push(`  top drivers: ${drivers(group).map((d) => `${d.component} ${money(d.monthlyUsd)}`).join(", ")}`);
    out.push(`  assumptions: ${assumptionLines(group.assumptions).join(", ")}`);
  }
  out.push(`\nPrices: ${e.prices.source}; compiled ${e.prices.compiled}.`);
  for (const w of e.warnings) out.push(`WARNING: ${w}`);
  for (const u of e.unpriced) out.push(`NOT ESTIMATED: ${u}`);
  return `${out.join("\n")}\n`;
}

/** Markdown: a summary table of all groups, then one detail table per group. */
export function toMarkdown(e: Estimate): string {
  const out: string[] = [];
  out.push("| Environment | Estimate (USD/month) | Budget | Top cost drivers |", "|---|---:|---|---|");
  for (const g of e.groups) {
    out.push(`| ${g.name} | ${money(g.monthlyUsd)} | ${budgetText(g)} | ${drivers(g).map((d) => `${d.component} ${money(d.monthlyUsd)}`).join("; ")} |`);
  }
  out.push("", `Prices: ${e.prices.source}; compiled ${e.prices.compiled}. Generated by \`npm run cost\` from cdktf.out.`);
  for (const w of e.warnings) out.push("", `> **Warning:** ${w}`);
  for (const u of e.unpriced) out.push("", `> **Not estimated:** ${u}`);
  return `${out.join("\n")}\n`;
}

/** Where `npm run cost` writes the summary table, on the page that carries its markers. */
const COST_TABLE_MARKERS = { start: "<!-- cost-estimate:start -->", end: "<!-- cost-estimate:end -->" } as const;

/** `page` with the text between the cost table markers replaced by `table`; undefined when the page has no markers. */
export function replaceCostTable(page: string, table: string): string | undefined {
  const { start, end } = COST_TABLE_MARKERS;
  const i = page.indexOf(start);
  const j = page.indexOf(end);
  if (i < 0 || j < i) return undefined;
  return `${page.slice(0, i + start.length)}\n${table}${page.slice(j)}`;
}

export function toMarkdownDetails(e: Estimate): string {
  const out: string[] = ["# Monthly cost estimate", "", toMarkdown(e)];
  for (const g of e.groups) {
    out.push(`## ${g.name}: ${money(g.monthlyUsd)}/month`, "", "| Stack | Item | Quantity | USD/month |", "|---|---|---|---:|");
    for (const s of g.stacks) for (const i of s.items) out.push(`| ${s.stack} | ${i.component} | ${i.quantity} | ${money(i.monthlyUsd)} |`);
    out.push("", `Subtotals: ${g.stacks.map((s) => `${s.stack} ${money(s.monthlyUsd)}`).join(", ")}.`, "");
    out.push(`Assumptions: ${assumptionLines(g.assumptions).map((l) => `\`${l}\``).join(", ")}.`, "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
