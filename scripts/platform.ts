/**
 * npm run plan|deploy|destroy -- <target> [--image-tag <tag>]
 *
 * The per-environment commands users and the pipeline type. <target> is `bootstrap` or `account`
 * (an administrator, once per account) or an environment (`dev`): its layers in dependency order.
 * Each synthesizes the target, checks its prerequisites (an environment needs the state bucket,
 * the lock table and the account stack; the message names the command that provides a missing
 * one), then runs the cdktf CLI on the prepared output stack by stack (`--skip-synth`) and prints
 * one summary: per stack what was added, changed and destroyed, and the outputs a user needs.
 * With a local sandbox running (`npm run sandbox`), everything goes to it instead of AWS.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawn } from "node:child_process";
import { APIGatewayClient, GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { emulatedAccountTargets } from "./emulator/account-targets";
import { writeEmulatorOverrides } from "./emulator/overrides";
import { runningSandbox, type SandboxRecord } from "./emulator/sandbox";
import { isAccountStack, readManifest, stacksOf } from "./lib/stack-order";
import { toolchainEnv, toolchainExecutable } from "./lib/toolchain-cache";

const REPO = resolve(__dirname, "..");
const OUTDIR = process.env.CDKTF_OUTDIR ?? "cdktf.out";
const COMMANDS = ["plan", "deploy", "destroy"] as const;
type Command = (typeof COMMANDS)[number];

/** The emulator's dummy administrator (moto accepts any key that is not a role session's). */
const SANDBOX_CREDENTIALS = { AWS_ACCESS_KEY_ID: "sandbox-administrator", AWS_SECRET_ACCESS_KEY: "sandbox-administrator", AWS_SESSION_TOKEN: undefined };

interface Options {
  readonly command: Command;
  readonly target: string;
  readonly imageTag?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const [command, target, ...rest] = argv;
  const usage = "usage: npm run plan|deploy|destroy -- <bootstrap|account|environment> [--image-tag <tag>]";
  if (!COMMANDS.includes(command as Command)) throw new Error(`unknown command '${command ?? ""}'; ${usage}`);
  if (!target || target.startsWith("-")) throw new Error(`no target given; ${usage}`);
  let imageTag: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--image-tag" && rest[i + 1]) imageTag = rest[++i];
    else throw new Error(`unknown option '${rest[i]}'; ${usage}`);
  }
  return { command: command as Command, target, ...(imageTag ? { imageTag } : {}) };
}

interface Run {
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command with its output to a log file, a progress line every 15 s. */
function run(label: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv, log: string): Promise<Run> {
  const started = Date.now();
  writeFileSync(log, `$ ${command} ${args.join(" ")}\n`);
  return new Promise((resolveRun) => {
    const child = spawn(command, [...args], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      writeFileSync(log, chunk, { flag: "a" });
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const ticker = setInterval(() => console.log(`  ${label}: ${Math.round((Date.now() - started) / 1000)} s...`), 15_000);
    child.on("close", (code) => {
      clearInterval(ticker);
      resolveRun({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** What a plan or an apply changed: `2 to add, 1 to change, 0 to destroy`, or `no changes`. */
export function changeSummary(output: string): string {
  const applied = output.match(/(?:Apply|Destroy) complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed/);
  if (applied) return `${applied[1]} added, ${applied[2]} changed, ${applied[3]} destroyed`;
  const planned = output.match(/Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/);
  if (planned) return `${planned[1]} to add, ${planned[2]} to change, ${planned[3]} to destroy`;
  return /No changes\./.test(output) ? "no changes" : "?";
}

/** The lines of a failed run worth reading: Terraform's errors, else the tail. */
function failureLines(output: string): string {
  const clean = output.replace(/\x1b\[[0-9;]*m/g, "");
  const errors = clean.split("\n").reduce<string[]>((lines, line) => {
    if (/Error:/.test(line) || (lines.length > 0 && lines.length < 40)) lines.push(line);
    return lines;
  }, []);
  return (errors.length > 0 ? errors : clean.split("\n").slice(-30)).join("\n");
}

interface BackendFacts {
  readonly bucket: string;
  readonly lockTable: string;
  readonly region: string;
}

function backendOf(stack: string): BackendFacts | undefined {
  const json = JSON.parse(readFileSync(join(OUTDIR, "stacks", stack, "cdk.tf.json"), "utf8")) as { terraform?: { backend?: { s3?: Record<string, string> } } };
  const s3 = json.terraform?.backend?.s3;
  return s3 ? { bucket: s3.bucket ?? "", lockTable: s3.dynamodb_table ?? "", region: s3.region ?? "" } : undefined;
}

/**
 * What an environment's layers need before any of them runs: the state bucket and lock table
 * (bootstrap), and the account stack's API Gateway CloudWatch Logs role (a REST API stage with
 * access logs cannot be created without it). Each missing one is named with its command.
 */
async function checkPrerequisites(stacks: readonly string[], sandbox: SandboxRecord | undefined): Promise<string[]> {
  const backend = stacks.map(backendOf).find((facts) => facts !== undefined);
  if (!backend) return [];
  const config = { region: backend.region, ...(sandbox ? { endpoint: sandbox.endpoint, forcePathStyle: true, credentials: { accessKeyId: SANDBOX_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: SANDBOX_CREDENTIALS.AWS_SECRET_ACCESS_KEY } } : {}) };
  const missing: string[] = [];
  const absent = (error: unknown) => /NotFound|NoSuchBucket|ResourceNotFound|404/.test(`${(error as { name?: string }).name} ${String(error)}`);
  try {
    await new S3Client(config).send(new HeadBucketCommand({ Bucket: backend.bucket }));
  } catch (error) {
    if (!absent(error)) throw error;
    missing.push(`the state bucket ${backend.bucket} does not exist: run \`npm run deploy -- bootstrap\` (an administrator, once per account)`);
  }
  try {
    await new DynamoDBClient(config).send(new DescribeTableCommand({ TableName: backend.lockTable }));
  } catch (error) {
    if (!absent(error)) throw error;
    missing.push(`the lock table ${backend.lockTable} does not exist: run \`npm run deploy -- bootstrap\` (an administrator, once per account)`);
  }
  const needsApiLogging = stacks.some((stack) => readFileSync(join(OUTDIR, "stacks", stack, "cdk.tf.json"), "utf8").includes('"access_log_settings"'));
  if (needsApiLogging) {
    const account = await new APIGatewayClient(config).send(new GetAccountCommand({}));
    if (!account.cloudwatchRoleArn) {
      missing.push("API Gateway has no CloudWatch Logs role in this account and region, which REST API stages need for their access logs: run `npm run deploy -- account` (an administrator, once per account)");
    }
  }
  return missing;
}

/**
 * The account stack in the sandbox: plain Terraform on the parts the emulator serves (its IAM and
 * API Gateway's logging role); moto has no GuardDuty, Security Hub, Budgets or Cost Explorer.
 */
async function emulatedAccount(command: Command, stack: string, env: NodeJS.ProcessEnv, logs: string): Promise<Run> {
  const dir = join(OUTDIR, "stacks", stack);
  const terraform = toolchainExecutable("TF_BIN");
  const tfEnv = { ...env, TF_CLI_CONFIG_FILE: env.TF_CLI_CONFIG_FILE ?? toolchainEnv().TF_CLI_CONFIG_FILE };
  const init = await run(`${stack} init`, terraform, [`-chdir=${dir}`, "init", "-input=false", "-no-color"], tfEnv, join(logs, `${stack}.init.log`));
  if (init.code !== 0) return init;
  const targets = emulatedAccountTargets(dir);
  const args = command === "plan" ? ["plan"] : command === "deploy" ? ["apply", "-auto-approve"] : ["destroy", "-auto-approve"];
  console.log(`  ${stack}: in the sandbox only its IAM and API Gateway logging role (${targets.length} resources; the emulator has no GuardDuty, Security Hub, Budgets or Cost Explorer)`);
  return run(stack, terraform, [`-chdir=${dir}`, ...args, "-input=false", "-no-color", ...targets], tfEnv, join(logs, `${stack}.log`));
}

/** The outputs a user needs after a deploy (load balancer, API), from cdktf's outputs file. */
function interestingOutputs(file: string): string[] {
  let outputs: Record<string, Record<string, unknown>> = {};
  try {
    outputs = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
  } catch {
    return [];
  }
  return Object.entries(outputs).flatMap(([stack, values]) =>
    Object.entries(values)
      .filter(([name]) => /url|dns_name|endpoint/i.test(name) && !name.startsWith("cross-stack-output"))
      .map(([name, value]) => `${stack}.${name} = ${String(value)}`),
  );
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sandbox = runningSandbox();
  const logs = mkdtempSync(join(tmpdir(), `platform-${options.command}-${options.target}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    ...(isAccountStack(options.target) ? {} : { ENVIRONMENTS: options.target }),
    ...(sandbox ? { ...SANDBOX_CREDENTIALS, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true" } : {}),
    // The sandbox works offline: the provider comes from the toolchain's mirror (npm run toolchain), not
    // the registry, unless the user's own CLI configuration exists.
    ...(sandbox && !existsSync(process.env.TF_CLI_CONFIG_FILE ?? "") ? { TF_CLI_CONFIG_FILE: toolchainEnv().TF_CLI_CONFIG_FILE } : {}),
  };
  const cdktf = join(REPO, "node_modules/.bin/cdktf");
  console.log(`${options.command} ${options.target}${sandbox ? ` into the local sandbox at ${sandbox.endpoint}` : ""} (logs in ${logs})`);

  const synth = await run("synth", cdktf, ["synth", "--output", OUTDIR], env, join(logs, "synth.log"));
  if (synth.code !== 0) throw new Error(`synthesis failed:\n${failureLines(synth.output)}`);
  const stacks = stacksOf(readManifest(OUTDIR), options.target);
  const ordered = options.command === "destroy" ? [...stacks].reverse() : stacks;
  if (sandbox) writeEmulatorOverrides(OUTDIR, ordered, sandbox.endpoint);

  if (!isAccountStack(options.target) && options.command !== "destroy") {
    const missing = await checkPrerequisites(ordered, sandbox);
    if (missing.length > 0) throw new Error(`${options.target} cannot be ${options.command === "plan" ? "planned" : "deployed"} yet:\n  - ${missing.join("\n  - ")}`);
  }

  const summary: string[] = [];
  const outputs: string[] = [];
  for (const stack of ordered) {
    const outputsFile = join(logs, `${stack}.outputs.json`);
    const common = ["--skip-synth", "--output", OUTDIR, "--no-color", "--ignore-missing-stack-dependencies", ...(sandbox ? ["--skip-provider-lock"] : [])];
    const args =
      options.command === "plan"
        ? ["diff", stack, ...common]
        : options.command === "deploy"
          ? ["deploy", stack, ...common, "--auto-approve", "--outputs-file", outputsFile, ...(options.imageTag && stack.startsWith("platform-") ? ["--var", `image_tag=${options.imageTag}`] : [])]
          : ["destroy", stack, ...common, "--auto-approve"];
    console.log(`  ${stack}: ${args[0]}`);
    const result =
      sandbox && isAccountStack(stack) && stack.startsWith("account")
        ? await emulatedAccount(options.command, stack, env, logs)
        : await run(stack, cdktf, args, env, join(logs, `${stack}.log`));
    summary.push(`  ${stack.padEnd(24)} ${changeSummary(result.output).padEnd(36)} ${result.seconds.toFixed(0)} s`);
    if (result.code !== 0) {
      console.error(`\n${stack}: cdktf ${args[0]} failed (full log: ${join(logs, `${stack}.log`)}):\n${failureLines(result.output)}`);
      console.log(`\nsummary:\n${summary.join("\n")}`);
      process.exit(1);
    }
    if (options.command === "deploy") outputs.push(...interestingOutputs(outputsFile));
  }
  console.log(`\nsummary (${options.command} ${options.target}):\n${summary.join("\n")}`);
  if (outputs.length > 0) console.log(`\noutputs:\n  ${outputs.join("\n  ")}`);
  if (!process.env.PLATFORM_KEEP_LOGS) rmSync(logs, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`${process.argv[2] ?? "platform"}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
