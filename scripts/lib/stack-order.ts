/**
 * Which synthesized stacks a target names, in the order they must be deployed, read from
 * `cdktf.out/manifest.json` (the cross-stack dependencies cdktf records). The per-environment
 * commands and the emulator tier deploy in this order; `bootstrap` and `account` are their own
 * targets, applied by an administrator before any environment.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface ManifestStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly workingDirectory: string;
}

export interface Manifest {
  readonly stacks: Readonly<Record<string, ManifestStack>>;
}

export function readManifest(outdir: string): Manifest {
  const path = join(outdir, "manifest.json");
  if (!existsSync(path)) throw new Error(`${path} is missing: synthesize first (npm run synth)`);
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}

/** The account-level targets: the state bucket and lock table, then the account baseline. */
export const ACCOUNT_TARGETS = ["bootstrap", "account"] as const;

/** Whether a stack id is one of the account-level stacks (`bootstrap`, `account`, or their `-<account id>` forms). */
export function isAccountStack(stack: string): boolean {
  return ACCOUNT_TARGETS.some((target) => stack === target || stack.startsWith(`${target}-`));
}

/**
 * The stacks of `target` in deployment order: an environment's layers (`<layer>-<env>`) ordered so
 * that every stack comes after the stacks it reads, or the account-level stacks of that name.
 */
export function stacksOf(manifest: Manifest, target: string): string[] {
  const names = Object.keys(manifest.stacks);
  const selected = ACCOUNT_TARGETS.includes(target as (typeof ACCOUNT_TARGETS)[number])
    ? names.filter((name) => name === target || name.startsWith(`${target}-`))
    : names.filter((name) => name.endsWith(`-${target}`) && !isAccountStack(name));
  if (selected.length === 0) {
    const environments = [...new Set(names.filter((name) => !isAccountStack(name)).map((name) => name.slice(name.indexOf("-") + 1)))].sort();
    throw new Error(`no stack for '${target}' in the synthesized output; targets: ${[...ACCOUNT_TARGETS, ...environments].join(", ")}`);
  }
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen: readonly string[] = []): number => {
    if (seen.includes(name)) throw new Error(`stacks depend on each other in a cycle: ${[...seen, name].join(" -> ")}`);
    const known = depth.get(name);
    if (known !== undefined) return known;
    const deps = (manifest.stacks[name]?.dependencies ?? []).filter((dep) => selected.includes(dep));
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => depthOf(dep, [...seen, name])));
    depth.set(name, value);
    return value;
  };
  return [...selected].sort((a, b) => depthOf(a) - depthOf(b) || a.localeCompare(b));
}
