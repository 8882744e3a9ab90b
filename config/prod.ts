import { ACCOUNT_ID, COST_CENTER, OWNER, PROJECT, REGION, STATE } from "./shared";
import type { EnvironmentConfig } from "./types";

/** Production: highly available. Three AZs, a NAT gateway per AZ, a year of flow logs. */
export const prod: EnvironmentConfig = {
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
    flowLogRetentionDays: 365,
  },
  state: { ...STATE, keyPrefix: "prod" },
  compute: { instanceType: "m6i.large", minCapacity: 3, desiredCapacity: 3, maxCapacity: 9 },
  alerting: { emails: ["platform-alerts+prod@example.com", "oncall@example.com"] },
  budget: { monthlyLimitUsd: 2500 },
};
