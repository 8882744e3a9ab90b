import { type ComponentSignals, metric, type MetricRef, ONE_MINUTE, type Signal, single, type Statistic } from "./signal";

export interface LoadBalancerSignalInput {
  /** `app/<name>/<id>`: the LoadBalancer dimension (`aws_lb.arn_suffix`). */
  readonly loadBalancer: string;
  readonly loadBalancer5xxCount: number;
  readonly rejectedConnectionCount: number;
}

/** The load balancer itself: errors it answers and connections it refuses. */
export function loadBalancerSignals(component: string, input: LoadBalancerSignalInput): ComponentSignals {
  const dims = { LoadBalancer: input.loadBalancer };
  return {
    component,
    title: "Load balancer",
    graphs: [
      { panel: "traffic", metric: metric("AWS/ApplicationELB", "RequestCount", dims, "Sum", "Requests") },
      { panel: "saturation", metric: metric("AWS/ApplicationELB", "ActiveConnectionCount", dims, "Sum", "Active connections") },
    ],
    signals: [
      {
        name: "elb-5xx",
        description:
          "The load balancer itself answered 5xx (502/503/504): no healthy target, targets closing connections or timing out. Check first: the target group's healthy host count and the ECS service events (failed deployments, tasks stopping).",
        panel: "errors",
        query: single(metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Sum", "5xx from the load balancer")),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.loadBalancer5xxCount,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        // Emitted only when a 5xx happens: no data is no errors.
        treatMissingData: "notBreaching",
      },
      {
        name: "rejected-connections",
        description:
          "The load balancer refused connections because it reached its connection limit. Check first: a traffic spike or slow targets holding connections (TargetResponseTime, ActiveConnectionCount), then the WAF's blocked requests.",
        panel: "saturation",
        query: single(metric("AWS/ApplicationELB", "RejectedConnectionCount", dims, "Sum", "Rejected connections")),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.rejectedConnectionCount,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
      },
    ],
  };
}

export interface TargetGroupSignalInput {
  /** LoadBalancer dimension (`aws_lb.arn_suffix`). */
  readonly loadBalancer: string;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension (`aws_lb_target_group.arn_suffix`). */
  readonly targetGroup: string;
  readonly target5xxCount: number;
  readonly responseTimeP95Seconds: number;
  readonly responseTimeP99Seconds: number;
  readonly unhealthyHostCount: number;
}

/** One target group: what its targets answer, how fast, and whether they pass health checks. */
export function targetGroupSignals(component: string, input: TargetGroupSignalInput): ComponentSignals {
  const dims = { LoadBalancer: input.loadBalancer, TargetGroup: input.targetGroup };
  const responseTime = (stat: Statistic): MetricRef =>
    metric("AWS/ApplicationELB", "TargetResponseTime", dims, stat, `Target response time ${stat} (s)`);
  const latency = (stat: "p95" | "p99", threshold: number): Signal => ({
    name: `response-time-${stat}`,
    description: `The ${stat} of the targets' response time is above ${threshold} s for 15 minutes. Check first: the backend's slowest requests (Logs Insights query "slowest requests"), DynamoDB latency and throttles, and service CPU.`,
    panel: "latency",
    query: single(responseTime(stat)),
    comparison: "GreaterThanThreshold",
    threshold,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    // No requests, no latency: an idle service is not a slow one.
    treatMissingData: "notBreaching",
  });
  return {
    component,
    title: "Target group",
    graphs: [
      { panel: "traffic", metric: metric("AWS/ApplicationELB", "RequestCount", dims, "Sum", "Requests to targets") },
      { panel: "saturation", metric: metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Minimum", "Healthy targets", ONE_MINUTE) },
    ],
    signals: [
      {
        name: "target-5xx",
        description:
          "The backend tasks answered 5xx. Check first: the backend's error log lines (Logs Insights query \"errors by service\"), then DynamoDB errors and throttles of its table.",
        panel: "errors",
        query: single(metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", "5xx from targets")),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.target5xxCount,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
      },
      latency("p95", input.responseTimeP95Seconds),
      latency("p99", input.responseTimeP99Seconds),
      {
        name: "unhealthy-hosts",
        description:
          "Targets fail the load balancer's health check for 3 minutes. Check first: ECS service events and stopped tasks' reasons, then the backend log of the failing task.",
        panel: "saturation",
        query: single(metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Maximum", "Unhealthy targets", ONE_MINUTE)),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.unhealthyHostCount,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // Reported every minute while the target group is in use; a gap says nothing about health.
        treatMissingData: "missing",
      },
    ],
  };
}
