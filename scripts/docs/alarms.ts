/**
 * docs/reference/alarms.md: every CloudWatch alarm in cdktf.out, grouped by environment and stack:
 * what it watches, when it fires and whom it notifies. It reads Terraform JSON only, so an alarm
 * added anywhere (a new stack, a composite alarm) shows up without changes here.
 */
import { asRecord, isSharedStack, type SynthOutput, type TfReference, type TfResource, type TfStack } from "../lib/synth-output";
import { code, generatedNotice, table } from "./markdown";

type Json = Record<string, unknown>;

const METRIC_ALARM = "aws_cloudwatch_metric_alarm";
const COMPOSITE_ALARM = "aws_cloudwatch_composite_alarm";
/** Action arguments and the state change each one fires on. */
const ACTIONS = [
  ["alarm_actions", "ALARM"],
  ["ok_actions", "OK"],
  ["insufficient_data_actions", "INSUFFICIENT_DATA"],
] as const;
const COMPARISONS: Readonly<Record<string, string>> = {
  GreaterThanOrEqualToThreshold: "≥",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "≤",
};
const BAND_COMPARISONS: Readonly<Record<string, string>> = {
  GreaterThanUpperThreshold: "above the band",
  LessThanLowerThreshold: "below the band",
  LessThanLowerOrGreaterThanUpperThreshold: "outside the band",
};
const HEADER = ["Alarm", "Metric", "Statistic", "Condition", "Datapoints × period", "Missing data", "Notifies"];
const NONE = "—";

const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
const literal = (value: unknown): string | undefined => {
  const found = text(value);
  return found === undefined || found.includes("${") ? undefined : found;
};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `300` → `5 min`, `21600` → `6 h`, `10` → `10 s`. */
export function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * `namespace/metric` with the dimensions written as values (`[Operation=GetItem]`); dimensions
 * that reference resources are left out: the alarm name already says which resource it watches.
 */
function metricName(metric: Json): string {
  const dimensions = Object.entries(asRecord(metric.dimensions))
    .flatMap(([key, value]) => (literal(value) === undefined ? [] : [`${key}=${literal(value)}`]))
    .sort();
  const name = code(`${text(metric.namespace) ?? "?"}/${text(metric.metric_name) ?? "?"}`);
  return dimensions.length > 0 ? `${name} [${dimensions.join(", ")}]` : name;
}

interface MetricSummary {
  readonly metric: string;
  readonly statistic: string;
  readonly periods: readonly number[];
}

function singleMetric(body: Json): MetricSummary {
  const period = body.period;
  return {
    metric: metricName(body),
    statistic: text(body.statistic) ?? text(body.extended_statistic) ?? NONE,
    periods: typeof period === "number" ? [period] : [],
  };
}

/**
 * The value a metric-query alarm compares (the query returning data that is not the threshold
 * band), then every other query it draws on, each with its statistic.
 */
function queryMetric(queries: readonly Json[], thresholdId: string | undefined): MetricSummary {
  const candidates = queries.filter((q) => q.id !== thresholdId);
  const main = candidates.find((q) => q.return_data === true) ?? candidates[candidates.length - 1];
  const describe = (q: Json): string => {
    const metric = asRecord(q.metric);
    return q.expression === undefined ? `${metricName(metric)} (${text(metric.stat) ?? "?"})` : code(text(q.expression) ?? "?");
  };
  const mainMetric = asRecord(main?.metric);
  const shown = main === undefined ? NONE : main.expression === undefined ? metricName(mainMetric) : describe(main);
  const others = candidates.filter((q) => q !== main).map((q) => `${code(text(q.id) ?? "?")} = ${describe(q)}`);
  const periods = queries.flatMap((q) => [asRecord(q.metric).period, q.period]).filter((p): p is number => typeof p === "number");
  return {
    metric: others.length > 0 ? `${shown} where ${others.join(", ")}` : shown,
    statistic: main !== undefined && main.expression === undefined ? (text(mainMetric.stat) ?? NONE) : NONE,
    periods: [...new Set(periods)].sort((a, b) => a - b),
  };
}

function condition(body: Json, queries: readonly Json[]): string {
  const comparison = text(body.comparison_operator) ?? "?";
  const band = BAND_COMPARISONS[comparison];
  if (band !== undefined) {
    const bandQuery = queries.find((q) => q.id === body.threshold_metric_id);
    return `${band} ${code(text(bandQuery?.expression) ?? text(body.threshold_metric_id) ?? "?")}`;
  }
  const threshold = literal(body.threshold) ?? (text(body.threshold) === undefined ? "?" : code(text(body.threshold) ?? ""));
  return `${COMPARISONS[comparison] ?? comparison} ${threshold}`;
}

/** `dp of n × period`: AWS evaluates `n` periods and alarms on `dp` breaching ones (`dp` defaults to `n`). */
function datapoints(body: Json, periods: readonly number[]): string {
  const evaluation = text(body.evaluation_periods) ?? "?";
  const window = periods.length > 0 ? periods.map(duration).join(" / ") : "?";
  return `${text(body.datapoints_to_alarm) ?? evaluation} of ${evaluation} × ${window}`;
}

/** What an action string points at: the referenced resource by name, an SNS topic ARN's name, else the string. */
function actionTargets(output: SynthOutput, alarm: TfResource, attribute: string, references: readonly TfReference[]): string[] {
  const found = references
    .filter((r) => r.attribute === attribute)
    .map((r) => {
      const target = output.resources.get(r.to);
      const name = target === undefined ? r.to : (literal(target.body.name) ?? `${target.type}.${target.name}`);
      return r.crossStack && target !== undefined ? `${name} (stack ${target.stack})` : name;
    });
  for (const action of list(alarm.body[attribute])) {
    const value = text(action);
    if (value === undefined) continue;
    if (!value.includes("${")) found.push(/^arn:[^:]+:sns:[^:]*:[^:]*:(.+)$/.exec(value)?.[1] ?? value);
    // An expression that names no resource (a variable, a data source) is shown as written.
    else if (found.length === 0) found.push(code(value));
  }
  return found;
}

function notifies(output: SynthOutput, alarm: TfResource, references: readonly TfReference[]): string {
  const states = new Map<string, string[]>();
  for (const [attribute, state] of ACTIONS) {
    for (const target of actionTargets(output, alarm, attribute, references)) {
      const seen = states.get(target) ?? [];
      if (!seen.includes(state)) seen.push(state);
      states.set(target, seen);
    }
  }
  const targets = [...states].map(([target, on]) => `${target} (${on.join(", ")})`).join("; ");
  if (alarm.body.actions_enabled === false) return `actions disabled${targets === "" ? "" : `: ${targets}`}`;
  return targets === "" ? "nothing" : targets;
}

/** The region an alarm lives in when its provider alias points away from the stack's own region. */
function regionNote(stack: TfStack, body: Json): string {
  const alias = text(body.provider)?.replace(/^aws\./, "");
  if (alias === undefined) return "";
  const providers = list(asRecord(stack.json.provider).aws).map(asRecord);
  const region = text(providers.find((p) => p.alias === alias)?.region);
  return region !== undefined && region !== stack.region ? ` (${region})` : "";
}

function alarmRow(output: SynthOutput, stack: TfStack, alarm: TfResource, references: readonly TfReference[]): string[] {
  const body = alarm.body;
  const name = `${code(text(body.alarm_name) ?? alarm.name)}${regionNote(stack, body)}`;
  if (alarm.type === COMPOSITE_ALARM) {
    return [name, `rule ${code(text(body.alarm_rule) ?? "?")}`, NONE, NONE, NONE, NONE, notifies(output, alarm, references)];
  }
  const queries = list(body.metric_query).map(asRecord);
  const summary = queries.length > 0 ? queryMetric(queries, text(body.threshold_metric_id)) : singleMetric(body);
  return [
    name,
    summary.metric,
    summary.statistic,
    condition(body, queries),
    datapoints(body, summary.periods),
    text(body.treat_missing_data) ?? "missing",
    notifies(output, alarm, references),
  ];
}

const alarmsOf = (stack: TfStack): TfResource[] =>
  stack.resources
    .filter((r) => r.type === METRIC_ALARM || r.type === COMPOSITE_ALARM)
    .sort((a, b) => (text(a.body.alarm_name) ?? a.id).localeCompare(text(b.body.alarm_name) ?? b.id) || a.id.localeCompare(b.id));

const plural = (n: number): string => `${n} alarm${n === 1 ? "" : "s"}`;

/** Environments by name, then the account-level stacks of each account: as `npm run cost` names them. */
function groups(output: SynthOutput): [string, TfStack[]][] {
  const own = output.stacks.filter((s) => !isSharedStack(s));
  const shared = output.stacks.filter(isSharedStack);
  return [
    ...[...new Set(own.map((s) => s.environment))].sort().map((env): [string, TfStack[]] => [env, own.filter((s) => s.environment === env)]),
    ...[...new Set(shared.map((s) => s.accountId ?? "unknown"))]
      .sort()
      .map((account): [string, TfStack[]] => [`shared (account ${account})`, shared.filter((s) => (s.accountId ?? "unknown") === account)]),
  ];
}

/** The alarms page, byte-for-byte the same for the same cdktf.out. */
export function alarmsMarkdown(output: SynthOutput): string {
  const referencesFrom = new Map<string, TfReference[]>();
  for (const reference of output.references) referencesFrom.set(reference.from, [...(referencesFrom.get(reference.from) ?? []), reference]);
  const all = groups(output);
  const out = [
    "# Alarms and thresholds",
    "",
    generatedNotice("cdktf.out", "npm run synth && npm run docs"),
    "",
    "Every CloudWatch alarm the synthesized stacks create, by environment and stack. *Datapoints × period*:",
    "the alarm fires when that many of the last evaluated periods breach. *Notifies*: the target of each",
    "action and the state changes it receives.",
    "",
    ...all.map(([group, stacks]) => `- ${group}: ${plural(stacks.reduce((n, s) => n + alarmsOf(s).length, 0))}`),
  ];
  for (const [group, stacks] of all) {
    out.push("", `## ${group}`);
    const withAlarms = stacks.filter((s) => alarmsOf(s).length > 0);
    if (withAlarms.length === 0) out.push("", "No alarms.");
    for (const stack of withAlarms) {
      const alarms = alarmsOf(stack);
      out.push("", `### ${stack.name} (${stack.region}): ${plural(alarms.length)}`, "");
      out.push(...table(HEADER, alarms.map((alarm) => alarmRow(output, stack, alarm, referencesFrom.get(alarm.id) ?? []))));
    }
  }
  return `${out.join("\n")}\n`;
}
