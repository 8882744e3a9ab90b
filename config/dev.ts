import type { EnvironmentInput } from "./schema";
import { ACCOUNT_ID, COST_CENTER, OWNER, PROJECT, REGION, STATE } from "./shared";

/** Development: cheapest shape that still spans two AZs. No NAT gateway; gateway endpoints instead. */
export const dev = {
  name: "dev",
  project: PROJECT,
  region: REGION,
  accountId: ACCOUNT_ID,
  tags: { Project: PROJECT, Environment: "dev", Owner: OWNER, CostCenter: COST_CENTER, ManagedBy: "cdktf" },
  network: {
    vpcCidr: "10.10.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    publicSubnetCidrs: ["10.10.0.0/24", "10.10.1.0/24"],
    privateSubnetCidrs: ["10.10.16.0/20", "10.10.32.0/20"],
    natStrategy: "none",
    flowLogRetentionDays: 365,
    flowLogTrafficType: "REJECT",
  },
  state: { ...STATE, keyPrefix: "dev" },
  compute: { instanceType: "t3.small", minCapacity: 1, desiredCapacity: 1, maxCapacity: 2 },
  platform: {
    instanceSubnets: "public",
    managedTerminationProtection: false,
    containerPort: 8080,
    taskCpu: 256,
    taskMemoryMiB: 512,
    minTaskCount: 1,
    desiredTaskCount: 1,
    maxTaskCount: 2,
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 1000,
    healthCheckGracePeriodSeconds: 60,
    // Plain HTTP on the load balancer's own name; a domain (or certificateArn) makes it HTTPS.
    requireHttps: false,
    albDeletionProtection: false,
    wafRateLimitPer5Minutes: 1000,
    ecrKeepImages: 10,
    logRetentionDays: 365,
    tableDeletionProtection: false,
  },
  serverless: {
    functionMemoryMiB: 256,
    reservedConcurrency: 5,
    throttlingRateLimit: 20,
    throttlingBurstLimit: 40,
    wafRateLimitPer5Minutes: 600,
    corsAllowOrigins: ["http://localhost:3000"],
    logRetentionDays: 365,
    tableDeletionProtection: false,
  },
  alerting: { emails: ["platform-alerts+dev@example.com"] },
  // One small task and cold functions: latency is looser than in staging and prod.
  observability: { targetResponseTimeP95Seconds: 1, targetResponseTimeP99Seconds: 3, apiLatencyP95Ms: 2000 },
  budget: { monthlyLimitUsd: 150 },
  // Disposable: a destroy removes everything, the ECR images and access logs included.
  preventDestroy: false,
} satisfies EnvironmentInput;
