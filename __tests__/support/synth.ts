/**
 * The one way tests look at synthesized Terraform: synthesize once, then query the parsed JSON by
 * Terraform type (never by the hashed logical id).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import * as config from "../../config";
import { checkConfig, ConfigError, validateEnvironments, type AccountConfig, type EnvironmentConfig } from "../../config";
import { propProblems } from "../../modules/core/validation";
import { buildCheckedApp, buildStacks, type PlatformStacks } from "../../stacks/app";

const shippedConfig = checkConfig(config.environments, undefined, config.accounts).build;
if (!shippedConfig?.accounts) throw new Error("the shipped configuration is invalid: run npm run synth to see why");
/** The shipped environments as stacks receive them: validated, defaults applied, in config order. */
export const environments: Readonly<Record<string, EnvironmentConfig>> = Object.fromEntries(shippedConfig.all.map((env) => [env.name, env]));
/** The shipped accounts, validated, defaults applied. */
export const accounts: Readonly<Record<string, AccountConfig>> = shippedConfig.accounts;

/** Parsed `cdk.tf.json` of one stack. */
export interface StackJson {
  readonly terraform?: { backend?: Record<string, Record<string, unknown>>; required_providers?: unknown };
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
}

/** A provider resource class (it knows its Terraform type) or the type name itself. */
type ResourceType = string | { readonly tfResourceType: string };

const typeName = (type: ResourceType): string => (typeof type === "string" ? type : type.tfResourceType);

const TEST_OUTDIR = join(tmpdir(), `cdktf-test-apps-${process.getuid?.() ?? "user"}`);

/**
 * The app every test builds on. The settings tests rely on are stated here and nowhere else:
 * - no future flags, as `main.ts` synthesizes. `Testing.app()` alone turns on the library's
 *   future flags, and those differ by library: none in cdktf 0.21, while cdktn 0.24 turns on
 *   `failOnConstructsOutsideOfStacks` and `canonicalAssetHashes` (new asset hashes, so new Lambda
 *   code paths), and tests would pin JSON that `npm run synth` never writes;
 * - the library version stubbed, so metadata reads the same under either library;
 * - one output directory for every test app, which stays empty: tests read the JSON in memory
 *   (`Testing.synth`), and `Testing.app()` alone would leave a new temporary directory per app.
 */
export function testApp(): App {
  return Testing.app({ enableFutureFlags: false, stubVersion: true, outdir: TEST_OUTDIR });
}


/** Every stack of `app`, found by the library's guard: `instanceof` is false across two copies of the library. */
export function appStacks(app: App): TerraformStack[] {
  return app.node.children.filter((child) => TerraformStack.isStack(child));
}

export function synthStack(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** What the constructs `build` adds to a bare test stack report about their props (see modules/core/validation.ts). */
export function problemsOf(build: (scope: Construct) => void): string[] {
  const stack = new TerraformStack(testApp(), "stack");
  build(stack);
  return propProblems(stack);
}

/** Synthesizes whatever `build` adds to a bare test stack (for module tests). */
export function synthConstruct(build: (scope: Construct) => void): StackJson {
  const stack = new TerraformStack(testApp(), "stack");
  build(stack);
  return synthStack(stack);
}

/** Bodies of every resource of `type`, in declaration order. */
export function resources<T = Record<string, unknown>>(json: StackJson, type: ResourceType): T[] {
  return Object.values(json.resource?.[typeName(type)] ?? {}) as T[];
}

/** The single resource of `type`; fails the test when there is not exactly one. */
export function resource<T = Record<string, unknown>>(json: StackJson, type: ResourceType): T {
  const found = resources<T>(json, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${typeName(type)}, found ${found.length}`);
  return found[0] as T;
}

/** Bodies of every data source of `type` (`data.<type>.<id>` in the stack). */
export function dataSources<T = Record<string, unknown>>(json: StackJson, type: ResourceType): T[] {
  return Object.values(json.data?.[typeName(type)] ?? {}) as T[];
}

/** The expression referring to the single data source of `type`: `${data.<type>.<id>.<attribute>}`. */
export function dataReferenceTo(json: StackJson, type: ResourceType, attribute = "id"): string {
  const ids = Object.keys(json.data?.[typeName(type)] ?? {});
  if (ids.length !== 1) throw new Error(`expected exactly one data source ${typeName(type)}, found ${ids.length}`);
  return `\${data.${typeName(type)}.${ids[0]}.${attribute}}`;
}

/**
 * `[logical id, body]` pairs of every resource of `type`. The id is only for resolving references
 * (`reference`, `deref`); tests never hard-code it.
 */
export function entries<T = Record<string, unknown>>(json: StackJson, type: ResourceType): [string, T][] {
  return Object.entries(json.resource?.[typeName(type)] ?? {}) as [string, T][];
}

/** The Terraform expression another resource uses to refer to one: `${aws_vpc.<id>.id}`. */
export function reference(type: ResourceType, logicalId: string, attribute = "id"): string {
  return `\${${typeName(type)}.${logicalId}.${attribute}}`;
}

/** The expression referring to the single resource of `type` in `json`; fails when there is not exactly one. */
export function referenceTo(json: StackJson, type: ResourceType, attribute = "id"): string {
  const found = entries(json, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${typeName(type)}, found ${found.length}`);
  return reference(type, found[0]![0], attribute);
}

/** The resource a `${type.id.attribute}` expression points at, with its type; fails on anything else. */
export function deref(json: StackJson, expression: unknown): { type: string; body: Record<string, unknown> } {
  const match = typeof expression === "string" ? /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z0-9_]+\}$/.exec(expression) : null;
  const body = match ? json.resource?.[match[1]!]?.[match[2]!] : undefined;
  if (!match || !body) throw new Error(`${JSON.stringify(expression)} is not a reference to a resource of this stack`);
  return { type: match[1]!, body };
}

/** Every resource of every type, as `[type, body]` pairs. */
export function allResources(json: StackJson): [string, Record<string, unknown>][] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byId]) =>
    Object.values(byId).map((body) => [type, body] as [string, Record<string, unknown>]),
  );
}

/** `value` as a list: undefined is empty, a single value a list of one (Terraform blocks, policy fields). */
export const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** A policy argument (`policy`, `assume_role_policy`) parsed back into its statements. */
export function statements(policy: unknown): Record<string, unknown>[] {
  if (typeof policy !== "string") throw new Error(`expected a policy JSON string, got ${JSON.stringify(policy)}`);
  return (JSON.parse(policy) as { Statement: Record<string, unknown>[] }).Statement;
}

/** A deep copy of an environment (or account), changed by `edit`, for validation tests. */
export function variant<T>(base: T, edit: (env: any) => void): T {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}

/** `env` moved into `accountId`, with that account's own state bucket and its certificate re-issued there. */
export function inAccount<T>(env: T, accountId: string): T {
  return variant(env, (copy) => {
    const previous: string = copy.accountId;
    copy.accountId = accountId;
    copy.state.bucket = copy.state.bucket.replace(previous, accountId);
    if (copy.platform.certificateArn) copy.platform.certificateArn = copy.platform.certificateArn.replace(`:${previous}:`, `:${accountId}:`);
  });
}

export interface SynthesizedApp {
  readonly stacks: PlatformStacks;
  /** Every stack's JSON by stack id (`bootstrap`, `network-dev`, ...). */
  readonly json: ReadonlyMap<string, StackJson>;
}

/**
 * Builds and synthesizes the stacks of `config` (default: the shipped environments) once per call,
 * with the account stacks of `accounts` (default: the shipped accounts with the shipped
 * environments, none otherwise).
 */
export function synthApp(
  envs: Readonly<Record<string, unknown>> = environments,
  accountConfigs: Readonly<Record<string, unknown>> | undefined = envs === environments ? accounts : undefined,
): SynthesizedApp {
  const app = testApp();
  const { problems, build } = checkConfig(envs, undefined, accountConfigs);
  if (problems.length > 0 || !build) throw new ConfigError(problems);
  const stacks = buildStacks(app, build.selected, build.all, build.accounts);
  const json = new Map<string, StackJson>();
  // Every stack in the app, not just the fields of `PlatformStacks`: a new layer is covered the day it is added.
  const all = appStacks(app);
  // As `cdktf synth` does: turn references between stacks into remote-state reads and outputs first.
  for (const stack of all) stack.prepareStack();
  for (const stack of all) json.set(stack.node.id, synthStack(stack));
  return { stacks, json };
}

/** The problems `validateEnvironments` reports for `envs` (and `accountConfigs`); fails the test when it validates. */
export function configProblems(
  envs: Readonly<Record<string, unknown>>,
  selected?: readonly string[],
  accountConfigs?: Readonly<Record<string, unknown>>,
): readonly string[] {
  try {
    validateEnvironments(envs, selected, accountConfigs);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError, but the configuration validated");
}

/**
 * Every problem `npm run synth` reports for `config`: the configuration's own, then the
 * constructs' (labelled with the settings they came from), as `main.ts` collects them.
 */
export function appProblems(
  envs: Readonly<Record<string, unknown>>,
  accountConfigs?: Readonly<Record<string, unknown>>,
  selected?: readonly string[],
): string[] {
  return buildCheckedApp(testApp(), checkConfig(envs, selected, accountConfigs), testApp);
}

let shipped: SynthesizedApp | undefined;

/** The shipped configuration, synthesized once per test file. */
export function shippedApp(): SynthesizedApp {
  shipped ??= synthApp();
  return shipped;
}
