/**
 * The AWS accounts the environments deploy into, keyed by account id: one `account` stack each.
 * Every environment's `accountId` needs an entry here.
 */
import { ACCOUNT_ID, PROJECT, REGION } from "./shared";
import type { AccountConfig } from "./types";

/** Safe defaults: start an account from these and override what differs. */
export const ACCOUNT_DEFAULTS: Omit<AccountConfig, "accountId" | "region" | "securityAlertEmails" | "github"> = {
  trail: {
    logRetentionDays: 365,
    // A month of hot logs for investigations, then Glacier IR (same millisecond reads, ~1/5 the
    // storage price); seven years is the usual audit-retention requirement.
    archiveAfterDays: 30,
    expireAfterDays: 2557,
    // Nobody, root included, can delete or overwrite a year of audit files; use GOVERNANCE in a
    // sandbox account that must be torn down sooner (README "Security").
    objectLockMode: "COMPLIANCE",
    objectLockDays: 365,
  },
  guardDuty: { enableS3Protection: true },
  securityHub: { foundationalBestPractices: true, cis: true },
  awsConfig: {
    enableRules: true,
    // Each change of these is a billed configuration item: instances and their interfaces come and
    // go with scaling, services and task definitions change with every deploy and scaling step,
    // alarms with every state change. Once a day is enough to audit them.
    dailyResourceTypes: [
      "AWS::EC2::Instance",
      "AWS::EC2::NetworkInterface",
      "AWS::ECS::Service",
      "AWS::ECS::TaskDefinition",
      "AWS::AutoScaling::AutoScalingGroup",
      "AWS::CloudWatch::Alarm",
    ],
  },
  // CIS AWS Foundations 1.8/1.9 and Security Hub IAM.7: at least 14 characters, 24 remembered.
  passwordPolicy: { minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 },
  billing: { alarmThresholdUsd: 3500 },
};

export const accounts: Readonly<Record<string, AccountConfig>> = {
  [ACCOUNT_ID]: {
    ...ACCOUNT_DEFAULTS,
    accountId: ACCOUNT_ID,
    region: REGION,
    securityAlertEmails: ["security-alerts@example.com"],
    github: { owner: PROJECT, repository: "platform", subjects: {} },
  },
};
