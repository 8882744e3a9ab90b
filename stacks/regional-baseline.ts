import type { Construct } from "constructs";
import type { AccountConfig, EnvironmentConfig } from "../config";
import { AccountHygiene } from "../modules/account/account-hygiene";
import { ApiGatewayAccount } from "../modules/account/api-gateway-account";
import { ConfigRecorder } from "../modules/account/config-recorder";
import { FindingRoutes } from "../modules/account/finding-routes";
import { GuardDuty } from "../modules/account/guard-duty";
import { LogArchive } from "../modules/account/log-archive";
import { SecurityHub } from "../modules/account/security-hub";
import type { AlertTopic } from "../modules/core/alert-topic";
import type { KmsKey } from "../modules/core/kms-key";
import { fromConfig, type SettingPath } from "./config-props";

/** Prefix of every physical name of an account's baseline: `<project>-<account id>`. */
export function baselineName(project: string, accountId: string): string {
  return `${project}-${accountId}`;
}

/** The log archive bucket of an account and region (S3 server access logs, flow logs sent to S3). */
export function logArchiveBucketName(project: string, accountId: string, region: string): string {
  return `${baselineName(project, accountId)}-logs-${region}`;
}

/** The audit bucket of an account: trail files and every region's Config deliveries, in the home region. */
export function auditBucketName(project: string, accountId: string, homeRegion: string): string {
  return `${baselineName(project, accountId)}-audit-${homeRegion}`;
}

/** Construct props read from an account's settings, labelled `accounts.<id>.<path>` (see `fromConfig`). */
export function fromAccountConfig<const M extends Record<string, SettingPath<AccountConfig>>>(account: AccountConfig, fields: M) {
  return fromConfig(account, `accounts.${account.accountId}`, fields);
}

/** Regions whose regional baseline an account needs: its home region first, then its environments' regions. */
export function baselineRegions(account: AccountConfig, environments: readonly EnvironmentConfig[]): string[] {
  const used = environments.filter((env) => env.accountId === account.accountId).map((env) => env.region);
  return [...new Set([account.region, ...[...used].sort()])];
}

/** Environments of `region` whose flow logs go to the region's log archive. */
export function flowLogsToArchive(environments: readonly EnvironmentConfig[], region: string): EnvironmentConfig[] {
  return environments.filter((env) => env.region === region && env.network.flowLogDestination === "s3");
}

/**
 * The log archive of one region, taking the flow logs of the environments there that send them to
 * S3, each kept as long as its config says.
 */
export function addLogArchive(
  scope: Construct,
  props: { readonly project: string; readonly accountId: string; readonly region: string; readonly environments: readonly EnvironmentConfig[]; readonly accessLogSources?: readonly string[] },
): LogArchive {
  return new LogArchive(scope, "log-archive", {
    bucketName: logArchiveBucketName(props.project, props.accountId, props.region),
    accountId: props.accountId,
    region: props.region,
    accessLogSources: props.accessLogSources,
    flowLogs: flowLogsToArchive(props.environments, props.region).map((env) => ({ name: env.name, expirationDays: env.network.flowLogRetentionDays })),
  });
}

export interface RegionalBaselineProps {
  readonly account: AccountConfig;
  readonly region: string;
  /** `<project>-<account id>`. */
  readonly name: string;
  /** Topic the finding routes publish to; its policy must name `FindingRoutes.ruleArns(name, region, account)`. */
  readonly topic: AlertTopic;
  /** Home region (trail, global controls) or a further region of the account's environments. */
  readonly home: boolean;
  /** The audit bucket, in the home region, where Config delivers from every region. */
  readonly auditBucket: { readonly name: string; readonly arn: string };
  /**
   * The audit bucket's key, when the audit bucket is in this stack (home region).
   * @default - Config may use the bucket's key only through S3 in the home region
   */
  readonly auditKey?: KmsKey;
}

/**
 * The regional parts of an account's baseline, added to `scope` under the construct ids the
 * single-region account stack always had (so its resources keep their addresses): GuardDuty,
 * Security Hub, AWS Config, API Gateway's logging role, the regional hygiene settings (EBS
 * encryption and IMDSv2 defaults, Access Analyzer) and the routes of findings to a person. In the
 * home region the hygiene construct also holds the account-wide controls.
 */
export function addRegionalBaseline(scope: Construct, props: RegionalBaselineProps): { readonly guardDuty: GuardDuty } {
  const { account, region, name, home } = props;
  // IAM names are global: the roles of a further region carry it.
  const suffix = home ? "" : `-${region}`;
  const guardDuty = new GuardDuty(scope, "guard-duty", {
    // A detector id belongs to one region: the home one.
    ...(home ? fromAccountConfig(account, { adoptDetectorId: "guardDuty.adoptDetectorId" }) : {}),
    enableS3Protection: account.guardDuty.enableS3Protection,
  });
  new SecurityHub(scope, "security-hub", {
    region,
    enableFoundationalBestPractices: account.securityHub.foundationalBestPractices,
    enableCis: account.securityHub.cis,
  });
  new ConfigRecorder(scope, "config", {
    name,
    accountId: account.accountId,
    bucket: props.auditBucket,
    kmsKey: props.auditKey,
    bucketRegion: account.region,
    roleName: `${name}-config${suffix}`,
    // Global types (IAM) in every region, as CIS 3.5 and checkov's CKV2_AWS_48 ask: the duplicate
    // items cost cents, and regions opened after February 2022 do not record them anyway.
    ...fromAccountConfig(account, { dailyResourceTypes: "awsConfig.dailyResourceTypes" }),
    rules: account.awsConfig.enableRules ? undefined : [],
  });
  new AccountHygiene(scope, "hygiene", {
    name,
    ...fromAccountConfig(account, {
      passwordMinimumLength: "passwordPolicy.minimumLength",
      passwordReusePrevention: "passwordPolicy.reusePrevention",
      passwordMaxAgeDays: "passwordPolicy.maxAgeDays",
    }),
    includeGlobalControls: home,
  });
  // The environments' REST API stages in this region can only write access logs once this is set.
  new ApiGatewayAccount(scope, "api-gateway", { name, roleName: home ? undefined : `${name}-apigw-logs${suffix}` });
  new FindingRoutes(scope, "finding-routes", { name, region, accountId: account.accountId, topic: props.topic });
  return { guardDuty };
}
