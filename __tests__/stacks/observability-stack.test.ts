import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { describe, expect, it } from "vitest";
import { isPercentile, STATISTICS } from "../../modules/observability/signals";
import { crossStackSource } from "../support/cross-stack";
import { environments, referenceTo, resource, resources, shippedApp, type StackJson, synthApp, variant } from "../support/synth";

type Body = Record<string, unknown>;

const app = shippedApp();
/** Alarms per environment: two web ACLs (ALB, API) 1 each, ALB 2, target group 4, backend 4, cluster 2, two tables 4 each, API 3, three functions 5 each. */
const ALARMS_PER_ENVIRONMENT = 2 * 1 + 2 + 4 + 4 + 2 + 2 * 4 + 3 + 3 * 5;

/** Every metric an alarm reads: its own, or those of its metric queries. */
function alarmMetrics(alarm: Body): { namespace: string; metric_name: string; dimensions?: Record<string, string>; stat: string; period: number }[] {
  if (alarm.metric_name !== undefined) {
    return [
      {
        namespace: alarm.namespace as string,
        metric_name: alarm.metric_name as string,
        dimensions: alarm.dimensions as Record<string, string> | undefined,
        stat: (alarm.statistic ?? alarm.extended_statistic) as string,
        period: alarm.period as number,
      },
    ];
  }
  return (alarm.metric_query as Body[]).flatMap((query) => (query.metric ? [query.metric as never] : []));
}

/** Every metric a dashboard graphs, as [namespace, name, dimensions]. */
function dashboardMetrics(body: string): { namespace: string; name: string; dimensions: Record<string, string> }[] {
  const widgets = (JSON.parse(body) as { widgets: { type: string; properties: { metrics?: unknown[][] } }[] }).widgets;
  return widgets.flatMap((widget) =>
    (widget.properties.metrics ?? [])
      .filter((line) => typeof line[0] === "string")
      .map((line) => {
        const [namespace, name, ...rest] = line.slice(0, -1) as string[];
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < rest.length; i += 2) dimensions[rest[i]!] = rest[i + 1]!;
        return { namespace: namespace!, name: name!, dimensions };
      }),
  );
}

/** DynamoDB operations the tables' callers are granted (platform: Scan, PutItem; tips: PutItem, Query, GetItem). */
const TABLE_OPERATIONS = ["Scan", "PutItem", "Query", "GetItem"];

/** Dimension values that are literals, not references: the region, WAF's "all rules", DynamoDB operations. */
const literalDimension = (name: string, value: string, region: string): boolean =>
  (name === "Region" && value === region) || (name === "Rule" && value === "ALL") || (name === "Operation" && TABLE_OPERATIONS.includes(value));

const sortedDimensions = (dimensions: Record<string, string> = {}): [string, string][] =>
  Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b));

describe.each(Object.values(environments))("ObservabilityStack $name", (env) => {
  const json = app.json.get(`observability-${env.name}`) as StackJson;
  const alarms = resources(json, CloudwatchMetricAlarm);
  const topic = referenceTo(json, SnsTopic, "arn");

  it("keeps its state at <env>/observability.tfstate", () => {
    expect(json.terraform?.backend?.s3).toEqual(expect.objectContaining({ key: `${env.name}/observability.tfstate` }));
  });

  it("subscribes the environment's e-mail addresses to its KMS-encrypted topic", () => {
    expect(resource(json, SnsTopic)).toEqual(expect.objectContaining({ name: `acme-${env.name}-alerts`, kms_master_key_id: referenceTo(json, KmsKeyResource, "arn") }));
    expect(resources(json, SnsTopicSubscription).map((subscription) => `${subscription.protocol as string}:${subscription.endpoint as string}`).sort()).toEqual(
      env.alerting.emails.map((email) => `email:${email}`).sort(),
    );
  });

  it("alarms on blocked requests of the tips API's web ACL too", () => {
    const api = alarms.find((alarm) => alarm.alarm_name === `${env.project}-${env.name}-tips-api-waf-blocked-requests`);
    expect(api).toEqual(expect.objectContaining({ threshold: env.observability.wafBlockedRequests, alarm_actions: [topic] }));
    expect(JSON.stringify(api)).toContain("BlockedRequests");
  });

  it(`has ${ALARMS_PER_ENVIRONMENT} alarms, each named <project>-<env>-<component>-<signal>`, () => {
    expect(alarms).toHaveLength(ALARMS_PER_ENVIRONMENT);
    const names = alarms.map((alarm) => alarm.alarm_name as string);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(new RegExp(`^acme-${env.name}-[a-z0-9]+(-[a-z0-9]+)+$`));
  });

  describe("every alarm", () => {
    it("notifies the environment's topic on ALARM and OK", () => {
      for (const alarm of alarms) {
        expect(alarm, String(alarm.alarm_name)).toEqual(expect.objectContaining({ alarm_actions: [topic], ok_actions: [topic], actions_enabled: true }));
      }
    });

    it("treats missing data deliberately and tells on-call what to check first", () => {
      for (const alarm of alarms) {
        expect(["missing", "ignore", "breaching", "notBreaching"], String(alarm.alarm_name)).toContain(alarm.treat_missing_data);
        expect(alarm.alarm_description, String(alarm.alarm_name)).toMatch(/Check first: .{20,}/);
      }
    });

    it("has a positive threshold, or an anomaly band through threshold_metric_id", () => {
      for (const alarm of alarms) {
        if (alarm.comparison_operator === "GreaterThanUpperThreshold") {
          expect(alarm.threshold_metric_id, String(alarm.alarm_name)).toBe("ad1");
          expect(alarm.threshold).toBeUndefined();
        } else {
          expect(alarm.threshold, String(alarm.alarm_name)).toBeGreaterThan(0);
        }
      }
    });

    it("evaluates whole minutes with valid statistics over a sane number of periods", () => {
      for (const alarm of alarms) {
        const name = String(alarm.alarm_name);
        expect(Number.isInteger(alarm.evaluation_periods) && (alarm.evaluation_periods as number) >= 1, name).toBe(true);
        expect(alarm.datapoints_to_alarm as number, name).toBeLessThanOrEqual(alarm.evaluation_periods as number);
        // CloudWatch evaluates at most one day of data.
        const metrics = alarmMetrics(alarm);
        expect(metrics.length, name).toBeGreaterThan(0);
        for (const metric of metrics) {
          expect(metric.period % 60, name).toBe(0);
          expect(metric.period * (alarm.evaluation_periods as number), name).toBeLessThanOrEqual(86400);
          expect((STATISTICS as readonly string[]).includes(metric.stat) || isPercentile(metric.stat), `${name}: ${metric.stat}`).toBe(true);
        }
        if (alarm.extended_statistic !== undefined) expect(alarm.statistic, name).toBeUndefined();
      }
    });

    it("reads dimension values from resources of this environment's stacks", () => {
      for (const alarm of alarms) {
        for (const metric of alarmMetrics(alarm)) {
          for (const [name, value] of Object.entries(metric.dimensions ?? {})) {
            if (literalDimension(name, value, env.region)) continue;
            const source = crossStackSource(app.json, json, value);
            expect(source?.stack ?? "unresolved", `${String(alarm.alarm_name)} ${name}=${value}`).toMatch(new RegExp(`-${env.name}$`));
          }
        }
      }
    });
  });

  describe("dashboard", () => {
    const dashboard = resource(json, CloudwatchDashboard);
    const filters = resources(json, CloudwatchLogMetricFilter);

    it("is one per environment, with a JSON body", () => {
      expect(dashboard.dashboard_name).toBe(`acme-${env.name}`);
      expect(() => JSON.parse(dashboard.dashboard_body as string)).not.toThrow();
    });

    it("graphs only metrics whose dimension values exist in the environment's stacks", () => {
      const metrics = dashboardMetrics(dashboard.dashboard_body as string);
      expect(metrics.length).toBeGreaterThan(ALARMS_PER_ENVIRONMENT);
      for (const metric of metrics) {
        for (const [name, value] of Object.entries(metric.dimensions)) {
          if (literalDimension(name, value, env.region)) continue;
          const source = crossStackSource(app.json, json, value);
          expect(source?.stack ?? "unresolved", `${metric.name} ${name}=${value}`).toMatch(new RegExp(`-${env.name}$`));
        }
      }
    });

    it("graphs log-derived metrics only when a metric filter of this stack publishes them", () => {
      const published = new Set(filters.map((filter) => {
        const transformation = filter.metric_transformation as Body;
        return `${transformation.namespace as string}/${transformation.name as string}`;
      }));
      const custom = dashboardMetrics(dashboard.dashboard_body as string).filter((metric) => !metric.namespace.startsWith("AWS/") && !metric.namespace.startsWith("ECS/"));
      expect(custom.length).toBe(filters.length);
      for (const metric of custom) expect(published, metric.name).toContain(`${metric.namespace}/${metric.name}`);
    });

    it("shows every alarm in the alarm widget", () => {
      const widgets = (JSON.parse(dashboard.dashboard_body as string) as { widgets: { type: string; properties: { alarms?: string[] } }[] }).widgets;
      const shown = widgets.flatMap((widget) => widget.properties.alarms ?? []);
      expect(shown).toHaveLength(alarms.length);
    });

    it("graphs every alarm's metrics, so dashboard and alarms never disagree", () => {
      const graphed = new Set(dashboardMetrics(dashboard.dashboard_body as string).map((metric) => JSON.stringify([metric.namespace, metric.name, sortedDimensions(metric.dimensions)])));
      for (const alarm of alarms) {
        for (const metric of alarmMetrics(alarm)) {
          expect(graphed, String(alarm.alarm_name)).toContain(JSON.stringify([metric.namespace, metric.metric_name, sortedDimensions(metric.dimensions)]));
        }
      }
    });
  });

  describe("logs", () => {
    it("saves the errors-by-service and slowest-requests queries over the backend, function and API log groups", () => {
      const queries = resources(json, CloudwatchQueryDefinition);
      expect(queries.map((query) => query.name)).toEqual([`acme-${env.name}/errors by service (run over the last hour)`, `acme-${env.name}/slowest requests`]);
      for (const query of queries) {
        const groups = (query.log_group_names as string[]).map((name) => crossStackSource(app.json, json, name));
        expect(groups.map((group) => [group?.stack, group?.type])).toEqual([
          [`platform-${env.name}`, "aws_cloudwatch_log_group"],
          ...Array.from({ length: 4 }, () => [`serverless-${env.name}`, "aws_cloudwatch_log_group"]),
        ]);
      }
    });

    it("counts backend error lines and Lambda timeouts with metric filters on their log groups", () => {
      const filters = resources(json, CloudwatchLogMetricFilter);
      expect(filters.map((filter) => filter.pattern).sort()).toEqual([
        '{ $.level = "error" }',
        ...Array.from({ length: 3 }, () => '{ $.type = "platform.report" && $.record.status = "timeout" }'),
      ]);
      for (const filter of filters) expect(crossStackSource(app.json, json, filter.log_group_name)?.type).toBe("aws_cloudwatch_log_group");
    });
  });
});

describe("ObservabilityStack with a chat webhook", () => {
  it("subscribes the https endpoint beside the e-mail addresses", () => {
    const config = { dev: variant(environments.dev!, (env) => (env.alerting.chatWebhookUrl = "https://chat.example.com/hooks/T0/B0")) };
    const json = synthApp(config).json.get("observability-dev")!;
    expect(resources(json, SnsTopicSubscription)).toContainEqual(
      expect.objectContaining({ protocol: "https", endpoint: "https://chat.example.com/hooks/T0/B0" }),
    );
  });
});
