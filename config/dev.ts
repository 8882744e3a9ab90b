import { ACCOUNT_ID, COST_CENTER, OWNER, PROJECT, REGION, STATE } from "./shared";
import type { EnvironmentConfig } from "./types";

/** Development: cheapest shape that still spans two AZs. No NAT gateway; gateway endpoints instead. */
export const dev: EnvironmentConfig = {
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
    flowLogRetentionDays: 14,
  },
  state: { ...STATE, keyPrefix: "dev" },
  compute: { instanceType: "t3.small", minCapacity: 1, desiredCapacity: 1, maxCapacity: 2 },
  alerting: { emails: ["platform-alerts+dev@example.com"] },
  budget: { monthlyLimitUsd: 150 },
};
