/**
 * npm run toolchain: the pinned tools outside npm, cached outside the repository, keyed by version.
 *
 *   terraform      the Terraform CLI: from PATH when it is the pinned version, else built with Go
 *   aws-provider   the hashicorp/aws provider as a filesystem mirror (terraform init never needs a
 *                  registry): a binary already on the machine, else built with Go
 *   tf-verify      an offline terraform init + validate against the mirror
 *   python-tools   a venv with moto, checkov and the aws CLI (scripts/requirements-tools.txt); the CLI is
 *                  what the network layer's destroy-time GuardDuty cleanup calls, tested against moto
 *   actionlint     optional (npm run lint:workflows): built with Go, skipped without it
 *
 * Versions come from scripts/tool-versions. Whatever is found goes into the env file that
 * scripts/lib/common.sh `load_toolchain` reads (scripts/lib/toolchain-cache.ts); one summary at the
 * end lists every tool and, for each one missing, how to get it. Exits 1 when a required tool is
 * missing.
 *
 * Options: --only=python  only the venv (what `npm test` needs), keeping the other entries
 *          --verify       re-run the offline init/validate and the venv smoke tests
 *          --env-file     print the env file's path and exit
 * Environment: CDKTF_TOOLCHAIN_CACHE (cache root), TOOLCHAIN_PYTHON (default python3),
 *              TOOLCHAIN_GO_PARALLELISM (go build -p, default 2: the provider's link needs ~9 GiB)
 */
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, realpathSync,
  renameSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { arch, platform } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import { readToolVersions, REPO_ROOT } from "./lib/tool-versions";
import { readToolchainEnv, toolchainCacheDir, toolchainEnvFile, writeToolchainEnv } from "./lib/toolchain-cache";

const args = process.argv.slice(2);
for (const arg of args) {
  if (!["--only=python", "--verify", "--env-file"].includes(arg)) fail(`unknown option ${arg} (--only=python, --verify, --env-file)`);
}
if (args.includes("--env-file")) {
  console.log(toolchainEnvFile());
  process.exit(0);
}
const onlyPython = args.includes("--only=python");
const verify = args.includes("--verify");
const V = readToolVersions();
const CACHE = toolchainCacheDir();
const OS = ({ linux: "linux", darwin: "darwin" } as Record<string, string>)[platform()] ?? fail(`unsupported OS ${platform()}`);
const ARCH = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[arch()] ?? fail(`unsupported CPU ${arch()}`);
const REQUIREMENTS = join(REPO_ROOT, "scripts", "requirements-tools.txt");
const GO = which("go");
const BUILD_WITH_GO = "or install Go (go.dev/dl) and re-run: npm run toolchain builds it";

function log(message: string): void {
  process.stderr.write(`[toolchain ${new Date().toTimeString().slice(0, 8)}] ${message}\n`);
}
function fail(message: string): never {
  log(`ERROR: ${message}`);
  process.exit(1);
}
function which(command: string): string | undefined {
  return (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, command)).find(isExecutable);
}
function isExecutable(file: string): boolean {
  try {
    return statSync(file).isFile() && (statSync(file).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
/** stdout of a quick command, or undefined when it is missing or fails. */
function capture(command: string, commandArgs: string[], options: SpawnSyncOptions = {}): string | undefined {
  const result = spawnSync(command, commandArgs, { encoding: "utf8", ...options });
  return result.status === 0 ? String(result.stdout).trim() : undefined;
}
const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/**
 * Runs a long command with its output in <cache>/logs/<name>.log, saying every 30 s that it is
 * still going; on failure shows the log's tail and throws.
 */
async function runLogged(
  name: string, what: string, command: string, commandArgs: string[], cwd: string, env: NodeJS.ProcessEnv = {},
): Promise<void> {
  const logFile = join(CACHE, "logs", `${name}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  const started = Date.now();
  const heartbeat = setInterval(() => log(`  still ${what} (${Math.round((Date.now() - started) / 1000)} s; log: ${logFile})`), 30_000);
  const out = createWriteStream(logFile);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(command, commandArgs, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on("error", () => resolve(null));
    child.on("close", resolve);
  });
  clearInterval(heartbeat);
  await new Promise((resolve) => out.end(resolve));
  if (code !== 0) {
    process.stderr.write(readFileSync(logFile, "utf8").split("\n").slice(-25).join("\n"));
    throw new Error(`${what} failed; full log in ${logFile}`);
  }
}

interface Outcome {
  readonly status: "ok" | "missing" | "skipped";
  /** What was found or done, or why it is missing. */
  readonly detail: string;
  /** How to get a missing tool. */
  readonly fix?: string;
  readonly path?: string;
}
const ok = (path: string, how: string): Outcome => ({ status: "ok", path, detail: `${how}: ${path}` });

/** Scratch space beside the final paths, so results are renamed into place (atomic). */
function scratch(name: string): string {
  mkdirSync(join(CACHE, "tmp"), { recursive: true });
  return mkdtempSync(join(CACHE, "tmp", `${name}-`));
}
function install(file: string, dest: string): string {
  mkdirSync(dirname(dest), { recursive: true });
  renameSync(file, dest);
  return dest;
}

// ---- Go builds: only for what the machine does not have -------------------------------------

/** Downloads a module through the Go module proxy and returns a writable copy of its source. */
function goModuleSource(module: string, dest: string): { dir: string; info: string } {
  const env = { ...process.env, GOWORK: "off", GOFLAGS: "" };
  const result = spawnSync("go", ["mod", "download", "-json", module], { cwd: CACHE, encoding: "utf8", env });
  const json = JSON.parse(result.stdout || "{}") as { Dir?: string; Info?: string; Error?: string };
  if (!json.Dir) throw new Error(`cannot download Go module ${module}: ${json.Error ?? result.stderr}`);
  cpSync(json.Dir, dest, { recursive: true });
  spawnSync("chmod", ["-R", "u+w", dest]);
  return { dir: dest, info: json.Info ?? "" };
}

/**
 * Go 1.24 dropped GODEBUG tlskyber (Kyber became ML-KEM) and rejects go.mod files that set it;
 * upstream set tlskyber=0 to keep post-quantum key exchange off, and tlsmlkem=0 is that switch now.
 */
function patchGodebug(goMod: string): void {
  const table = join(capture("go", ["env", "GOROOT"]) ?? "", "src/internal/godebugs/table.go");
  const text = readFileSync(goMod, "utf8");
  if (/^godebug tlskyber=/m.test(text) && existsSync(table) && !readFileSync(table, "utf8").includes('"tlskyber"')) {
    writeFileSync(goMod, text.replace(/^godebug tlskyber=/m, "godebug tlsmlkem="));
  }
}

async function goBuild(name: string, what: string, dir: string, output: string, ldflags: string): Promise<void> {
  const parallel = process.env.TOOLCHAIN_GO_PARALLELISM ?? "2";
  await runLogged(name, what, "go", ["build", "-p", parallel, "-trimpath", "-ldflags", ldflags, "-o", output, "."], dir, {
    CGO_ENABLED: "0", GOWORK: "off", GOFLAGS: "-buildvcs=false",
  });
}

async function buildTerraform(dest: string): Promise<void> {
  const work = scratch("terraform");
  log(`building Terraform ${V.terraform} from the Go module proxy (about 4 min)`);
  const { dir, info } = goModuleSource(`github.com/hashicorp/terraform@v${V.terraform}`, join(work, "src"));
  // The go.mod replaces nested modules (missing from the module zip) by local paths: fetch each at
  // the release commit, as the pseudo-version the proxy knows it by.
  const time = (JSON.parse(readFileSync(info, "utf8")) as { Time: string }).Time.replace(/\D/g, "").slice(0, 14);
  const pseudo = `v0.0.0-${time}-${V.terraform_commit.slice(0, 12)}`;
  for (const [, sub] of readFileSync(join(dir, "go.mod"), "utf8").matchAll(/^replace\s+\S+\s+=>\s+\.\/(\S+)/gm)) {
    if (!existsSync(join(dir, sub!, "go.mod"))) goModuleSource(`github.com/hashicorp/terraform/${sub}@${pseudo}`, join(dir, sub!));
  }
  patchGodebug(join(dir, "go.mod"));
  // version.dev=no is what release builds set; without it the binary reports "1.11.4-dev".
  await goBuild(`terraform-${V.terraform}-build`, `building Terraform ${V.terraform}`, dir, join(work, "terraform"),
    "-s -w -X github.com/hashicorp/terraform/version.dev=no");
  const built = terraformVersion(join(work, "terraform"));
  if (built !== V.terraform) throw new Error(`the built terraform reports ${built}, not ${V.terraform}`);
  install(join(work, "terraform"), dest);
  rmSync(work, { recursive: true, force: true });
}

async function buildProvider(mirror: string, binary: string): Promise<void> {
  const work = scratch("aws-provider");
  const pseudo = `v1.60.1-0.${V.aws_provider_commit_time}-${V.aws_provider_commit.slice(0, 12)}`;
  log(`building terraform-provider-aws ${V.aws_provider} from the Go module proxy (about 35 min on 2 cores, 9 GiB RAM at link time)`);
  const { dir } = goModuleSource(`github.com/hashicorp/terraform-provider-aws@${pseudo}`, join(work, "src"));
  patchGodebug(join(dir, "go.mod"));
  await goBuild(`aws-provider-${V.aws_provider}-build`, `building terraform-provider-aws ${V.aws_provider}`, dir, join(work, binary),
    `-s -w -X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=${V.aws_provider}`);
  // The official package ships LICENSE.txt beside the binary, and the lock file's hash covers both.
  rmSync(mirror, { recursive: true, force: true });
  install(join(dir, "LICENSE"), join(mirror, "LICENSE.txt"));
  install(join(work, binary), join(mirror, binary));
  rmSync(work, { recursive: true, force: true });
}

// ---- the tools ---------------------------------------------------------------------------------

function terraformVersion(binary: string): string | undefined {
  // Checkpoint off (no phoning home) and an empty CLI config (a broken ~/.terraformrc cannot interfere).
  const out = capture(binary, ["version", "-json"], { env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" } });
  try {
    return (JSON.parse(out ?? "") as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
}

async function terraform(): Promise<Outcome> {
  const onPath = which("terraform");
  const pathVersion = onPath && terraformVersion(onPath);
  if (onPath && pathVersion === V.terraform) return ok(onPath, "on PATH");
  const cached = join(CACHE, `terraform-${V.terraform}`, "terraform");
  if (terraformVersion(cached) === V.terraform) return ok(cached, "cached");
  const fix = `install Terraform ${V.terraform} on PATH (developer.hashicorp.com/terraform/install), ${BUILD_WITH_GO} (about 4 min)`;
  if (!GO) return { status: "missing", detail: onPath ? `${onPath} is ${pathVersion || "not a working terraform"}` : "not on PATH", fix };
  await buildTerraform(cached);
  return ok(cached, "built");
}

/** An executable for this OS and CPU (a foreign binary in some plugin directory fails only deep inside init). */
function isNativeExecutable(file: string): boolean {
  if (!isExecutable(file)) return false;
  if (OS !== "linux") return true;
  const header = Buffer.alloc(20);
  const fd = openSync(file, "r");
  readSync(fd, header, 0, 20, 0);
  closeSync(fd);
  return header.readUInt32BE(0) === 0x7f454c46 && header.readUInt16LE(18) === (ARCH === "amd64" ? 0x3e : 0xb7);
}

/** An official provider binary already on the machine: the usual plugin directories, then a bounded scan of /. */
function findProvider(): string | undefined {
  const pattern = `terraform-provider-aws_v${V.aws_provider}*`;
  const dataHome = process.env.XDG_DATA_HOME || join(process.env.HOME ?? "", ".local/share");
  const roots = [
    "/opt/tf-plugins",
    join(process.env.HOME ?? "", ".terraform.d/plugins"),
    join(dataHome, "terraform/plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ].filter(existsSync);
  const search = (findArgs: string[]): string | undefined =>
    (spawnSync("find", findArgs, { encoding: "utf8", maxBuffer: 1 << 24, timeout: 120_000 }).stdout ?? "")
      .split("\n")
      .find(isNativeExecutable);
  const known = roots.length > 0 ? search([...roots, "-maxdepth", "8", "-name", pattern, "(", "-type", "f", "-o", "-type", "l", ")"]) : undefined;
  if (known) return known;
  log("no provider in the usual plugin directories; scanning / (same file system, at most 120 s)");
  // The cache is what we are filling; node_modules and .git are huge and never hold providers.
  const prune = ["/proc", "/sys", "/dev", CACHE].flatMap((path) => ["-path", path, "-o"]);
  return search(["/", "-xdev", "(", ...prune, "-name", "node_modules", "-o", "-name", ".git", ")", "-prune", "-o", "-type", "f", "-name", pattern, "-print"]);
}

async function awsProvider(): Promise<Outcome> {
  const mirror = join(CACHE, "providers/registry.terraform.io/hashicorp/aws", V.aws_provider, `${OS}_${ARCH}`);
  const binary = `terraform-provider-aws_v${V.aws_provider}_x5`;
  const entry = join(mirror, binary);
  // Symlinks resolve, so a link whose target disappeared falls through to a new search.
  if (isNativeExecutable(entry)) return { status: "ok", path: entry, detail: `cached: mirror entry for ${realpathSync(entry)}` };
  const found = findProvider();
  if (found) {
    // Linked, not copied (~700 MB); LICENSE.txt too, as the lock file's hash covers the package's files.
    rmSync(mirror, { recursive: true, force: true });
    mkdirSync(mirror, { recursive: true });
    symlinkSync(found, entry);
    if (existsSync(join(dirname(found), "LICENSE.txt"))) symlinkSync(join(dirname(found), "LICENSE.txt"), join(mirror, "LICENSE.txt"));
    return { status: "ok", path: entry, detail: `found ${found}, linked into the mirror` };
  }
  const fix =
    `put the official ${binary} (with its LICENSE.txt) under /opt/tf-plugins/registry.terraform.io/hashicorp/aws/` +
    `${V.aws_provider}/${OS}_${ARCH}/, ${BUILD_WITH_GO} (about 35 min, 9 GiB RAM)`;
  if (!GO) return { status: "missing", detail: `no terraform-provider-aws ${V.aws_provider} binary on this machine`, fix };
  await buildProvider(mirror, binary);
  return ok(entry, "built");
}

/** Only hashicorp/aws, only from the mirror: any other provider fails at init at once instead of hanging on the network. */
function cliConfig(): string {
  const file = join(CACHE, "terraformrc");
  const text = `# Written by npm run toolchain; do not edit.
provider_installation {
  filesystem_mirror {
    path    = "${join(CACHE, "providers")}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
`;
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
    // Renamed into place: a terraform running meanwhile reads the old file or the new one, never half.
    writeFileSync(`${file}.${process.pid}`, text);
    renameSync(`${file}.${process.pid}`, file);
  }
  return file;
}

/** Offline init + validate with the mirror; remembered until terraform, provider or config change. */
async function verifyTerraform(terraformBin: string, provider: string, config: string): Promise<Outcome> {
  const stamp = join(CACHE, ".verified-terraform");
  const configHash = sha256(readFileSync(config)).slice(0, 16);
  const expected = `terraform=${realpathSync(terraformBin)}\nprovider=${realpathSync(provider)}\nconfig=${configHash}\n`;
  if (!verify && existsSync(stamp) && readFileSync(stamp, "utf8") === expected) {
    return { status: "ok", detail: "verified before (--verify runs it again)" };
  }
  log("verifying Terraform and the provider offline (init + validate, ~15 s)");
  const work = scratch("verify");
  writeFileSync(join(work, "main.tf"), `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "${V.aws_provider}" }
  }
}
provider "aws" {
  region = "us-east-1"
}
resource "aws_s3_bucket" "smoke" {
  bucket = "toolchain-smoke-test"
}
`);
  const env = { CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: config, TF_PLUGIN_CACHE_DIR: undefined, TF_DATA_DIR: undefined };
  await runLogged("verify-init", "offline terraform init", terraformBin, ["init", "-backend=false", "-input=false", "-no-color"], work, env);
  await runLogged("verify-validate", "terraform validate", terraformBin, ["validate", "-no-color"], work, env);
  const lockFile = readFileSync(join(work, ".terraform.lock.hcl"), "utf8");
  const official = OS !== "linux" || ARCH !== "amd64" || lockFile.includes(`"${V.aws_provider_h1_linux_amd64}"`);
  rmSync(work, { recursive: true, force: true });
  writeFileSync(stamp, expected);
  if (official) return { status: "ok", detail: "offline init + validate passed" };
  // A source build never matches; lock files made against the public registry will reject it.
  return {
    status: "ok",
    detail: "offline init + validate passed; WARNING: the provider is not the official release (its hash differs): a registry-made lock file rejects it",
  };
}

async function pythonTools(): Promise<Outcome> {
  const python = process.env.TOOLCHAIN_PYTHON || "python3";
  const fix = `install Python ${V.python} or newer (python.org/downloads), or point TOOLCHAIN_PYTHON at one`;
  const version = capture(python, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]);
  if (!version) return { status: "missing", detail: `${python} not found`, fix };
  const [major, minor] = V.python.split(".").map(Number);
  const [haveMajor, haveMinor] = version.split(".").map(Number);
  if (haveMajor! < major! || (haveMajor === major && haveMinor! < minor!)) {
    return { status: "missing", detail: `${python} is Python ${version}`, fix };
  }
  // Keyed by the pins and the interpreter (a venv belongs to the Python that made it): a pin change
  // gets a fresh venv, never an in-place upgrade that could keep stale packages.
  const venv = join(CACHE, `venv-${sha256(`${readFileSync(REQUIREMENTS, "utf8")}python=${version}\n`).slice(0, 16)}`);
  const marker = join(venv, ".toolchain-complete");
  const bin = (name: string): string => join(venv, "bin", name);
  if (existsSync(marker) && !verify && ["checkov", "moto_server", "aws"].every((name) => isExecutable(bin(name)))) return ok(venv, "cached");
  if (!existsSync(marker)) {
    // No marker: a previous install died halfway or never ran; a partial venv is never trusted.
    rmSync(venv, { recursive: true, force: true });
    log(`installing moto, checkov and the aws CLI into ${venv} (Python ${version}, about 45 s)`);
    await runLogged("venv-create", "creating the venv", python, ["-m", "venv", venv], CACHE);
    await runLogged("venv-install", "installing moto, checkov and the aws CLI", bin("python"),
      ["-m", "pip", "install", "--no-input", "--disable-pip-version-check", "-r", REQUIREMENTS], CACHE);
  }
  // An install that resolved can still be broken (a missing native library): find out here.
  await runLogged("venv-check", "checking the venv", bin("python"), ["-m", "pip", "check", "--disable-pip-version-check"], CACHE);
  await runLogged("venv-checkov", "running checkov", bin("checkov"), ["--version"], CACHE);
  await runLogged("venv-moto", "running moto_server", bin("moto_server"), ["--help"], CACHE);
  await runLogged("venv-aws", "running the aws CLI", bin("aws"), ["--version"], CACHE);
  writeFileSync(marker, `python=${version}\n`);
  return ok(venv, "installed");
}

async function actionlint(): Promise<Outcome> {
  const cached = join(CACHE, `actionlint-${V.actionlint}`, "actionlint");
  if (capture(cached, ["-version"])?.split("\n")[0]?.replace(/^v/, "") === V.actionlint) return ok(cached, "cached");
  if (!GO) {
    const fix = "install Go (go.dev/dl) and re-run npm run toolchain; until then npm run lint:workflows skips actionlint";
    return { status: "skipped", detail: "Go is not installed", fix };
  }
  const work = scratch("actionlint");
  log(`building actionlint ${V.actionlint} from the Go module proxy (about 15 s)`);
  // `go install module@version` needs no go.mod: actionlint's own go.sum pins its dependencies.
  await runLogged(`actionlint-${V.actionlint}-build`, `building actionlint ${V.actionlint}`, "go",
    ["install", "-trimpath", "-ldflags", "-s -w", `github.com/rhysd/actionlint/cmd/actionlint@v${V.actionlint}`], work,
    { CGO_ENABLED: "0", GOWORK: "off", GOFLAGS: "", GOBIN: join(work, "bin") });
  install(join(work, "bin", "actionlint"), cached);
  rmSync(work, { recursive: true, force: true });
  return ok(cached, "built");
}

// ---- run ---------------------------------------------------------------------------------------

/** One run at a time per cache (two terminals, parallel test runs): a lock directory holding the owner's PID. */
async function lockCache(): Promise<void> {
  const lock = join(CACHE, ".toolchain.lock");
  for (let waited = false; ; ) {
    // Made complete (with the PID inside) and renamed into place: a lock is never seen without its owner.
    const mine = mkdtempSync(`${lock}-`);
    writeFileSync(join(mine, "pid"), String(process.pid));
    try {
      renameSync(mine, lock);
      process.on("exit", () => rmSync(lock, { recursive: true, force: true }));
      return;
    } catch {
      rmSync(mine, { recursive: true, force: true });
    }
    let owner = 0;
    try {
      owner = Number(readFileSync(join(lock, "pid"), "utf8"));
      process.kill(owner, 0);
    } catch {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!waited) log(`another toolchain run (PID ${owner}) holds ${lock}; waiting for it`);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

interface Row {
  readonly tool: string;
  readonly version: string;
  readonly required: boolean;
  readonly outcome: Outcome;
  readonly seconds: number;
}

async function step(rows: Row[], tool: string, version: string, required: boolean, run: () => Promise<Outcome>): Promise<Outcome> {
  const started = Date.now();
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = { status: "missing", detail: (error as Error).message, fix: "see the log named above, fix the cause, re-run npm run toolchain" };
  }
  rows.push({ tool, version, required, outcome, seconds: (Date.now() - started) / 1000 });
  return outcome;
}

async function main(): Promise<void> {
  // Inside the work tree, git, tsc and vitest would all see a 700 MB provider.
  if (!relative(REPO_ROOT, CACHE).startsWith("..")) fail(`the toolchain cache ${CACHE} is inside the repository: set CDKTF_TOOLCHAIN_CACHE`);
  mkdirSync(CACHE, { recursive: true });
  await lockCache();
  const started = Date.now();
  const rows: Row[] = [];
  // --only=python keeps what an earlier full run found, so validate and e2e still work after a test run.
  const env: Record<string, string> = onlyPython ? { ...readToolchainEnv() } : {};
  Object.assign(env, {
    TOOLCHAIN_CACHE: CACHE,
    TOOLCHAIN_TERRAFORM_VERSION: V.terraform,
    TOOLCHAIN_AWS_PROVIDER_VERSION: V.aws_provider,
    // No update checks or telemetry (Terraform's and the cdktf CLI's): there may be no network to reach.
    CHECKPOINT_DISABLE: "1",
    // cdktf would point TF_PLUGIN_CACHE_DIR at ~/.terraform.d/plugin-cache and copy the ~700 MB provider there.
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
  });
  if (!onlyPython) {
    for (const name of ["TF_BIN", "TERRAFORM_BINARY_NAME", "TF_CLI_CONFIG_FILE", "AWS_PROVIDER_BIN", "ACTIONLINT_BIN"]) delete env[name];
    const tf = await step(rows, "terraform", V.terraform, true, terraform);
    const provider = await step(rows, "aws-provider", V.aws_provider, true, awsProvider);
    if (tf.path && provider.path) {
      const config = cliConfig();
      const verified = await step(rows, "tf-verify", "", true, () => verifyTerraform(tf.path!, provider.path!, config));
      if (verified.status === "ok") {
        // cdktf runs `terraform` from PATH unless TERRAFORM_BINARY_NAME names one.
        Object.assign(env, { TF_BIN: tf.path, TERRAFORM_BINARY_NAME: tf.path, TF_CLI_CONFIG_FILE: config, AWS_PROVIDER_BIN: provider.path });
      }
    } else {
      const outcome: Outcome = { status: "skipped", detail: "needs terraform and the provider" };
      rows.push({ tool: "tf-verify", version: "", required: true, seconds: 0, outcome });
    }
    const lint = await step(rows, "actionlint", V.actionlint, false, actionlint);
    if (lint.path) env.ACTIONLINT_BIN = lint.path;
  }
  for (const name of ["TOOLCHAIN_VENV", "CHECKOV_BIN", "MOTO_SERVER_BIN"]) delete env[name];
  const venv = await step(rows, "python-tools", `Python ${V.python}+`, true, pythonTools);
  if (venv.path) {
    Object.assign(env, { TOOLCHAIN_VENV: venv.path, CHECKOV_BIN: join(venv.path, "bin/checkov"), MOTO_SERVER_BIN: join(venv.path, "bin/moto_server") });
  }
  writeToolchainEnv(env);
  rmSync(join(CACHE, "tmp"), { recursive: true, force: true });

  log(`summary (cache ${CACHE}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const { tool, version, outcome, seconds } of rows) {
    log(`  ${tool.padEnd(13)} ${version.padEnd(13)} ${outcome.status.padEnd(8)} ${seconds.toFixed(1).padStart(6)} s  ${outcome.detail}`);
  }
  const problems = rows.filter((row) => row.outcome.status !== "ok" && row.outcome.fix);
  for (const { tool, version, required, outcome } of problems) {
    log(`${required ? "MISSING" : "WARNING: skipped (optional)"} ${tool} ${version}: ${outcome.fix}`);
  }
  log(`env file: ${toolchainEnvFile()}`);
  if (problems.some((row) => row.required)) process.exit(1);
}

void main();
