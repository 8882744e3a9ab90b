/**
 * Metric and alarm definitions as plain data. The alarms (`AlarmSet`) and the dashboard
 * (`Dashboard`) are both generated from these, so a graph always shows what its alarm watches.
 * Pure functions only: no constructs, no config; every identifier and threshold arrives as input.
 * One file per watched service; the metric helpers in `signal.ts` stay internal to this folder.
 */
export {
  type ComparisonOperator,
  type ComponentSignals,
  isPercentile,
  type MetricRef,
  type Panel,
  PANELS,
  type Signal,
  signalMetrics,
  type SignalQuery,
  STATISTICS,
  type Statistic,
  type TreatMissingData,
  withSignals,
} from "./signal";
export * from "./alb";
export * from "./api-gateway";
export * from "./dynamodb";
export * from "./ecs";
export * from "./lambda";
export * from "./logs";
export * from "./waf";
