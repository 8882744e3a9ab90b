import { type MetricRef, type Signal, single } from "./signal";

export interface LogErrorSignalInput {
  /** The metric a `LogMetricFilter` publishes for error lines. */
  readonly metric: MetricRef;
  readonly threshold: number;
}

/** Error lines an application logs although it answered (handled errors, failed background work). */
export function logErrorSignal(input: LogErrorSignalInput): Signal {
  return {
    name: "log-errors",
    description:
      "The service logged error-level lines. Check first: the Logs Insights query \"errors by service\" for the messages and request ids, then the matching traces.",
    panel: "errors",
    query: single(input.metric),
    comparison: "GreaterThanOrEqualToThreshold",
    threshold: input.threshold,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: "notBreaching",
  };
}
