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
  },
  guardDuty: { enableS3Protection: true, enableRuntimeMonitoring: true },
  securityHub: { foundationalBestPractices: true, cis: true },
  awsConfig: { enableRules: true },
  // CIS AWS Foundations 1.8/1.9 and Security Hub IAM.7: at least 14 characters, 24 remembered.
  passwordPolicy: { minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 },
  // Cost-allocation tags: off for a fresh account's first apply (README, "Deploying to a real account").
  billing: { alarmThresholdUsd: 3500, activateCostAllocationTags: false },
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
