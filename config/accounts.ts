/**
 * The AWS accounts the environments deploy into, keyed by account id: one `account` stack each.
 * Every environment's `accountId` needs an entry here. Sections left out take the schema's safe
 * defaults (`AccountSchema` in `config/schema.ts`); override only what differs.
 */
import type { AccountInput } from "./schema";
import { ACCOUNT_ID, PROJECT, REGION } from "./shared";

export const accounts: Readonly<Record<string, AccountInput>> = {
  [ACCOUNT_ID]: {
    accountId: ACCOUNT_ID,
    region: REGION,
    securityAlertEmails: ["security-alerts@example.com"],
    github: { owner: PROJECT, repository: "platform" },
  },
};
