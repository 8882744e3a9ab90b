/**
 * npm run check:cdktn: proves the project is one switch away from CDK Terrain (cdktn, the community
 * continuation of the archived cdktf). It type-checks and synthesizes the whole app under cdktn and
 * compares the output with cdktf's: only the library's metadata version, the aws provider's `source`
 * and `version`, and `reset_on_delete` (removed in hashicorp/aws 6) may differ. Any other difference
 * fails the check and is named (stack, JSON path, both values).
 *
 * How: a scratch copy of package.json where npm aliases put cdktn in cdktf's place
 * (`"cdktf": "npm:cdktn@…"`, `"@cdktf/provider-aws": "npm:@cdktn/provider-aws@…"`), installed with
 * our package-lock.json so every other package (esbuild, the AWS SDK in the Lambda bundles) stays
 * at the version cdktf's side uses. Like a user's npm-alias switch, this installs two copies of the
 * core library (the provider bindings require `cdktn` by its own name), so a stray `instanceof` on
 * a library class shows up as a difference. The install is cached under the toolchain cache, keyed
 * by versions and lock file; the sources are copied next to it and synthesized through our own entry
 * point (`main.ts` with `CDKTF_OUTDIR`), so the check runs on Node 20 (cdktn-cli needs Node >= 22.19).
 *
 * Usage: npm run check:cdktn [-- --keep]
 *   --keep   keep the scratch sources and both outputs, and print where they are
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { compareOutputs, describeDifference } from "./check-cdktn/compare";
import { toolchainCacheDir } from "./lib/toolchain-cache";

/** The CDK Terrain releases the check runs; @cdktn/provider-aws 25.x binds hashicorp/aws 6.x. */
const CDKTN_VERSION = "0.24.0";
const CDKTN_PROVIDER_AWS_VERSION = "25.7.0";
/** Installs of other keys (older lock files, versions) unused for this long are removed: each is ~0.5 GB. */
const PRUNE_AFTER_DAYS = 14;
const MAX_LISTED = 40;

const ROOT = join(import.meta.dirname, "..");
const bin = (name: string): string => join(ROOT, "node_modules", ".bin", name);
const started = performance.now();
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

interface Manifest {
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}

/**
 * Our package.json with cdktn aliased into cdktf's place. Of the dev dependencies only what
 * synthesis and the type-check resolve from the sources: esbuild (Lambda bundles) and Node's types.
 * tsx and tsc run from the repository's node_modules; they resolve imports from the copied sources.
 */
function scratchManifest(ours: Manifest): object {
  const dev = Object.fromEntries(["esbuild", "@types/node"].map((name) => [name, ours.devDependencies[name]]));
  return {
    name: "cdktn-check",
    private: true,
    dependencies: {
      ...ours.dependencies,
      cdktf: `npm:cdktn@${CDKTN_VERSION}`,
      "@cdktf/provider-aws": `npm:@cdktn/provider-aws@${CDKTN_PROVIDER_AWS_VERSION}`,
    },
    devDependencies: dev,
  };
}

/**
 * The environment for a child npm, without what `npm run` exports for its script: the local prefix
 * would point the install back at this repository, and `--silent` would empty the install log.
 */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(config_local_prefix|config_loglevel|package_|lifecycle_)/i.test(key)),
  );
}

/** Removes installs of other keys unused for {@link PRUNE_AFTER_DAYS}, and leftovers of interrupted installs. */
function prune(cacheRoot: string, keep: string): void {
  const cutoff = Date.now() - PRUNE_AFTER_DAYS * 86_400_000;
  for (const name of readdirSync(cacheRoot)) {
    const dir = join(cacheRoot, name);
    if (dir === keep) continue;
    const marker = join(dir, ".complete");
    const lastUsed = existsSync(marker) ? statSync(marker).mtimeMs : statSync(dir).mtimeMs;
    if (lastUsed < cutoff || (name.includes(".partial-") && lastUsed < Date.now() - 86_400_000)) rmSync(dir, { recursive: true, force: true });
  }
}

/** The scratch install for this key: reused when complete, else installed next to it and moved in place. */
function ensureInstall(): { dir: string; cached: boolean } {
  const manifest = `${JSON.stringify(scratchManifest(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest), null, 2)}\n`;
  const lock = readFileSync(join(ROOT, "package-lock.json"), "utf8");
  const key = createHash("sha256").update(manifest).update(lock).digest("hex").slice(0, 16);
  const cacheRoot = join(toolchainCacheDir(), "cdktn");
  const dir = join(cacheRoot, `cdktn-${CDKTN_VERSION}-provider-aws-${CDKTN_PROVIDER_AWS_VERSION}-${key}`);
  mkdirSync(cacheRoot, { recursive: true });
  prune(cacheRoot, dir);
  const marker = join(dir, ".complete");
  if (existsSync(marker)) {
    const now = new Date();
    utimesSync(marker, now, now);
    return { dir, cached: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const partial = `${dir}.partial-${process.pid}`;
  mkdirSync(partial, { recursive: true });
  writeFileSync(join(partial, "package.json"), manifest);
  writeFileSync(join(partial, "package-lock.json"), lock);
  const log = join(cacheRoot, `install-${key}.log`);
  // @cdktn/provider-aws declares Node >= 22.11 (for cdktn-cli); the library itself runs on Node 20,
  // which this check proves, so a user's engine-strict setting must not refuse the install.
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--engine-strict=false"], {
    cwd: partial,
    env: npmEnv(),
    encoding: "utf8",
  });
  writeFileSync(log, `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`);
  if (result.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const tail = readFileSync(log, "utf8").trim().split("\n").slice(-15).join("\n");
    throw new Error(`npm install of cdktn ${CDKTN_VERSION} + @cdktn/provider-aws ${CDKTN_PROVIDER_AWS_VERSION} failed (log: ${log}):\n${tail}`);
  }
  writeFileSync(join(partial, ".complete"), "");
  if (existsSync(marker)) rmSync(partial, { recursive: true, force: true });
  else renameSync(partial, dir);
  return { dir, cached: false };
}

/** Copies the project's files (tracked and new, as git sees them) into `target`. */
function copySources(target: string): number {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${ROOT}: ${listed.stderr || listed.error}`);
  const files = listed.stdout.split("\0").filter((file) => file !== "" && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(target, file));
  }
  return files.length;
}

interface Run {
  readonly what: string;
  readonly status: number | null;
  readonly output: string;
  readonly seconds: string;
}

/** Runs a command to completion, keeping its output for the error message. */
function run(what: string, command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const since = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", (error) => resolve({ what, status: null, output: `${output}${String(error)}`, seconds: seconds(since) }));
    child.on("close", (status) => resolve({ what, status, output, seconds: seconds(since) }));
  });
}

/** `main.ts` writing the whole app (no environment selection) to `outdir`. */
function synth(what: string, cwd: string, outdir: string): Promise<Run> {
  const { ENVIRONMENTS: _selection, CDKTF_CONTEXT_JSON: _context, ...env } = process.env;
  return run(what, bin("tsx"), ["main.ts"], cwd, { ...env, CDKTF_OUTDIR: outdir });
}

const versionOf = (dir: string, name: string): string =>
  (JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;

/** The hashicorp/aws version the first stack of `outdir` pins. */
function awsVersionIn(outdir: string): string {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const first = Object.values(manifest.stacks)[0];
  const stack = first && (JSON.parse(readFileSync(join(outdir, first.synthesizedStackPath), "utf8")) as { terraform?: { required_providers?: { aws?: { version?: string } } } });
  return stack?.terraform?.required_providers?.aws?.version ?? "?";
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { keep: { type: "boolean", default: false } } });
  const installing = performance.now();
  const install = ensureInstall();
  const installTime = install.cached ? "cached" : seconds(installing);

  const work = join(install.dir, "runs", String(process.pid));
  const cleanup = (): void => {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  };
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(code);
    });
  }
  try {
    const sources = join(work, "src");
    copySources(sources);
    // Type-check what main.ts imports (the app, not tests or tools) against cdktn's declarations.
    writeFileSync(join(sources, "tsconfig.cdktn.json"), JSON.stringify({ extends: "./tsconfig.json", include: [], files: ["main.ts"] }));
    const runs = await Promise.all([
      run("type-check under cdktn (tsc, files main.ts imports)", bin("tsc"), ["-p", "tsconfig.cdktn.json"], sources),
      synth("synth under cdktf (main.ts)", ROOT, join(work, "cdktf.out")),
      synth("synth under cdktn (main.ts)", sources, join(work, "cdktn.out")),
    ]);
    const failed = runs.filter((r) => r.status !== 0);
    for (const r of failed) console.error(`check:cdktn: ${r.what} failed (exit ${r.status}):\n${r.output.trim().split("\n").slice(-30).join("\n")}`);
    if (failed.length > 0) return 1;

    const comparing = performance.now();
    const comparison = compareOutputs(join(work, "cdktf.out"), join(work, "cdktn.out"));
    const timing = `install ${installTime}, ${runs.map((r) => `${r.what.split(" (")[0]} ${r.seconds}`).join(", ")}, compare ${seconds(comparing)}`;
    const libraries =
      `cdktf ${versionOf(ROOT, "cdktf")} + @cdktf/provider-aws ${versionOf(ROOT, "@cdktf/provider-aws")} (hashicorp/aws ${awsVersionIn(join(work, "cdktf.out"))}) vs ` +
      `cdktn ${versionOf(install.dir, "cdktf")} + @cdktn/provider-aws ${versionOf(install.dir, "@cdktf/provider-aws")} (hashicorp/aws ${awsVersionIn(join(work, "cdktn.out"))})`;
    if (values.keep) console.log(`check:cdktn: kept ${work} (src/, cdktf.out/, cdktn.out/)`);
    if (comparison.differences.length > 0) {
      console.error(`check:cdktn: FAILED: ${comparison.differences.length} difference(s) beyond the allowed ones (${libraries}):`);
      for (const d of comparison.differences.slice(0, MAX_LISTED)) console.error(`  ${describeDifference(d)}`);
      if (comparison.differences.length > MAX_LISTED) console.error(`  ... and ${comparison.differences.length - MAX_LISTED} more (run with --keep and diff the outputs)`);
      console.error(`check:cdktn: ${seconds(started)} (${timing})`);
      return 1;
    }
    const allowed = [...comparison.allowed].map(([name, count]) => `${name} ×${count}`).join(", ");
    console.log(`check:cdktn: ${libraries}`);
    console.log(`check:cdktn: type-check passed; ${comparison.stacks} stacks, ${comparison.files} files equal apart from the allowed ${allowed}`);
    console.log(`check:cdktn: passed in ${seconds(started)} (${timing})`);
    return 0;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`check:cdktn: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
