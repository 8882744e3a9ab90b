import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { IamAccountPasswordPolicy } from "@cdktf/provider-aws/lib/iam-account-password-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { beforeAll, describe, expect, it } from "vitest";
import { validateEnvironments, type EnvironmentConfig } from "../../config";
import { STATEFUL_RESOURCE_TYPES } from "../../modules/core/destroy-protection";
import { AccountRegionStack, accountRegionStackId, accountRegionStateKey } from "../../stacks/account-region-stack";
import { stateKmsAliasArn } from "../../stacks/environment-stack";
import { baselineRegions } from "../../stacks/regional-baseline";
import { QA_REGION, qaInNewRegionApp, withQaInNewRegion } from "../support/environments";
import { accounts, environments, resource, resources, shippedApp, statements, synthStack, testApp, variant, type StackJson, type SynthesizedApp } from "../support/synth";

const ACCOUNT = "123456789012";
const account = accounts[ACCOUNT]!;
const HOME = account.region;
const NAME = `${environments.dev!.project}-${ACCOUNT}`;

describe("AccountRegionStack", () => {
  it("is not built while every environment of the account is in its home region: stack ids stay as they were", () => {
    expect(baselineRegions(account, Object.values(environments))).toEqual([HOME]);
    expect(shippedApp().stacks.accountRegions).toEqual([]);
    expect([...shippedApp().json.keys()].filter((id) => id.startsWith("account"))).toEqual(["account"]);
  });

  describe("qa in a further region, added by config alone", () => {
    let app: SynthesizedApp;
    let regional: StackJson;
    let home: StackJson;
    let config: Record<string, EnvironmentConfig>;
    beforeAll(() => {
      config = withQaInNewRegion();
      // The account entry is the shipped one, unchanged: its region stays the home region.
      app = qaInNewRegionApp();
      regional = app.json.get(`account-${QA_REGION}`)!;
      home = app.json.get("account")!;
    });

    it("validates and builds account-<region> beside the account stack, plus qa's layers", () => {
      expect(() => validateEnvironments(config, undefined, accounts)).not.toThrow();
      const ids = [...app.json.keys()];
      expect(ids).toEqual(expect.arrayContaining(["account", `account-${QA_REGION}`, "network-qa", "platform-qa", "serverless-qa", "observability-qa"]));
      expect(baselineRegions(account, Object.values(config))).toEqual([HOME, QA_REGION]);
    });

    it("refuses a destroy of its log archive and keys at plan time, whatever the environments say", () => {
      const stateful = Object.entries(regional.resource ?? {}).filter(([type]) => (STATEFUL_RESOURCE_TYPES as readonly string[]).includes(type));
      expect(stateful.map(([type]) => type)).toEqual(expect.arrayContaining(["aws_s3_bucket", "aws_kms_key"]));
      for (const [type, byId] of stateful) {
        for (const body of Object.values(byId)) expect((body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy, type).toBe(true);
      }
    });

    it("keeps its state beside the account stack's, in the account's state bucket (encrypted with the state key, locked), and runs in the region", () => {
      const dev = environments.dev!;
      const state = dev.state;
      expect(Object.keys(regional.terraform?.backend ?? {})).toEqual(["s3"]);
      expect(regional.terraform?.backend?.s3).toEqual(
        expect.objectContaining({
          bucket: state.bucket,
          key: `account/${ACCOUNT}/${QA_REGION}.tfstate`,
          region: state.region,
          encrypt: true,
          kms_key_id: stateKmsAliasArn(dev),
          dynamodb_table: state.lockTable,
          allowed_account_ids: [ACCOUNT],
        }),
      );
      expect(accountRegionStateKey(ACCOUNT, QA_REGION)).toBe(`account/${ACCOUNT}/${QA_REGION}.tfstate`);
      expect(regional.provider?.aws).toEqual([expect.objectContaining({ region: QA_REGION, allowed_account_ids: [ACCOUNT] })]);
    });

    it("holds the regional parts: GuardDuty, Security Hub, Config, EBS/IMDS defaults, Access Analyzer, API Gateway's role", () => {
      expect(resources(regional, GuarddutyDetector)).toHaveLength(1);
      expect(resources(regional, SecurityhubStandardsSubscription).map((subscription) => subscription.standards_arn).sort()).toEqual([
        `arn:aws:securityhub:${QA_REGION}::standards/aws-foundational-security-best-practices/v/1.0.0`,
        `arn:aws:securityhub:${QA_REGION}::standards/cis-aws-foundations-benchmark/v/3.0.0`,
      ]);
      expect(Object.keys(regional.resource ?? {})).toEqual(expect.arrayContaining(["aws_ebs_encryption_by_default", "aws_ec2_instance_metadata_defaults"]));
      expect(resources(regional, AccessanalyzerAnalyzer)).toHaveLength(1);
      expect(resources(regional, ApiGatewayAccount)).toHaveLength(1);
    });

    it("names its IAM roles after the region: IAM names are global", () => {
      expect(resources(regional, IamRole).map((role) => role.name).sort()).toEqual([`${NAME}-apigw-logs-${QA_REGION}`, `${NAME}-config-${QA_REGION}`]);
    });

    it("records every resource of the region, global types included (CIS 3.5), into the home region's audit bucket", () => {
      expect(resource(regional, ConfigConfigurationRecorder).recording_group).toEqual({ all_supported: true, include_global_resource_types: true });
      expect(resource(regional, ConfigDeliveryChannel)).toEqual(expect.objectContaining({ s3_bucket_name: `${NAME}-audit-${HOME}`, s3_key_prefix: "config" }));
    });

    it("leaves the global parts in the account stack: no trail, no CIS alarms, no password policy here", () => {
      expect(resources(regional, Cloudtrail)).toEqual([]);
      expect(resources(regional, CloudwatchMetricAlarm)).toEqual([]);
      expect(resources(regional, IamAccountPasswordPolicy)).toEqual([]);
      expect(resources(home, Cloudtrail)).toHaveLength(1);
      // The trail covers every region: qa's API calls reach the home region's log group and its alarms.
      expect(resource(home, Cloudtrail).is_multi_region_trail).toBe(true);
    });

    it("routes the region's findings to a topic of its own (own key), which only those rules and the account's alarms may publish to", () => {
      const rules = resources(regional, CloudwatchEventRule).map((rule) => `arn:aws:events:${QA_REGION}:${ACCOUNT}:rule/${String(rule.name)}`);
      expect(rules).toHaveLength(3);
      expect(statements(resource(regional, SnsTopicPolicy).policy)).toContainEqual(
        expect.objectContaining({ Principal: { Service: "events.amazonaws.com" }, Condition: { ArnEquals: { "aws:SourceArn": expect.arrayContaining(rules) } } }),
      );
      expect(statements(resource(regional, "aws_kms_key").policy)).toContainEqual(expect.objectContaining({ Sid: "AllowEventBridgeRules" }));
    });

    it("keeps qa's flow logs in the region's log archive for qa's retention, where network-qa delivers them", () => {
      const bucket = `${NAME}-logs-${QA_REGION}`;
      expect(resource(regional, S3Bucket).bucket).toBe(bucket);
      expect((resource(regional, S3BucketLifecycleConfiguration).rule as Record<string, unknown>[]).slice(1)).toEqual([
        expect.objectContaining({ filter: [{ prefix: "vpc-flow-logs/qa/" }], expiration: [{ days: config.qa!.network.flowLogRetentionDays }] }),
      ]);
      expect(resource(app.json.get("network-qa")!, FlowLog)).toEqual(
        expect.objectContaining({ log_destination_type: "s3", log_destination: `arn:aws:s3:::${bucket}/vpc-flow-logs/qa/` }),
      );
    });

    it("creates no log archive where no environment of the region sends flow logs to S3", () => {
      const withoutArchive = Object.values(withQaInNewRegion((qa) => (qa.network.flowLogDestination = "cloud-watch-logs")));
      const logsInGroups = synthStack(new AccountRegionStack(testApp(), `account-${QA_REGION}`, { account, region: QA_REGION, environments: withoutArchive }));
      expect(resources(logsInGroups, S3Bucket)).toEqual([]);
      expect(Object.keys(logsInGroups.output ?? {})).not.toContain("log_archive_bucket");
    });

    it("reads no other stack's state, so it plans on its own and applies right after the account stack", () => {
      expect(regional.data).toBeUndefined();
    });

    it("adds qa's budget and deploy role to the account stack, which stays the only one of its global parts", () => {
      expect(resources(home, "aws_budgets_budget").map((budget) => budget.name)).toContain(`${config.qa!.project}-qa-monthly`);
      expect(resources(home, IamRole).map((role) => role.name)).toContain(`${config.qa!.project}-qa-github-deploy`);
    });
  });

  it("is named account-<account>-<region> when several accounts are configured", () => {
    expect(accountRegionStackId(ACCOUNT, QA_REGION, [ACCOUNT])).toBe(`account-${QA_REGION}`);
    expect(accountRegionStackId(ACCOUNT, QA_REGION, [ACCOUNT, "210987654321"])).toBe(`account-${ACCOUNT}-${QA_REGION}`);
  });

  it("refuses the home region, whose regional parts the account stack holds", () => {
    expect(() => synthStack(new AccountRegionStack(testApp(), "x", { account, region: HOME, environments: Object.values(environments) }))).toThrow(
      `AccountRegionStack x: ${HOME} is the account's home region, whose regional parts the account stack holds`,
    );
  });

  it("refuses to build without an environment of the account", () => {
    const elsewhere = variant(environments.dev!, (env) => (env.accountId = "210987654321"));
    expect(() => new AccountRegionStack(testApp(), "x", { account, region: QA_REGION, environments: [elsewhere] })).toThrow(
      `AccountRegionStack x needs at least one environment of account ${ACCOUNT}`,
    );
  });
});
