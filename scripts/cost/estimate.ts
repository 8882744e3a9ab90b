/**
 * Monthly cost estimate of synthesized stacks: finds billable resources by Terraform type, reads
 * their sizing from the JSON (instance type, desired capacity, memory, rule counts...) and prices
 * them with one region-aware price file and one set of usage assumptions.
 */
import type { SynthOutput, TfResource, TfStack } from "../lib/synth-output";
import { asRecord, strings } from "../lib/synth-output";

/** Every flat unit price a region must define in prices.json. */
export const UNIT_PRICES = [
  "natGatewayHour", "natGatewayGb", "publicIpv4Hour", "albHour", "albLcuHour",
  "dynamodbWriteRequestMillion", "dynamodbReadRequestMillion", "dynamodbStorageGbMonth", "dynamodbPitrGbMonth",
  "lambdaRequestMillion", "lambdaGbSecondX86", "lambdaGbSecondArm", "apiGatewayRestRequestMillion", "apiGatewayHttpRequestMillion",
  "cloudwatchAlarmMetric", "cloudwatchHighResAlarmMetric", "cloudwatchCompositeAlarm", "cloudwatchDashboard", "cloudwatchCustomMetric",
  "logsIngestionGb", "logsVendedIngestionGb", "logsVendedS3Gb", "logsStorageGbMonth", "kmsKeyMonth", "wafWebAclMonth", "wafRuleMonth", "wafRequestMillion",
  "ecrStorageGbMonth", "s3StandardGbMonth", "s3GlacierIrGbMonth", "cloudtrailManagementEvents100k", "cloudtrailDataEvents100k", "configItem",
  "configPeriodicItem", "configRuleEvaluation", "guarddutyCloudtrailEventsMillion", "guarddutyLogsGb", "guarddutyRuntimeVcpuMonth", "securityhubCheck", "snsRequestMillion",
  "snsEmail100k", "xrayTracesMillion",
] as const;

export type RegionPrices = { readonly [K in (typeof UNIT_PRICES)[number]]: number } & {
  /** vCPUs per instance type: what GuardDuty Runtime Monitoring bills by. */
  readonly ec2InstanceVcpus: Readonly<Record<string, number>>;
  readonly ec2InstanceHour: Readonly<Record<string, number>>;
  readonly ebsGbMonth: Readonly<Record<string, number>>;
};

export interface PriceFile {
  readonly source: string;
  readonly compiled: string;
  readonly currency: string;
  readonly hoursPerMonth: number;
  readonly regions: Readonly<Record<string, unknown>>;
}

/** Usage the synthesized JSON cannot know; see assumptions.json for what each one means. */
export interface Assumptions {
  readonly apiRequestsMillionPerMonth: number;
  readonly albRequestsMillionPerMonth: number;
  readonly lambdaAverageDurationMs: number;
  readonly albAverageLcu: number;
  readonly dynamodbReadsMillionPerMonth: number;
  readonly dynamodbWritesMillionPerMonth: number;
  readonly dynamodbStorageGb: number;
  readonly natGatewayProcessedGbPerMonth: number;
  readonly logIngestionGbPerLogGroup: number;
  /** Flow logs of ALL traffic aggregated per minute; the other settings scale it (next two). */
  readonly flowLogGbPerMonth: number;
  /** Share of that volume that rejected flows make up (`traffic_type = REJECT`). */
  readonly flowLogRejectShare: number;
  /** Volume with 10-minute aggregation relative to 1-minute (long flows make fewer records). */
  readonly flowLogTenMinuteShare: number;
  /** Size of one WAF log record. */
  readonly wafLogKbPerRequest: number;
  /** Share of requests a rule blocks or counts: what a `blocked-and-counted` logging filter keeps. */
  readonly wafBlockedOrCountedShare: number;
  readonly customMetricsPerFunction: number;
  readonly containerInsightsMetricsPerCluster: number;
  readonly containerInsightsLogGbPerCluster: number;
  readonly ecrStorageGbPerRepository: number;
  readonly s3StorageGbPerBucket: number;
  readonly xraySamplingRate: number;
  readonly snsPublishesMillionPerMonth: number;
  readonly snsEmailsPerMonth: number;
  readonly cloudtrailManagementEventsMillionPerMonth: number;
  readonly cloudtrailDataEventsMillionPerMonth: number;
  /** Configuration items of the types recorded continuously in any case. */
  readonly configItemsPerMonth: number;
  /** Resources of the high-churn types (instances, ENIs, ECS services and task definitions, ASGs, alarms). */
  readonly configHighChurnResources: number;
  /** Changes per day of each: continuous recording bills each, daily recording at most one a day at the periodic price. */
  readonly configHighChurnChangesPerResourcePerDay: number;
  readonly configEvaluationsPerRulePerMonth: number;
  readonly guarddutyLogsGbPerMonth: number;
  readonly securityhubChecksPerMonth: number;
}

export interface AssumptionFile {
  readonly default: Assumptions;
  readonly environments?: Readonly<Record<string, Partial<Assumptions>>>;
}

export interface LineItem {
  readonly stack: string;
  /** What is billed, e.g. `EC2 instances`: line items of one kind add up to a cost driver. */
  readonly kind: string;
  readonly component: string;
  readonly quantity: string;
  readonly monthlyUsd: number;
}

export interface StackEstimate {
  readonly stack: string;
  readonly region: string;
  readonly monthlyUsd: number;
  readonly items: readonly LineItem[];
  /** Why the stack has no estimate (its region has no prices); it then counts as $0. */
  readonly unpriced?: string;
}

/** A region (or a unit price of a region) the price file does not cover. */
export class MissingPricesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingPricesError";
  }
}

export interface GroupEstimate {
  /** Environment name, or `shared (account <id>)` for account-level stacks. */
  readonly name: string;
  readonly shared: boolean;
  readonly monthlyUsd: number;
  readonly stacks: readonly StackEstimate[];
  readonly assumptions: Assumptions;
  readonly budgetUsd?: number;
  readonly budgetSource?: string;
}

/** Cents, so sums of rounded items add up in every output format. */
export function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}

export function pricesFor(file: PriceFile, region: string): RegionPrices {
  const prices = file.regions[region];
  if (!prices) {
    throw new MissingPricesError(
      `no prices for region "${region}" in the price file (have: ${Object.keys(file.regions).sort().join(", ")}); add the region's on-demand prices to scripts/cost/prices.json`,
    );
  }
  const missing = UNIT_PRICES.filter((key) => typeof (prices as Record<string, unknown>)[key] !== "number");
  if (missing.length > 0) throw new MissingPricesError(`prices for region "${region}" lack ${missing.join(", ")}`);
  return prices as RegionPrices;
}

export function assumptionsFor(file: AssumptionFile, environment: string, overrides: Partial<Assumptions> = {}): Assumptions {
  return { ...file.default, ...(file.environments?.[environment] ?? {}), ...overrides };
}

function num(value: unknown, fallback = 0): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

function refTo(output: SynthOutput, resource: TfResource, type: string): TfResource | undefined {
  const ref = output.references.find((r) => r.from === resource.id && r.to.includes(`/${type}.`));
  return ref ? output.resources.get(ref.to) : undefined;
}

function referrers(output: SynthOutput, resource: TfResource, type: string): TfResource[] {
  return output.references
    .filter((r) => r.to === resource.id && r.from.includes(`/${type}.`))
    .map((r) => output.resources.get(r.from))
    .filter((r): r is TfResource => r !== undefined);
}

/** Region of a resource: its provider alias's region (e.g. a us-east-1 billing alarm) or the stack's. */
function regionOf(stack: TfStack, resource: TfResource): string {
  const alias = typeof resource.body.provider === "string" ? resource.body.provider.replace(/^aws\./, "") : undefined;
  if (!alias) return stack.region;
  const providers = asRecord(stack.json.provider).aws;
  const match = (Array.isArray(providers) ? providers : [providers]).map(asRecord).find((p) => p.alias === alias);
  return typeof match?.region === "string" ? match.region : stack.region;
}

/** vCPUs of the instances every Auto Scaling group of the stack's account runs at desired capacity. */
function accountVcpus(output: SynthOutput, stack: TfStack, p: RegionPrices): number {
  return output.stacks
    .filter((other) => other.accountId === stack.accountId)
    .flatMap((other) => other.resources.filter((r) => r.type === "aws_autoscaling_group"))
    .reduce((sum, asg) => {
      const type = String(refTo(output, asg, "aws_launch_template")?.body.instance_type ?? "unknown");
      const vcpus = p.ec2InstanceVcpus[type];
      if (vcpus === undefined) throw new Error(`no vCPU count for instance type "${type}"; add it to ec2InstanceVcpus in scripts/cost/prices.json`);
      return sum + num(asg.body.desired_capacity, num(asg.body.min_size)) * vcpus;
    }, 0);
}

/** Unit prices keep their significant digits ($0.0456/h), amounts are cents. */
const usd = (n: number): string => `$${n > 0 && n < 1 ? String(Number(n.toFixed(4))) : n.toFixed(2)}`;

/** Line items of one stack. `scope` is every stack of the group, for request splitting. */
export function estimateStack(
  output: SynthOutput,
  stack: TfStack,
  scope: readonly TfStack[],
  prices: PriceFile,
  a: Assumptions,
): StackEstimate {
  const hours = prices.hoursPerMonth;
  const items: LineItem[] = [];
  const add = (component: string, quantity: string, monthlyUsd: number, kind = component): void => {
    items.push({ stack: stack.name, kind, component, quantity, monthlyUsd: round(monthlyUsd) });
  };
  const scopeResources = scope.flatMap((s) => s.resources);
  const ofType = (type: string): TfResource[] => scopeResources.filter((r) => r.type === type);
  const functions = ofType("aws_lambda_function");
  const vendedLogGroups = vendedLogVolumes(output, a);
  const trailsInAccount = scopeResources.filter((r) => r.type === "aws_cloudtrail").map((r) => r.id).sort();

  for (const r of stack.resources) {
    const p = pricesFor(prices, regionOf(stack, r));
    const b = r.body;
    switch (r.type) {
      case "aws_autoscaling_group": {
        const template = refTo(output, r, "aws_launch_template");
        const desired = num(b.desired_capacity, num(b.min_size));
        const type = String(template?.body.instance_type ?? "unknown");
        const hourly = p.ec2InstanceHour[type];
        if (hourly === undefined) {
          throw new Error(`no price for instance type "${type}" in ${regionOf(stack, r)}; add it to ec2InstanceHour in scripts/cost/prices.json`);
        }
        add(`EC2 ${type} (ASG ${b.name ?? r.name})`, `${desired} × ${hours} h × ${usd(hourly)}`, desired * hours * hourly, "EC2 instances");
        for (const mapping of (template?.body.block_device_mappings as unknown[] | undefined) ?? []) {
          const ebs = asRecord(asRecord(mapping).ebs);
          const gb = num(ebs.volume_size, 30);
          const volumeType = String(ebs.volume_type ?? "gp3");
          const gbPrice = p.ebsGbMonth[volumeType] ?? p.ebsGbMonth.gp3 ?? 0;
          add(`EBS ${volumeType} root volumes`, `${desired} × ${gb} GB × ${usd(gbPrice)}`, desired * gb * gbPrice, "EBS volumes");
        }
        const publicIp = ((template?.body.network_interfaces as unknown[] | undefined) ?? []).some(
          (ni) => String(asRecord(ni).associate_public_ip_address) === "true",
        );
        if (publicIp) add("Public IPv4 (instances)", `${desired} × ${hours} h × ${usd(p.publicIpv4Hour)}`, desired * hours * p.publicIpv4Hour, "Public IPv4");
        break;
      }
      case "aws_nat_gateway":
        add("NAT gateway hours", `${hours} h × ${usd(p.natGatewayHour)}`, hours * p.natGatewayHour, "NAT gateways");
        add("NAT gateway data processed", `${a.natGatewayProcessedGbPerMonth} GB × ${usd(p.natGatewayGb)}`, a.natGatewayProcessedGbPerMonth * p.natGatewayGb, "NAT gateways");
        break;
      case "aws_eip":
        add("Public IPv4 (Elastic IP)", `${hours} h × ${usd(p.publicIpv4Hour)}`, hours * p.publicIpv4Hour, "Public IPv4");
        break;
      case "aws_lb": {
        add("ALB hours", `${hours} h × ${usd(p.albHour)}`, hours * p.albHour, "Load balancer");
        add("ALB LCUs", `${a.albAverageLcu} LCU × ${hours} h × ${usd(p.albLcuHour)}`, a.albAverageLcu * hours * p.albLcuHour, "Load balancer");
        const subnets = Array.isArray(b.subnets) ? b.subnets.length : 2;
        if (b.internal !== true && b.internal !== "true") {
          add("Public IPv4 (ALB, one per AZ)", `${subnets} × ${hours} h × ${usd(p.publicIpv4Hour)}`, subnets * hours * p.publicIpv4Hour, "Public IPv4");
        }
        break;
      }
      case "aws_dynamodb_table": {
        // The Terraform state lock table sees a handful of requests per deploy.
        if (b.hash_key === "LockID") {
          add(`DynamoDB ${b.name ?? r.name} (state locks)`, "on-demand, ~0 requests", 0, "DynamoDB");
          break;
        }
        const reads = a.dynamodbReadsMillionPerMonth * p.dynamodbReadRequestMillion;
        const writes = a.dynamodbWritesMillionPerMonth * p.dynamodbWriteRequestMillion;
        add(
          `DynamoDB ${b.name ?? r.name} requests`,
          `${a.dynamodbReadsMillionPerMonth} M reads × ${usd(p.dynamodbReadRequestMillion)} + ${a.dynamodbWritesMillionPerMonth} M writes × ${usd(p.dynamodbWriteRequestMillion)}`,
          reads + writes,
          "DynamoDB",
        );
        const pitr = asRecord(b.point_in_time_recovery).enabled === true;
        const gbPrice = p.dynamodbStorageGbMonth + (pitr ? p.dynamodbPitrGbMonth : 0);
        add(`DynamoDB ${b.name ?? r.name} storage${pitr ? " + PITR" : ""}`, `${a.dynamodbStorageGb} GB × ${usd(gbPrice)}`, a.dynamodbStorageGb * gbPrice, "DynamoDB");
        break;
      }
      case "aws_lambda_function": {
        const invocations = a.apiRequestsMillionPerMonth / Math.max(functions.length, 1);
        const memoryGb = num(b.memory_size, 128) / 1024;
        const arm = Array.isArray(b.architectures) && b.architectures.includes("arm64");
        const gbSecondPrice = arm ? p.lambdaGbSecondArm : p.lambdaGbSecondX86;
        const gbSeconds = invocations * 1e6 * (a.lambdaAverageDurationMs / 1000) * memoryGb;
        add(
          `Lambda ${b.function_name ?? r.name}`,
          `${Number(invocations.toFixed(3))} M req × ${usd(p.lambdaRequestMillion)} + ${Math.round(gbSeconds)} GB-s × ${gbSecondPrice}`,
          invocations * p.lambdaRequestMillion + gbSeconds * gbSecondPrice,
          "Lambda",
        );
        if (a.customMetricsPerFunction > 0) {
          add("CloudWatch custom metrics (function EMF)", `${a.customMetricsPerFunction} × ${usd(p.cloudwatchCustomMetric)}`, a.customMetricsPerFunction * p.cloudwatchCustomMetric, "CloudWatch custom metrics");
        }
        break;
      }
      case "aws_apigatewayv2_api":
        if (b.protocol_type === "HTTP") {
          add("API Gateway HTTP API requests", `${a.apiRequestsMillionPerMonth} M × ${usd(p.apiGatewayHttpRequestMillion)}`, a.apiRequestsMillionPerMonth * p.apiGatewayHttpRequestMillion);
        }
        break;
      case "aws_api_gateway_rest_api":
        add("API Gateway REST API requests", `${a.apiRequestsMillionPerMonth} M × ${usd(p.apiGatewayRestRequestMillion)}`, a.apiRequestsMillionPerMonth * p.apiGatewayRestRequestMillion);
        break;
      case "aws_cloudwatch_metric_alarm": {
        const anomaly = strings(b.metric_query).some((s) => s.includes("ANOMALY_DETECTION_BAND"));
        const highRes = num(b.period, 60) < 60 || strings(b.metric_query).some((s) => /"period":\s*(10|30)\b/.test(s));
        const metrics = anomaly ? 3 : 1;
        const unit = highRes ? p.cloudwatchHighResAlarmMetric : p.cloudwatchAlarmMetric;
        add(`CloudWatch alarm${anomaly ? " (anomaly detection)" : ""}${highRes ? " (high-res)" : ""}`, `${metrics} metric(s) × ${usd(unit)}`, metrics * unit, "CloudWatch alarms");
        break;
      }
      case "aws_cloudwatch_composite_alarm":
        add("CloudWatch composite alarm", `1 × ${usd(p.cloudwatchCompositeAlarm)}`, p.cloudwatchCompositeAlarm, "CloudWatch alarms");
        break;
      case "aws_cloudwatch_dashboard":
        add("CloudWatch dashboard", `1 × ${usd(p.cloudwatchDashboard)}`, p.cloudwatchDashboard);
        break;
      case "aws_cloudwatch_log_metric_filter":
        add("CloudWatch custom metric (metric filter)", `1 × ${usd(p.cloudwatchCustomMetric)}`, p.cloudwatchCustomMetric, "CloudWatch custom metrics");
        break;
      case "aws_cloudwatch_log_group": {
        const vended = vendedLogGroups.get(r.id);
        const gb = vended?.gb ?? a.logIngestionGbPerLogGroup;
        const ingest = vended ? p.logsVendedIngestionGb : p.logsIngestionGb;
        // Steady state: a month's ingestion is kept for the retention period (at most a year here).
        const months = Math.min(num(b.retention_in_days, 365) || 365, 365) / 30;
        const stored = gb * months;
        add(
          `${vended?.kind ?? "Logs"} ${b.name ?? r.name}${vended ? ` (${vended.setting})` : ""}`,
          `${round(gb * 1000) / 1000} GB × ${usd(ingest)} + ${round(stored)} GB stored × ${usd(p.logsStorageGbMonth)}`,
          gb * ingest + stored * p.logsStorageGbMonth,
          vended?.kind ?? "CloudWatch Logs",
        );
        break;
      }
      case "aws_flow_log": {
        if (b.log_destination_type !== "s3") break;
        // Delivered to a bucket: the vended-log price for S3 and the archive's storage by its lifecycle.
        const gb = flowLogGb(b, a);
        const archive = lifecycleOf(output, String(b.log_destination ?? ""));
        const standardMonths = Math.min(archive.archiveAfterDays ?? archive.expirationDays, archive.expirationDays, 365) / 30;
        const archivedMonths = Math.min(archive.expirationDays, 365) / 30 - standardMonths;
        const storage = gb * (standardMonths * p.s3StandardGbMonth + archivedMonths * p.s3GlacierIrGbMonth);
        add(
          `VPC flow logs → S3 (${flowLogSetting(b)}, ${archive.expirationDays} days)`,
          `${round(gb * 1000) / 1000} GB × ${usd(p.logsVendedS3Gb)} + ${round(gb * standardMonths)} GB S3 × ${usd(p.s3StandardGbMonth)} + ${round(gb * archivedMonths)} GB Glacier IR × ${usd(p.s3GlacierIrGbMonth)}`,
          gb * p.logsVendedS3Gb + storage,
          "VPC flow logs",
        );
        break;
      }
      case "aws_ecs_cluster": {
        const insights = ((b.setting as unknown[] | undefined) ?? []).some((s) => {
          const setting = asRecord(s);
          return setting.name === "containerInsights" && setting.value !== "disabled";
        });
        if (insights) {
          add(
            "Container Insights",
            `${a.containerInsightsMetricsPerCluster} metrics × ${usd(p.cloudwatchCustomMetric)} + ${a.containerInsightsLogGbPerCluster} GB × ${usd(p.logsIngestionGb)}`,
            a.containerInsightsMetricsPerCluster * p.cloudwatchCustomMetric + a.containerInsightsLogGbPerCluster * p.logsIngestionGb,
          );
        }
        break;
      }
      case "aws_kms_key":
        add("KMS key", `1 × ${usd(p.kmsKeyMonth)}`, p.kmsKeyMonth, "KMS keys");
        break;
      case "aws_wafv2_web_acl": {
        const rules = Array.isArray(b.rule) ? b.rule.length : 0;
        add(`WAF web ACL ${b.name ?? r.name} + rules`, `${usd(p.wafWebAclMonth)} + ${rules} rules × ${usd(p.wafRuleMonth)}`, p.wafWebAclMonth + rules * p.wafRuleMonth, "WAF");
        const requests = webAclRequestsMillion(output, r, a);
        if (requests !== undefined) {
          add(`WAF requests ${b.name ?? r.name}`, `${requests} M × ${usd(p.wafRequestMillion)}`, requests * p.wafRequestMillion, "WAF");
        }
        break;
      }
      case "aws_ecr_repository":
        add("ECR storage", `${a.ecrStorageGbPerRepository} GB × ${usd(p.ecrStorageGbMonth)}`, a.ecrStorageGbPerRepository * p.ecrStorageGbMonth);
        break;
      case "aws_s3_bucket":
        add(`S3 ${b.bucket ?? r.name}`, `${a.s3StorageGbPerBucket} GB × ${usd(p.s3StandardGbMonth)}`, a.s3StorageGbPerBucket * p.s3StandardGbMonth, "S3 storage");
        break;
      case "aws_cloudtrail": {
        // The first trail of an account delivers management events for free.
        const first = trailsInAccount[0] === r.id;
        const mgmt = first ? 0 : a.cloudtrailManagementEventsMillionPerMonth * 10 * p.cloudtrailManagementEvents100k;
        add(`CloudTrail ${b.name ?? r.name} management events`, first ? "first trail: free" : `${a.cloudtrailManagementEventsMillionPerMonth} M × ${usd(p.cloudtrailManagementEvents100k * 10)}`, mgmt, "CloudTrail");
        const dataEvents = strings(b.event_selector).some((s) => s.startsWith("AWS::")) || strings(b.advanced_event_selector).some((s) => s.startsWith("AWS::"));
        if (dataEvents) {
          add("CloudTrail data events", `${a.cloudtrailDataEventsMillionPerMonth} M × ${usd(p.cloudtrailDataEvents100k * 10)}`, a.cloudtrailDataEventsMillionPerMonth * 10 * p.cloudtrailDataEvents100k, "CloudTrail");
        }
        break;
      }
      case "aws_config_configuration_recorder": {
        add("AWS Config items recorded (continuous)", `${a.configItemsPerMonth} × ${usd(p.configItem)}`, a.configItemsPerMonth * p.configItem, "AWS Config");
        const override = asRecord(asRecord(b.recording_mode).recording_mode_override);
        const daily = override.recording_frequency === "DAILY" ? strings(override.resource_types).length : 0;
        const churn = a.configHighChurnResources;
        if (daily > 0) {
          // At most one item a day per resource that changed that day, at the periodic price.
          const items = churn * 30 * Math.min(1, a.configHighChurnChangesPerResourcePerDay);
          add(`AWS Config items recorded (daily: ${daily} high-churn types)`, `${churn} resources × ${round(items / Math.max(churn, 1))} days × ${usd(p.configPeriodicItem)}`, items * p.configPeriodicItem, "AWS Config");
        } else {
          const items = churn * 30 * a.configHighChurnChangesPerResourcePerDay;
          add("AWS Config items recorded (continuous, high-churn types)", `${churn} resources × ${a.configHighChurnChangesPerResourcePerDay} changes × 30 days × ${usd(p.configItem)}`, items * p.configItem, "AWS Config");
        }
        break;
      }
      case "aws_config_config_rule":
        add("AWS Config rule evaluations", `${a.configEvaluationsPerRulePerMonth} × ${usd(p.configRuleEvaluation)}`, a.configEvaluationsPerRulePerMonth * p.configRuleEvaluation, "AWS Config");
        break;
      case "aws_guardduty_detector":
        add(
          "GuardDuty (account baseline)",
          `${a.cloudtrailManagementEventsMillionPerMonth} M events × ${usd(p.guarddutyCloudtrailEventsMillion)} + ${a.guarddutyLogsGbPerMonth} GB × ${usd(p.guarddutyLogsGb)}`,
          a.cloudtrailManagementEventsMillionPerMonth * p.guarddutyCloudtrailEventsMillion + a.guarddutyLogsGbPerMonth * p.guarddutyLogsGb,
          "GuardDuty",
        );
        break;
      case "aws_guardduty_detector_feature":
        if (b.name === "RUNTIME_MONITORING" && b.status === "ENABLED") {
          const vcpus = accountVcpus(output, stack, p);
          add(
            "GuardDuty Runtime Monitoring",
            `${vcpus} vCPUs (the account's instances) × ${usd(p.guarddutyRuntimeVcpuMonth)}`,
            vcpus * p.guarddutyRuntimeVcpuMonth,
            "GuardDuty",
          );
        }
        break;
      case "aws_securityhub_account":
        add("Security Hub checks (account baseline)", `${a.securityhubChecksPerMonth} × ${usd(p.securityhubCheck)}`, a.securityhubChecksPerMonth * p.securityhubCheck);
        break;
      case "aws_sns_topic":
        add(
          `SNS ${b.name ?? r.name}`,
          `${a.snsPublishesMillionPerMonth} M publishes × ${usd(p.snsRequestMillion)} + ${a.snsEmailsPerMonth} emails`,
          a.snsPublishesMillionPerMonth * p.snsRequestMillion + (a.snsEmailsPerMonth / 1e5) * p.snsEmail100k,
          "SNS",
        );
        break;
      default:
        break;
    }
  }

  // X-Ray: one trace per sampled request at each traced entry point (API, or ALB with a daemon).
  const stackHas = (pred: (r: TfResource) => boolean): boolean => stack.resources.some(pred);
  const tracedApi = stackHas(
    (r) =>
      (r.type === "aws_lambda_function" && asRecord(r.body.tracing_config).mode === "Active") ||
      (r.type === "aws_api_gateway_stage" && r.body.xray_tracing_enabled === true),
  );
  const tracedService = stackHas((r) => r.type === "aws_ecs_task_definition" && strings(r.body.container_definitions).some((s) => /xray/i.test(s)));
  const p = pricesFor(prices, stack.region);
  if (tracedApi) {
    const traces = a.apiRequestsMillionPerMonth * a.xraySamplingRate;
    add("X-Ray traces (API)", `${round(traces * 1000) / 1000} M × ${usd(p.xrayTracesMillion)}`, traces * p.xrayTracesMillion, "X-Ray");
  }
  if (tracedService) {
    const traces = a.albRequestsMillionPerMonth * a.xraySamplingRate;
    add("X-Ray traces (ECS service)", `${round(traces * 1000) / 1000} M × ${usd(p.xrayTracesMillion)}`, traces * p.xrayTracesMillion, "X-Ray");
  }

  const monthlyUsd = round(items.reduce((sum, item) => sum + item.monthlyUsd, 0));
  return { stack: stack.name, region: stack.region, monthlyUsd, items };
}

/** How a flow log is set: traffic type and aggregation. */
function flowLogSetting(body: Record<string, unknown>): string {
  return `${String(body.traffic_type ?? "ALL")}, ${num(body.max_aggregation_interval, 600)} s`;
}

/** Monthly GB of a flow log, scaled from the ALL/60 s assumption by its traffic type and aggregation. */
function flowLogGb(body: Record<string, unknown>, a: Assumptions): number {
  const reject = body.traffic_type === "REJECT" ? a.flowLogRejectShare : 1;
  const aggregation = num(body.max_aggregation_interval, 600) >= 600 ? a.flowLogTenMinuteShare : 1;
  return a.flowLogGbPerMonth * reject * aggregation;
}

/** Log groups that receive vended logs (flow logs, WAF logs): their monthly GB and how they are set. */
function vendedLogVolumes(output: SynthOutput, a: Assumptions): Map<string, { kind: string; gb: number; setting: string }> {
  const volumes = new Map<string, { kind: string; gb: number; setting: string }>();
  for (const ref of output.references) {
    const source = output.resources.get(ref.from);
    if (!source || !ref.to.includes("/aws_cloudwatch_log_group.")) continue;
    if (source.type === "aws_flow_log") {
      volumes.set(ref.to, { kind: "VPC flow logs", gb: flowLogGb(source.body, a), setting: flowLogSetting(source.body) });
    }
    if (source.type === "aws_wafv2_web_acl_logging_configuration") {
      const acl = output.resources.get(output.references.find((r) => r.from === source.id && r.to.includes("/aws_wafv2_web_acl."))?.to ?? "");
      const filtered = asRecord(source.body.logging_filter).default_behavior === "DROP";
      const requests = acl ? (webAclRequestsMillion(output, acl, a) ?? 0) : 0;
      const gb = requests * a.wafLogKbPerRequest * (filtered ? a.wafBlockedOrCountedShare : 1);
      volumes.set(ref.to, { kind: "WAF logs", gb, setting: filtered ? "blocked and counted requests" : "every request" });
    }
  }
  return volumes;
}

/** Million requests a web ACL inspects a month: the API's or the load balancer's it is associated with. */
function webAclRequestsMillion(output: SynthOutput, acl: TfResource, a: Assumptions): number | undefined {
  const associations = referrers(output, acl, "aws_wafv2_web_acl_association");
  if (associations.length === 0) return undefined;
  const onApi = associations.some((association) => output.references.some((r) => r.from === association.id && r.to.includes("/aws_api_gateway_stage.")));
  return onApi ? a.apiRequestsMillionPerMonth : a.albRequestsMillionPerMonth;
}

/**
 * Expiration and archive days of the objects an S3 destination (`arn:aws:s3:::bucket/prefix/`) delivers,
 * from the bucket's synthesized lifecycle rule for that prefix; a year in S3 Standard when not synthesized.
 */
function lifecycleOf(output: SynthOutput, destination: string): { expirationDays: number; archiveAfterDays?: number } {
  const [bucketName, ...rest] = destination.replace(/^arn:aws:s3:::/, "").split("/");
  const prefix = rest.length > 0 ? `${rest.join("/")}` : "";
  const bucket = [...output.resources.values()].find((r) => r.type === "aws_s3_bucket" && r.body.bucket === bucketName);
  const rules = (bucket ? referrers(output, bucket, "aws_s3_bucket_lifecycle_configuration") : [])
    .flatMap((lifecycle) => (Array.isArray(lifecycle.body.rule) ? lifecycle.body.rule : []).map(asRecord))
    .filter((rule) => strings(rule.filter).some((candidate) => candidate !== "" && prefix.startsWith(candidate)));
  const rule = rules[0];
  if (!rule) return { expirationDays: 365 };
  const days = (list: unknown): number | undefined => {
    const first = Array.isArray(list) ? asRecord(list[0]) : {};
    return typeof first.days === "number" ? first.days : undefined;
  };
  return { expirationDays: days(rule.expiration) ?? 365, archiveAfterDays: days(rule.transition) };
}

/** Budget of an environment from a synthesized aws_budgets_budget naming it, if there is one. */
export function synthesizedBudget(output: SynthOutput, environment: string): number | undefined {
  for (const stack of output.stacks) {
    for (const r of stack.resources) {
      if (r.type !== "aws_budgets_budget") continue;
      const name = String(r.body.name ?? "");
      const ownsIt = stack.environment === environment || name.split(/[-_ ]/).includes(environment);
      if (ownsIt && r.body.time_unit === "MONTHLY" && r.body.limit_unit === "USD") {
        const limit = num(r.body.limit_amount, Number.NaN);
        if (Number.isFinite(limit)) return limit;
      }
    }
  }
  return undefined;
}

/** Top cost drivers of a group: line items summed by component kind, largest first. */
export function drivers(group: GroupEstimate, count = 3): { component: string; monthlyUsd: number }[] {
  const sums = new Map<string, number>();
  for (const item of group.stacks.flatMap((s) => s.items)) {
    const kind = item.kind;
    sums.set(kind, (sums.get(kind) ?? 0) + item.monthlyUsd);
  }
  return [...sums.entries()]
    .map(([component, monthlyUsd]) => ({ component, monthlyUsd: round(monthlyUsd) }))
    .sort((x, y) => y.monthlyUsd - x.monthlyUsd || x.component.localeCompare(y.component))
    .slice(0, count);
}
