import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AlarmSet } from "../modules/observability/alarm-set";
import { AlertTopic } from "../modules/core/alert-topic";
import { Dashboard } from "../modules/observability/dashboard";
import { LogMetricFilter } from "../modules/observability/log-metric-filter";
import { LogQueries } from "../modules/observability/log-queries";
import {
  apiSignals,
  clusterCapacitySignals,
  type ComponentSignals,
  ecsServiceSignals,
  functionSignals,
  loadBalancerSignals,
  logErrorSignal,
  tableSignals,
  targetGroupSignals,
  webAclSignals,
  withSignals,
} from "../modules/observability/signals";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";
import type { PlatformStack } from "./platform-stack";
import type { ServerlessStack } from "./serverless-stack";

export interface ObservabilityStackProps extends EnvironmentStackProps {
  /** The environment's platform layer; its identifiers arrive as cross-stack references. */
  readonly platform: PlatformStack;
  readonly serverless: ServerlessStack;
}

/** DynamoDB operations each table's callers use (the tables' grants): SystemErrors is per operation. */
const PLATFORM_TABLE_OPERATIONS = ["Scan", "PutItem"];
const TIPS_TABLE_OPERATIONS = ["PutItem", "Query", "GetItem"];

/** Lambda's JSON log format reports a timed-out invocation in its platform.report record. */
const LAMBDA_TIMEOUT_PATTERN = '{ $.type = "platform.report" && $.record.status = "timeout" }';
/** The backend's JSON log lines carry `level` in lower case. */
const BACKEND_ERROR_PATTERN = '{ $.level = "error" }';

/**
 * `observability-<env>`: the alert topic, every alarm of the environment, its dashboard, saved
 * Logs Insights queries and log metric filters. Built after platform and serverless and reading
 * their identifiers, so the topic exists before any alarm and no layer depends on this one.
 */
export class ObservabilityStack extends EnvironmentStack {
  readonly topic: AlertTopic;
  /** Every component's signals, in dashboard order. */
  readonly components: readonly ComponentSignals[];
  readonly alarmSets: readonly AlarmSet[];
  readonly dashboard: Dashboard;
  readonly queries: LogQueries;

  constructor(scope: Construct, props: ObservabilityStackProps) {
    super(scope, "observability", props);
    const { env, naming } = this;
    const { platform, serverless } = props;
    const thresholds = env.observability;
    const logMetricsNamespace = `${naming.name()}/logs`;

    this.topic = new AlertTopic(this, "alerts", {
      name: naming.name("alerts"),
      accountId: env.accountId,
      region: env.region,
      emails: env.alerting.emails,
      httpsEndpoint: env.alerting.chatWebhookUrl,
    });

    const backendErrors = new LogMetricFilter(this, "backend-log-errors", {
      name: naming.name("backend-log-errors"),
      logGroupName: platform.service.logGroup.name,
      pattern: BACKEND_ERROR_PATTERN,
      namespace: logMetricsNamespace,
      metricName: "backend-log-errors",
      label: "Error log lines",
    });

    const alb = platform.alb;
    const cluster = platform.cluster;
    const components: ComponentSignals[] = [
      webAclSignals("waf", {
        webAclName: platform.waf.webAcl.name,
        region: env.region,
        blockedRequests: thresholds.wafBlockedRequests,
      }),
      loadBalancerSignals("alb", {
        loadBalancer: alb.loadBalancer.arnSuffix,
        loadBalancer5xxCount: thresholds.loadBalancer5xxCount,
        rejectedConnectionCount: thresholds.rejectedConnectionCount,
      }),
      targetGroupSignals("alb-targets", {
        loadBalancer: alb.loadBalancer.arnSuffix,
        targetGroup: alb.targetGroup.arnSuffix,
        target5xxCount: thresholds.target5xxCount,
        responseTimeP95Seconds: thresholds.targetResponseTimeP95Seconds,
        responseTimeP99Seconds: thresholds.targetResponseTimeP99Seconds,
        unhealthyHostCount: thresholds.unhealthyHostCount,
      }),
      withSignals(
        ecsServiceSignals("backend", {
          clusterName: cluster.name,
          serviceName: platform.service.name,
          cpuPercent: thresholds.serviceCpuPercent,
          memoryPercent: thresholds.serviceMemoryPercent,
        }),
        logErrorSignal({ metric: backendErrors.metric, threshold: thresholds.backendLogErrors }),
      ),
      clusterCapacitySignals("cluster", {
        clusterName: cluster.name,
        capacityProviderName: cluster.capacityProvider.name,
        autoScalingGroupName: cluster.autoScalingGroup.name,
        reservationPercent: thresholds.capacityProviderReservationPercent,
      }),
      tableSignals(platform.table.node.id, {
        tableName: platform.table.name,
        operations: PLATFORM_TABLE_OPERATIONS,
        throttleEvents: thresholds.tableThrottleEvents,
        systemErrors: thresholds.tableSystemErrors,
        anomalyBandWidth: thresholds.capacityAnomalyBandWidth,
      }),
      webAclSignals("tips-api-waf", {
        webAclName: serverless.waf.webAcl.name,
        region: env.region,
        blockedRequests: thresholds.wafBlockedRequests,
        title: "Tips API WAF",
      }),
      apiSignals("tips-api", {
        apiName: serverless.api.api.name,
        stageName: serverless.api.stage.stageName,
        api5xxCount: thresholds.api5xxCount,
        api4xxRatePercent: thresholds.api4xxRatePercent,
        latencyP95Ms: thresholds.apiLatencyP95Ms,
      }),
      ...serverless.functions.map((fn) => {
        const timeouts = new LogMetricFilter(this, `${fn.node.id}-timeouts`, {
          name: naming.name(fn.node.id, "timeouts"),
          logGroupName: fn.logGroup.name,
          pattern: LAMBDA_TIMEOUT_PATTERN,
          namespace: logMetricsNamespace,
          metricName: `${fn.node.id}-timeouts`,
          label: "Timed-out invocations",
        });
        const timeoutSeconds = fn.function.timeoutInput;
        if (timeoutSeconds === undefined) throw new Error(`function ${fn.node.id} has no timeout set to alarm against`);
        return functionSignals(fn.node.id, {
          functionName: fn.functionName,
          timeoutSeconds,
          reservedConcurrency: fn.function.reservedConcurrentExecutionsInput,
          errors: thresholds.functionErrors,
          throttles: thresholds.functionThrottles,
          durationPercentOfTimeout: thresholds.functionDurationPercentOfTimeout,
          concurrencyPercentOfReserved: thresholds.functionConcurrencyPercentOfReserved,
          timeouts: timeouts.metric,
        });
      }),
      tableSignals(serverless.table.node.id, {
        tableName: serverless.table.name,
        operations: TIPS_TABLE_OPERATIONS,
        throttleEvents: thresholds.tableThrottleEvents,
        systemErrors: thresholds.tableSystemErrors,
        anomalyBandWidth: thresholds.capacityAnomalyBandWidth,
      }),
    ];
    this.components = components;

    this.alarmSets = components.map(
      (component) =>
        new AlarmSet(this, `alarms-${component.component}`, {
          namePrefix: naming.name(component.component),
          signals: component.signals,
          topic: this.topic,
        }),
    );

    this.dashboard = new Dashboard(this, "dashboard", {
      dashboardName: naming.name(),
      region: env.region,
      components,
      alarmArns: this.alarmSets.flatMap((set) => [...set.alarms.values()].map((alarm) => alarm.arn)),
    });

    this.queries = new LogQueries(this, "queries", {
      folder: naming.name(),
      logGroupNames: [
        platform.service.logGroup.name,
        ...serverless.functions.map((fn) => fn.logGroup.name),
        serverless.api.accessLogs.name,
      ],
    });

    new TerraformOutput(this, "alert_topic_arn", {
      value: this.topic.arn,
      description: "SNS topic every alarm of the environment notifies; subscribe further endpoints here.",
    });
    new TerraformOutput(this, "dashboard_name", {
      value: this.dashboard.dashboard.dashboardName,
      description: "CloudWatch dashboard of the environment (console: CloudWatch > Dashboards).",
    });
  }
}
