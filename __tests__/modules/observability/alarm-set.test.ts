import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import type { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { AlarmSet } from "../../../modules/observability/alarm-set";
import { AlertTopic } from "../../../modules/core/alert-topic";
import { apiSignals, functionSignals, type Signal, tableSignals, targetGroupSignals } from "../../../modules/observability/signals";
import { problemsOf, referenceTo, resources, synthConstruct, type StackJson } from "../../support/synth";

type Body = Record<string, unknown>;

const topicOf = (scope: Construct): AlertTopic =>
  new AlertTopic(scope, "alerts", { name: "acme-test-alerts", accountId: "123456789012", region: "eu-west-1" });

const synthSet = (signals: readonly Signal[], namePrefix = "acme-test-svc"): StackJson =>
  synthConstruct((scope) => new AlarmSet(scope, "alarms", { namePrefix, signals, topic: topicOf(scope) }));

const targets = targetGroupSignals("tg", {
  loadBalancer: "app/acme/1",
  targetGroup: "targetgroup/acme-tg/2",
  target5xxCount: 10,
  responseTimeP95Seconds: 0.5,
  responseTimeP99Seconds: 1.5,
  unhealthyHostCount: 1,
});
const table = tableSignals("items", { tableName: "acme-items", operations: ["GetItem", "PutItem"], throttleEvents: 1, systemErrors: 1, anomalyBandWidth: 3 });
const api = apiSignals("api", { apiName: "acme-api", stageName: "prod", api5xxCount: 5, api4xxRatePercent: 10, latencyP95Ms: 1000 });
const signal = (name: string, signals: readonly Signal[]): Signal => {
  const found = signals.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no signal ${name}`);
  return found;
};
const alarmNamed = (json: StackJson, name: string): Body => {
  const found = resources(json, CloudwatchMetricAlarm).find((alarm) => alarm.alarm_name === name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
};

describe("AlarmSet", () => {
  describe("alarms", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthSet([...targets.signals, ...table.signals, ...api.signals]);
    });

    it("names each alarm <namePrefix>-<signal> and describes what to check first", () => {
      const alarms = resources(json, CloudwatchMetricAlarm);
      expect(alarms.map((alarm) => alarm.alarm_name).sort()).toEqual(
        [...targets.signals, ...table.signals, ...api.signals].map((each) => `acme-test-svc-${each.name}`).sort(),
      );
      for (const alarm of alarms) expect(alarm.alarm_description, String(alarm.alarm_name)).toMatch(/Check first: /);
    });

    it("notifies the topic on ALARM and on OK, with missing data treated deliberately", () => {
      const topic = referenceTo(json, SnsTopic, "arn");
      for (const alarm of resources(json, CloudwatchMetricAlarm)) {
        expect(alarm, String(alarm.alarm_name)).toEqual(
          expect.objectContaining({ actions_enabled: true, alarm_actions: [topic], ok_actions: [topic], treat_missing_data: expect.any(String) }),
        );
      }
    });

    it("uses statistic for a plain statistic", () => {
      expect(alarmNamed(json, "acme-test-svc-target-5xx")).toEqual(
        expect.objectContaining({
          namespace: "AWS/ApplicationELB",
          metric_name: "HTTPCode_Target_5XX_Count",
          dimensions: { LoadBalancer: "app/acme/1", TargetGroup: "targetgroup/acme-tg/2" },
          statistic: "Sum",
          period: 300,
          threshold: 10,
          comparison_operator: "GreaterThanOrEqualToThreshold",
          treat_missing_data: "notBreaching",
        }),
      );
    });

    it("uses extended_statistic for a percentile", () => {
      const alarm = alarmNamed(json, "acme-test-svc-response-time-p99");
      expect(alarm).toEqual(expect.objectContaining({ extended_statistic: "p99", threshold: 1.5, evaluation_periods: 3, datapoints_to_alarm: 3 }));
      expect(alarm.statistic).toBeUndefined();
    });

    it("computes the 4xx rate with metric math over 4XXError and Count", () => {
      const alarm = alarmNamed(json, "acme-test-svc-4xx-rate");
      expect(alarm.metric_name).toBeUndefined();
      const dims = { ApiName: "acme-api", Stage: "prod" };
      expect(alarm.metric_query).toEqual([
        { id: "errors", return_data: false, metric: { namespace: "AWS/ApiGateway", metric_name: "4XXError", dimensions: dims, period: 300, stat: "Sum" } },
        { id: "requests", return_data: false, metric: { namespace: "AWS/ApiGateway", metric_name: "Count", dimensions: dims, period: 300, stat: "Sum" } },
        { id: "e1", expression: "100 * FILL(errors, 0) / requests", label: "4xx rate %", return_data: true },
      ]);
      expect(alarm.threshold).toBe(10);
    });

    it("sums system errors over the operations the table's callers use", () => {
      const queries = alarmNamed(json, "acme-test-svc-system-errors").metric_query as Body[];
      expect(queries.map((query) => (query.metric as Body | undefined)?.dimensions ?? query.expression)).toEqual([
        { TableName: "acme-items", Operation: "GetItem" },
        { TableName: "acme-items", Operation: "PutItem" },
        "SUM([op0, op1])",
      ]);
    });

    it("compares consumed capacity with its anomaly band through threshold_metric_id", () => {
      const alarm = alarmNamed(json, "acme-test-svc-read-capacity-anomaly");
      expect(alarm).toEqual(
        expect.objectContaining({ comparison_operator: "GreaterThanUpperThreshold", threshold_metric_id: "ad1", treat_missing_data: "notBreaching" }),
      );
      expect(alarm.threshold).toBeUndefined();
      expect(alarm.metric_query).toEqual([
        expect.objectContaining({ id: "m1", return_data: true, metric: expect.objectContaining({ metric_name: "ConsumedReadCapacityUnits", stat: "Sum" }) }),
        expect.objectContaining({ id: "ad1", expression: "ANOMALY_DETECTION_BAND(m1, 3)", return_data: true }),
      ]);
    });
  });

  describe("function signals", () => {
    const fn = (reservedConcurrency?: number) =>
      functionSignals("fn", {
        functionName: "acme-fn",
        timeoutSeconds: 10,
        reservedConcurrency,
        errors: 5,
        throttles: 1,
        durationPercentOfTimeout: 80,
        concurrencyPercentOfReserved: 80,
      });

    it("alarms on duration p95 above the share of the timeout, in milliseconds", () => {
      expect(signal("duration-p95", fn().signals)).toEqual(expect.objectContaining({ threshold: 8000 }));
    });

    it("alarms on concurrency at the share of the reservation, at least 1", () => {
      expect(signal("concurrency", fn(50).signals).threshold).toBe(40);
      expect(signal("concurrency", fn(1).signals).threshold).toBe(1);
    });

    it("has no concurrency alarm without a reservation", () => {
      expect(fn().signals.map((each) => each.name)).toEqual(["errors", "throttles", "duration-p95"]);
    });
  });

  describe("validation", () => {
    const base = signal("target-5xx", targets.signals);
    const withMetric = (changes: Record<string, unknown>): Signal => ({
      ...base,
      query: { kind: "metric", metric: { ...(base.query as Extract<Signal["query"], { kind: "metric" }>).metric, ...changes } } as unknown as Signal["query"],
    });

    const cannot = 'signals: "target-5xx" cannot become alarm acme-test-svc-target-5xx:';
    it.each([
      [{ ...base, threshold: 0 }, `${cannot} threshold (0) must be a positive number`],
      [withMetric({ periodSeconds: 90 }), `${cannot} period of HTTPCode_Target_5XX_Count (90) must be a positive multiple of 60 seconds`],
      [withMetric({ stat: "Median" }), `${cannot} statistic of HTTPCode_Target_5XX_Count (Median) must be one of SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p95`],
      [{ ...base, evaluationPeriods: 0 }, `${cannot} evaluationPeriods (0) must be a positive integer`],
      [{ ...base, datapointsToAlarm: 2 }, `${cannot} datapointsToAlarm (2) must be an integer from 1 to evaluationPeriods (1)`],
      [{ ...base, comparison: "GreaterThanUpperThreshold" }, `${cannot} comparison GreaterThanUpperThreshold does not fit a metric query (anomaly bands use GreaterThanUpperThreshold, nothing else does)`],
    ] as [Signal, string][])("fails on a bad signal: %#", (bad, message) => {
      expect(problemsOf((scope) => new AlarmSet(scope, "alarms", { namePrefix: "acme-test-svc", signals: [bad], topic: topicOf(scope) }))).toEqual([message]);
    });

    it("fails on a signal name that makes no alarm name", () => {
      expect(() => synthSet([{ ...base, name: "Target_5xx" }])).toThrow("alarm name acme-test-svc-Target_5xx must be lower-case letters, digits and hyphens");
    });

    it("fails when a signal name repeats", () => {
      expect(() => synthSet([base, base])).toThrow("alarm acme-test-svc-target-5xx is defined twice");
    });

    it("fails without signals", () => {
      expect(() => synthSet([])).toThrow("alarm set acme-test-svc has no signals");
    });

    it("fails when a table lists no operations", () => {
      expect(() => tableSignals("t", { tableName: "t", operations: [], throttleEvents: 1, systemErrors: 1, anomalyBandWidth: 2 })).toThrow(
        "table t lists no operations to watch for system errors",
      );
    });
  });
});
