/** Statistics CloudWatch alarms accept as `statistic`; percentiles (`p95`, `p99.9`) go to `extended_statistic`. */
export const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;
export type Statistic = (typeof STATISTICS)[number] | `p${number}`;

/** A percentile statistic such as `p95` or `p99.9`. */
export const isPercentile = (stat: string): boolean => /^p(\d{1,2}(\.\d+)?|100)$/.test(stat);

/** Where a signal is drawn on its component's dashboard row. */
export type Panel = "traffic" | "errors" | "latency" | "saturation";
export const PANELS: readonly Panel[] = ["traffic", "errors", "latency", "saturation"];

export type ComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold"
  | "GreaterThanUpperThreshold";

/**
 * What an alarm does while its metric has no data: `notBreaching` for counts that are only
 * emitted when something happens, `breaching` where silence itself means something is broken,
 * `missing` where a gap carries no information either way.
 */
export type TreatMissingData = "missing" | "ignore" | "breaching" | "notBreaching";

/** One CloudWatch metric with the statistic and period it is read with. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: Statistic;
  readonly periodSeconds: number;
  /** Legend text on the dashboard. */
  readonly label: string;
}

/** The value an alarm compares: one metric, metric math over several, or a metric against its anomaly band. */
export type SignalQuery =
  | { readonly kind: "metric"; readonly metric: MetricRef }
  | {
      readonly kind: "math";
      readonly expression: string;
      readonly label: string;
      /** Metrics by the id the expression uses: lower-case letters, digits and `_`, starting with a letter. */
      readonly metrics: Readonly<Record<string, MetricRef>>;
    }
  | { readonly kind: "anomaly"; readonly metric: MetricRef; readonly bandWidth: number };

/** One alarm: what it watches, when it fires, and what on-call checks first. */
export interface Signal {
  /** Last part of the alarm name: `<project>-<env>-<component>-<signal>`. */
  readonly name: string;
  /** For the person paged: what the alarm means and what to check first. */
  readonly description: string;
  readonly panel: Panel;
  readonly query: SignalQuery;
  readonly comparison: ComparisonOperator;
  /** Omitted for anomaly alarms, whose threshold is the band. */
  readonly threshold?: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
}

/** Everything one component contributes: its alarms, and graphs that only give context (traffic). */
export interface ComponentSignals {
  /** Middle part of the alarm names, e.g. `alb`, `create-tip`. */
  readonly component: string;
  /** Dashboard row title. */
  readonly title: string;
  readonly signals: readonly Signal[];
  /** Dashboard-only metrics (request counts, invocations): context for the alarms, never alarmed on. */
  readonly graphs: readonly { readonly panel: Panel; readonly metric: MetricRef }[];
}

/** Alarms evaluate 5-minute periods unless a signal needs finer ones: long enough to smooth noise, cheap. */
export const FIVE_MINUTES = 300;
export const ONE_MINUTE = 60;

export const metric = (
  namespace: string,
  metricName: string,
  dimensions: Readonly<Record<string, string>>,
  stat: Statistic,
  label: string,
  periodSeconds = FIVE_MINUTES,
): MetricRef => ({ namespace, metricName, dimensions, stat, label, periodSeconds });

export const single = (ref: MetricRef): SignalQuery => ({ kind: "metric", metric: ref });

/** Adds signals (e.g. log-derived ones) to a component. */
export function withSignals(component: ComponentSignals, ...signals: Signal[]): ComponentSignals {
  return { ...component, signals: [...component.signals, ...signals] };
}

/** Every metric a signal reads, with the id it has in the alarm's metric query. */
export function signalMetrics(signal: Signal): [string, MetricRef][] {
  const { query } = signal;
  return query.kind === "math" ? Object.entries(query.metrics) : [["m1", query.metric]];
}
