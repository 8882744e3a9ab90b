/**
 * Environment validation: the schema (`schema.ts`) checks every value's type and format, then the
 * rules here check what only shows across settings, environments and accounts. Every problem of
 * every environment is collected and reported at once as `<env>.<field path>: <value> <rule>`.
 */
import * as v from "valibot";
import { cidrContains, cidrsOverlap, parseCidr, type Cidr } from "./cidr";
import instanceTypes from "./instance-types.json";
import { availabilityZonesOf } from "./regions";
import { AccountSchema, EnvironmentSchema, type AccountConfig, type EnvironmentConfig } from "./schema";

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

/** `<project>-<env>` plus `-tg` must fit the 32 characters of a target group name. */
const MAX_NAME_PREFIX = 29;
const OFFERED: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = instanceTypes.regions;

const show = (value: unknown): string =>
  value === undefined || (typeof value === "number" && !Number.isFinite(value)) ? String(value) : JSON.stringify(value);

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return { object: "an object", string: "a string", number: "a number", boolean: "a boolean" }[typeof value as string] ?? typeof value;
}

/** What a schema of this type accepts, for "is a number, not a string". */
const EXPECTED: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  strict_object: "an object",
  object_with_rest: "an object",
  record: "an object",
};

const OBJECT_TYPES = new Set(["object", "strict_object", "object_with_rest"]);

type Issue = v.BaseIssue<unknown>;

/** `network.publicSubnetCidrs[1]` from a valibot issue path. */
function pathOf(issue: Issue): string {
  return (issue.path ?? []).reduce<string>((out, item) => {
    const key = item.key as string | number;
    return typeof key === "number" ? `${out}[${key}]` : out === "" ? key : `${out}.${key}`;
  }, "");
}

/** Every field path the schema declares, to tell where a misplaced key belongs. */
function fieldPaths(schema: unknown, prefix = ""): string[] {
  const entries = entriesOf(schema);
  if (!entries) return [];
  return Object.entries(entries).flatMap(([key, child]) => [`${prefix}${key}`, ...fieldPaths(child, `${prefix}${key}.`)]);
}

interface SchemaNode {
  readonly type?: string;
  readonly wrapped?: unknown;
  readonly entries?: Record<string, unknown>;
  readonly options?: readonly unknown[];
}

const unwrap = (schema: unknown): SchemaNode | undefined => {
  let current = schema as SchemaNode | undefined;
  while (current?.type === "optional") current = current.wrapped as SchemaNode;
  return current;
};

const entriesOf = (schema: unknown): Record<string, unknown> | undefined => unwrap(schema)?.entries;

/** What the schema at `path` accepts, in words: "a number", "one of none, single, per-az". */
function expectedAt(root: unknown, path: readonly string[]): string {
  const schema = unwrap(path.reduce<unknown>((node, key) => entriesOf(node)?.[key], root));
  if (schema?.type === "picklist") return `one of ${(schema.options ?? []).join(", ")}`;
  return EXPECTED[schema?.type ?? ""] ?? "a value";
}

/** The rule for a key the schema does not declare: where it belongs, or what the section has. */
function unknownKeyRule(root: unknown, sectionPath: readonly string[], key: string, what: string): string {
  const section = sectionPath.reduce<unknown>((schema, name) => entriesOf(schema)?.[name], root);
  const known = Object.keys(entriesOf(section) ?? {});
  const where = sectionPath.length === 0 ? what : sectionPath.join(".");
  const close = known.find((name) => name.toLowerCase() === key.toLowerCase() || editDistance(name, key) <= 2);
  if (close) return `is not a setting of ${where}; did you mean ${close}?`;
  const elsewhere = fieldPaths(root).filter((path) => path.split(".").at(-1) === key);
  if (elsewhere.length > 0) return `is not a setting of ${where}; ${key} belongs in ${elsewhere.join(" or ")}`;
  return `is not a setting of ${where}; known: ${known.join(", ")}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The problem line of one schema issue, without the `<env>.` prefix. `wrongType` marks a value
 * missing or of another type: no stack can be built from it (any other refused value is still a
 * string, number or list the stacks can carry, so the constructs' own checks still run).
 */
function describe(issue: Issue, root: unknown, what: string): { path: string; value: unknown; rule: string; wrongType: boolean } {
  const path = pathOf(issue);
  const last = issue.path?.at(-1);
  const keys = (issue.path ?? []).map((item) => String(item.key));
  if (issue.type === "strict_object" && issue.expected === "never" && last) {
    return { path, value: last.value, rule: unknownKeyRule(root, keys.slice(0, -1), String(last.key), what), wrongType: false };
  }
  if (OBJECT_TYPES.has(issue.type) && issue.expected?.startsWith('"') && issue.input === undefined) {
    return { path, value: undefined, rule: `is missing; expected ${expectedAt(root, keys)}`, wrongType: true };
  }
  const expected = issue.kind === "schema" ? EXPECTED[issue.type] : undefined;
  if (expected !== undefined) {
    const rule =
      issue.input === undefined
        ? `is missing; expected ${expected}`
        : Number.isNaN(issue.input)
          ? "is not a number"
          : `is ${kindOf(issue.input)}, not ${expected}`;
    return { path, value: issue.input, rule, wrongType: true };
  }
  return { path, value: issue.input, rule: issue.message, wrongType: false };
}

/** Problems of one environment or account; each is prefixed with its key and field path. */
class Problems {
  readonly list: string[] = [];
  /** Field paths the schema refused: rules that read them do not run, their problem is already listed. */
  private readonly refused: string[] = [];
  /** Whether a value was missing or of another type (see `describe`). */
  wrongType = false;
  constructor(private readonly prefix: string) {}

  add(path: string, value: unknown, rule: string): void {
    this.list.push(`${path === "" ? this.prefix : `${this.prefix}.${path}`}: ${show(value)} ${rule}`);
  }

  check(ok: boolean, path: string, value: unknown, rule: string): boolean {
    if (!ok) this.add(path, value, rule);
    return ok;
  }

  schema(issues: readonly Issue[] | undefined, root: unknown, what: string): void {
    for (const issue of issues ?? []) {
      const { path, value, rule, wrongType } = describe(issue, root, what);
      this.wrongType ||= wrongType;
      this.refused.push(path);
      this.add(path, value, rule);
    }
  }

  /** True when none of `paths` (or a field above or below them) was refused by the schema. */
  sound(...paths: string[]): boolean {
    return paths.every((path) =>
      this.refused.every(
        (bad) => !(bad === "" || bad === path || bad.startsWith(`${path}.`) || bad.startsWith(`${path}[`) || path.startsWith(`${bad}.`)),
      ),
    );
  }
}

/** One environment after the schema: its (partly) parsed value and its problems so far. */
interface Parsed<T> {
  readonly key: string;
  readonly value: T;
  readonly p: Problems;
}

function parse<T>(schema: v.GenericSchema<unknown, unknown>, key: string, prefix: string, input: unknown, what: string): Parsed<T> {
  const p = new Problems(prefix);
  const result = v.safeParse(schema, input);
  p.schema(result.issues, schema, what);
  return { key, value: result.output as T, p };
}

function validateNetwork({ value: env, p }: Parsed<EnvironmentConfig>): void {
  const network = env.network;
  if (p.sound("network.availabilityZones", "region")) {
    const allowed = availabilityZonesOf(env.region);
    network.availabilityZones.forEach((az, index) => {
      const path = `network.availabilityZones[${index}]`;
      if (network.availabilityZones.indexOf(az) < index) p.add(path, az, "is listed twice; each availability zone may appear once");
      p.check(allowed.includes(az), path, az, `is not an availability zone of ${env.region}; allowed: ${allowed.join(", ")}`);
    });
  }
  const vpc = p.sound("network.vpcCidr") ? parseCidr(network.vpcCidr) : undefined;
  const seen: { path: string; text: string; cidr: Cidr }[] = [];
  for (const kind of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
    if (!p.sound(`network.${kind}`)) continue;
    network[kind].forEach((text, index) => {
      const path = `network.${kind}[${index}]`;
      const subnet = parseCidr(text) as Cidr;
      if (vpc) p.check(cidrContains(vpc, subnet), path, text, `does not fit in the VPC CIDR ${network.vpcCidr}`);
      const clash = seen.find((other) => cidrsOverlap(other.cidr, subnet));
      if (clash) p.add(path, text, `overlaps network.${clash.path} (${clash.text})`);
      seen.push({ path: `${kind}[${index}]`, text, cidr: subnet });
    });
  }
}

function validateInstanceType({ value: env, p }: Parsed<EnvironmentConfig>): void {
  if (!p.sound("compute.instanceType", "region")) return;
  const type = env.compute.instanceType;
  const offered = OFFERED[env.region] ?? {};
  const [family = "", size] = type.split(".");
  const sizes = offered[family];
  if (sizes?.includes(size ?? "")) return;
  p.add(
    "compute.instanceType",
    type,
    sizes
      ? `is not offered in ${env.region}; ${family} sizes there: ${sizes.join(", ")}`
      : `is not an EC2 instance type offered in ${env.region} (config/instance-types.json lists each region's types)`,
  );
}

function validatePlatform({ value: env, p }: Parsed<EnvironmentConfig>): void {
  const { platform } = env;
  if (p.sound("platform.instanceSubnets", "network.natStrategy")) {
    const nat = env.network.natStrategy;
    if (platform.instanceSubnets === "private" && nat === "none") {
      p.add("platform.instanceSubnets", platform.instanceSubnets, 'needs NAT to reach ECS and ECR, but network.natStrategy is "none"; set a NAT strategy or use "public"');
    }
    if (platform.instanceSubnets === "public" && nat !== "none") {
      p.add("platform.instanceSubnets", platform.instanceSubnets, `is only for environments without NAT; network.natStrategy is ${JSON.stringify(nat)}, so use "private"`);
    }
  }
  const arn = p.sound("platform.certificateArn", "region", "accountId") ? platform.certificateArn : undefined;
  if (arn !== undefined) {
    const [, , , region, account] = arn.split(":");
    p.check(region === env.region, "platform.certificateArn", arn, `is in ${region}; a load balancer can only use a certificate of its own region (${env.region})`);
    p.check(account === env.accountId, "platform.certificateArn", arn, `belongs to account ${account}; a load balancer can only use a certificate of its own account (${env.accountId})`);
  }
  if (p.sound("platform.requireHttps", "platform.domain", "platform.certificateArn") && platform.requireHttps) {
    p.check(
      platform.domain !== undefined || platform.certificateArn !== undefined,
      "platform.domain",
      platform.domain,
      "is required: platform.requireHttps is true, so the load balancer needs a domain (its certificate is made in the hosted zone) or platform.certificateArn",
    );
  }
}

/** Settings of AWS-side deletion protection: each refuses a destroy only once Terraform reaches its resource. */
const DELETION_PROTECTION = ["platform.albDeletionProtection", "platform.tableDeletionProtection", "serverless.tableDeletionProtection"] as const;

/**
 * AWS-side deletion protection refuses only when Terraform reaches the resource, after the
 * service, cluster and functions are gone; `preventDestroy` refuses the whole plan first.
 */
function validateDestroyProtection({ value: env, p }: Parsed<EnvironmentConfig>): void {
  if (!p.sound("preventDestroy") || env.preventDestroy) return;
  for (const path of DELETION_PROTECTION) {
    if (!p.sound(path)) continue;
    const [section, field] = path.split(".") as ["platform" | "serverless", string];
    const value = (env[section] as Readonly<Record<string, unknown>>)[field];
    p.check(
      value !== true,
      path,
      value,
      "needs preventDestroy: true; without it a destroy deletes the service, cluster and functions before AWS refuses this resource, leaving the environment half gone. Set preventDestroy: true (the destroy plan then fails before anything is deleted) or turn this off",
    );
  }
}

function validateServerless({ value: env, p }: Parsed<EnvironmentConfig>): void {
  if (!p.sound("serverless.wafRateLimitPer5Minutes", "serverless.throttlingRateLimit")) return;
  const { wafRateLimitPer5Minutes: perClient, throttlingRateLimit: rate } = env.serverless;
  // Each value's own range is checked where it is used (the web ACL, the stage); compare only sound ones.
  if (!(Number.isInteger(perClient) && perClient >= 10 && Number.isFinite(rate) && rate > 0)) return;
  // The stage throttle is shared by every client: a per-client limit at or above what the whole
  // stage serves in 5 minutes would let one client take it all before the WAF steps in.
  const stageCapacity = Math.floor(rate * 300);
  p.check(
    perClient < stageCapacity,
    "serverless.wafRateLimitPer5Minutes",
    perClient,
    `must be below throttlingRateLimit × 300 (${stageCapacity}), what the whole stage serves in 5 minutes; otherwise one client can use all of it`,
  );
}

function validateEnvironment(parsed: Parsed<EnvironmentConfig>): void {
  const { key, value: env, p } = parsed;
  if (!p.sound("")) return;
  if (p.sound("name")) p.check(env.name === key, "name", env.name, `must equal the key it is registered under (${key})`);
  if (p.sound("name", "project")) {
    const prefix = `${env.project}-${env.name}`;
    p.check(
      prefix.length <= MAX_NAME_PREFIX,
      "project",
      env.project,
      `with environment ${JSON.stringify(env.name)} makes the name prefix "${prefix}" ${prefix.length} characters long; at most ${MAX_NAME_PREFIX} fit AWS's 32-character load balancer and target group names`,
    );
  }
  if (p.sound("tags.Environment", "name")) {
    p.check(env.tags.Environment === env.name, "tags.Environment", env.tags.Environment, `must equal the environment name (${env.name})`);
  }
  if (p.sound("tags.Project", "project")) {
    p.check(env.tags.Project === env.project, "tags.Project", env.tags.Project, `must equal the project name (${env.project})`);
  }
  validateNetwork(parsed);
  validateInstanceType(parsed);
  validatePlatform(parsed);
  validateServerless(parsed);
  validateDestroyProtection(parsed);
  if (p.sound("observability.targetResponseTimeP95Seconds", "observability.targetResponseTimeP99Seconds")) {
    const { targetResponseTimeP95Seconds: p95, targetResponseTimeP99Seconds: p99 } = env.observability;
    p.check(p95 <= p99, "observability.targetResponseTimeP95Seconds", p95, `must not exceed targetResponseTimeP99Seconds (${p99}); a p95 is never above the p99`);
  }
}

/** Problems that only show when environments are compared with each other. */
function validateAcrossEnvironments(parsed: readonly Parsed<EnvironmentConfig>[]): void {
  // One DNS name points at one endpoint: its alias record and certificate cannot serve two.
  const recordNames = new Map<string, string>();
  for (const { key, value: env, p } of parsed) {
    for (const section of ["platform", "serverless"] as const) {
      const path = `${section}.domain.recordName`;
      const name = p.sound(path) ? env[section]?.domain?.recordName : undefined;
      if (name === undefined) continue;
      const owner = recordNames.get(name);
      if (owner) p.add(path, name, `is already used by ${owner}; each endpoint needs its own name`);
      else recordNames.set(name, `${key}.${path}`);
    }
  }
  parsed.forEach(({ value: env, p }, index) => {
    const clash = p.sound("project", "accountId")
      ? parsed
          .slice(0, index)
          .find(({ value: other, p: otherP }) => otherP.sound("project", "accountId") && other.accountId === env.accountId && other.project !== env.project)
      : undefined;
    if (clash) {
      // The account and regional stacks name the audit bucket, log archive and roles after one project.
      p.add("project", env.project, `differs from ${clash.key}.project (${show(clash.value.project)}) although both deploy into account ${env.accountId}; one account's baseline names its resources after one project`);
    }
    for (const { key: otherKey, value: other, p: otherP } of parsed.slice(0, index)) {
      if (p.sound("network.vpcCidr") && otherP.sound("network.vpcCidr")) {
        const [mine, theirs] = [parseCidr(env.network.vpcCidr), parseCidr(other.network.vpcCidr)];
        if (mine && theirs && cidrsOverlap(mine, theirs)) {
          p.add("network.vpcCidr", env.network.vpcCidr, `overlaps ${otherKey}.network.vpcCidr (${other.network.vpcCidr}); environments need disjoint ranges so they can be peered or routed later`);
        }
      }
      if (!p.sound("state", "accountId") || !otherP.sound("state", "accountId")) continue;
      const [state, otherState] = [env.state, other.state];
      if (state.bucket !== otherState.bucket) {
        // The bootstrap stack of an account creates exactly one state bucket.
        if (env.accountId === other.accountId) {
          p.add("state.bucket", state.bucket, `differs from ${otherKey}.state.bucket (${show(otherState.bucket)}) although both deploy into account ${env.accountId}; one account keeps all its state in one bucket`);
        }
        continue;
      }
      if (state.keyPrefix === otherState.keyPrefix) {
        p.add("state.keyPrefix", state.keyPrefix, `is already used by ${otherKey} in bucket ${state.bucket}; every environment needs its own state keys`);
      }
      for (const field of ["region", "lockTable", "kmsKeyAlias"] as const) {
        if (state[field] !== otherState[field]) {
          p.add(`state.${field}`, state[field], `differs from ${otherKey}.state.${field} (${show(otherState[field])}) although both use bucket ${state.bucket}; one bucket has one region, lock table and key`);
        }
      }
      if (env.accountId !== other.accountId) {
        p.add("accountId", env.accountId, `differs from ${otherKey}.accountId (${show(other.accountId)}) although both keep state in bucket ${state.bucket}; give each account its own state bucket`);
      }
    }
  });
}

function validateAccount({ key, value: account, p }: Parsed<AccountConfig>, environments: readonly Parsed<EnvironmentConfig>[]): void {
  if (!p.sound("")) return;
  if (p.sound("accountId")) p.check(account.accountId === key, "accountId", account.accountId, `must equal the key it is registered under (${key})`);
  const own = environments.filter(({ value: env, p: envP }) => envP.sound("accountId") && env.accountId === key);
  if (p.sound("github.subjects")) {
    const names = own.map(({ key: envKey }) => envKey);
    for (const [env, subject] of Object.entries(account.github.subjects)) {
      p.check(names.includes(env), `github.subjects.${env}`, subject, `names no environment of this account; known: ${names.join(", ")}`);
    }
  }
  // S3 bills Glacier Instant Retrieval objects for at least 90 days; expiring sooner after the move costs more than it saves.
  if (p.sound("trail.archiveAfterDays", "trail.expireAfterDays")) {
    const { archiveAfterDays, expireAfterDays } = account.trail;
    p.check(expireAfterDays >= archiveAfterDays + 90, "trail.expireAfterDays", expireAfterDays, `must be at least archiveAfterDays + 90 (${archiveAfterDays + 90}): Glacier Instant Retrieval bills 90 days minimum`);
  }
}

/** What `checkConfig` found, and what stacks can be built from. */
export interface CheckedConfig {
  readonly problems: readonly string[];
  /**
   * Present when stacks can be built (so that the constructs can check their own props too):
   * no value of any environment or account is missing or of the wrong type, the selection names known environments, and
   * every environment's account is configured.
   */
  readonly build?: {
    readonly selected: readonly EnvironmentConfig[];
    readonly all: readonly EnvironmentConfig[];
    readonly accounts?: Readonly<Record<string, AccountConfig>>;
  };
}

/**
 * Checks every environment (selected or not: state keys and CIDRs are shared contracts, and a
 * broken prod config should not hide behind `ENVIRONMENTS=dev`), the selection (all when
 * `selected` is undefined) and, with `accounts`, every account and that each environment has one.
 */
export function checkConfig(
  environments: Readonly<Record<string, unknown>>,
  selected?: readonly string[],
  accounts?: Readonly<Record<string, unknown>>,
): CheckedConfig {
  const known = Object.keys(environments);
  const names = selected ?? known;
  const problems: string[] = [];
  if (names.length === 0) problems.push(`ENVIRONMENTS: ${show("")} selects no environment; known: ${known.join(", ")}`);
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.includes(name)) {
      problems.push(`ENVIRONMENTS: ${show(name)} is not a known environment; known: ${known.join(", ")}`);
    } else if (seen.has(name)) {
      problems.push(`ENVIRONMENTS: ${show(name)} is selected twice`);
    }
    seen.add(name);
  }
  const selectionOk = problems.length === 0;

  const envs = Object.entries(environments).map(([key, input]) =>
    parse<EnvironmentConfig>(EnvironmentSchema, key, key, input, "an environment"),
  );
  envs.forEach(validateEnvironment);
  validateAcrossEnvironments(envs);
  const accountList = Object.entries(accounts ?? {}).map(([key, input]) =>
    parse<AccountConfig>(AccountSchema, key, `accounts.${key}`, input, "an account"),
  );
  accountList.forEach((account) => validateAccount(account, envs));
  const missing = accounts === undefined ? [] : envs.filter(({ value: env, p }) => p.sound("accountId") && !Object.hasOwn(accounts, env.accountId));
  for (const { value: env, p } of missing) {
    p.add("accountId", env.accountId, "has no entry in config/accounts.ts; every account needs its security baseline");
  }
  problems.push(...envs.flatMap(({ p }) => p.list), ...accountList.flatMap(({ p }) => p.list));

  const buildable =
    selectionOk &&
    missing.length === 0 &&
    [...envs, ...accountList].every(({ p }) => !p.wrongType) &&
    envs.every(({ key, value }) => value.name === key);
  if (!buildable) return { problems };
  const byKey = new Map(envs.map(({ key, value }) => [key, value]));
  return {
    problems,
    build: {
      selected: names.map((name) => byKey.get(name) as EnvironmentConfig),
      all: envs.map(({ value }) => value),
      ...(accounts !== undefined && { accounts: Object.fromEntries(accountList.map(({ key, value }) => [key, value])) }),
    },
  };
}

/**
 * The selected environments (all when `selected` is undefined), validated and with defaults
 * applied, in the order asked for; throws one `ConfigError` listing every problem found.
 */
export function validateEnvironments(
  environments: Readonly<Record<string, unknown>>,
  selected?: readonly string[],
  accounts?: Readonly<Record<string, unknown>>,
): EnvironmentConfig[] {
  const { problems, build } = checkConfig(environments, selected, accounts);
  if (problems.length > 0 || !build) throw new ConfigError(problems);
  return [...build.selected];
}
