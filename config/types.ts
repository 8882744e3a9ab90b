/**
 * The typed shape of an environment. One object per environment lives in `config/<env>.ts`;
 * `validateEnvironments` checks every field before any construct is made.
 */

/** How private subnets reach the internet. */
export type NatStrategy = "none" | "single" | "per-az";

/** Tags every resource carries through the provider's `default_tags`. */
export interface EnvironmentTags {
  readonly Project: string;
  readonly Environment: string;
  readonly Owner: string;
  readonly CostCenter: string;
  readonly ManagedBy: string;
  /** Any further tags the team wants on every resource. */
  readonly [key: string]: string;
}

export interface NetworkConfig {
  /** IPv4 CIDR of the VPC, e.g. `10.10.0.0/16`. Must not overlap another environment's VPC. */
  readonly vpcCidr: string;
  /** Availability zones to use, in order. Explicit so plans are deterministic. */
  readonly availabilityZones: readonly string[];
  /** One public subnet CIDR per availability zone, in the same order. */
  readonly publicSubnetCidrs: readonly string[];
  /** One private subnet CIDR per availability zone, in the same order. */
  readonly privateSubnetCidrs: readonly string[];
  /** `none` (cheapest: gateway endpoints only), `single` (one NAT gateway), `per-az` (highly available). */
  readonly natStrategy: NatStrategy;
  /** Days VPC flow logs are kept. Must be a value CloudWatch Logs accepts. */
  readonly flowLogRetentionDays: number;
}

/** Where this environment's Terraform state lives; created by the `bootstrap` stack. */
export interface StateConfig {
  /** S3 bucket holding the state objects. */
  readonly bucket: string;
  /** DynamoDB table used for state locking (`LockID` hash key). */
  readonly lockTable: string;
  /** Region of the state bucket and lock table. */
  readonly region: string;
  /** Alias (without `alias/`) of the KMS key that encrypts the state bucket and lock table. */
  readonly kmsKeyAlias: string;
  /** Prefix of every state key of this environment: `<keyPrefix>/<layer>.tfstate`. */
  readonly keyPrefix: string;
  /** Also take Terraform's S3-native lock file (`use_lockfile`), beside DynamoDB locking. */
  readonly useLockfile: boolean;
}

/** Container platform sizing, used by the platform layer. */
export interface ComputeConfig {
  /** EC2 instance type of the ECS container instances. */
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly desiredCapacity: number;
  readonly maxCapacity: number;
}

/** Where the ECS container instances run. */
export type InstanceSubnets = "private" | "public";

/**
 * A public name in a Route 53 hosted zone of the environment's account: the platform makes an ACM
 * certificate for it (validated through DNS records in the zone) and an alias record to its endpoint.
 */
export interface DomainConfig {
  /** Name of the public hosted zone holding the records, e.g. `example.com`; it must already exist. */
  readonly hostedZone: string;
  /** The name clients use, e.g. `app.example.com`: the zone's own name or a name below it. */
  readonly recordName: string;
}

/** The container platform: ECR, ECS service, load balancer, WAF and the service's table. */
export interface PlatformConfig {
  /**
   * `private` (behind NAT) for every environment with NAT. `public` only for an environment
   * without NAT: instances then get public IPs to reach ECS and ECR, and their security group
   * still admits only the load balancer.
   */
  readonly instanceSubnets: InstanceSubnets;
  /**
   * ECS managed termination protection: scale-in never terminates an instance with running
   * tasks. The ASG is then force-deleted on destroy, so `cdktf destroy` cannot hang on it.
   */
  readonly managedTerminationProtection: boolean;
  /** Port the backend container listens on. */
  readonly containerPort: number;
  /** Image tag deployed when no `image_tag` variable is given (ECR tags are immutable). */
  readonly imageTag: string;
  /** CPU units of the task (1024 = one vCPU). */
  readonly taskCpu: number;
  readonly taskMemoryMiB: number;
  readonly minTaskCount: number;
  readonly desiredTaskCount: number;
  readonly maxTaskCount: number;
  /** Service autoscaling keeps average CPU near this. */
  readonly cpuTargetPercent: number;
  /** Service autoscaling keeps ALB requests per task per minute near this. */
  readonly requestsPerTargetPerMinute: number;
  readonly healthCheckGracePeriodSeconds: number;
  /**
   * Serve HTTPS only (80 redirects to 443): needs `domain` or `certificateArn`. Without it and
   * without either, the load balancer serves plain HTTP (dev).
   */
  readonly requireHttps: boolean;
  /** Public name of the load balancer; with it the platform makes its certificate and alias record. */
  readonly domain?: DomainConfig;
  /**
   * An existing ACM certificate (same account and region) to use instead of the one made for
   * `domain`; with `domain` it must cover `domain.recordName`.
   */
  readonly certificateArn?: string;
  readonly albDeletionProtection: boolean;
  /** Requests one client IP may make in 5 minutes before the WAF blocks it. */
  readonly wafRateLimitPer5Minutes: number;
  /** Tagged images the ECR lifecycle policy keeps. */
  readonly ecrKeepImages: number;
  /** Days service, WAF and load balancer logs are kept. */
  readonly logRetentionDays: number;
  readonly tableDeletionProtection: boolean;
}

/** The serverless "coding tips" API, used by the serverless layer. */
export interface ServerlessConfig {
  /** Memory of each function; CPU grows with it. */
  readonly functionMemoryMiB: number;
  /** Concurrent executions reserved for (and capping) each function. */
  readonly reservedConcurrency: number;
  /** Steady-state requests per second the API stage accepts. */
  readonly throttlingRateLimit: number;
  /** Requests the stage accepts in a burst above the rate. */
  readonly throttlingBurstLimit: number;
  /**
   * Custom domain of the API (regional endpoint, certificate made in the environment's region, the
   * `v1` stage mapped at its root). Without it clients use the `execute-api` URL.
   */
  readonly domain?: DomainConfig;
  /** Browser origins allowed to call the API (`https://host`); empty for no CORS. */
  readonly corsAllowOrigins: readonly string[];
  /** Days function and access logs are kept. */
  readonly logRetentionDays: number;
  /** Refuse to delete the tips table (on in prod). */
  readonly tableDeletionProtection: boolean;
}

export interface AlertingConfig {
  /** Addresses that receive alarm notifications and budget alerts. */
  readonly emails: readonly string[];
  /**
   * HTTPS endpoint (a chat integration's webhook) that also receives every alarm notification.
   * SNS sends it a subscription confirmation first, which the endpoint must answer.
   */
  readonly chatWebhookUrl?: string;
}

/**
 * Alarm thresholds of the observability layer. Counts are per 5-minute period unless the name
 * says otherwise; the README explains the reason for each default.
 */
export interface ObservabilityConfig {
  /** 5xx answered by the load balancer itself (no healthy target, target timeout, ...). */
  readonly loadBalancer5xxCount: number;
  /** 5xx answered by the backend tasks. */
  readonly target5xxCount: number;
  readonly targetResponseTimeP95Seconds: number;
  readonly targetResponseTimeP99Seconds: number;
  /** Connections the load balancer refused because it hit its connection limit. */
  readonly rejectedConnectionCount: number;
  /** Unhealthy targets (highest in the period) that raise the alarm. */
  readonly unhealthyHostCount: number;
  /** Average CPU of the ECS service; autoscaling aims at `platform.cpuTargetPercent`, far below. */
  readonly serviceCpuPercent: number;
  readonly serviceMemoryPercent: number;
  /** ECS managed scaling's CapacityProviderReservation; above 100 tasks wait for instances. */
  readonly capacityProviderReservationPercent: number;
  /** Read plus write throttle events of a table. */
  readonly tableThrottleEvents: number;
  /** DynamoDB internal errors over the operations the application calls. */
  readonly tableSystemErrors: number;
  /** Width, in standard deviations, of the consumed-capacity anomaly band. */
  readonly capacityAnomalyBandWidth: number;
  /** `error`-level lines in the backend's JSON logs. */
  readonly backendLogErrors: number;
  readonly functionErrors: number;
  readonly functionThrottles: number;
  /** Duration p95 as a percentage of the function's timeout. */
  readonly functionDurationPercentOfTimeout: number;
  /** Highest concurrent executions as a percentage of the function's reserved concurrency. */
  readonly functionConcurrencyPercentOfReserved: number;
  readonly api5xxCount: number;
  /** Share of API requests answered with a 4xx, in percent. */
  readonly api4xxRatePercent: number;
  readonly apiLatencyP95Ms: number;
  /** Requests the WAF blocked. */
  readonly wafBlockedRequests: number;
}

export interface BudgetConfig {
  /** Monthly cost limit in USD. */
  readonly monthlyLimitUsd: number;
}

export interface EnvironmentConfig {
  /** Short environment name: part of every stack id, physical name and state key. */
  readonly name: string;
  /** Project name: first part of every physical name. Lower-case letters, digits and hyphens. */
  readonly project: string;
  /** AWS region the environment deploys into. */
  readonly region: string;
  /** The only AWS account this environment may deploy into (provider `allowed_account_ids`). */
  readonly accountId: string;
  readonly tags: EnvironmentTags;
  readonly network: NetworkConfig;
  readonly state: StateConfig;
  readonly compute: ComputeConfig;
  readonly platform: PlatformConfig;
  readonly serverless: ServerlessConfig;
  readonly alerting: AlertingConfig;
  readonly observability: ObservabilityConfig;
  readonly budget: BudgetConfig;
  /**
   * Stateful resources (tables, KMS keys, ECR repository, load balancer, buckets) carry
   * `lifecycle.prevent_destroy`: a destroy plan of any layer holding one fails before anything is
   * deleted. Required by AWS-side deletion protection (`platform.albDeletionProtection`,
   * `*.tableDeletionProtection`), which alone would fail a destroy only halfway through.
   */
  readonly preventDestroy: boolean;
  /**
   * The decommission switch (README "Decommissioning an environment"): lifts `preventDestroy` and
   * the AWS-side deletion protection of tables and the load balancer, and lets the ECR repository
   * and buckets go with their contents, so one apply and then `destroy` remove the environment
   * completely. `false` in normal operation; set it back after the destroy.
   */
  readonly decommission: boolean;
}

// ---------------------------------------------------------------------------------------------
// Accounts: the `account` stack's security baseline and billing guards, one per AWS account.

/**
 * How a GitHub Actions job proves it may deploy an environment: the `sub` claim of its OIDC token.
 * A GitHub environment (`repo:<owner>/<repo>:environment:<name>`, preferred: it can require
 * reviewers) or a branch (`repo:<owner>/<repo>:ref:refs/heads/<branch>`).
 */
export type GithubSubject = { readonly environment: string } | { readonly branch: string };

export interface GithubDeployConfig {
  /** GitHub organization or user that owns the repository. */
  readonly owner: string;
  /** Repository whose workflows may assume the deploy roles. */
  readonly repository: string;
  /**
   * Subject per environment of the account; an environment without an entry is deployed from the
   * GitHub environment of the same name.
   */
  readonly subjects: Readonly<Record<string, GithubSubject>>;
}

export interface TrailConfig {
  /** Days the trail's CloudWatch Logs copy (the one the alarms read) is kept. */
  readonly logRetentionDays: number;
  /** Days after which trail and Config objects move to S3 Glacier Instant Retrieval. */
  readonly archiveAfterDays: number;
  /** Days after which trail and Config objects expire. */
  readonly expireAfterDays: number;
}

export interface GuardDutyConfig {
  /**
   * Id of a detector that already exists in the account's region (GuardDuty allows one), taken
   * over through a Terraform `import` block instead of created.
   */
  readonly adoptDetectorId?: string;
  /** Analyse S3 data events for suspicious access to buckets. */
  readonly enableS3Protection: boolean;
  /** Runtime monitoring of EC2 and ECS with the GuardDuty agent GuardDuty manages (billed per vCPU). */
  readonly enableRuntimeMonitoring: boolean;
}

export interface SecurityHubConfig {
  /** AWS Foundational Security Best Practices v1.0.0. */
  readonly foundationalBestPractices: boolean;
  /** CIS AWS Foundations Benchmark v3.0.0. */
  readonly cis: boolean;
}

export interface AwsConfigConfig {
  /** The managed rules that back the baseline's promises (billed per evaluation). */
  readonly enableRules: boolean;
}

export interface PasswordPolicyConfig {
  readonly minimumLength: number;
  /** Previous passwords a user may not reuse. */
  readonly reusePrevention: number;
  readonly maxAgeDays: number;
}

export interface AccountBillingConfig {
  /** The whole account's estimated charges (all environments and services) that raise the billing alarm. */
  readonly alarmThresholdUsd: number;
}

/** One AWS account: what its `account` stack builds. Environments name their account by `accountId`. */
export interface AccountConfig {
  /** The account, also its key in `config/accounts.ts`. */
  readonly accountId: string;
  /** Region of the regional services (trail home, GuardDuty, Security Hub, Config); the environments' region. */
  readonly region: string;
  /** Addresses that receive security alarms (root login, IAM changes, ...) and the billing alarm. */
  readonly securityAlertEmails: readonly string[];
  readonly github: GithubDeployConfig;
  readonly trail: TrailConfig;
  readonly guardDuty: GuardDutyConfig;
  readonly securityHub: SecurityHubConfig;
  readonly awsConfig: AwsConfigConfig;
  readonly passwordPolicy: PasswordPolicyConfig;
  readonly billing: AccountBillingConfig;
}
