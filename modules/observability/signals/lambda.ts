import { type ComponentSignals, metric, type MetricRef, ONE_MINUTE, type Signal, single } from "./signal";

export interface FunctionSignalInput {
  readonly functionName: string;
  readonly timeoutSeconds: number;
  /** Reserved concurrency; without one there is no per-function ceiling to approach. */
  readonly reservedConcurrency?: number;
  readonly errors: number;
  readonly throttles: number;
  readonly durationPercentOfTimeout: number;
  readonly concurrencyPercentOfReserved: number;
  /** The log-derived timeout count of this function (`LogMetricFilter`), when there is one. */
  readonly timeouts?: MetricRef;
}

/** One function: failed invocations, throttles, duration near its timeout, concurrency near its reservation. */
export function functionSignals(component: string, input: FunctionSignalInput): ComponentSignals {
  const dims = { FunctionName: input.functionName };
  const durationThresholdMs = Math.round(input.timeoutSeconds * 1000 * (input.durationPercentOfTimeout / 100));
  const signals: Signal[] = [
    {
      name: "errors",
      description:
        "Invocations failed (unhandled errors, timeouts, out-of-memory). Check first: the function's log lines at ERROR level (Logs Insights query \"errors by service\"), then the X-Ray traces of failed requests.",
      panel: "errors",
      query: single(metric("AWS/Lambda", "Errors", dims, "Sum", "Errors")),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: input.errors,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: "notBreaching",
    },
    {
      name: "throttles",
      description:
        "Invocations were throttled: the function hit its reserved concurrency (or the account's limit). Callers got 429/502. Check first: ConcurrentExecutions against the reservation and whether traffic or duration grew.",
      panel: "errors",
      query: single(metric("AWS/Lambda", "Throttles", dims, "Sum", "Throttles")),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: input.throttles,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: "notBreaching",
    },
    {
      name: "duration-p95",
      description: `The p95 duration is above ${input.durationPercentOfTimeout}% of the ${input.timeoutSeconds} s timeout (${durationThresholdMs} ms) for 15 minutes: timeouts are next. Check first: DynamoDB latency and throttles, cold starts, and the slowest traces in X-Ray.`,
      panel: "latency",
      query: single(metric("AWS/Lambda", "Duration", dims, "p95", "Duration p95 (ms)")),
      comparison: "GreaterThanThreshold",
      threshold: durationThresholdMs,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
    },
  ];
  if (input.reservedConcurrency !== undefined) {
    const threshold = Math.max(1, Math.floor(input.reservedConcurrency * (input.concurrencyPercentOfReserved / 100)));
    signals.push({
      name: "concurrency",
      description: `Concurrent executions reached ${threshold} of the ${input.reservedConcurrency} reserved: throttling is next. Check first: request volume on the API and whether duration grew; raise serverless.reservedConcurrency if the load is real.`,
      panel: "saturation",
      query: single(metric("AWS/Lambda", "ConcurrentExecutions", dims, "Maximum", "Concurrent executions", ONE_MINUTE)),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
    });
  }
  if (input.timeouts) {
    signals.push({
      name: "timeouts",
      description: `Invocations ran into the ${input.timeoutSeconds} s timeout (from the function's platform.report log records). Check first: what the invocation waited on in X-Ray (DynamoDB, cold start), then the duration p95.`,
      panel: "errors",
      query: single(input.timeouts),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: "notBreaching",
    });
  }
  return {
    component,
    title: "Lambda function",
    graphs: [{ panel: "traffic", metric: metric("AWS/Lambda", "Invocations", dims, "Sum", "Invocations") }],
    signals,
  };
}
