import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AccountConfig, EnvironmentConfig, GithubSubject } from "../config";
import { AuditTrail } from "../modules/account/audit-trail";
import { BillingAlarm } from "../modules/account/billing-alarm";
import { BudgetGuard } from "../modules/account/budget-guard";
import { CostAllocationTags } from "../modules/account/cost-allocation-tags";
import { FindingRoutes } from "../modules/account/finding-routes";
import { AlertTopic } from "../modules/core/alert-topic";
import { preventDestroyOfStatefulResources } from "../modules/core/destroy-protection";
import { GithubDeployRoles } from "../modules/account/github-deploy-roles";
import { SecurityAlarms } from "../modules/account/security-alarms";
import { Naming, WORKLOAD_BOUNDARY } from "../modules/core/naming";
import { suppressRule } from "../rules";
import { fromConfig } from "./config-props";
import { addStateBackend } from "./environment-stack";
import { addLogArchive, addRegionalBaseline, auditBucketName, baselineName, fromAccountConfig } from "./regional-baseline";

export interface AccountStackProps {
  readonly account: AccountConfig;
  /** Every environment that deploys into the account (not only the selected ones): one budget and deploy role each. */
  readonly environments: readonly EnvironmentConfig[];
}

/** Stack id of the account stack of `accountId`: `account`, or `account-<account>` when several accounts are configured. */
export function accountStackId(accountId: string, allAccountIds: readonly string[]): string {
  return new Set(allAccountIds).size > 1 ? `account-${accountId}` : "account";
}

/** S3 state key of an account stack. */
export function accountStateKey(accountId: string): string {
  return `account/${accountId}.tfstate`;
}

/** The OIDC `sub` claim a workflow of `env` presents: its GitHub environment, or a branch. */
export function githubSubject(account: AccountConfig, env: string): string {
  const repo = `repo:${account.github.owner}/${account.github.repository}`;
  const subject: GithubSubject = account.github.subjects[env] ?? { environment: env };
  return "branch" in subject ? `${repo}:ref:refs/heads/${subject.branch}` : `${repo}:environment:${subject.environment}`;
}

/** Tags activated for cost allocation; the budgets filter on `Environment`. */
export const COST_ALLOCATION_TAG_KEYS = ["Project", "Environment", "CostCenter"] as const;

/**
 * The security baseline and billing guards of one AWS account. Global parts: the multi-region audit
 * trail and the CIS alarms on it, IAM hygiene, GitHub OIDC deploy roles, budgets, cost-allocation
 * tags and a billing alarm. Regional parts of the account's home region: GuardDuty, Security Hub,
 * AWS Config, EBS/IMDS defaults and Access Analyzer, API Gateway's logging role, finding routes and
 * the log archive; every further region its environments use gets the same regional parts from its
 * own `AccountRegionStack`. Applied once per account by an administrator, before the environments;
 * its state sits in the account's state bucket.
 */
export class AccountStack extends TerraformStack {
  /** The AWS account the stack is applied to. */
  readonly accountId: string;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    this.accountId = props.account.accountId;
    const { account, environments } = props;
    const first = environments[0];
    if (!first) throw new Error(`AccountStack ${id} needs at least one environment`);
    const { accountId, region } = account;
    const { state, project, tags } = first;
    const name = baselineName(project, accountId);
    const auditBucket = auditBucketName(project, accountId, region);
    const defaultTags = [{ tags: { ...tags, Environment: "shared" } }];

    new AwsProvider(this, "aws", { region, allowedAccountIds: [accountId], defaultTags });
    const usEast1 = new AwsProvider(this, "aws-us-east-1", {
      alias: "us-east-1",
      region: "us-east-1",
      allowedAccountIds: [accountId],
      defaultTags,
    });
    addStateBackend(this, first, accountStateKey(accountId));
    // Audit records and their keys outlive every environment, decommissioned ones included.
    preventDestroyOfStatefulResources(this);

    const logArchive = addLogArchive(this, { project, accountId, region, environments, accessLogSources: [auditBucket] });
    const trail = new AuditTrail(this, "audit-trail", {
      name: `${name}-audit`,
      bucketName: auditBucket,
      accountId,
      region,
      // Who read or wrote which state object: the audit trail of every deploy.
      dataEventBucketArns: [`arn:aws:s3:::${state.bucket}`],
      logRetentionDays: account.trail.logRetentionDays,
      objectLockMode: account.trail.objectLockMode,
      ...fromAccountConfig(account, {
        archiveAfterDays: "trail.archiveAfterDays",
        expireAfterDays: "trail.expireAfterDays",
        objectLockDays: "trail.objectLockDays",
      }),
      accessLogs: logArchive.accessLogTarget(auditBucket),
      // The security topic shares the trail's key: alarms and finding routes publish to it.
      keyStatements: [AlertTopic.cloudWatchKeyStatement(), AlertTopic.eventBridgeKeyStatement()],
    });
    // The alarms watch the trail's log group, which holds every region's events: once per account.
    const alarms = new SecurityAlarms(this, "security-alarms", {
      name,
      accountId,
      region,
      logGroup: trail.logGroup,
      kmsKey: trail.key,
      ...fromAccountConfig(account, { emails: "securityAlertEmails" }),
      eventRuleArns: FindingRoutes.ruleArns(name, region, accountId),
    });
    const { guardDuty } = addRegionalBaseline(this, {
      account,
      region,
      name,
      topic: alarms.topic,
      home: true,
      auditBucket: trail.bucket,
      auditKey: trail.key,
    });

    const deploy = new GithubDeployRoles(this, "github-deploy", {
      accountId,
      roles: environments.map((env) => ({
        accountId,
        region: env.region,
        environment: env.name,
        namePrefix: `${env.project}-${env.name}`,
        projectPrefix: env.project,
        boundaryName: new Naming(env.project, env.name).name(WORKLOAD_BOUNDARY),
        subject: githubSubject(account, env.name),
        domainNames: [env.platform.domain?.recordName, env.serverless.domain?.recordName].filter((name): name is string => name !== undefined),
        state: env.state,
      })),
      // Pull-request plans (.github/workflows/pull-request.yml) run outside any GitHub environment.
      planSubject: `repo:${account.github.owner}/${account.github.repository}:pull_request`,
    });
    suppressRule(
      deploy,
      "iam-no-wildcard-resource",
      "CI roles use \"*\" only for reads and for writes AWS gives no resource type (each explained beside its statement in modules/account/deploy-permissions.ts); __tests__/iam/policies.test.ts refuses any other against the AWS action catalogue, and npm run e2e proves each role is denied every write to another environment",
    );

    for (const env of environments) {
      new BudgetGuard(this, `budget-${env.name}`, {
        name: `${env.project}-${env.name}-monthly`,
        tag: { key: "Environment", value: env.name },
        ...fromConfig(env, env.name, { monthlyLimitUsd: "budget.monthlyLimitUsd", emails: "alerting.emails" }),
      });
    }
    // AWS refuses a tag key before it appears in billing data: opt-in once the environments have run a day.
    if (account.billing.activateCostAllocationTags) {
      new CostAllocationTags(this, "cost-allocation-tags", { tagKeys: COST_ALLOCATION_TAG_KEYS });
    }
    new BillingAlarm(this, "billing-alarm", {
      name,
      accountId,
      usEast1Provider: usEast1,
      ...fromAccountConfig(account, { thresholdUsd: "billing.alarmThresholdUsd", emails: "securityAlertEmails" }),
    });

    new TerraformOutput(this, "security_alerts_topic_arn", {
      value: alarms.topic.arn,
      description: "SNS topic of the security alarms (root use, IAM and network changes, ...).",
    });
    new TerraformOutput(this, "audit_bucket", {
      value: trail.bucket.name,
      description: "S3 bucket holding CloudTrail and AWS Config files.",
    });
    new TerraformOutput(this, "guardduty_detector_id", {
      value: guardDuty.detectorId,
      description: "GuardDuty detector of the account's home region.",
    });
    new TerraformOutput(this, "log_archive_bucket", {
      value: logArchive.bucket.name,
      description: "S3 bucket of the home region's S3 server access logs (audit bucket) and VPC flow logs sent to S3.",
    });
    new TerraformOutput(this, "github_deploy_role_arns", {
      value: Object.fromEntries([...deploy.roles].map(([env, role]) => [env, role.arn])),
      description: "Role per environment for aws-actions/configure-aws-credentials (role-to-assume).",
    });
    new TerraformOutput(this, "github_plan_role_arns", {
      value: Object.fromEntries([...deploy.planRoles].map(([env, role]) => [env, role.arn])),
      description: "Read-only role per environment for pull-request plans (AWS_PLAN_ROLE_ARN_<ENV>).",
    });
  }
}
