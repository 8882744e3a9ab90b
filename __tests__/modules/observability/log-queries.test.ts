import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
import { describe, expect, it } from "vitest";
import { LogMetricFilter } from "../../../modules/observability/log-metric-filter";
import { ERRORS_BY_SERVICE_QUERY, LogQueries, SLOWEST_REQUESTS_QUERY } from "../../../modules/observability/log-queries";
import { resource, resources, synthConstruct } from "../../support/synth";

describe("LogQueries", () => {
  it("saves errors-by-service and slowest-requests over the given log groups, in the folder", () => {
    const json = synthConstruct((scope) => new LogQueries(scope, "queries", { folder: "acme-test", logGroupNames: ["/ecs/a", "/aws/lambda/b"] }));
    expect(resources(json, CloudwatchQueryDefinition)).toEqual([
      { name: "acme-test/errors by service (run over the last hour)", log_group_names: ["/ecs/a", "/aws/lambda/b"], query_string: ERRORS_BY_SERVICE_QUERY },
      { name: "acme-test/slowest requests", log_group_names: ["/ecs/a", "/aws/lambda/b"], query_string: SLOWEST_REQUESTS_QUERY },
    ]);
  });

  it("reads the fields both log formats write: level in either case, duration in ms", () => {
    expect(ERRORS_BY_SERVICE_QUERY).toContain('level in ["error", "ERROR"]');
    expect(SLOWEST_REQUESTS_QUERY).toContain("coalesce(durationMs, responseLatency)");
  });

  it("fails without log groups", () => {
    expect(() => synthConstruct((scope) => new LogQueries(scope, "queries", { folder: "acme-test", logGroupNames: [] }))).toThrow(
      "saved queries of acme-test name no log group",
    );
  });
});

describe("LogMetricFilter", () => {
  it("counts matching lines as 1 each and exposes the metric for signals", () => {
    let filter: LogMetricFilter | undefined;
    const json = synthConstruct((scope) => {
      filter = new LogMetricFilter(scope, "errors", {
        name: "acme-test-errors",
        logGroupName: "/ecs/a",
        pattern: '{ $.level = "error" }',
        namespace: "acme-test/logs",
        metricName: "errors",
        label: "Errors",
      });
    });
    expect(resource(json, CloudwatchLogMetricFilter)).toEqual({
      name: "acme-test-errors",
      log_group_name: "/ecs/a",
      pattern: '{ $.level = "error" }',
      metric_transformation: { name: "errors", namespace: "acme-test/logs", value: "1", unit: "Count" },
    });
    expect(filter!.metric).toEqual({ namespace: "acme-test/logs", metricName: "errors", dimensions: {}, stat: "Sum", periodSeconds: 300, label: "Errors" });
  });
});
