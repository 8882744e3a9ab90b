import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { AlertTopic } from "../core/alert-topic";
import { isPercentile, type MetricRef, type Signal, signalMetrics, STATISTICS } from "./signals";
import { validateProps } from "../core/validation";

export interface AlarmSetProps {
  /** `<project>-<env>-<component>`; each alarm is named `<namePrefix>-<signal>`. */
  readonly namePrefix: string;
  /** The alarms, usually one component's `signals` from `modules/observability/signals`. */
  readonly signals: readonly Signal[];
  /** Receives every alarm's ALARM and OK notifications. */
  readonly topic: AlertTopic;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,254}$/;
const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;

/** Why `signal` cannot become an alarm, or undefined when it can. */
export function signalProblem(signal: Signal): string | undefined {
  const metrics = signalMetrics(signal);
  for (const [id, metric] of metrics) {
    if (!METRIC_ID.test(id)) return `metric id ${id} must start with a lower-case letter`;
    if (!Number.isInteger(metric.periodSeconds) || metric.periodSeconds < 60 || metric.periodSeconds % 60 !== 0) {
      return `period of ${metric.metricName} (${metric.periodSeconds}) must be a positive multiple of 60 seconds`;
    }
    if (!(STATISTICS as readonly string[]).includes(metric.stat) && !isPercentile(metric.stat)) {
      return `statistic of ${metric.metricName} (${metric.stat}) must be one of ${STATISTICS.join(", ")} or a percentile such as p95`;
    }
  }
  if (!Number.isInteger(signal.evaluationPeriods) || signal.evaluationPeriods < 1) {
    return `evaluationPeriods (${signal.evaluationPeriods}) must be a positive integer`;
  }
  if (!Number.isInteger(signal.datapointsToAlarm) || signal.datapointsToAlarm < 1 || signal.datapointsToAlarm > signal.evaluationPeriods) {
    return `datapointsToAlarm (${signal.datapointsToAlarm}) must be an integer from 1 to evaluationPeriods (${signal.evaluationPeriods})`;
  }
  const anomaly = signal.query.kind === "anomaly";
  if (anomaly !== (signal.comparison === "GreaterThanUpperThreshold")) {
    return `comparison ${signal.comparison} does not fit a ${signal.query.kind} query (anomaly bands use GreaterThanUpperThreshold, nothing else does)`;
  }
  if (anomaly && signal.threshold !== undefined) return "an anomaly alarm takes its threshold from the band, not a number";
  const threshold = signal.threshold;
  if (!anomaly && (threshold === undefined || (!Token.isUnresolved(threshold) && !(threshold > 0)))) {
    return `threshold (${threshold}) must be a positive number`;
  }
  return undefined;
}

/** A dimension-less metric (a log metric filter's) gets no `dimensions` block rather than an empty one. */
const dimensionsOf = (ref: MetricRef): Record<string, string> | undefined =>
  Object.keys(ref.dimensions).length > 0 ? { ...ref.dimensions } : undefined;

const statFields = (ref: MetricRef): { statistic?: string; extendedStatistic?: string } =>
  isPercentile(ref.stat) ? { extendedStatistic: ref.stat } : { statistic: ref.stat };

function metricQueries(signal: Signal): CloudwatchMetricAlarmMetricQuery[] {
  const { query } = signal;
  const asQuery = (id: string, ref: MetricRef, returnData: boolean): CloudwatchMetricAlarmMetricQuery => ({
    id,
    returnData,
    metric: {
      namespace: ref.namespace,
      metricName: ref.metricName,
      dimensions: dimensionsOf(ref),
      period: ref.periodSeconds,
      stat: ref.stat,
    },
  });
  if (query.kind === "math") {
    return [
      ...Object.entries(query.metrics).map(([id, ref]) => asQuery(id, ref, false)),
      { id: "e1", expression: query.expression, label: query.label, returnData: true },
    ];
  }
  if (query.kind === "anomaly") {
    return [
      asQuery("m1", query.metric, true),
      { id: "ad1", expression: `ANOMALY_DETECTION_BAND(m1, ${query.bandWidth})`, label: `${query.metric.label} (expected)`, returnData: true },
    ];
  }
  return [];
}

/**
 * One CloudWatch alarm per signal, named `<namePrefix>-<signal>`, each notifying `topic` on ALARM
 * and on OK. Single metrics use `statistic` or (percentiles) `extended_statistic`; metric math and
 * anomaly bands use metric queries. Signals are checked before anything is created.
 */
export class AlarmSet extends Construct {
  /** The alarms by signal name. */
  readonly alarms: ReadonlyMap<string, CloudwatchMetricAlarm>;

  constructor(scope: Construct, id: string, props: AlarmSetProps) {
    super(scope, id);
    if (props.signals.length === 0) throw new Error(`alarm set ${props.namePrefix} has no signals`);
    // A signal's numbers (thresholds, periods) come from its caller's settings: reported at synth with every other problem.
    validateProps(this, props, (check) => {
      for (const signal of props.signals) {
        const problem = signalProblem(signal);
        check.check(problem === undefined, "signals", signal.name, `cannot become alarm ${props.namePrefix}-${signal.name}: ${problem}`);
      }
    });
    const alarms = new Map<string, CloudwatchMetricAlarm>();
    for (const signal of props.signals) {
      const name = `${props.namePrefix}-${signal.name}`;
      if (!NAME.test(name)) throw new Error(`alarm name ${name} must be lower-case letters, digits and hyphens`);
      if (alarms.has(signal.name)) throw new Error(`alarm ${name} is defined twice`);
      if (signal.description.length > 1024) throw new Error(`alarm ${name}: description is longer than 1024 characters`);

      const { query } = signal;
      const single =
        query.kind === "metric"
          ? {
              namespace: query.metric.namespace,
              metricName: query.metric.metricName,
              dimensions: dimensionsOf(query.metric),
              period: query.metric.periodSeconds,
              ...statFields(query.metric),
            }
          : { metricQuery: metricQueries(signal) };
      alarms.set(
        signal.name,
        new CloudwatchMetricAlarm(this, signal.name, {
          alarmName: name,
          alarmDescription: signal.description,
          comparisonOperator: signal.comparison,
          threshold: signal.threshold,
          thresholdMetricId: query.kind === "anomaly" ? "ad1" : undefined,
          evaluationPeriods: signal.evaluationPeriods,
          datapointsToAlarm: signal.datapointsToAlarm,
          treatMissingData: signal.treatMissingData,
          actionsEnabled: true,
          alarmActions: [props.topic.arn],
          okActions: [props.topic.arn],
          ...single,
        }),
      );
    }
    this.alarms = alarms;
  }
}
