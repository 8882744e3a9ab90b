import type { EnvironmentInput } from "./schema";
import { ACCOUNT_ID, COST_CENTER, OWNER, PROJECT, REGION, STATE } from "./shared";

/** Staging: prod's three-AZ topology, one shared NAT gateway to keep the bill down. */
export const staging = {
  name: "staging",
  project: PROJECT,
  region: REGION,
  accountId: ACCOUNT_ID,
  tags: { Project: PROJECT, Environment: "staging", Owner: OWNER, CostCenter: COST_CENTER, ManagedBy: "cdktf" },
  network: {
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    publicSubnetCidrs: ["10.20.0.0/24", "10.20.1.0/24", "10.20.2.0/24"],
    privateSubnetCidrs: ["10.20.16.0/20", "10.20.32.0/20", "10.20.48.0/20"],
    natStrategy: "single",
    flowLogRetentionDays: 365,
  },
  state: { ...STATE, keyPrefix: "staging" },
  compute: { instanceType: "t3.medium", minCapacity: 2, desiredCapacity: 2, maxCapacity: 4 },
  platform: {
    instanceSubnets: "private",
    managedTerminationProtection: false,
    containerPort: 8080,
    taskCpu: 256,
    taskMemoryMiB: 512,
    minTaskCount: 2,
    desiredTaskCount: 2,
    maxTaskCount: 4,
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 1000,
    healthCheckGracePeriodSeconds: 60,
    // HTTPS only (requireHttps, the default) on a name of a public hosted zone of the account: edit
    // both to yours; the certificate, its validation records and the alias record are made there.
    domain: { hostedZone: "example.com", recordName: "app.staging.example.com" },
    albDeletionProtection: false,
    wafRateLimitPer5Minutes: 2000,
    ecrKeepImages: 20,
    logRetentionDays: 365,
    tableDeletionProtection: false,
  },
  serverless: {
    domain: { hostedZone: "example.com", recordName: "api.staging.example.com" },
    functionMemoryMiB: 256,
    reservedConcurrency: 10,
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
    wafRateLimitPer5Minutes: 1500,
    corsAllowOrigins: ["https://tips.staging.example.com"],
    logRetentionDays: 365,
    tableDeletionProtection: false,
  },
  alerting: { emails: ["platform-alerts+staging@example.com"] },
  budget: { monthlyLimitUsd: 400 },
  // Disposable: a destroy removes everything, the ECR images and access logs included.
  preventDestroy: false,
} satisfies EnvironmentInput;
