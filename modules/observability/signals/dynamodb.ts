import { type ComponentSignals, metric, type Signal } from "./signal";

export interface TableSignalInput {
  readonly tableName: string;
  /** Operations the application calls (`GetItem`, `Query`, ...): SystemErrors is reported per operation. */
  readonly operations: readonly string[];
  readonly throttleEvents: number;
  readonly systemErrors: number;
  readonly anomalyBandWidth: number;
}

/** One table: throttling, DynamoDB-side errors, and consumed capacity far from its usual pattern. */
export function tableSignals(component: string, input: TableSignalInput): ComponentSignals {
  if (input.operations.length === 0) throw new Error(`table ${component} lists no operations to watch for system errors`);
  const dims = { TableName: input.tableName };
  const capacity = (kind: "read" | "write"): Signal => {
    const metricName = kind === "read" ? "ConsumedReadCapacityUnits" : "ConsumedWriteCapacityUnits";
    return {
      name: `${kind}-capacity-anomaly`,
      description: `Consumed ${kind} capacity is above its learned band (${input.anomalyBandWidth} standard deviations) for 15 minutes: a traffic surge, a retry storm or a new access pattern (a scan). Check first: request volume on the load balancer and API, and which operation grew (per-operation latency and counts).`,
      panel: "traffic",
      query: { kind: "anomaly", metric: metric("AWS/DynamoDB", metricName, dims, "Sum", `Consumed ${kind} units`), bandWidth: input.anomalyBandWidth },
      comparison: "GreaterThanUpperThreshold",
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // An idle table emits nothing; idleness is never an anomaly worth a page.
      treatMissingData: "notBreaching",
    };
  };
  const systemErrors = Object.fromEntries(
    input.operations.map((operation, index) => [
      `op${index}`,
      metric("AWS/DynamoDB", "SystemErrors", { ...dims, Operation: operation }, "Sum", `System errors ${operation}`),
    ]),
  );
  return {
    component,
    title: "DynamoDB table",
    graphs: [],
    signals: [
      {
        name: "throttles",
        description:
          "Requests to the table were throttled (read or write). On-demand tables throttle on sudden jumps above twice the previous peak and on hot partitions. Check first: consumed capacity by operation and whether one key is hot.",
        panel: "errors",
        query: {
          kind: "math",
          expression: "reads + writes",
          label: "Throttle events",
          metrics: {
            reads: metric("AWS/DynamoDB", "ReadThrottleEvents", dims, "Sum", "Read throttle events"),
            writes: metric("AWS/DynamoDB", "WriteThrottleEvents", dims, "Sum", "Write throttle events"),
          },
        },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.throttleEvents,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
      },
      {
        name: "system-errors",
        description:
          "DynamoDB answered with internal server errors (5xx on its side). Check first: the AWS Health dashboard for DynamoDB in this region; the SDK retries, so look for client-side errors in the service logs.",
        panel: "errors",
        query: { kind: "math", expression: `SUM([${Object.keys(systemErrors).join(", ")}])`, label: "System errors", metrics: systemErrors },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.systemErrors,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
      },
      capacity("read"),
      capacity("write"),
    ],
  };
}
