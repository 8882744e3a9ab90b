/**
 * Environment validation. Runs before any construct is made, collects every problem of every
 * selected environment, and reports them all at once as `<env>.<field path>: <value> <rule>`.
 */
import { cidrContains, cidrsOverlap, parseCidr, type Cidr } from "./cidr";
import { availabilityZonesOf, KNOWN_REGIONS } from "./regions";
import type { AccountConfig, EnvironmentConfig } from "./types";

/** Thrown with the full list of problems; `main.ts` prints `message` without a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Environment configuration is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  - ${problem}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** Values CloudWatch Logs accepts for `retention_in_days`. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const NAT_STRATEGIES = ["none", "single", "per-az"] as const;
export const REQUIRED_TAGS = ["Project", "Environment", "Owner", "CostCenter", "ManagedBy"] as const;

/** `<project>-<env>` plus `-tg` must fit the 32 characters of a target group name. */
const MAX_NAME_PREFIX = 29;
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
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

const show = (value: unknown): string =>
  value === undefined || (typeof value === "number" && !Number.isFinite(value)) ? String(value) : JSON.stringify(value);

/** Collects problems for one environment; each is prefixed with the field path. */
class Problems {
  readonly list: string[] = [];
  constructor(private readonly prefix: string) {}

  add(path: string, value: unknown, rule: string): void {
    this.list.push(`${this.prefix}.${path}: ${show(value)} ${rule}`);
  }

  /** Checks `test` and records `rule` when it fails; returns the result for chaining. */
  check(ok: boolean, path: string, value: unknown, rule: string): boolean {
    if (!ok) this.add(path, value, rule);
    return ok;
  }

  string(value: unknown, path: string, pattern: RegExp, rule: string): value is string {
    return this.check(typeof value === "string" && pattern.test(value), path, value, rule);
  }

  nonEmptyString(value: unknown, path: string): value is string {
    return this.check(typeof value === "string" && value.trim() !== "", path, value, "must be a non-empty string");
  }

  integer(value: unknown, path: string, min: number): value is number {
    return this.check(
      Number.isInteger(value) && (value as number) >= min,
      path,
      value,
      `must be an integer >= ${min}`,
    );
  }

  oneOf<T>(value: unknown, path: string, allowed: readonly T[]): value is T {
    return this.check(allowed.includes(value as T), path, value, `is not allowed; allowed: ${allowed.join(", ")}`);
  }
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

function validateRecordPresent(p: Problems, value: unknown, path: string): boolean {
  return p.check(typeof value === "object" && value !== null && !Array.isArray(value), path, value, "must be an object");
}

function validateSubnets(
  p: Problems,
  network: Record<string, unknown>,
  vpc: Cidr | undefined,
  azCount: number | undefined,
): void {
  const seen: { path: string; text: string; cidr: Cidr }[] = [];
  for (const kind of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
    const value = network[kind];
    if (!p.check(Array.isArray(value), `network.${kind}`, value, "must be a list of CIDRs, one per availability zone")) {
      continue;
    }
    const list = value as unknown[];
    // Without a valid AZ list there is nothing to count against; that list has its own problem.
    p.check(
      azCount === undefined || list.length === azCount,
      `network.${kind}`,
      value,
      `has ${list.length} entries; needs exactly one per availability zone (${azCount})`,
    );
    list.forEach((text, index) => {
      const path = `network.${kind}[${index}]`;
      const cidr = parseCidr(text);
      if (!p.check(cidr !== undefined, path, text, "is not a valid IPv4 CIDR (a.b.c.d/n, no host bits set)")) return;
      const subnet = cidr as Cidr;
      p.check(
        subnet.prefixLength >= 16 && subnet.prefixLength <= 28,
        path,
        text,
        "has a prefix length outside /16../28, which AWS allows for subnets",
      );
      if (vpc) {
        p.check(cidrContains(vpc, subnet), path, text, `does not fit in the VPC CIDR ${network.vpcCidr as string}`);
      }
      const clash = seen.find((other) => cidrsOverlap(other.cidr, subnet));
      if (clash) p.add(path, text, `overlaps ${clash.path} (${clash.text})`);
      seen.push({ path, text: text as string, cidr: subnet });
    });
  }
}

function validateNetwork(p: Problems, network: Record<string, unknown>, region: unknown): void {
  const vpc = parseCidr(network.vpcCidr);
  if (p.check(vpc !== undefined, "network.vpcCidr", network.vpcCidr, "is not a valid IPv4 CIDR (a.b.c.d/n, no host bits set)")) {
    p.check(
      (vpc as Cidr).prefixLength >= 16 && (vpc as Cidr).prefixLength <= 28,
      "network.vpcCidr",
      network.vpcCidr,
      "has a prefix length outside /16../28, which AWS allows for VPCs",
    );
  }

  const azs = network.availabilityZones;
  if (p.check(Array.isArray(azs) && azs.length >= 2, "network.availabilityZones", azs, "must list at least 2 availability zones (load balancers need two)")) {
    const allowed = typeof region === "string" ? availabilityZonesOf(region) : [];
    const seen = new Set<unknown>();
    (azs as unknown[]).forEach((az, index) => {
      const path = `network.availabilityZones[${index}]`;
      if (seen.has(az)) p.add(path, az, "is listed twice; each availability zone may appear once");
      seen.add(az);
      if (allowed.length > 0) {
        p.check(allowed.includes(az as string), path, az, `is not an availability zone of ${String(region)}; allowed: ${allowed.join(", ")}`);
      }
    });
  }

  validateSubnets(p, network, vpc, Array.isArray(azs) ? azs.length : undefined);
  p.oneOf(network.natStrategy, "network.natStrategy", NAT_STRATEGIES);
  p.oneOf(network.flowLogRetentionDays, "network.flowLogRetentionDays", LOG_RETENTION_DAYS);
}

function validateState(p: Problems, state: Record<string, unknown>): void {
  p.string(state.bucket, "state.bucket", S3_BUCKET, "is not a valid S3 bucket name (3-63 of a-z 0-9 . -, starting and ending with a letter or digit)");
  p.string(state.lockTable, "state.lockTable", DYNAMODB_TABLE, "is not a valid DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)");
  p.oneOf(state.region, "state.region", KNOWN_REGIONS);
  p.string(state.kmsKeyAlias, "state.kmsKeyAlias", KMS_ALIAS, "is not a valid KMS alias name (1-250 of a-z A-Z 0-9 / _ -, without the alias/ prefix, not starting with aws/)");
  if (p.string(state.keyPrefix, "state.keyPrefix", STATE_KEY_PREFIX, "must be lower-case path segments of a-z 0-9 _ - separated by /, without leading or trailing /")) {
    // The environment's deploy role may write everything under its prefix.
    p.check(state.keyPrefix.split("/")[0] !== "account", "state.keyPrefix", state.keyPrefix, "is reserved: account/ holds the account stacks' state (account/<account id>.tfstate)");
  }
  p.check(typeof state.useLockfile === "boolean", "state.useLockfile", state.useLockfile, "must be true or false");
}

function validateCompute(p: Problems, compute: Record<string, unknown>): void {
  p.string(compute.instanceType, "compute.instanceType", INSTANCE_TYPE, "is not an EC2 instance type (family.size, e.g. t3.small)");
  validateMinDesiredMax(p, "compute", compute, ["minCapacity", "desiredCapacity", "maxCapacity"], 0);
}

/**
 * Checks a min/desired/max triple of `section`: each an integer (min and desired >= `floor`, max >= 1),
 * and min <= desired <= max, each comparison only between values that are themselves valid.
 */
function validateMinDesiredMax(
  p: Problems,
  section: string,
  values: Record<string, unknown>,
  [minKey, desiredKey, maxKey]: readonly [string, string, string],
  floor: number,
): void {
  const [min, desired, max] = [values[minKey], values[desiredKey], values[maxKey]];
  const okMin = p.integer(min, `${section}.${minKey}`, floor);
  const okDesired = p.integer(desired, `${section}.${desiredKey}`, floor);
  const okMax = p.integer(max, `${section}.${maxKey}`, 1);
  if (okMin && okDesired) p.check(min <= desired, `${section}.${minKey}`, min, `must not exceed ${desiredKey} (${desired})`);
  if (okDesired && okMax) p.check(desired <= max, `${section}.${desiredKey}`, desired, `must not exceed ${maxKey} (${max})`);
  if (okMin && okMax) p.check(min <= max, `${section}.${minKey}`, min, `must not exceed ${maxKey} (${max})`);
}

export const INSTANCE_SUBNETS = ["private", "public"] as const;
const CERTIFICATE_ARN = /^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Lower-case DNS labels of a-z 0-9 -, not starting or ending with -, at least two of them. */
const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** ACM puts the name in the certificate's common name, which holds at most 64 characters. */
const MAX_CERTIFICATE_NAME = 64;
/** Certificate ids of documentation examples, never of a real certificate. */
const PLACEHOLDER_CERTIFICATE_IDS = [/^0{8}-0{4}-0{4}-0{4}-0{11}[0-9a-f]$/, /^12345678-1234-1234-1234-123456789012$/];

/** `hostedZone` and `recordName` of a domain section (`platform.domain`, `serverless.domain`). */
function validateDomain(p: Problems, domain: unknown, path: string): void {
  if (domain === undefined) return;
  if (!validateRecordPresent(p, domain, path)) return;
  const { hostedZone, recordName } = asRecord(domain);
  const zoneOk = p.string(hostedZone, `${path}.hostedZone`, DNS_NAME, "is not a DNS zone name (lower-case labels of a-z 0-9 - separated by dots, no trailing dot, e.g. example.com)");
  if (!p.string(recordName, `${path}.recordName`, DNS_NAME, "is not a DNS name (lower-case labels of a-z 0-9 - separated by dots, no wildcard, e.g. app.example.com)")) return;
  if (zoneOk) {
    p.check(recordName === hostedZone || recordName.endsWith(`.${hostedZone}`), `${path}.recordName`, recordName, `is not in the hosted zone ${hostedZone}; use the zone's name or a name ending in .${hostedZone}`);
  }
  p.check(recordName.length <= MAX_CERTIFICATE_NAME, `${path}.recordName`, recordName, `is ${recordName.length} characters; ACM certificates take at most ${MAX_CERTIFICATE_NAME} (the common name)`);
}

/**
 * The load balancer's HTTPS: a domain (certificate made here), an existing certificate of the
 * environment's account and region, or neither (plain HTTP), which `requireHttps` forbids.
 */
function validateHttps(p: Problems, platform: Record<string, unknown>, region: unknown, accountId: unknown): void {
  validateDomain(p, platform.domain, "platform.domain");
  const arn = platform.certificateArn;
  if (arn !== undefined && p.string(arn, "platform.certificateArn", CERTIFICATE_ARN, "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)")) {
    const [, , , certificateRegion, certificateAccount, resource] = arn.split(":");
    const id = (resource as string).slice("certificate/".length);
    if (PLACEHOLDER_CERTIFICATE_IDS.some((pattern) => pattern.test(id))) {
      p.add("platform.certificateArn", arn, "is a placeholder (a documentation certificate id), not a certificate; give the ARN of one issued in this account, or set platform.domain to have one made");
    }
    p.check(certificateRegion === region, "platform.certificateArn", arn, `is in ${certificateRegion}; a load balancer can only use a certificate of its own region (${String(region)})`);
    p.check(certificateAccount === accountId, "platform.certificateArn", arn, `is in account ${certificateAccount}; a load balancer can only use a certificate of its own account (${String(accountId)})`);
  }
  if (p.check(typeof platform.requireHttps === "boolean", "platform.requireHttps", platform.requireHttps, "must be true or false") && platform.requireHttps) {
    p.check(
      platform.domain !== undefined || arn !== undefined,
      "platform.domain",
      platform.domain,
      "is required: platform.requireHttps is true, so the load balancer needs a domain (its certificate is made in the hosted zone) or platform.certificateArn",
    );
  }
}

function between(p: Problems, value: unknown, path: string, min: number, max: number, unit: string): boolean {
  return p.check(
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
    path,
    value,
    `must be an integer from ${min} to ${max}${unit}`,
  );
}

function validatePlatform(p: Problems, platform: Record<string, unknown>, natStrategy: unknown, region: unknown, accountId: unknown): void {
  // The placement is checked against NAT only when both are valid: a bad NAT strategy has its own line.
  const natKnown = NAT_STRATEGIES.includes(natStrategy as (typeof NAT_STRATEGIES)[number]);
  if (p.oneOf(platform.instanceSubnets, "platform.instanceSubnets", INSTANCE_SUBNETS) && natKnown) {
    if (platform.instanceSubnets === "private" && natStrategy === "none") {
      p.add("platform.instanceSubnets", platform.instanceSubnets, "needs NAT to reach ECS and ECR, but network.natStrategy is \"none\"; set a NAT strategy or use \"public\"");
    }
    if (platform.instanceSubnets === "public" && natStrategy !== "none") {
      p.add("platform.instanceSubnets", platform.instanceSubnets, `is only for environments without NAT; network.natStrategy is ${JSON.stringify(natStrategy)}, so use "private"`);
    }
  }
  p.check(typeof platform.managedTerminationProtection === "boolean", "platform.managedTerminationProtection", platform.managedTerminationProtection, "must be true or false");
  between(p, platform.containerPort, "platform.containerPort", 1024, 65535, " (unprivileged ports only: the container runs as non-root)");
  p.string(platform.imageTag, "platform.imageTag", IMAGE_TAG, "is not a valid image tag (1-128 of A-Z a-z 0-9 _ . -, not starting with . or -)");
  between(p, platform.taskCpu, "platform.taskCpu", 128, 16384, " CPU units");
  between(p, platform.taskMemoryMiB, "platform.taskMemoryMiB", 128, 122880, " MiB");
  validateMinDesiredMax(p, "platform", platform, ["minTaskCount", "desiredTaskCount", "maxTaskCount"], 1);
  between(p, platform.cpuTargetPercent, "platform.cpuTargetPercent", 10, 90, " percent");
  p.integer(platform.requestsPerTargetPerMinute, "platform.requestsPerTargetPerMinute", 1);
  between(p, platform.healthCheckGracePeriodSeconds, "platform.healthCheckGracePeriodSeconds", 0, 3600, " seconds");
  validateHttps(p, platform, region, accountId);
  p.check(typeof platform.albDeletionProtection === "boolean", "platform.albDeletionProtection", platform.albDeletionProtection, "must be true or false");
  between(p, platform.wafRateLimitPer5Minutes, "platform.wafRateLimitPer5Minutes", 10, 2_000_000_000, " requests");
  between(p, platform.ecrKeepImages, "platform.ecrKeepImages", 1, 1000, " images");
  p.oneOf(platform.logRetentionDays, "platform.logRetentionDays", LOG_RETENTION_DAYS);
  p.check(typeof platform.tableDeletionProtection === "boolean", "platform.tableDeletionProtection", platform.tableDeletionProtection, "must be true or false");
}

function validateServerless(p: Problems, serverless: Record<string, unknown>): void {
  const memory = serverless.functionMemoryMiB;
  p.check(
    Number.isInteger(memory) && (memory as number) >= 128 && (memory as number) <= 10240,
    "serverless.functionMemoryMiB",
    memory,
    "must be an integer from 128 to 10240 (Lambda's range)",
  );
  p.integer(serverless.reservedConcurrency, "serverless.reservedConcurrency", 1);
  const rate = serverless.throttlingRateLimit;
  p.check(typeof rate === "number" && Number.isFinite(rate) && rate > 0, "serverless.throttlingRateLimit", rate, "must be a positive number of requests per second");
  p.integer(serverless.throttlingBurstLimit, "serverless.throttlingBurstLimit", 1);
  const origins = serverless.corsAllowOrigins;
  if (p.check(Array.isArray(origins), "serverless.corsAllowOrigins", origins, "must be a list of origins (empty for no CORS)")) {
    (origins as unknown[]).forEach((origin, index) =>
      p.string(origin, `serverless.corsAllowOrigins[${index}]`, ORIGIN, "is not an origin (scheme://host[:port], no path, no wildcard)"),
    );
  }
  validateDomain(p, serverless.domain, "serverless.domain");
  p.oneOf(serverless.logRetentionDays, "serverless.logRetentionDays", LOG_RETENTION_DAYS);
  p.check(typeof serverless.tableDeletionProtection === "boolean", "serverless.tableDeletionProtection", serverless.tableDeletionProtection, "must be true or false");
}

/** Count thresholds of the observability section: alarms fire at or above them, so 0 would always fire. */
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
/** Latency thresholds, in the unit their name ends with. */
export const OBSERVABILITY_LATENCIES = ["targetResponseTimeP95Seconds", "targetResponseTimeP99Seconds", "apiLatencyP95Ms"] as const;
const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d{1,5})?(\/\S*)?$/i;

const positive = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value > 0;

function validateObservability(p: Problems, observability: Record<string, unknown>): void {
  for (const key of OBSERVABILITY_COUNTS) p.integer(observability[key], `observability.${key}`, 1);
  for (const key of OBSERVABILITY_PERCENTS) {
    const value = observability[key];
    p.check(positive(value) && value <= 100, `observability.${key}`, value, "must be a number above 0 and at most 100 (percent)");
  }
  for (const key of OBSERVABILITY_LATENCIES) {
    p.check(positive(observability[key]), `observability.${key}`, observability[key], "must be a positive number");
  }
  const [p95, p99] = [observability.targetResponseTimeP95Seconds, observability.targetResponseTimeP99Seconds];
  if (positive(p95) && positive(p99)) {
    p.check(p95 <= p99, "observability.targetResponseTimeP95Seconds", p95, `must not exceed targetResponseTimeP99Seconds (${p99}); a p95 is never above the p99`);
  }
  // Managed scaling aims at 100 (fully packed instances); the alarm fires above the threshold, so below 100 it would fire on a healthy cluster.
  between(p, observability.capacityProviderReservationPercent, "observability.capacityProviderReservationPercent", 100, 200, " percent");
  between(p, observability.capacityAnomalyBandWidth, "observability.capacityAnomalyBandWidth", 1, 10, " standard deviations");
}

function validateTags(p: Problems, tags: Record<string, unknown>, env: Record<string, unknown>): void {
  for (const key of REQUIRED_TAGS) p.nonEmptyString(tags[key], `tags.${key}`);
  for (const [key, value] of Object.entries(tags)) {
    p.check(typeof value === "string" && value.length <= 256, `tags.${key}`, value, "must be a string of at most 256 characters");
  }
  if (typeof tags.Environment === "string" && typeof env.name === "string") {
    p.check(tags.Environment === env.name, "tags.Environment", tags.Environment, `must equal the environment name (${env.name})`);
  }
  if (typeof tags.Project === "string" && typeof env.project === "string") {
    p.check(tags.Project === env.project, "tags.Project", tags.Project, `must equal the project name (${env.project})`);
  }
}

function validateEnvironment(key: string, config: unknown): string[] {
  const p = new Problems(key);
  if (!validateRecordPresent(p, config, "(environment)")) return p.list;
  const env = asRecord(config);

  p.string(env.name, "name", ENV_NAME, "must be 2-12 lower-case letters or digits, starting with a letter");
  p.check(env.name === key, "name", env.name, `must equal the key it is registered under (${key})`);
  p.string(env.project, "project", PROJECT_NAME, "must be 3-21 lower-case letters, digits or hyphens, starting with a letter");
  if (typeof env.project === "string" && typeof env.name === "string") {
    const prefix = `${env.project}-${env.name}`;
    p.check(
      prefix.length <= MAX_NAME_PREFIX,
      "project",
      env.project,
      `with environment ${JSON.stringify(env.name)} makes the name prefix "${prefix}" ${prefix.length} characters long; at most ${MAX_NAME_PREFIX} fit AWS's 32-character load balancer and target group names`,
    );
  }
  p.oneOf(env.region, "region", KNOWN_REGIONS);
  p.string(env.accountId, "accountId", ACCOUNT_ID, "is not an AWS account id (exactly 12 digits)");

  for (const section of ["tags", "network", "state", "compute", "platform", "serverless", "alerting", "observability", "budget"] as const) {
    validateRecordPresent(p, env[section], section);
  }
  validateTags(p, asRecord(env.tags), env);
  validateNetwork(p, asRecord(env.network), env.region);
  validateState(p, asRecord(env.state));
  validateCompute(p, asRecord(env.compute));
  validatePlatform(p, asRecord(env.platform), asRecord(env.network).natStrategy, env.region, env.accountId);
  validateServerless(p, asRecord(env.serverless));

  const emails = asRecord(env.alerting).emails;
  if (p.check(Array.isArray(emails) && emails.length > 0, "alerting.emails", emails, "must list at least one e-mail address")) {
    (emails as unknown[]).forEach((email, index) =>
      p.string(email, `alerting.emails[${index}]`, EMAIL, "is not a valid e-mail address"),
    );
  }
  const webhook = asRecord(env.alerting).chatWebhookUrl;
  if (webhook !== undefined) {
    // SNS would deliver alarm details in clear text over http://.
    p.string(webhook, "alerting.chatWebhookUrl", HTTPS_URL, "is not an https:// URL (SNS must not send alarms over plain HTTP)");
  }
  validateObservability(p, asRecord(env.observability));
  const limit = asRecord(env.budget).monthlyLimitUsd;
  p.check(typeof limit === "number" && Number.isFinite(limit) && limit > 0, "budget.monthlyLimitUsd", limit, "must be a positive number of USD");
  validateDestroyProtection(p, env);
  return p.list;
}

/**
 * AWS-side deletion protection refuses only when Terraform reaches the resource, after the
 * service, cluster and functions are gone; `preventDestroy` refuses the whole plan first.
 */
function validateDestroyProtection(p: Problems, env: Record<string, unknown>): void {
  const preventDestroy = env.preventDestroy;
  validateBoolean(p, preventDestroy, "preventDestroy");
  validateBoolean(p, env.decommission, "decommission");
  if (preventDestroy !== false) return;
  const deletionProtection = [
    ["platform.albDeletionProtection", asRecord(env.platform).albDeletionProtection],
    ["platform.tableDeletionProtection", asRecord(env.platform).tableDeletionProtection],
    ["serverless.tableDeletionProtection", asRecord(env.serverless).tableDeletionProtection],
  ] as const;
  for (const [path, value] of deletionProtection) {
    p.check(
      value !== true,
      path,
      value,
      "needs preventDestroy: true; without it a destroy deletes the service, cluster and functions before AWS refuses this resource, leaving the environment half gone. Set preventDestroy: true (the destroy plan then fails before anything is deleted) or turn this off",
    );
  }
}

const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9_.-]{1,100}$/;
// GitHub environment and branch names land in the OIDC `sub` claim matched with StringEquals:
// no wildcards, no `:` (the claim's separator), no spaces.
const GITHUB_SUBJECT_NAME = /^[A-Za-z0-9_./-]{1,255}$/;
const DETECTOR_ID = /^[0-9a-f]{32}$/;

function validatePositive(p: Problems, value: unknown, path: string, unit: string): void {
  p.check(typeof value === "number" && Number.isFinite(value) && value > 0, path, value, `must be a positive number of ${unit}`);
}

function validateBoolean(p: Problems, value: unknown, path: string): void {
  p.check(typeof value === "boolean", path, value, "must be true or false");
}

function validateGithub(p: Problems, github: Record<string, unknown>, envNames: readonly string[]): void {
  p.string(github.owner, "github.owner", GITHUB_OWNER, "is not a GitHub owner name (1-39 letters, digits or single hyphens)");
  p.string(github.repository, "github.repository", GITHUB_REPOSITORY, "is not a GitHub repository name (1-100 of A-Z a-z 0-9 _ . -)");
  if (!validateRecordPresent(p, github.subjects, "github.subjects")) return;
  for (const [env, subject] of Object.entries(asRecord(github.subjects))) {
    const path = `github.subjects.${env}`;
    if (!p.check(envNames.includes(env), path, subject, `names no environment of this account; known: ${envNames.join(", ")}`)) continue;
    const fields = Object.keys(asRecord(subject));
    if (!p.check(fields.length === 1 && ["environment", "branch"].includes(fields[0]!), path, subject, 'must be { environment: "<name>" } or { branch: "<name>" }')) continue;
    const field = fields[0]!;
    p.string(asRecord(subject)[field], `${path}.${field}`, GITHUB_SUBJECT_NAME, "is not a GitHub environment or branch name usable in an OIDC subject (1-255 of A-Z a-z 0-9 _ . / -)");
  }
}

function validateAccount(key: string, config: unknown, environments: readonly EnvironmentConfig[]): string[] {
  const p = new Problems(`accounts.${key}`);
  if (!validateRecordPresent(p, config, "(account)")) return p.list;
  const account = asRecord(config);
  if (p.string(account.accountId, "accountId", ACCOUNT_ID, "is not an AWS account id (exactly 12 digits)")) {
    p.check(account.accountId === key, "accountId", account.accountId, `must equal the key it is registered under (${key})`);
  }
  if (p.oneOf(account.region, "region", KNOWN_REGIONS)) {
    for (const env of environments) {
      // GuardDuty, Security Hub, Config and the trail's home are regional: the baseline watches one region.
      p.check(env.region === account.region, "region", account.region, `differs from ${env.name}.region (${String(env.region)}); the account baseline covers one region, the one its environments deploy into`);
    }
  }
  const emails = account.securityAlertEmails;
  if (p.check(Array.isArray(emails) && emails.length > 0, "securityAlertEmails", emails, "must list at least one e-mail address")) {
    (emails as unknown[]).forEach((email, index) => p.string(email, `securityAlertEmails[${index}]`, EMAIL, "is not a valid e-mail address"));
  }
  for (const section of ["github", "trail", "guardDuty", "securityHub", "awsConfig", "passwordPolicy", "billing"] as const) {
    validateRecordPresent(p, account[section], section);
  }
  validateGithub(p, asRecord(account.github), environments.map((env) => env.name));

  const trail = asRecord(account.trail);
  p.oneOf(trail.logRetentionDays, "trail.logRetentionDays", LOG_RETENTION_DAYS);
  // S3 bills Glacier Instant Retrieval objects for at least 90 days; expiring sooner after the move costs more than it saves.
  const archiveOk = p.integer(trail.archiveAfterDays, "trail.archiveAfterDays", 1);
  if (p.integer(trail.expireAfterDays, "trail.expireAfterDays", 365) && archiveOk) {
    p.check((trail.expireAfterDays as number) >= (trail.archiveAfterDays as number) + 90, "trail.expireAfterDays", trail.expireAfterDays, `must be at least archiveAfterDays + 90 (${(trail.archiveAfterDays as number) + 90}): Glacier Instant Retrieval bills 90 days minimum`);
  }

  const guardDuty = asRecord(account.guardDuty);
  if (guardDuty.adoptDetectorId !== undefined) {
    p.string(guardDuty.adoptDetectorId, "guardDuty.adoptDetectorId", DETECTOR_ID, "is not a GuardDuty detector id (32 lower-case hex characters)");
  }
  validateBoolean(p, guardDuty.enableS3Protection, "guardDuty.enableS3Protection");
  validateBoolean(p, guardDuty.enableRuntimeMonitoring, "guardDuty.enableRuntimeMonitoring");
  validateBoolean(p, asRecord(account.securityHub).foundationalBestPractices, "securityHub.foundationalBestPractices");
  validateBoolean(p, asRecord(account.securityHub).cis, "securityHub.cis");
  validateBoolean(p, asRecord(account.awsConfig).enableRules, "awsConfig.enableRules");

  const password = asRecord(account.passwordPolicy);
  between(p, password.minimumLength, "passwordPolicy.minimumLength", 14, 128, " characters (CIS asks for at least 14)");
  p.check(password.reusePrevention === 24, "passwordPolicy.reusePrevention", password.reusePrevention, "must be 24 (CIS: remember the last 24 passwords, IAM's maximum)");
  between(p, password.maxAgeDays, "passwordPolicy.maxAgeDays", 1, 90, " days (CIS: rotate within 90 days)");

  validatePositive(p, asRecord(account.billing).alarmThresholdUsd, "billing.alarmThresholdUsd", "USD");
  return p.list;
}

/** Every account, and an account entry for every environment. */
function validateAccounts(
  accounts: Readonly<Record<string, AccountConfig>>,
  environments: Readonly<Record<string, EnvironmentConfig>>,
): string[] {
  const envs = Object.values(environments).filter((env) => typeof env === "object" && env !== null);
  const problems = Object.entries(accounts).flatMap(([key, account]) =>
    validateAccount(key, account, envs.filter((env) => env.accountId === key)),
  );
  for (const [key, env] of Object.entries(environments)) {
    if (typeof env !== "object" || env === null || typeof env.accountId !== "string" || !ACCOUNT_ID.test(env.accountId)) continue;
    if (!Object.hasOwn(accounts, env.accountId)) {
      problems.push(`${key}.accountId: ${show(env.accountId)} has no entry in config/accounts.ts; every account needs its security baseline`);
    }
  }
  return problems;
}

/** Problems that only show when environments are compared with each other. */
function validateAcrossEnvironments(environments: Readonly<Record<string, EnvironmentConfig>>): string[] {
  const problems: string[] = [];
  // Environments that are not objects were already reported by validateEnvironment.
  const entries = Object.entries(environments).filter(
    ([, env]) => typeof env === "object" && env !== null && !Array.isArray(env),
  );
  // One DNS name points at one endpoint: its alias record and certificate cannot serve two.
  const recordNames = new Map<string, string>();
  for (const [key, env] of entries) {
    for (const section of ["platform", "serverless"] as const) {
      const name = asRecord(asRecord(asRecord(env)[section]).domain).recordName;
      if (typeof name !== "string") continue;
      const path = `${key}.${section}.domain.recordName`;
      const owner = recordNames.get(name);
      if (owner) problems.push(`${path}: ${show(name)} is already used by ${owner}; each endpoint needs its own name`);
      else recordNames.set(name, path);
    }
  }
  entries.forEach(([key, env], index) => {
    for (const [otherKey, other] of entries.slice(0, index)) {
      const mine = parseCidr(env.network?.vpcCidr);
      const theirs = parseCidr(other.network?.vpcCidr);
      if (mine && theirs && cidrsOverlap(mine, theirs)) {
        problems.push(
          `${key}.network.vpcCidr: ${show(env.network.vpcCidr)} overlaps ${otherKey}.network.vpcCidr (${other.network.vpcCidr}); environments need disjoint ranges so they can be peered or routed later`,
        );
      }
      const state = env.state;
      const otherState = other.state;
      if (!state || !otherState) continue;
      if (state.bucket !== otherState.bucket) {
        // The bootstrap stack of an account creates exactly one state bucket.
        if (env.accountId === other.accountId) {
          problems.push(
            `${key}.state.bucket: ${show(state.bucket)} differs from ${otherKey}.state.bucket (${show(otherState.bucket)}) although both deploy into account ${env.accountId}; one account keeps all its state in one bucket`,
          );
        }
        continue;
      }
      if (state.keyPrefix === otherState.keyPrefix) {
        problems.push(
          `${key}.state.keyPrefix: ${show(state.keyPrefix)} is already used by ${otherKey} in bucket ${state.bucket}; every environment needs its own state keys`,
        );
      }
      for (const field of ["region", "lockTable", "kmsKeyAlias"] as const) {
        if (state[field] !== otherState[field]) {
          problems.push(
            `${key}.state.${field}: ${show(state[field])} differs from ${otherKey}.state.${field} (${show(otherState[field])}) although both use bucket ${state.bucket}; one bucket has one region, lock table and key`,
          );
        }
      }
      if (env.accountId !== other.accountId) {
        problems.push(
          `${key}.accountId: ${show(env.accountId)} differs from ${otherKey}.accountId (${show(other.accountId)}) although both keep state in bucket ${state.bucket}; give each account its own state bucket`,
        );
      }
    }
  });
  return problems;
}

/**
 * Validates the selected environments (all when `selected` is undefined) and returns them in
 * the order asked for; with `accounts`, also every account and that each environment has one.
 * Throws one `ConfigError` listing every problem found.
 */
export function validateEnvironments(
  environments: Readonly<Record<string, EnvironmentConfig>>,
  selected?: readonly string[],
  accounts?: Readonly<Record<string, AccountConfig>>,
): EnvironmentConfig[] {
  const known = Object.keys(environments);
  const names = selected ?? known;
  const problems: string[] = [];
  if (names.length === 0) {
    problems.push(`ENVIRONMENTS: ${show("")} selects no environment; known: ${known.join(", ")}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.includes(name)) {
      problems.push(`ENVIRONMENTS: ${show(name)} is not a known environment; known: ${known.join(", ")}`);
    } else if (seen.has(name)) {
      problems.push(`ENVIRONMENTS: ${show(name)} is selected twice`);
    }
    seen.add(name);
  }
  // Every environment is validated, selected or not: state keys and CIDRs are shared contracts,
  // and a broken prod config should not hide behind `ENVIRONMENTS=dev`.
  for (const [key, config] of Object.entries(environments)) problems.push(...validateEnvironment(key, config));
  problems.push(...validateAcrossEnvironments(environments));
  if (accounts !== undefined) problems.push(...validateAccounts(accounts, environments));
  if (problems.length > 0) throw new ConfigError(problems);
  return names.map((name) => environments[name] as EnvironmentConfig);
}
