/**
 * Values every environment shares. Edit these first when adopting the template:
 * the project name, the AWS account and the state location.
 */
import type { ObservabilityConfig, StateConfig } from "./types";

export const PROJECT = "acme";

/**
 * The AWS account the environments deploy into. All three share one account by default; give each
 * environment its own `accountId` (and state bucket) for a multi-account setup.
 * 123456789012 is AWS's documentation account (and the emulator's), never a real one.
 */
export const ACCOUNT_ID = "123456789012";

export const REGION = "eu-west-1";

/** State location shared by every environment of the account; created by the `bootstrap` stack. */
export const STATE: Omit<StateConfig, "keyPrefix"> = {
  // The account id keeps the globally unique bucket name from colliding with another team's.
  bucket: `${PROJECT}-tfstate-${ACCOUNT_ID}-${REGION}`,
  lockTable: `${PROJECT}-tfstate-lock`,
  region: REGION,
  kmsKeyAlias: `${PROJECT}-tfstate`,
  useLockfile: false,
};

export const OWNER = "platform-team";
export const COST_CENTER = "cc-1234";

/**
 * Alarm thresholds every environment starts from (README "Observability" says why each one).
 * Counts are per 5-minute period.
 */
export const OBSERVABILITY: ObservabilityConfig = {
  loadBalancer5xxCount: 5,
  target5xxCount: 10,
  targetResponseTimeP95Seconds: 0.5,
  targetResponseTimeP99Seconds: 1.5,
  rejectedConnectionCount: 1,
  unhealthyHostCount: 1,
  serviceCpuPercent: 85,
  serviceMemoryPercent: 85,
  capacityProviderReservationPercent: 100,
  tableThrottleEvents: 1,
  tableSystemErrors: 1,
  capacityAnomalyBandWidth: 3,
  backendLogErrors: 10,
  functionErrors: 5,
  functionThrottles: 1,
  functionDurationPercentOfTimeout: 80,
  functionConcurrencyPercentOfReserved: 80,
  api5xxCount: 5,
  api4xxRatePercent: 10,
  apiLatencyP95Ms: 1000,
  wafBlockedRequests: 500,
};
