import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { beforeAll, describe, expect, it } from "vitest";
import { Dashboard } from "../../../modules/observability/dashboard";
import { apiSignals, type ComponentSignals, tableSignals } from "../../../modules/observability/signals";
import { resource, synthConstruct } from "../../support/synth";

type Widget = { type: string; x: number; y: number; width: number; height: number; properties: Record<string, any> };

const api = apiSignals("api", { apiName: "acme-api", stageName: "prod", api5xxCount: 5, api4xxRatePercent: 10, latencyP95Ms: 1000 });
const table = tableSignals("items", { tableName: "acme-items", operations: ["GetItem"], throttleEvents: 1, systemErrors: 1, anomalyBandWidth: 3 });

const widgetsOf = (components: readonly ComponentSignals[], alarmArns?: string[]): Widget[] => {
  const json = synthConstruct((scope) => new Dashboard(scope, "dashboard", { dashboardName: "acme-test", region: "eu-west-1", components, alarmArns }));
  const body = resource(json, CloudwatchDashboard);
  expect(body.dashboard_name).toBe("acme-test");
  return (JSON.parse(body.dashboard_body as string) as { widgets: Widget[] }).widgets;
};

describe("Dashboard", () => {
  let widgets: Widget[];
  beforeAll(() => {
    widgets = widgetsOf([api, table], ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"]);
  });

  it("starts with the alarm status widget", () => {
    expect(widgets[0]).toEqual(expect.objectContaining({ type: "alarm", properties: { title: "Alarms", alarms: ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"] } }));
  });

  it("draws one row per component: a title, then traffic, errors, latency, saturation graphs that have signals", () => {
    expect(widgets.slice(1).map((widget) => (widget.type === "text" ? widget.properties.markdown : widget.properties.title))).toEqual([
      "## API Gateway: api",
      "api: traffic",
      "api: errors",
      "api: latency",
      "## DynamoDB table: items",
      "items: traffic",
      "items: errors",
    ]);
  });

  it("never overlaps widgets and stays within the 24-column grid", () => {
    const cells = new Set<string>();
    for (const widget of widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      for (let x = widget.x; x < widget.x + widget.width; x += 1) {
        for (let y = widget.y; y < widget.y + widget.height; y += 1) {
          const cell = `${x},${y}`;
          expect(cells.has(cell), cell).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  it("draws a metric-math signal as its expression over hidden inputs, with unique ids", () => {
    const errors = widgets.find((widget) => widget.properties.title === "api: errors")!;
    const metrics = errors.properties.metrics as unknown[][];
    const options = metrics.map((line) => line[line.length - 1] as Record<string, unknown>);
    expect(metrics[0]!.slice(0, 6)).toEqual(["AWS/ApiGateway", "5XXError", "ApiName", "acme-api", "Stage", "prod"]);
    const expression = options.find((option) => typeof option.expression === "string")!;
    expect(expression.expression).toMatch(/^100 \* FILL\((r0_errors_s1_errors), 0\) \/ r0_errors_s1_requests$/);
    expect(options.filter((option) => option.visible === false).map((option) => option.id)).toEqual(["r0_errors_s1_errors", "r0_errors_s1_requests"]);
    const ids = options.map((option) => option.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("marks each alarm threshold with a horizontal annotation", () => {
    const errors = widgets.find((widget) => widget.properties.title === "api: errors")!;
    expect(errors.properties.annotations).toEqual({
      horizontal: [
        { label: "5xx alarm", value: 5 },
        { label: "4xx-rate alarm", value: 10 },
      ],
    });
  });

  it("draws consumed capacity with the same anomaly band the alarm uses", () => {
    const traffic = widgets.find((widget) => widget.properties.title === "items: traffic")!;
    const expressions = (traffic.properties.metrics as unknown[][]).flatMap((line) => {
      const option = line[line.length - 1] as Record<string, unknown>;
      return typeof option.expression === "string" ? [option.expression] : [];
    });
    expect(expressions).toEqual(["ANOMALY_DETECTION_BAND(r1_traffic_s0_m1, 3)", "ANOMALY_DETECTION_BAND(r1_traffic_s1_m1, 3)"]);
  });

  it("has no alarm widget without alarms", () => {
    expect(widgetsOf([api]).map((widget) => widget.type)).not.toContain("alarm");
  });
});
