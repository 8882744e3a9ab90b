/**
 * Reads `cdktf.out` generically: every stack's resources by Terraform type, the references
 * between them (including cross-stack references through `terraform_remote_state`, resolved to
 * the producing stack's resources) and the environment each stack belongs to.
 *
 * Shared by the diagram and cost tools. It knows Terraform's JSON syntax, never our stacks/ code,
 * so a new stack or resource type shows up without changes here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One `resource` block of a synthesized stack. */
export interface TfResource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  /** `<stack>/<type>.<name>`: unique across all stacks. */
  readonly id: string;
  readonly body: Record<string, unknown>;
}

/** One synthesized stack. */
export interface TfStack {
  readonly name: string;
  /**
   * `Environment` default tag of the stack's provider when the stack id is `<layer>-<environment>`;
   * `shared` for account-level stacks (bootstrap, account baseline) and stacks without the tag.
   */
  readonly environment: string;
  readonly region: string;
  readonly accountId: string | undefined;
  readonly resources: readonly TfResource[];
  readonly json: Record<string, unknown>;
}

/** A reference from one resource's arguments to another resource (possibly in another stack). */
export interface TfReference {
  readonly from: string;
  readonly to: string;
  /** Top-level argument the reference sits in, e.g. `role` or `load_balancer`. */
  readonly attribute: string;
  readonly crossStack: boolean;
}

export interface SynthOutput {
  readonly stacks: readonly TfStack[];
  readonly resources: ReadonlyMap<string, TfResource>;
  readonly references: readonly TfReference[];
}

type Json = Record<string, unknown>;

const SHARED = "shared";
/** Arguments that order or annotate resources but are no relation between them. */
const NON_REFERENCE_KEYS = new Set(["//", "depends_on", "lifecycle", "provider", "tags", "tags_all"]);
const RESOURCE_REF = /\b((?:aws|random|null|time|archive|tls)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;
const REMOTE_REF = /\bdata\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;

function asRecord(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

/** Every string inside a JSON value, depth first. */
export function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === "object") for (const item of Object.values(value)) strings(item, out);
  return out;
}

function providerOf(json: Json): Json {
  const aws = asRecord(json.provider).aws;
  const list = Array.isArray(aws) ? aws : [aws];
  // The default (unaliased) provider carries the stack's region and tags.
  return asRecord(list.find((p) => asRecord(p).alias === undefined) ?? list[0]);
}

/** Parses synthesized stacks given as `{ stackName: cdk.tf.json }` (tests pass fixtures here). */
export function parseStacks(input: Readonly<Record<string, Json>>): SynthOutput {
  const stacks: TfStack[] = [];
  const resources = new Map<string, TfResource>();
  for (const name of Object.keys(input).sort()) {
    const json = input[name] ?? {};
    const provider = providerOf(json);
    const tags = asRecord(asRecord((provider.default_tags as unknown[] | undefined)?.[0]).tags);
    const accounts = provider.allowed_account_ids;
    const stackResources: TfResource[] = [];
    const blocks = asRecord(json.resource);
    for (const type of Object.keys(blocks).sort()) {
      const ofType = asRecord(blocks[type]);
      for (const resourceName of Object.keys(ofType).sort()) {
        const resource: TfResource = {
          stack: name,
          type,
          name: resourceName,
          id: `${name}/${type}.${resourceName}`,
          body: asRecord(ofType[resourceName]),
        };
        stackResources.push(resource);
        resources.set(resource.id, resource);
      }
    }
    stacks.push({
      name,
      environment: typeof tags.Environment === "string" && name.endsWith(`-${tags.Environment}`) ? tags.Environment : SHARED,
      region: typeof provider.region === "string" ? provider.region : "unknown",
      accountId: Array.isArray(accounts) && typeof accounts[0] === "string" ? accounts[0] : undefined,
      resources: stackResources,
      json,
    });
  }
  return { stacks, resources, references: collectReferences(stacks, resources) };
}

/** Reads every `cdktf.out/stacks/<stack>/cdk.tf.json`. */
export function loadSynthOutput(outdir = "cdktf.out"): SynthOutput {
  const dir = join(outdir, "stacks");
  if (!existsSync(dir)) {
    throw new Error(`${dir} not found: run 'npm run synth' first`);
  }
  const input: Record<string, Json> = {};
  for (const stack of readdirSync(dir).sort()) {
    const file = join(dir, stack, "cdk.tf.json");
    if (existsSync(file)) input[stack] = JSON.parse(readFileSync(file, "utf8")) as Json;
  }
  if (Object.keys(input).length === 0) throw new Error(`no stacks in ${dir}: run 'npm run synth' first`);
  return parseStacks(input);
}

/** `bucket/key` of a stack's S3 backend, the identity a `terraform_remote_state` points at. */
function backendKey(config: Json): string | undefined {
  return typeof config.bucket === "string" && typeof config.key === "string" ? `${config.bucket}/${config.key}` : undefined;
}

function collectReferences(stacks: readonly TfStack[], resources: ReadonlyMap<string, TfResource>): TfReference[] {
  const byBackend = new Map<string, TfStack>();
  for (const stack of stacks) {
    const key = backendKey(asRecord(asRecord(asRecord(stack.json.terraform).backend).s3));
    if (key) byBackend.set(key, stack);
  }
  const byName = new Map(stacks.map((s) => [s.name, s]));

  /** Resources a string refers to, following remote-state outputs into the producing stack. */
  const targets = (stack: TfStack, text: string, seen: Set<string>): string[] => {
    const found: string[] = [];
    for (const match of text.matchAll(RESOURCE_REF)) {
      const id = `${stack.name}/${match[1]}.${match[2]}`;
      if (resources.has(id)) found.push(id);
    }
    for (const match of text.matchAll(REMOTE_REF)) {
      const dataName = match[1] ?? "";
      const data = asRecord(asRecord(asRecord(stack.json.data).terraform_remote_state)[dataName]);
      // cdktf names its inputs `cross-stack-reference-input-<stack>`; the backend is the fallback
      // for hand-written remote states.
      const producer =
        byBackend.get(backendKey(asRecord(data.config)) ?? "") ??
        byName.get(dataName.replace(/^cross-stack-reference-input-/, ""));
      const guard = `${producer?.name}:${match[2]}`;
      if (!producer || seen.has(guard)) continue;
      seen.add(guard);
      const output = asRecord(asRecord(producer.json.output)[match[2] ?? ""]);
      for (const inner of strings(output.value)) found.push(...targets(producer, inner, seen));
    }
    return found;
  };

  const references = new Map<string, TfReference>();
  for (const stack of stacks) {
    for (const resource of stack.resources) {
      for (const [attribute, value] of Object.entries(resource.body)) {
        if (NON_REFERENCE_KEYS.has(attribute)) continue;
        for (const text of strings(value)) {
          if (!text.includes("${")) continue;
          for (const to of targets(stack, text, new Set())) {
            if (to === resource.id) continue;
            const crossStack = !to.startsWith(`${stack.name}/`);
            const key = `${resource.id}>${to}>${attribute}`;
            if (!references.has(key)) references.set(key, { from: resource.id, to, attribute, crossStack });
          }
        }
      }
    }
  }
  return [...references.values()].sort((a, b) =>
    a.from === b.from ? (a.to === b.to ? a.attribute.localeCompare(b.attribute) : a.to.localeCompare(b.to)) : a.from.localeCompare(b.from),
  );
}

/**
 * Environments and the stacks that make them up. A stack tagged with an environment belongs to
 * it; an account-level stack (no environment, e.g. bootstrap or the account baseline) belongs to
 * every environment deployed into the same account, so each picture is complete.
 */
export function environments(output: SynthOutput): Map<string, TfStack[]> {
  const result = new Map<string, TfStack[]>();
  const envStacks = output.stacks.filter((s) => s.environment !== SHARED);
  for (const name of [...new Set(envStacks.map((s) => s.environment))].sort()) {
    const own = envStacks.filter((s) => s.environment === name);
    const accounts = new Set(own.map((s) => s.accountId));
    const shared = output.stacks.filter((s) => s.environment === SHARED && accounts.has(s.accountId));
    result.set(name, [...own, ...shared]);
  }
  return result;
}

export function isSharedStack(stack: TfStack): boolean {
  return stack.environment === SHARED;
}

/** Stable, byte-identical JSON for files we write (sorted keys, trailing newline). */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Json)[k])]));
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

export { asRecord };
