import type { EnvironmentInput } from "./schema";
import { ACCOUNT_ID, COST_CENTER, OWNER, PROJECT, REGION, STATE } from "./shared";

/**
 * Production: highly available. Three AZs, a NAT gateway per AZ, two years of logs. Protected from
 * destroy (preventDestroy, the default): docs/deploying.md, "Decommissioning an environment", is
 * the way out.
 */
export const prod = {
  name: "prod",
  project: PROJECT,
  region: REGION,
  accountId: ACCOUNT_ID,
  tags: { Project: PROJECT, Environment: "prod", Owner: OWNER, CostCenter: COST_CENTER, ManagedBy: "cdktf" },
  network: {
    vpcCidr: "10.30.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    publicSubnetCidrs: ["10.30.0.0/24", "10.30.1.0/24", "10.30.2.0/24"],
    privateSubnetCidrs: ["10.30.16.0/20", "10.30.32.0/20", "10.30.48.0/20"],
    natStrategy: "per-az",
    flowLogRetentionDays: 731,
    flowLogDestination: "s3",
    flowLogAggregationSeconds: 60,
  },
  state: { ...STATE, keyPrefix: "prod" },
  compute: { instanceType: "m6i.large", minCapacity: 3, desiredCapacity: 3, maxCapacity: 9 },
  platform: {
    instanceSubnets: "private",
    managedTerminationProtection: true,
    containerPort: 8080,
    taskCpu: 512,
    taskMemoryMiB: 1024,
    minTaskCount: 3,
    desiredTaskCount: 3,
    maxTaskCount: 12,
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 1000,
    healthCheckGracePeriodSeconds: 60,
    // HTTPS only (requireHttps, the default) on a name of a public hosted zone of the account: edit
    // both to yours; the certificate, its validation records and the alias record are made there.
    domain: { hostedZone: "example.com", recordName: "app.example.com" },
    albDeletionProtection: true,
    wafRateLimitPer5Minutes: 2000,
    ecrKeepImages: 50,
    logRetentionDays: 731,
    tableDeletionProtection: true,
  },
  serverless: {
    domain: { hostedZone: "example.com", recordName: "api.example.com" },
    functionMemoryMiB: 512,
    reservedConcurrency: 50,
    throttlingRateLimit: 200,
    throttlingBurstLimit: 400,
    wafRateLimitPer5Minutes: 3000,
    corsAllowOrigins: ["https://tips.example.com"],
    logRetentionDays: 731,
    tableDeletionProtection: true,
  },
  alerting: { emails: ["platform-alerts+prod@example.com", "oncall@example.com"] },
  // Prod's public hostname draws constant background scanning that the WAF blocks as designed;
  // only a burst well above it is an attack worth waking someone for.
  observability: { wafBlockedRequests: 1000 },
  budget: { monthlyLimitUsd: 2500 },
} satisfies EnvironmentInput;
