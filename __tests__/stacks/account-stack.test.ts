import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { IamAccountPasswordPolicy } from "@cdktf/provider-aws/lib/iam-account-password-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { beforeAll, describe, expect, it } from "vitest";
import { type AccountConfig, type EnvironmentConfig } from "../../config";
import { buildStacks } from "../../stacks/app";
import { AccountStack, accountStackId, accountStateKey, githubSubject } from "../../stacks/account-stack";
import { accounts, environments, inAccount, resource, resources, shippedApp, type StackJson, statements, synthApp, synthStack, testApp, variant } from "../support/synth";

const ACCOUNT = "123456789012";
const PROD_ACCOUNT = "210987654321";
const shippedAccount = accounts[ACCOUNT]!;
const json = (): StackJson => shippedApp().json.get("account")!;
const subjectOf = (role: Record<string, unknown>) =>
  ((statements(role.assume_role_policy)[0]!.Condition as Record<string, Record<string, string>>).StringEquals!)["token.actions.githubusercontent.com:sub"];

/**
 * The account stack alone, for the shipped environments and account as changed by `edit`: it reads
 * no other stack, so the environment layers need not be built.
 */
function accountStackOf(environmentList: readonly EnvironmentConfig[], edit: (account: any) => void = () => {}): StackJson {
  const account = structuredClone(shippedAccount) as any;
  edit(account);
  return synthStack(new AccountStack(testApp(), "account", { account, environments: environmentList }));
}
const withAccount = (edit: (account: any) => void): StackJson => accountStackOf(Object.values(environments), edit);

describe("AccountStack", () => {
  it("is one stack named `account` for the one configured account", () => {
    expect(shippedApp().stacks.account.map((stack) => stack.node.id)).toEqual(["account"]);
    expect(accountStackId(ACCOUNT, [ACCOUNT, ACCOUNT])).toBe("account");
    expect(accountStackId(ACCOUNT, [ACCOUNT, PROD_ACCOUNT])).toBe(`account-${ACCOUNT}`);
  });

  describe("state and provider", () => {
    it("keeps its state in the account's state bucket under account/<id>.tfstate, encrypted and locked like the environments", () => {
      const state = environments.dev!.state;
      expect(json().terraform?.backend).toEqual({
        s3: {
          bucket: state.bucket,
          key: `account/${ACCOUNT}.tfstate`,
          region: state.region,
          encrypt: true,
          kms_key_id: `arn:aws:kms:${state.region}:${ACCOUNT}:alias/${state.kmsKeyAlias}`,
          dynamodb_table: state.lockTable,
          allowed_account_ids: [ACCOUNT],
        },
      });
      expect(accountStateKey(ACCOUNT)).toBe(`account/${ACCOUNT}.tfstate`);
    });

    it("adds use_lockfile when the state config asks for it", () => {
      const lockfile = Object.fromEntries(
        Object.entries(environments).map(([name, env]) => [name, variant(env, (copy) => (copy.state.useLockfile = true))]),
      );
      const backend = accountStackOf(Object.values(lockfile)).terraform?.backend?.s3;
      expect(backend).toEqual(expect.objectContaining({ use_lockfile: true }));
    });

    it("pins both providers (the region's and the us-east-1 alias) to the account, with shared default tags", () => {
      const tags = { ...environments.dev!.tags, Environment: "shared" };
      expect(json().provider?.aws).toEqual([
        expect.objectContaining({ region: shippedAccount.region, allowed_account_ids: [ACCOUNT], default_tags: [{ tags }] }),
        expect.objectContaining({ alias: "us-east-1", region: "us-east-1", allowed_account_ids: [ACCOUNT], default_tags: [{ tags }] }),
      ]);
    });
  });

  describe("shipped baseline", () => {
    it("records the state bucket's object reads and writes in the multi-region trail", () => {
      const trail = resource(json(), Cloudtrail);
      expect(trail).toEqual(expect.objectContaining({ name: `acme-${ACCOUNT}-audit`, is_multi_region_trail: true, enable_log_file_validation: true }));
      expect(trail.event_selector).toContainEqual(
        expect.objectContaining({ data_resource: [{ type: "AWS::S3::Object", values: [`arn:aws:s3:::${environments.dev!.state.bucket}/`] }] }),
      );
    });

    it("names the audit bucket and the home region's log archive after project, account and region", () => {
      const { project } = environments.dev!;
      expect(resources(json(), S3Bucket).map((bucket) => bucket.bucket)).toEqual([`${project}-${ACCOUNT}-audit-${shippedAccount.region}`, `${project}-${ACCOUNT}-logs-${shippedAccount.region}`]);
    });

    it("logs every request to the audit bucket into the log archive, and locks audit files as config says", () => {
      const audit = `${environments.dev!.project}-${ACCOUNT}-audit-${shippedAccount.region}`;
      expect(resource(json(), S3BucketLoggingA)).toEqual(
        expect.objectContaining({ target_prefix: `s3-access-logs/${audit}/`, target_bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.log-archive/) }),
      );
      expect(resource(json(), S3BucketObjectLockConfigurationA).rule).toEqual({
        default_retention: { mode: shippedAccount.trail.objectLockMode, days: shippedAccount.trail.objectLockDays },
      });
    });

    it("keeps the flow logs of the environments that send them to S3 in the log archive, each as long as its config says", () => {
      const toS3 = Object.values(environments).filter((env) => env.network.flowLogDestination === "s3" && env.region === shippedAccount.region);
      expect(toS3.length).toBeGreaterThan(0);
      const rules = resources(json(), S3BucketLifecycleConfiguration).flatMap((lifecycle) => lifecycle.rule as Record<string, unknown>[]);
      for (const env of toS3) {
        expect(rules).toContainEqual(expect.objectContaining({ filter: [{ prefix: `vpc-flow-logs/${env.name}/` }], expiration: [{ days: env.network.flowLogRetentionDays }] }));
      }
    });

    it("routes GuardDuty, Security Hub and Access Analyzer findings to the security topic, which lets exactly those rules publish", () => {
      const rules = resources(json(), CloudwatchEventRule).map((rule) => String(rule.name));
      expect(rules.sort()).toEqual(["access-analyzer", "guardduty", "securityhub"].map((id) => `${environments.dev!.project}-${ACCOUNT}-${id}-findings`));
      // The security topic's policy (the billing alarm's us-east-1 topic has its own).
      const topicPolicy = resources(json(), SnsTopicPolicy)
        .filter((policy) => policy.provider === undefined)
        .flatMap((policy) => statements(policy.policy));
      expect(topicPolicy).toContainEqual(
        expect.objectContaining({
          Principal: { Service: "events.amazonaws.com" },
          Condition: { ArnEquals: { "aws:SourceArn": expect.arrayContaining(rules.map((name) => `arn:aws:events:${shippedAccount.region}:${ACCOUNT}:rule/${name}`)) } },
        }),
      );
      // The topic shares the trail's key: EventBridge may use it to publish.
      const trailKey = resources(json(), "aws_kms_key").find((key) => String(key.description).includes("CloudTrail"))!;
      expect(statements(trailKey.policy)).toContainEqual(expect.objectContaining({ Sid: "AllowEventBridgeRules" }));
    });

    it("records high-churn resource types daily, as config lists them", () => {
      expect(resource(json(), ConfigConfigurationRecorder).recording_mode).toEqual(
        expect.objectContaining({ recording_mode_override: expect.objectContaining({ recording_frequency: "DAILY", resource_types: [...shippedAccount.awsConfig.dailyResourceTypes] }) }),
      );
    });

    it("has the security alarms and the billing alarm", () => {
      const names = resources(json(), CloudwatchMetricAlarm).map((alarm) => alarm.alarm_name);
      expect(names).toEqual(expect.arrayContaining([`acme-${ACCOUNT}-root-usage`, `acme-${ACCOUNT}-estimated-charges`]));
      const billing = resources(json(), CloudwatchMetricAlarm).find((alarm) => alarm.alarm_name === `acme-${ACCOUNT}-estimated-charges`);
      expect(billing).toEqual(expect.objectContaining({ threshold: 3500, provider: "aws.us-east-1" }));
    });

    it("budgets every environment of the account at its limit, alerting its alerting e-mails", () => {
      const budgets = resources(json(), BudgetsBudget);
      const ofAccount = Object.values(environments).filter((env) => env.accountId === ACCOUNT);
      expect(budgets.map((budget) => [budget.name, budget.limit_amount]).sort()).toEqual(
        ofAccount.map((env) => [`${env.project}-${env.name}-monthly`, env.budget.monthlyLimitUsd.toFixed(2)]).sort(),
      );
      for (const env of ofAccount) {
        const budget = budgets.find((candidate) => candidate.name === `${env.project}-${env.name}-monthly`)!;
        expect(budget.cost_filter).toEqual([{ name: "TagKeyValue", values: [`user:Environment$${env.name}`] }]);
        for (const notification of budget.notification as Record<string, unknown>[]) {
          expect(notification.subscriber_email_addresses).toEqual(env.alerting.emails);
        }
      }
    });

    it("activates Project, Environment and CostCenter as cost-allocation tags", () => {
      expect(resources(json(), CeCostAllocationTag).map((tag) => tag.tag_key).sort()).toEqual(["CostCenter", "Environment", "Project"]);
    });

    it("makes one deploy role per environment, assumable from the GitHub environment of the same name", () => {
      const roles = resources(json(), IamRole).filter((role) => String(role.name).endsWith("-github-deploy"));
      const repo = `repo:${shippedAccount.github.owner}/${shippedAccount.github.repository}`;
      expect(roles.map((role) => [role.name, subjectOf(role)]).sort()).toEqual(
        Object.values(environments)
          .map((env) => [`${env.project}-${env.name}-github-deploy`, `${repo}:environment:${env.name}`])
          .sort(),
      );
    });

    it("turns on every default: S3 protection (runtime monitoring off), both standards, the Config rules, CIS password policy", () => {
      expect(resources(json(), GuarddutyDetectorFeature).map((feature) => [feature.name, feature.status]).sort()).toEqual([
        ["RUNTIME_MONITORING", "DISABLED"],
        ["S3_DATA_EVENTS", "ENABLED"],
      ]);
      expect(resources(json(), SecurityhubStandardsSubscription)).toHaveLength(2);
      expect(resources(json(), ConfigConfigRule)).toHaveLength(6);
      expect(resource(json(), IamAccountPasswordPolicy)).toEqual(
        expect.objectContaining({ minimum_password_length: 14, password_reuse_prevention: 24, max_password_age: 90 }),
      );
      expect((json() as Record<string, unknown>).import).toBeUndefined();
    });

    it("sets API Gateway's account-wide logging role, which the environments' REST API stages need", () => {
      expect(resource(json(), ApiGatewayAccount)).toEqual(expect.objectContaining({ cloudwatch_role_arn: expect.stringMatching(/^\$\{aws_iam_role\./) }));
    });

    it("describes every output", () => {
      expect(Object.keys(json().output ?? {}).sort()).toEqual([
        "audit_bucket",
        "github_deploy_role_arns",
        "github_plan_role_arns",
        "guardduty_detector_id",
        "log_archive_bucket",
        "security_alerts_topic_arn",
      ]);
      for (const output of Object.values(json().output ?? {})) expect(output.description).toMatch(/\S/);
    });
  });

  describe("from config", () => {
    it("adopts an existing GuardDuty detector through an import block", () => {
      const id = "12abc34d567e8fa901bc2d34e56789f0";
      const stack = withAccount((account) => (account.guardDuty.adoptDetectorId = id)) as StackJson & { import?: unknown[] };
      expect(stack.import).toEqual([{ to: expect.stringMatching(/^aws_guardduty_detector\./), id }]);
    });

    it("turns off a standard and the Config rules when asked", () => {
      const stack = withAccount((account) => {
        account.securityHub.cis = false;
        account.awsConfig.enableRules = false;
      });
      expect(resources(stack, SecurityhubStandardsSubscription).map((subscription) => subscription.standards_arn)).toEqual([
        `arn:aws:securityhub:${shippedAccount.region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
      ]);
      expect(resources(stack, ConfigConfigRule)).toEqual([]);
    });

    it("takes the password policy, trail retention and billing threshold from config", () => {
      const stack = withAccount((account) => {
        account.passwordPolicy = { minimumLength: 20, reusePrevention: 24, maxAgeDays: 60 };
        account.trail.logRetentionDays = 731;
        account.billing.alarmThresholdUsd = 1000;
      });
      expect(resource(stack, IamAccountPasswordPolicy)).toEqual(expect.objectContaining({ minimum_password_length: 20, max_password_age: 60 }));
      expect(resources(stack, "aws_cloudwatch_log_group").map((group) => group.retention_in_days)).toEqual([731]);
      expect(resources(stack, CloudwatchMetricAlarm).find((alarm) => alarm.namespace === "AWS/Billing")?.threshold).toBe(1000);
    });

    it("builds the OIDC subject from a branch or a GitHub environment", () => {
      const account: AccountConfig = { ...shippedAccount, github: { owner: "acme", repository: "platform", subjects: { prod: { branch: "main" }, dev: { environment: "development" } } } };
      expect(githubSubject(account, "prod")).toBe("repo:acme/platform:ref:refs/heads/main");
      expect(githubSubject(account, "dev")).toBe("repo:acme/platform:environment:development");
      expect(githubSubject(account, "staging")).toBe("repo:acme/platform:environment:staging");
    });
  });

  describe("selection and accounts", () => {
    it("covers every environment of the account even when only dev is selected", () => {
      const app = testApp();
      const stacks = buildStacks(app, [environments.dev!], Object.values(environments), accounts);
      expect(stacks.account.map((stack) => stack.node.id)).toEqual(["account"]);
      expect(resources(synthStack(stacks.account[0]!), BudgetsBudget)).toHaveLength(Object.keys(environments).length);
    });

    it("is left out when no accounts are given", () => {
      expect(buildStacks(testApp(), Object.values(environments)).account).toEqual([]);
    });

    describe("one stack per account", () => {
      let prodJson: StackJson;
      let ids: string[];
      beforeAll(() => {
        const multi: Record<string, EnvironmentConfig> = { ...environments, prod: inAccount(environments.prod!, PROD_ACCOUNT) };
        const app = synthApp(multi, { ...accounts, [PROD_ACCOUNT]: { ...shippedAccount, accountId: PROD_ACCOUNT } });
        ids = [...app.json.keys()].filter((id) => id.startsWith("account"));
        prodJson = app.json.get(`account-${PROD_ACCOUNT}`)!;
      });

      it("names them account-<account id>", () => {
        expect(ids).toEqual([`account-${ACCOUNT}`, `account-${PROD_ACCOUNT}`]);
      });

      it("keeps the prod account's state in its own bucket and covers only prod", () => {
        expect(prodJson.terraform?.backend?.s3).toEqual(
          expect.objectContaining({ bucket: inAccount(environments.prod!, PROD_ACCOUNT).state.bucket, key: `account/${PROD_ACCOUNT}.tfstate`, allowed_account_ids: [PROD_ACCOUNT] }),
        );
        expect(resources(prodJson, BudgetsBudget).map((budget) => budget.name)).toEqual(["acme-prod-monthly"]);
        const prodBaseline = `${environments.prod!.project}-${PROD_ACCOUNT}`;
        expect(resources(prodJson, S3Bucket).map((bucket) => bucket.bucket)).toEqual([`${prodBaseline}-audit-${shippedAccount.region}`, `${prodBaseline}-logs-${shippedAccount.region}`]);
      });
    });

    it("refuses to build for an account without an entry", () => {
      expect(() => buildStacks(testApp(), Object.values(environments), Object.values(environments), {})).toThrow(
        `account ${ACCOUNT} has no entry in the accounts configuration`,
      );
    });
  });
});
