import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AccountConfig, EnvironmentConfig } from "../config";
import { FindingRoutes } from "../modules/account/finding-routes";
import { AlertTopic } from "../modules/core/alert-topic";
import { preventDestroyOfStatefulResources } from "../modules/core/destroy-protection";
import { addStateBackend } from "./environment-stack";
import { addLogArchive, addRegionalBaseline, auditBucketName, baselineName, flowLogsToArchive } from "./regional-baseline";

export interface AccountRegionStackProps {
  readonly account: AccountConfig;
  /** A region of the account's environments other than its home region. */
  readonly region: string;
  /** Every environment that deploys into the account; those in `region` may send flow logs to its log archive. */
  readonly environments: readonly EnvironmentConfig[];
}

/**
 * Stack id of the regional baseline of `accountId` in `region`: `account-<region>`, or
 * `account-<account>-<region>` when several accounts are configured (as the account stack gets its
 * account id). Region names always hold a letter, so they never clash with account ids.
 */
export function accountRegionStackId(accountId: string, region: string, allAccountIds: readonly string[]): string {
  return new Set(allAccountIds).size > 1 ? `account-${accountId}-${region}` : `account-${region}`;
}

/** S3 state key of an account's regional stack: beside the account stack's `account/<id>.tfstate`. */
export function accountRegionStateKey(accountId: string, region: string): string {
  return `account/${accountId}/${region}.tfstate`;
}

/**
 * The regional parts of an account's baseline in one further region its environments use:
 * GuardDuty, Security Hub, AWS Config (delivering to the home region's audit bucket), EBS/IMDS
 * defaults and Access Analyzer, API Gateway's logging role, the region's log archive (when an
 * environment there sends its flow logs to S3), and a security topic (its own key) that the region's finding routes publish to. The global parts stay
 * in the account stack. Applied by an administrator after the account stack and before the
 * environments of the region.
 */
export class AccountRegionStack extends TerraformStack {
  /** The AWS account the stack is applied to. */
  readonly accountId: string;
  readonly topic: AlertTopic;

  constructor(scope: Construct, id: string, props: AccountRegionStackProps) {
    super(scope, id);
    this.accountId = props.account.accountId;
    const { account, region, environments } = props;
    const first = environments.find((env) => env.accountId === account.accountId);
    if (!first) throw new Error(`AccountRegionStack ${id} needs at least one environment of account ${account.accountId}`);
    if (region === account.region) throw new Error(`AccountRegionStack ${id}: ${region} is the account's home region, whose regional parts the account stack holds`);
    const { accountId } = account;
    const { project, tags } = first;
    const name = baselineName(project, accountId);

    new AwsProvider(this, "aws", { region, allowedAccountIds: [accountId], defaultTags: [{ tags: { ...tags, Environment: "shared" } }] });
    addStateBackend(this, first, accountRegionStateKey(accountId, region));
    // The region's log archive and the keys of the baseline outlive every environment, decommissioned ones included.
    preventDestroyOfStatefulResources(this);

    // Only where an environment of the region sends its flow logs to S3: no empty bucket to guard.
    const logArchive = flowLogsToArchive(environments, region).length > 0 ? addLogArchive(this, { project, accountId, region, environments }) : undefined;
    this.topic = new AlertTopic(this, "security-topic", {
      name: `${name}-security-alerts`,
      accountId,
      region,
      emails: account.securityAlertEmails,
      eventRuleArns: FindingRoutes.ruleArns(name, region, accountId),
    });
    const audit = auditBucketName(project, accountId, account.region);
    const { guardDuty } = addRegionalBaseline(this, {
      account,
      region,
      name,
      topic: this.topic,
      home: false,
      auditBucket: { name: audit, arn: `arn:aws:s3:::${audit}` },
    });

    new TerraformOutput(this, "security_alerts_topic_arn", {
      value: this.topic.arn,
      description: `SNS topic of the security findings of ${region} (GuardDuty, Security Hub, Access Analyzer).`,
    });
    new TerraformOutput(this, "guardduty_detector_id", {
      value: guardDuty.detectorId,
      description: `GuardDuty detector of ${region}.`,
    });
    if (logArchive) {
      new TerraformOutput(this, "log_archive_bucket", {
        value: logArchive.bucket.name,
        description: `S3 bucket of the VPC flow logs ${region}'s environments send to S3.`,
      });
    }
  }
}
