import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { Construct } from "constructs";
import type { MetricRef } from "./signals";

export interface LogMetricFilterProps {
  /** Filter name, unique within the log group. */
  readonly name: string;
  readonly logGroupName: string;
  /** CloudWatch Logs filter pattern, e.g. `{ $.level = "error" }` for JSON logs. */
  readonly pattern: string;
  /** Namespace of the published metric, e.g. `acme-dev/logs`. */
  readonly namespace: string;
  readonly metricName: string;
  /** Dashboard legend of the metric. */
  readonly label: string;
}

/**
 * Turns matching log lines into a count metric, for signals that exist only in logs. Nothing is
 * published while no line matches, so alarms on it treat missing data as not breaching.
 */
export class LogMetricFilter extends Construct {
  readonly filter: CloudwatchLogMetricFilter;
  /** The published metric, summed over 5 minutes, ready for `modules/observability/signals`. */
  readonly metric: MetricRef;

  constructor(scope: Construct, id: string, props: LogMetricFilterProps) {
    super(scope, id);
    this.filter = new CloudwatchLogMetricFilter(this, "filter", {
      name: props.name,
      logGroupName: props.logGroupName,
      pattern: props.pattern,
      metricTransformation: { name: props.metricName, namespace: props.namespace, value: "1", unit: "Count" },
    });
    this.metric = {
      namespace: props.namespace,
      metricName: props.metricName,
      dimensions: {},
      stat: "Sum",
      periodSeconds: 300,
      label: props.label,
    };
  }
}
