import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { alarmsMarkdown, duration } from "../../../scripts/docs/alarms";
import { parseStacks } from "../../../scripts/lib/synth-output";
import { shippedOutput } from "../fixtures";

type Json = Record<string, unknown>;

const TOPIC = "${aws_sns_topic.alerts.arn}";

/** An environment stack as cdktf writes it: its provider tagged with the environment. */
function envStack(env: string, resources: Json, extra: Json = {}): Json {
  return {
    provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"], default_tags: [{ tags: { Environment: env } }] }] },
    resource: { aws_sns_topic: { alerts: { name: `acme-${env}-alerts` } }, ...resources },
    ...extra,
  };
}

const metricAlarm = (name: string, fields: Json = {}): Json => ({
  alarm_name: name,
  namespace: "AWS/Lambda",
  metric_name: "Errors",
  statistic: "Sum",
  comparison_operator: "GreaterThanOrEqualToThreshold",
  threshold: 5,
  period: 300,
  evaluation_periods: 3,
  datapoints_to_alarm: 2,
  treat_missing_data: "notBreaching",
  alarm_actions: [TOPIC],
  ok_actions: [TOPIC],
  ...fields,
});

/** The table row of the alarm named `name`, split into its cells. */
function row(markdown: string, name: string): string[] {
  const line = markdown.split("\n").find((l) => l.startsWith(`| \`${name}\``));
  if (line === undefined) throw new Error(`no row for ${name} in:\n${markdown}`);
  // Escaped pipes inside a cell read `\|`, never ` | `.
  return line.slice(2, -2).split(" | ");
}

describe("alarms reference", () => {
  it("shows a metric alarm's metric, statistic, condition, datapoints, missing-data treatment and topic", () => {
    const md = alarmsMarkdown(parseStacks({ "observability-dev": envStack("dev", { aws_cloudwatch_metric_alarm: { errors: metricAlarm("acme-dev-errors") } }) }));
    expect(row(md, "acme-dev-errors")).toEqual([
      "`acme-dev-errors`",
      "`AWS/Lambda/Errors`",
      "Sum",
      "≥ 5",
      "2 of 3 × 5 min",
      "notBreaching",
      "acme-dev-alerts (ALARM, OK)",
    ]);
  });

  it("summarizes a metric-query alarm: the returned expression, then each metric with its statistic and literal dimensions", () => {
    const md = alarmsMarkdown(
      parseStacks({
        "observability-dev": envStack("dev", {
          aws_cloudwatch_metric_alarm: {
            missing: {
              alarm_name: "acme-dev-running-tasks",
              comparison_operator: "GreaterThanOrEqualToThreshold",
              threshold: 1,
              evaluation_periods: 10,
              treat_missing_data: "breaching",
              alarm_actions: [TOPIC],
              metric_query: [
                { id: "desired", return_data: false, metric: { namespace: "ECS/ContainerInsights", metric_name: "DesiredTaskCount", stat: "Maximum", period: 60, dimensions: { ServiceName: "${aws_ecs_service.s.name}" } } },
                { id: "running", return_data: false, metric: { namespace: "ECS/ContainerInsights", metric_name: "RunningTaskCount", stat: "Minimum", period: 60, dimensions: { Operation: "Run" } } },
                { id: "e1", expression: "desired - running", return_data: true },
              ],
            },
          },
        }),
      }),
    );
    expect(row(md, "acme-dev-running-tasks")).toEqual([
      "`acme-dev-running-tasks`",
      "`desired - running` where `desired` = `ECS/ContainerInsights/DesiredTaskCount` (Maximum), `running` = `ECS/ContainerInsights/RunningTaskCount` [Operation=Run] (Minimum)",
      "—",
      "≥ 1",
      "10 of 10 × 1 min",
      "breaching",
      "acme-dev-alerts (ALARM)",
    ]);
  });

  it("shows an anomaly alarm's metric and its band as the condition", () => {
    const md = alarmsMarkdown(
      parseStacks({
        "observability-dev": envStack("dev", {
          aws_cloudwatch_metric_alarm: {
            band: {
              alarm_name: "acme-dev-reads-anomaly",
              comparison_operator: "GreaterThanUpperThreshold",
              threshold_metric_id: "ad1",
              evaluation_periods: 3,
              datapoints_to_alarm: 3,
              metric_query: [
                { id: "m1", return_data: true, metric: { namespace: "AWS/DynamoDB", metric_name: "ConsumedReadCapacityUnits", stat: "Sum", period: 300 } },
                { id: "ad1", expression: "ANOMALY_DETECTION_BAND(m1, 3)", return_data: true },
              ],
            },
          },
        }),
      }),
    );
    expect(row(md, "acme-dev-reads-anomaly").slice(1, 6)).toEqual([
      "`AWS/DynamoDB/ConsumedReadCapacityUnits`",
      "Sum",
      "above the band `ANOMALY_DETECTION_BAND(m1, 3)`",
      "3 of 3 × 5 min",
      "missing",
    ]);
  });

  it("names a topic of another stack (through remote state), a topic given as an ARN, and says when nothing is notified", () => {
    const producer = {
      ...envStack("dev", {}),
      terraform: { backend: { s3: { bucket: "state", key: "dev/alerts.tfstate" } } },
      output: { "cross-stack-output-topic": { value: TOPIC } },
    };
    const remote = "${data.terraform_remote_state.cross-stack-reference-input-alerts-dev.outputs.cross-stack-output-topic}";
    const consumer = envStack(
      "dev",
      {
        aws_cloudwatch_metric_alarm: {
          remote: metricAlarm("acme-dev-remote", { alarm_actions: [remote], ok_actions: [] }),
          arn: metricAlarm("acme-dev-arn", { alarm_actions: ["arn:aws:sns:eu-west-1:111111111111:ops-pager"], ok_actions: [] }),
          silent: metricAlarm("acme-dev-silent", { alarm_actions: [], ok_actions: [] }),
          disabled: metricAlarm("acme-dev-disabled", { actions_enabled: false }),
        },
      },
      { data: { terraform_remote_state: { "cross-stack-reference-input-alerts-dev": { backend: "s3", config: { bucket: "state", key: "dev/alerts.tfstate" } } } } },
    );
    const md = alarmsMarkdown(parseStacks({ "alerts-dev": producer, "observability-dev": consumer }));
    expect(row(md, "acme-dev-remote").at(-1)).toBe("acme-dev-alerts (stack alerts-dev) (ALARM)");
    expect(row(md, "acme-dev-arn").at(-1)).toBe("ops-pager (ALARM)");
    expect(row(md, "acme-dev-silent").at(-1)).toBe("nothing");
    expect(row(md, "acme-dev-disabled").at(-1)).toBe("actions disabled: acme-dev-alerts (ALARM, OK)");
  });

  it("lists composite alarms with their rule, and notes an alarm whose provider is in another region", () => {
    const account = {
      provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"] }, { alias: "us-east-1", region: "us-east-1" }] },
      resource: {
        aws_sns_topic: { billing: { name: "acme-billing", provider: "aws.us-east-1" } },
        aws_cloudwatch_metric_alarm: {
          charges: metricAlarm("acme-charges", {
            provider: "aws.us-east-1",
            namespace: "AWS/Billing",
            metric_name: "EstimatedCharges",
            dimensions: { Currency: "USD" },
            statistic: "Maximum",
            comparison_operator: "GreaterThanThreshold",
            threshold: 100,
            period: 21600,
            evaluation_periods: 1,
            datapoints_to_alarm: undefined,
            alarm_actions: ["${aws_sns_topic.billing.arn}"],
            ok_actions: [],
          }),
        },
        aws_cloudwatch_composite_alarm: {
          any: { alarm_name: "acme-any", alarm_rule: "ALARM(acme-charges) OR ALARM(other)", alarm_actions: ["${aws_sns_topic.billing.arn}"] },
        },
      },
    };
    const md = alarmsMarkdown(parseStacks({ account }));
    expect(row(md, "acme-charges")).toEqual([
      "`acme-charges` (us-east-1)",
      "`AWS/Billing/EstimatedCharges` [Currency=USD]",
      "Maximum",
      "> 100",
      "1 of 1 × 6 h",
      "notBreaching",
      "acme-billing (ALARM)",
    ]);
    expect(row(md, "acme-any")).toEqual(["`acme-any`", "rule `ALARM(acme-charges) OR ALARM(other)`", "—", "—", "—", "—", "acme-billing (ALARM)"]);
  });

  it("escapes pipes so an expression cannot split a table cell", () => {
    const md = alarmsMarkdown(
      parseStacks({
        "observability-dev": envStack("dev", {
          aws_cloudwatch_composite_alarm: { either: { alarm_name: "acme-dev-either", alarm_rule: "ALARM(a) || ALARM(b)" } },
        }),
      }),
    );
    expect(row(md, "acme-dev-either")[1]).toBe("rule `ALARM(a) \\|\\| ALARM(b)`");
  });

  it("groups by environment (by name), then account-level stacks per account; sorts alarms by name; the same input in any order gives the same bytes", () => {
    const stacks = {
      "observability-staging": envStack("staging", { aws_cloudwatch_metric_alarm: { b: metricAlarm("acme-staging-b"), a: metricAlarm("acme-staging-a") } }),
      "network-staging": envStack("staging", {}),
      "observability-dev": envStack("dev", { aws_cloudwatch_metric_alarm: { only: metricAlarm("acme-dev-only") } }),
      "network-qa": envStack("qa", {}),
      account: {
        provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"] }] },
        resource: { aws_cloudwatch_metric_alarm: { root: metricAlarm("acme-root-usage", { alarm_actions: [], ok_actions: [] }) } },
      },
    };
    const md = alarmsMarkdown(parseStacks(stacks));
    const headings = md.split("\n").filter((l) => l.startsWith("#"));
    expect(headings).toEqual([
      "# Alarms and thresholds",
      "## dev",
      "### observability-dev (eu-west-1): 1 alarm",
      "## qa",
      "## staging",
      "### observability-staging (eu-west-1): 2 alarms",
      "## shared (account 111111111111)",
      "### account (eu-west-1): 1 alarm",
    ]);
    expect(md).toContain("## qa\n\nNo alarms.\n");
    expect(md.indexOf("`acme-staging-a`")).toBeLessThan(md.indexOf("`acme-staging-b`"));
    const reversed = Object.fromEntries(Object.entries(stacks).reverse());
    expect(alarmsMarkdown(parseStacks(reversed))).toBe(md);
  });

  it("writes periods in the unit a person reads them in", () => {
    expect([10, 60, 90, 300, 3600, 21600, 86400].map(duration)).toEqual(["10 s", "1 min", "90 s", "5 min", "1 h", "6 h", "24 h"]);
  });

  it("docs/reference/alarms.md is the page of the shipped configuration (npm run synth && npm run docs)", () => {
    const committed = readFileSync(fileURLToPath(new URL("../../../docs/reference/alarms.md", import.meta.url)), "utf8");
    expect(committed, "docs/reference/alarms.md is stale: run npm run synth && npm run docs, then commit it").toBe(alarmsMarkdown(shippedOutput()));
  });
});
