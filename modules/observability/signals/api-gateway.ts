// API Gateway (REST API metrics: namespace AWS/ApiGateway, dimensions ApiName and Stage)
import { type ComponentSignals, metric, single } from "./signal";

export interface ApiSignalInput {
  readonly apiName: string;
  readonly stageName: string;
  readonly api5xxCount: number;
  readonly api4xxRatePercent: number;
  readonly latencyP95Ms: number;
}

/** One API stage: server errors, the share of client errors, and end-to-end latency. */
export function apiSignals(component: string, input: ApiSignalInput): ComponentSignals {
  const dims = { ApiName: input.apiName, Stage: input.stageName };
  const requests = metric("AWS/ApiGateway", "Count", dims, "Sum", "Requests");
  return {
    component,
    title: "API Gateway",
    graphs: [{ panel: "traffic", metric: requests }],
    signals: [
      {
        name: "5xx",
        description:
          "The API answered 5xx: a function failed or timed out, or the integration was throttled. Check first: the functions' Errors and Throttles alarms, then the API access log's integrationError field.",
        panel: "errors",
        query: single(metric("AWS/ApiGateway", "5XXError", dims, "Sum", "5xx")),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.api5xxCount,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
      },
      {
        name: "4xx-rate",
        description: `More than ${input.api4xxRatePercent}% of requests got a 4xx for 15 minutes: a broken client release, stage throttling (429) or a probe. Check first: the access log's status and path fields for the most frequent 4xx.`,
        panel: "errors",
        query: {
          kind: "math",
          // Count is only emitted for periods with requests, so the divisor is never 0; FILL makes a
          // period without any 4xx a 0 % rate instead of a gap.
          expression: "100 * FILL(errors, 0) / requests",
          label: "4xx rate %",
          metrics: {
            errors: metric("AWS/ApiGateway", "4XXError", dims, "Sum", "4xx"),
            requests,
          },
        },
        comparison: "GreaterThanThreshold",
        threshold: input.api4xxRatePercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
      },
      {
        name: "latency-p95",
        description: `The API's p95 latency is above ${input.latencyP95Ms} ms for 15 minutes. Check first: the functions' duration p95 and cold starts, then DynamoDB latency.`,
        panel: "latency",
        query: single(metric("AWS/ApiGateway", "Latency", dims, "p95", "Latency p95 (ms)")),
        comparison: "GreaterThanThreshold",
        threshold: input.latencyP95Ms,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
      },
    ],
  };
}
