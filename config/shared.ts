/**
 * Values every environment shares. Edit these first when adopting the template:
 * the project name, the AWS account and the state location.
 */
import type { EnvironmentInput } from "./schema";

export const PROJECT = "acme";

/**
 * The AWS account the environments deploy into. All three share one account by default; give each
 * environment its own `accountId` (and state bucket) for a multi-account setup.
 * 123456789012 is AWS's documentation account (and the emulator's), never a real one.
 */
export const ACCOUNT_ID = "123456789012";

export const REGION = "eu-west-1";

/** State location shared by every environment of the account; created by the `bootstrap` stack. */
export const STATE: Omit<EnvironmentInput["state"], "keyPrefix"> = {
  // The account id keeps the globally unique bucket name from colliding with another team's.
  bucket: `${PROJECT}-tfstate-${ACCOUNT_ID}-${REGION}`,
  lockTable: `${PROJECT}-tfstate-lock`,
  region: REGION,
  kmsKeyAlias: `${PROJECT}-tfstate`,
  useLockfile: false,
};

export const OWNER = "platform-team";
export const COST_CENTER = "cc-1234";
