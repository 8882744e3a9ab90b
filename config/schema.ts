/**
 * The shape of an environment and of an account, declared once: each declaration gives the
 * TypeScript type (`EnvironmentConfig`, `AccountConfig`), the runtime check of every value's
 * type and format, the defaults, and the refusal of unknown keys.
 *
 * Adding a setting is one edit: add its line to the section below (`v.optional(schema, default)`
 * when every environment can share a default, else give it a value in `config/<env>.ts`, which
 * the compiler then asks for), read it in the stack that uses it, and pass it to the construct as
 * `...this.fromConfig({ prop: "section.setting" })` so the construct's own range check names the
 * setting. What is checked where:
 * - here: the type and format of one value (an account id, a CIDR, a log retention CloudWatch accepts);
 * - `validate.ts`: rules across settings or environments (CIDRs fit and never overlap, the
 *   instance type is offered in the region, state keys are unique);
 * - the construct that receives a value: its range (Lambda memory, task counts, ports), reported
 *   under the setting it came from.
 */
import * as v from "valibot";
import { parseCidr } from "./cidr";
import { KNOWN_REGIONS } from "./regions";

/** Values CloudWatch Logs accepts for `retention_in_days`. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
/** How private subnets reach the internet: no NAT (gateway endpoints only), one shared NAT gateway, or one per AZ. */
export const NAT_STRATEGIES = ["none", "single", "per-az"] as const;
/** Where the ECS container instances run; `public` only without NAT (see `validate.ts`). */
export const INSTANCE_SUBNETS = ["private", "public"] as const;
/** Where VPC flow logs go: a KMS-encrypted log group, or the account's log archive bucket of the region. */
export const FLOW_LOG_DESTINATIONS = ["cloud-watch-logs", "s3"] as const;
/** Which flows are logged: every accepted and rejected flow, or only the rejected ones. */
export const FLOW_LOG_TRAFFIC_TYPES = ["ALL", "REJECT"] as const;
/** The aggregation intervals VPC flow logs offer. */
export const FLOW_LOG_AGGREGATION_SECONDS = [60, 600] as const;
/** Which requests a web ACL logs: every one, or only those a rule blocked or counted. */
export const WAF_LOGGING = ["all", "blocked-and-counted"] as const;
export const OBJECT_LOCK_MODES = ["COMPLIANCE", "GOVERNANCE"] as const;
export const REQUIRED_TAGS = ["Project", "Environment", "Owner", "CostCenter", "ManagedBy"] as const;

const ENV_NAME = /^[a-z][a-z0-9]{1,11}$/;
const PROJECT_NAME = /^[a-z][a-z0-9-]{1,19}[a-z0-9]$/;
const ACCOUNT_ID = /^\d{12}$/;
// Pragmatic address check: one @, no spaces, a dotted domain. AWS SNS/Budgets reject worse.
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-zA-Z]{2,}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DYNAMODB_TABLE = /^[a-zA-Z0-9_.-]{3,255}$/;
const STATE_KEY_PREFIX = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;
const KMS_ALIAS = /^(?!aws\/|alias\/)[a-zA-Z0-9/_-]{1,250}$/;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;
const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d{1,5})?(\/\S*)?$/i;
const CERTIFICATE_ARN = /^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** Certificate ids of documentation examples, never of a real certificate. */
const PLACEHOLDER_CERTIFICATE_ID = /\/(?:0{8}-0{4}-0{4}-0{4}-0{11}[0-9a-f]|12345678-1234-1234-1234-123456789012)$/;
/** Lower-case DNS labels of a-z 0-9 - (not starting or ending with -), at least two, no trailing dot. */
const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9_.-]{1,100}$/;
// GitHub environment and branch names land in the OIDC `sub` claim matched with StringEquals:
// no wildcards, no `:` (the claim's separator), no spaces.
const GITHUB_SUBJECT_NAME = /^[A-Za-z0-9_./-]{1,255}$/;
const CONFIG_RESOURCE_TYPE = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

// Field builders. A value of the wrong type gets the generic "is a number, not a string" line
// (`validate.ts` words it); the messages here are the rules a well-typed value can still break.
const text = (pattern: RegExp, rule: string) => v.pipe(v.string(), v.regex(pattern, rule));
const oneOf = <const T extends readonly (string | number)[]>(allowed: T) =>
  v.picklist(allowed, `is not allowed; allowed: ${allowed.join(", ")}`);
const integer = (min: number, max?: number, unit = "") =>
  v.pipe(
    v.number(),
    v.check(
      (n) => Number.isInteger(n) && n >= min && (max === undefined || n <= max),
      max === undefined ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}${unit}`,
    ),
  );
const positive = (rule: string) => v.pipe(v.number(), v.check((n) => Number.isFinite(n) && n > 0, rule));
/** A number whose range the construct that receives it checks (see the file comment). */
const constructRange = v.number;
const cidr = (what: string) =>
  v.pipe(
    v.string(),
    v.check((s) => parseCidr(s) !== undefined, "is not a valid IPv4 CIDR (a.b.c.d/n, no host bits set)"),
    v.check((s) => {
      const parsed = parseCidr(s);
      return parsed === undefined || (parsed.prefixLength >= 16 && parsed.prefixLength <= 28);
    }, `has a prefix length outside /16../28, which AWS allows for ${what}`),
  );
const emails = v.array(text(EMAIL, "is not a valid e-mail address"));
const retention = oneOf(LOG_RETENTION_DAYS);
/** Requests the web ACL logs; the protected resource's own access logs record every request anyway. */
const wafLogging = v.optional(oneOf(WAF_LOGGING), "blocked-and-counted");
/**
 * A public name in a Route 53 hosted zone of the environment's account: the layer makes an ACM
 * certificate for it (validated through records in the zone) and an alias record to its endpoint.
 * That the name lies in the zone, and fits a certificate, is checked by the constructs that use it
 * (`Certificate`, `DnsAlias`), under these settings.
 */
const domain = v.optional(
  v.strictObject({
    /** Name of the public hosted zone holding the records, e.g. `example.com`; it must already exist. */
    hostedZone: text(DNS_NAME, "is not a DNS zone name (lower-case labels of a-z 0-9 - separated by dots, no trailing dot, e.g. example.com)"),
    /** The name clients use, e.g. `app.example.com`: the zone's own name or a name below it. */
    recordName: text(DNS_NAME, "is not a DNS name (lower-case labels of a-z 0-9 - separated by dots, no wildcard, e.g. app.example.com)"),
  }),
);
const tagValue = v.pipe(v.string(), v.maxLength(256, "must be a string of at most 256 characters"));
const requiredTag = v.pipe(tagValue, v.check((s) => s.trim() !== "", "must be a non-empty string"));

/** Count thresholds: alarms fire at or above them, so 0 would always fire. */
export const OBSERVABILITY_COUNTS = [
  "loadBalancer5xxCount",
  "target5xxCount",
  "rejectedConnectionCount",
  "unhealthyHostCount",
  "tableThrottleEvents",
  "tableSystemErrors",
  "backendLogErrors",
  "functionErrors",
  "functionThrottles",
  "api5xxCount",
  "wafBlockedRequests",
] as const;
/** Percentage thresholds; a share of a limit above 100 could never be reached. */
export const OBSERVABILITY_PERCENTS = [
  "serviceCpuPercent",
  "serviceMemoryPercent",
  "functionDurationPercentOfTimeout",
  "functionConcurrencyPercentOfReserved",
  "api4xxRatePercent",
] as const;
const count = (fallback: number) => v.optional(integer(1), fallback);
const percent = (fallback: number) =>
  v.optional(
    v.pipe(v.number(), v.check((n) => n > 0 && n <= 100, "must be a number above 0 and at most 100 (percent)")),
    fallback,
  );
const latency = (fallback: number) => v.optional(positive("must be a positive number"), fallback);

/**
 * Alarm thresholds of the observability layer and their defaults (docs/observability says why
 * each one). Counts are per 5-minute period unless the name says otherwise.
 */
const observability = v.strictObject({
  /** 5xx answered by the load balancer itself (no healthy target, target timeout, ...). */
  loadBalancer5xxCount: count(5),
  /** 5xx answered by the backend tasks. */
  target5xxCount: count(10),
  targetResponseTimeP95Seconds: latency(0.5),
  targetResponseTimeP99Seconds: latency(1.5),
  /** Connections the load balancer refused because it hit its connection limit. */
  rejectedConnectionCount: count(1),
  /** Unhealthy targets (highest in the period) that raise the alarm. */
  unhealthyHostCount: count(1),
  /** Average CPU of the ECS service; autoscaling aims at `platform.cpuTargetPercent`, far below. */
  serviceCpuPercent: percent(85),
  serviceMemoryPercent: percent(85),
  /**
   * ECS managed scaling's CapacityProviderReservation; above 100 tasks wait for instances. Managed
   * scaling aims at 100 and the alarm fires above the threshold, so below 100 it would fire on a
   * healthy cluster.
   */
  capacityProviderReservationPercent: v.optional(integer(100, 200, " percent"), 100),
  /** Read plus write throttle events of a table. */
  tableThrottleEvents: count(1),
  /** DynamoDB internal errors over the operations the application calls. */
  tableSystemErrors: count(1),
  /** Width, in standard deviations, of the consumed-capacity anomaly band. */
  capacityAnomalyBandWidth: v.optional(integer(1, 10, " standard deviations"), 3),
  /** `error`-level lines in the backend's JSON logs. */
  backendLogErrors: count(10),
  functionErrors: count(5),
  functionThrottles: count(1),
  /** Duration p95 as a percentage of the function's timeout. */
  functionDurationPercentOfTimeout: percent(80),
  /** Highest concurrent executions as a percentage of the function's reserved concurrency. */
  functionConcurrencyPercentOfReserved: percent(80),
  api5xxCount: count(5),
  /** Share of API requests answered with a 4xx, in percent. */
  api4xxRatePercent: percent(10),
  apiLatencyP95Ms: latency(1000),
  /** Requests the WAF blocked. */
  wafBlockedRequests: count(500),
});

export const EnvironmentSchema = v.strictObject({
  /** Short environment name: part of every stack id, physical name and state key. */
  name: text(ENV_NAME, "must be 2-12 lower-case letters or digits, starting with a letter"),
  /** Project name: first part of every physical name. */
  project: text(PROJECT_NAME, "must be 3-21 lower-case letters, digits or hyphens, starting with a letter"),
  /** AWS region the environment deploys into. */
  region: oneOf(KNOWN_REGIONS),
  /** The only AWS account this environment may deploy into (provider `allowed_account_ids`). */
  accountId: text(ACCOUNT_ID, "is not an AWS account id (exactly 12 digits)"),
  /** Tags every resource carries through the provider's `default_tags`; any further key is a tag too. */
  tags: v.objectWithRest(
    { Project: requiredTag, Environment: requiredTag, Owner: requiredTag, CostCenter: requiredTag, ManagedBy: requiredTag },
    tagValue,
  ),
  network: v.strictObject({
    /** IPv4 CIDR of the VPC, e.g. `10.10.0.0/16`. Must not overlap another environment's VPC. */
    vpcCidr: cidr("VPCs"),
    /** Availability zones to use, in order. Explicit so plans are deterministic. */
    availabilityZones: v.pipe(
      v.array(v.string()),
      v.minLength(2, "must list at least 2 availability zones (load balancers need two)"),
    ),
    /** One public subnet CIDR per availability zone, in the same order. */
    publicSubnetCidrs: v.array(cidr("subnets")),
    /** One private subnet CIDR per availability zone, in the same order. */
    privateSubnetCidrs: v.array(cidr("subnets")),
    /** `none` (cheapest: gateway endpoints only), `single` (one NAT gateway), `per-az` (highly available). */
    natStrategy: oneOf(NAT_STRATEGIES),
    /** Days VPC flow logs are kept (in the log group, or under the environment's prefix of the log archive bucket). */
    flowLogRetentionDays: retention,
    /**
     * `cloud-watch-logs` (queryable at once, billed per GB ingested and stored) or `s3` (the account's
     * log archive bucket of the region: about half the delivery price, Glacier Instant Retrieval after 30 days).
     */
    flowLogDestination: v.optional(oneOf(FLOW_LOG_DESTINATIONS), "cloud-watch-logs"),
    /** `ALL` (what an investigation needs) or `REJECT` (what Security Hub EC2.6 requires at least). */
    flowLogTrafficType: v.optional(oneOf(FLOW_LOG_TRAFFIC_TYPES), "ALL"),
    /** Seconds a flow is aggregated before it is logged: 60 (finer timelines) or 600 (fewer records). */
    flowLogAggregationSeconds: v.optional(oneOf(FLOW_LOG_AGGREGATION_SECONDS), 600),
  }),
  /** Where this environment's Terraform state lives; created by the `bootstrap` stack. */
  state: v.strictObject({
    bucket: text(S3_BUCKET, "is not a valid S3 bucket name (3-63 of a-z 0-9 . -, starting and ending with a letter or digit)"),
    /** DynamoDB table used for state locking (`LockID` hash key). */
    lockTable: text(DYNAMODB_TABLE, "is not a valid DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)"),
    /** Region of the state bucket and lock table. */
    region: oneOf(KNOWN_REGIONS),
    /** Alias (without `alias/`) of the KMS key that encrypts the state bucket and lock table. */
    kmsKeyAlias: text(
      KMS_ALIAS,
      "is not a valid KMS alias name (1-250 of a-z A-Z 0-9 / _ -, without the alias/ prefix, not starting with aws/)",
    ),
    /** Prefix of every state key of this environment: `<keyPrefix>/<layer>.tfstate`. */
    keyPrefix: v.pipe(
      text(STATE_KEY_PREFIX, "must be lower-case path segments of a-z 0-9 _ - separated by /, without leading or trailing /"),
      // The environment's deploy role may write everything under its prefix.
      v.check(
        (prefix) => prefix.split("/")[0] !== "account",
        "is reserved: account/ holds the account stacks' state (account/<account id>.tfstate)",
      ),
    ),
    /** Also take Terraform's S3-native lock file (`use_lockfile`), beside DynamoDB locking. */
    useLockfile: v.boolean(),
  }),
  /** Container platform sizing, used by the platform layer. */
  compute: v.strictObject({
    /** EC2 instance type of the ECS container instances; must be offered in the region (`instance-types.json`). */
    instanceType: v.string(),
    minCapacity: constructRange(),
    desiredCapacity: constructRange(),
    maxCapacity: constructRange(),
  }),
  /** The container platform: ECR, ECS service, load balancer, WAF and the service's table. */
  platform: v.strictObject({
    /**
     * `private` (behind NAT) for every environment with NAT. `public` only for an environment
     * without NAT: instances then get public IPs to reach ECS and ECR, and their security group
     * still admits only the load balancer.
     */
    instanceSubnets: oneOf(INSTANCE_SUBNETS),
    /**
     * ECS managed termination protection: scale-in never terminates an instance with running
     * tasks. The ASG is then force-deleted on destroy, so `cdktf destroy` cannot hang on it.
     */
    managedTerminationProtection: v.boolean(),
    /** Port the backend container listens on. */
    containerPort: constructRange(),
    /** CPU units of the task (1024 = one vCPU). */
    taskCpu: constructRange(),
    taskMemoryMiB: constructRange(),
    minTaskCount: constructRange(),
    desiredTaskCount: constructRange(),
    maxTaskCount: constructRange(),
    /** Service autoscaling keeps average CPU near this. */
    cpuTargetPercent: constructRange(),
    /** Service autoscaling keeps ALB requests per task per minute near this. */
    requestsPerTargetPerMinute: constructRange(),
    healthCheckGracePeriodSeconds: constructRange(),
    /**
     * Serve HTTPS only (80 redirects to 443): needs `domain` or `certificateArn` (`validate.ts`).
     * Off, and without either, the load balancer serves plain HTTP on its own name (dev).
     */
    requireHttps: v.optional(v.boolean(), true),
    /** Public name of the load balancer; with it the platform makes its certificate and alias record. */
    domain,
    /**
     * An existing ACM certificate of the environment's account and region, used instead of the one
     * made for `domain`; with `domain` it must cover `domain.recordName`.
     */
    certificateArn: v.optional(
      v.pipe(
        text(CERTIFICATE_ARN, "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)"),
        v.check(
          (arn) => !CERTIFICATE_ARN.test(arn) || !PLACEHOLDER_CERTIFICATE_ID.test(arn),
          "is a placeholder (a documentation certificate id), not a certificate; give the ARN of one issued in this account, or set platform.domain to have one made",
        ),
      ),
    ),
    albDeletionProtection: v.boolean(),
    /** Requests one client IP may make in 5 minutes before the WAF blocks it. */
    wafRateLimitPer5Minutes: constructRange(),
    /** Requests the load balancer's web ACL logs (the ALB access logs record every request anyway). */
    wafLogging,
    /** Tagged images the ECR lifecycle policy keeps. */
    ecrKeepImages: constructRange(),
    /** Days service, WAF and load balancer logs are kept. */
    logRetentionDays: retention,
    tableDeletionProtection: v.boolean(),
  }),
  /** The serverless "coding tips" API, used by the serverless layer. */
  serverless: v.strictObject({
    /** Memory of each function; CPU grows with it. */
    functionMemoryMiB: constructRange(),
    /** Seconds an invocation may run; the duration alarm is a share of it. */
    timeoutSeconds: v.optional(constructRange(), 10),
    /** Concurrent executions reserved for (and capping) each function. */
    reservedConcurrency: constructRange(),
    /** Steady-state requests per second the API stage accepts. */
    throttlingRateLimit: constructRange(),
    /** Requests the stage accepts in a burst above the rate. */
    throttlingBurstLimit: constructRange(),
    /**
     * Requests one client IP may make in 5 minutes before the API's web ACL blocks it; below what
     * the whole stage serves in 5 minutes (`validate.ts`).
     */
    wafRateLimitPer5Minutes: constructRange(),
    /** Requests the API's web ACL logs (the stage's access logs record every request anyway). */
    wafLogging,
    /**
     * Custom domain of the API (regional endpoint, certificate made in the environment's region, the
     * stage mapped at its root). Without it clients use the `execute-api` URL.
     */
    domain,
    /** Browser origins allowed to call the API (`https://host`); empty for no CORS. */
    corsAllowOrigins: v.array(text(ORIGIN, "is not an origin (scheme://host[:port], no path, no wildcard)")),
    /** Days function and access logs are kept. */
    logRetentionDays: retention,
    /** Refuse to delete the tips table (on in prod). */
    tableDeletionProtection: v.boolean(),
  }),
  alerting: v.strictObject({
    /** Addresses that receive alarm notifications and budget alerts. */
    emails,
    /**
     * HTTPS endpoint (a chat integration's webhook) that also receives every alarm notification.
     * SNS sends it a subscription confirmation first, which the endpoint must answer.
     */
    chatWebhookUrl: v.optional(
      // SNS would deliver alarm details in clear text over http://.
      text(HTTPS_URL, "is not an https:// URL (SNS must not send alarms over plain HTTP)"),
    ),
  }),
  observability: v.optional(observability, {}),
  budget: v.strictObject({
    /** Monthly cost limit in USD. */
    monthlyLimitUsd: constructRange(),
  }),
  /**
   * Stateful resources (tables, KMS keys, the ECR repository, the load balancer, buckets) carry
   * `lifecycle.prevent_destroy`: a destroy plan of any layer holding one fails before anything is
   * deleted. On unless an environment says it is disposable: a forgotten setting never lets a
   * destroy take data. AWS-side deletion protection (`platform.albDeletionProtection`,
   * `*.tableDeletionProtection`), which alone fails a destroy only halfway through, requires it
   * (`validate.ts`).
   */
  preventDestroy: v.optional(v.boolean(), true),
  /**
   * The decommission switch (docs/deploying.md, "Decommissioning an environment"): lifts
   * `preventDestroy` and the AWS-side deletion protection of tables and the load balancer, and lets
   * the ECR repository and the access log bucket go with their contents, so one apply and then
   * `destroy` remove the environment completely. Set it back after the destroy.
   */
  decommission: v.optional(v.boolean(), false),
});

/**
 * How a GitHub Actions job proves it may deploy an environment: the `sub` claim of its OIDC token.
 * A GitHub environment (`repo:<owner>/<repo>:environment:<name>`, preferred: it can require
 * reviewers) or a branch (`repo:<owner>/<repo>:ref:refs/heads/<branch>`).
 */
const subjectName = text(
  GITHUB_SUBJECT_NAME,
  "is not a GitHub environment or branch name usable in an OIDC subject (1-255 of A-Z a-z 0-9 _ . / -)",
);
const githubSubject = v.union(
  [v.strictObject({ environment: subjectName }), v.strictObject({ branch: subjectName })],
  'must be { environment: "<name>" } or { branch: "<name>" }',
);

/** One AWS account: what its `account` stack builds. Environments name their account by `accountId`. */
export const AccountSchema = v.strictObject({
  /** The account, also its key in `config/accounts.ts`. */
  accountId: text(ACCOUNT_ID, "is not an AWS account id (exactly 12 digits)"),
  /**
   * Home region: the trail's home, its log group and the alarms on it. The regional parts of the
   * baseline (GuardDuty, Security Hub, Config, ...) run here and in every region an environment of
   * the account uses.
   */
  region: oneOf(KNOWN_REGIONS),
  /** Addresses that receive security alarms (root login, IAM changes, ...) and the billing alarm. */
  securityAlertEmails: emails,
  github: v.strictObject({
    /** GitHub organization or user that owns the repository. */
    owner: text(GITHUB_OWNER, "is not a GitHub owner name (1-39 letters, digits or single hyphens)"),
    /** Repository whose workflows may assume the deploy roles. */
    repository: text(GITHUB_REPOSITORY, "is not a GitHub repository name (1-100 of A-Z a-z 0-9 _ . -)"),
    /**
     * Subject per environment of the account; an environment without an entry is deployed from the
     * GitHub environment of the same name.
     */
    subjects: v.optional(v.record(v.string(), githubSubject), {}),
  }),
  trail: v.optional(
    v.strictObject({
      /** Days the trail's CloudWatch Logs copy (the one the alarms read) is kept. */
      logRetentionDays: v.optional(retention, 365),
      // A month of hot logs for investigations, then Glacier IR (same millisecond reads, ~1/5 the
      // storage price); seven years is the usual audit-retention requirement.
      /** Days after which trail and Config objects move to S3 Glacier Instant Retrieval. */
      archiveAfterDays: v.optional(constructRange(), 30),
      /** Days after which trail and Config objects expire. */
      expireAfterDays: v.optional(integer(365), 2557),
      // Nobody, root included, can delete or overwrite a year of audit files; use GOVERNANCE in a
      // sandbox account that must be torn down sooner (docs/security.md).
      /**
       * S3 Object Lock mode of the audit bucket's objects: `COMPLIANCE` (nobody, root included, can delete
       * or overwrite them before `objectLockDays`) or `GOVERNANCE` (only a principal allowed
       * `s3:BypassGovernanceRetention` can, and the bucket policy denies it to everyone).
       */
      objectLockMode: v.optional(oneOf(OBJECT_LOCK_MODES), "COMPLIANCE"),
      /** Days each trail and Config object is locked after it is written; at most expireAfterDays. */
      objectLockDays: v.optional(constructRange(), 365),
    }),
    {},
  ),
  guardDuty: v.optional(
    v.strictObject({
      /**
       * Id of a detector that already exists in the account's home region (GuardDuty allows one per
       * region), taken over through a Terraform `import` block instead of created.
       */
      adoptDetectorId: v.optional(v.string()),
      /** Analyse S3 data events for suspicious access to buckets. */
      enableS3Protection: v.optional(v.boolean(), true),
    }),
    {},
  ),
  securityHub: v.optional(
    v.strictObject({
      /** AWS Foundational Security Best Practices v1.0.0. */
      foundationalBestPractices: v.optional(v.boolean(), true),
      /** CIS AWS Foundations Benchmark v3.0.0. */
      cis: v.optional(v.boolean(), true),
    }),
    {},
  ),
  awsConfig: v.optional(
    v.strictObject({
      /** The managed rules that back the baseline's promises (billed per evaluation). */
      enableRules: v.optional(v.boolean(), true),
      /**
       * Resource types recorded once a day instead of on every change (empty to record every type
       * continuously). Each change of the default ones is a billed configuration item: instances and
       * their interfaces come and go with scaling, services and task definitions change with every
       * deploy and scaling step, alarms with every state change. Once a day is enough to audit them.
       */
      dailyResourceTypes: v.optional(
        v.pipe(
          v.array(text(CONFIG_RESOURCE_TYPE, "is not an AWS Config resource type (AWS::<Service>::<Resource>, e.g. AWS::EC2::Instance)")),
          v.checkItems((type, index, types) => types.indexOf(type) === index, "is listed twice"),
        ),
        [
          "AWS::EC2::Instance",
          "AWS::EC2::NetworkInterface",
          "AWS::ECS::Service",
          "AWS::ECS::TaskDefinition",
          "AWS::AutoScaling::AutoScalingGroup",
          "AWS::CloudWatch::Alarm",
        ],
      ),
    }),
    {},
  ),
  // CIS AWS Foundations 1.8/1.9 and Security Hub IAM.7: at least 14 characters, 24 remembered.
  passwordPolicy: v.optional(
    v.strictObject({
      minimumLength: v.optional(constructRange(), 14),
      /** Previous passwords a user may not reuse. */
      reusePrevention: v.optional(
        v.pipe(v.number(), v.check((n) => n === 24, "must be 24 (CIS: remember the last 24 passwords, IAM's maximum)")),
        24,
      ),
      maxAgeDays: v.optional(integer(1, 90, " days (CIS: rotate within 90 days)"), 90),
    }),
    {},
  ),
  billing: v.optional(
    v.strictObject({
      /** The whole account's estimated charges (all environments and services) that raise the billing alarm. */
      alarmThresholdUsd: v.optional(constructRange(), 3500),
      /**
       * Activate the Project, Environment and CostCenter tags for cost allocation. AWS refuses a tag
       * key until a resource carrying it has appeared in billing data (up to 24 hours after the
       * first environment is deployed), so a fresh account's first apply leaves it off; switch it
       * on afterwards and apply the account stack again (docs/deploying.md, "5. After the first day").
       */
      activateCostAllocationTags: v.optional(v.boolean(), false),
    }),
    {},
  ),
});

type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A validated environment, defaults applied: what stacks receive. */
export type EnvironmentConfig = DeepReadonly<v.InferOutput<typeof EnvironmentSchema>>;
/** An environment as written in `config/<env>.ts`: settings with a default may be left out. */
export type EnvironmentInput = v.InferInput<typeof EnvironmentSchema>;
/** A validated account, defaults applied. */
export type AccountConfig = DeepReadonly<v.InferOutput<typeof AccountSchema>>;
/** An account as written in `config/accounts.ts`. */
export type AccountInput = v.InferInput<typeof AccountSchema>;

export type NatStrategy = EnvironmentConfig["network"]["natStrategy"];
export type InstanceSubnets = EnvironmentConfig["platform"]["instanceSubnets"];
export type EnvironmentTags = EnvironmentConfig["tags"];
export type NetworkConfig = EnvironmentConfig["network"];
export type StateConfig = EnvironmentConfig["state"];
export type ComputeConfig = EnvironmentConfig["compute"];
export type PlatformConfig = EnvironmentConfig["platform"];
export type ServerlessConfig = EnvironmentConfig["serverless"];
export type AlertingConfig = EnvironmentConfig["alerting"];
export type ObservabilityConfig = EnvironmentConfig["observability"];
export type BudgetConfig = EnvironmentConfig["budget"];
export type DomainConfig = NonNullable<PlatformConfig["domain"]>;
export type GithubSubject = AccountConfig["github"]["subjects"][string];
