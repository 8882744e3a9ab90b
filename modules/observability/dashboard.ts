import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";
import { type ComponentSignals, type MetricRef, PANELS, type Panel, type Signal, signalMetrics } from "./signals";

export interface DashboardProps {
  readonly dashboardName: string;
  readonly region: string;
  /** One row each, in order; the same definitions the alarms are built from. */
  readonly components: readonly ComponentSignals[];
  /**
   * ARNs of the alarms shown in an alarm-status widget at the top.
   * @default - no alarm widget
   */
  readonly alarmArns?: readonly string[];
}

const WIDTH = 24;
const PANEL_WIDTH = WIDTH / PANELS.length;
const PANEL_HEIGHT = 6;
/** CloudWatch's limit of alarms in one alarm widget. */
const MAX_ALARMS_PER_WIDGET = 100;

type MetricLine = (string | Record<string, unknown>)[];
type Widget = Record<string, unknown>;

const metricLine = (ref: MetricRef, options: Record<string, unknown>): MetricLine => [
  ref.namespace,
  ref.metricName,
  ...Object.entries(ref.dimensions).flat(),
  { stat: ref.stat, period: ref.periodSeconds, label: ref.label, ...options },
];

/** The lines of one signal; its metric ids are prefixed so several signals share a graph. */
function signalLines(signal: Signal, prefix: string): MetricLine[] {
  const { query } = signal;
  const ids = new Map(signalMetrics(signal).map(([id]) => [id, `${prefix}_${id}`]));
  const rename = (expression: string): string =>
    expression.replace(/\b[a-z][a-zA-Z0-9_]*\b/g, (word) => ids.get(word) ?? word);
  if (query.kind === "metric") return [metricLine(query.metric, { id: ids.get("m1") })];
  if (query.kind === "anomaly") {
    const id = ids.get("m1") as string;
    return [
      metricLine(query.metric, { id }),
      [{ expression: `ANOMALY_DETECTION_BAND(${id}, ${query.bandWidth})`, label: `${query.metric.label} (expected)`, id: `${prefix}_band` }],
    ];
  }
  return [
    ...Object.entries(query.metrics).map(([id, ref]) => metricLine(ref, { id: ids.get(id), visible: false })),
    [{ expression: rename(query.expression), label: query.label, id: `${prefix}_e` }],
  ];
}

/**
 * One CloudWatch dashboard: an alarm-status widget, then a row per component with a graph for each
 * of traffic, errors, latency and saturation, drawn from the signal definitions (thresholds as
 * horizontal annotations) plus the component's context graphs.
 */
export class Dashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const widgets: Widget[] = [];
    let y = 0;
    const alarmArns = props.alarmArns ?? [];
    for (let start = 0; start < alarmArns.length; start += MAX_ALARMS_PER_WIDGET) {
      widgets.push({
        type: "alarm",
        x: 0,
        y,
        width: WIDTH,
        height: 4,
        properties: { title: "Alarms", alarms: alarmArns.slice(start, start + MAX_ALARMS_PER_WIDGET) },
      });
      y += 4;
    }

    props.components.forEach((component, row) => {
      widgets.push({
        type: "text",
        x: 0,
        y,
        width: WIDTH,
        height: 1,
        properties: { markdown: `## ${component.title}: ${component.component}` },
      });
      y += 1;
      let x = 0;
      for (const panel of PANELS) {
        const widget = this.panelWidget(component, panel, `r${row}`, props.region);
        if (!widget) continue;
        widgets.push({ type: "metric", x, y, width: PANEL_WIDTH, height: PANEL_HEIGHT, properties: widget });
        x += PANEL_WIDTH;
      }
      y += PANEL_HEIGHT;
    });

    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({ widgets }),
    });
  }

  private panelWidget(component: ComponentSignals, panel: Panel, row: string, region: string): Record<string, unknown> | undefined {
    const signals = component.signals.filter((signal) => signal.panel === panel);
    const graphs = component.graphs.filter((graph) => graph.panel === panel);
    if (signals.length === 0 && graphs.length === 0) return undefined;
    const metrics: MetricLine[] = [
      ...graphs.map((graph, index) => metricLine(graph.metric, { id: `${row}_${panel}_g${index}` })),
      ...signals.flatMap((signal, index) => signalLines(signal, `${row}_${panel}_s${index}`)),
    ];
    const horizontal = signals
      .filter((signal) => signal.threshold !== undefined)
      .map((signal) => ({ label: `${signal.name} alarm`, value: signal.threshold }));
    return {
      title: `${component.component}: ${panel}`,
      region,
      view: "timeSeries",
      stacked: false,
      metrics,
      ...(horizontal.length > 0 && { annotations: { horizontal } }),
    };
  }
}
