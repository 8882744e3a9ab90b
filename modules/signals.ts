/**
 * Metric and alarm definitions as plain data. The alarms (`AlarmSet`) and the dashboard
 * (`Dashboard`) are both generated from these, so a graph always shows what its alarm watches.
 * Pure functions only: no constructs, no config; every identifier and threshold arrives as input.
 */

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
const FIVE_MINUTES = 300;
const ONE_MINUTE = 60;

const metric = (
  namespace: string,
  metricName: string,
  dimensions: Readonly<Record<string, string>>,
  stat: Statistic,
  label: string,
  periodSeconds = FIVE_MINUTES,
): MetricRef => ({ namespace, metricName, dimensions, stat, label, periodSeconds });

const single = (ref: MetricRef): SignalQuery => ({ kind: "metric", metric: ref });

// ---------------------------------------------------------------------------------------------
// Application Load Balancer

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

// ---------------------------------------------------------------------------------------------
// ECS

export interface EcsServiceSignalInput {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
}

/**
 * One ECS service: CPU and memory (AWS/ECS), and running tasks below desired (Container Insights,
 * the only source of the desired count as a metric).
 */
export function ecsServiceSignals(component: string, input: EcsServiceSignalInput): ComponentSignals {
  const dims = { ClusterName: input.clusterName, ServiceName: input.serviceName };
  const utilisation = (name: "cpu" | "memory", metricName: string, threshold: number, check: string): Signal => ({
    name,
    description: `Average ${name} of the service's tasks is above ${threshold}% for 15 minutes although autoscaling should hold it far lower. Check first: ${check}`,
    panel: "saturation",
    query: single(metric("AWS/ECS", metricName, dims, "Average", `${name === "cpu" ? "CPU" : "Memory"} %`)),
    comparison: "GreaterThanThreshold",
    threshold,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: "missing",
  });
  return {
    component,
    title: "ECS service",
    graphs: [],
    signals: [
      utilisation("cpu", "CPUUtilization", input.cpuPercent, "whether the service is at its maximum task count (scaling activities), and request volume."),
      utilisation("memory", "MemoryUtilization", input.memoryPercent, "memory growth per task (a leak restarts tasks when it reaches the limit) and the task memory setting."),
      {
        name: "running-tasks",
        description:
          "Fewer tasks run than the service wants, for 10 minutes. Check first: ECS service events (placement failures: no instance with enough CPU/memory; image pull errors; failing health checks) and the capacity provider's reservation.",
        panel: "saturation",
        query: {
          kind: "math",
          expression: "desired - running",
          label: "Tasks missing (desired - running)",
          metrics: {
            desired: metric("ECS/ContainerInsights", "DesiredTaskCount", dims, "Maximum", "Desired tasks", ONE_MINUTE),
            running: metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Minimum", "Running tasks", ONE_MINUTE),
          },
        },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 10,
        datapointsToAlarm: 10,
        // Container Insights reports every minute while the service exists: silence means the
        // service or its telemetry is gone, which on-call must see.
        treatMissingData: "breaching",
      },
    ],
  };
}

export interface ClusterCapacitySignalInput {
  readonly clusterName: string;
  readonly capacityProviderName: string;
  readonly autoScalingGroupName: string;
  readonly reservationPercent: number;
}

/** The cluster's EC2 capacity: instances in service versus wanted, and tasks waiting for instances. */
export function clusterCapacitySignals(component: string, input: ClusterCapacitySignalInput): ComponentSignals {
  const asg = { AutoScalingGroupName: input.autoScalingGroupName };
  return {
    component,
    title: "Cluster capacity",
    graphs: [],
    signals: [
      {
        name: "in-service-instances",
        description:
          "The Auto Scaling group has fewer instances in service than it wants, for 15 minutes: launches fail or instances die. Check first: the group's activity history (capacity errors, launch template), then EC2 status checks.",
        panel: "saturation",
        query: {
          kind: "math",
          expression: "desired - in_service",
          label: "Instances missing (desired - in service)",
          metrics: {
            desired: metric("AWS/AutoScaling", "GroupDesiredCapacity", asg, "Maximum", "Desired instances", ONE_MINUTE),
            in_service: metric("AWS/AutoScaling", "GroupInServiceInstances", asg, "Minimum", "In-service instances", ONE_MINUTE),
          },
        },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 15,
        datapointsToAlarm: 15,
        // Group metrics are collected every minute once enabled: silence means collection stopped.
        treatMissingData: "breaching",
      },
      {
        name: "capacity-reservation",
        description: `ECS managed scaling needs more than ${input.reservationPercent}% of the instances it has, for 15 minutes: tasks wait for capacity. Check first: whether the group is at its maximum size, and the Auto Scaling activity history.`,
        panel: "saturation",
        query: single(
          metric(
            "AWS/ECS/ManagedScaling",
            "CapacityProviderReservation",
            { ClusterName: input.clusterName, CapacityProviderName: input.capacityProviderName },
            "Maximum",
            "Capacity provider reservation %",
            ONE_MINUTE,
          ),
        ),
        comparison: "GreaterThanThreshold",
        threshold: input.reservationPercent,
        evaluationPeriods: 15,
        datapointsToAlarm: 15,
        treatMissingData: "missing",
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

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

// ---------------------------------------------------------------------------------------------
// Lambda

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

// ---------------------------------------------------------------------------------------------
// API Gateway (REST API metrics: namespace AWS/ApiGateway, dimensions ApiName and Stage)

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

// ---------------------------------------------------------------------------------------------
// WAF

export interface WebAclSignalInput {
  readonly webAclName: string;
  readonly region: string;
  readonly blockedRequests: number;
}

/** A regional web ACL: a spike of blocked requests (an attack, or a rule blocking real users). */
export function webAclSignals(component: string, input: WebAclSignalInput): ComponentSignals {
  const dims = { WebACL: input.webAclName, Region: input.region, Rule: "ALL" };
  return {
    component,
    title: "WAF",
    graphs: [{ panel: "traffic", metric: metric("AWS/WAFV2", "AllowedRequests", dims, "Sum", "Allowed requests") }],
    signals: [
      {
        name: "blocked-requests",
        description:
          "The WAF blocked an unusual number of requests: an attack, a scraper, or a rule blocking real users. Check first: the WAF log group (terminatingRuleId, client IP, URI) to tell attack from false positive.",
        panel: "errors",
        query: single(metric("AWS/WAFV2", "BlockedRequests", dims, "Sum", "Blocked requests")),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.blockedRequests,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Log-derived

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

/** Adds signals (e.g. log-derived ones) to a component. */
export function withSignals(component: ComponentSignals, ...signals: Signal[]): ComponentSignals {
  return { ...component, signals: [...component.signals, ...signals] };
}

/** Every metric a signal reads, with the id it has in the alarm's metric query. */
export function signalMetrics(signal: Signal): [string, MetricRef][] {
  const { query } = signal;
  return query.kind === "math" ? Object.entries(query.metrics) : [["m1", query.metric]];
}
