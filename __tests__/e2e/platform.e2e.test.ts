/**
 * The emulator tier: the platform deployed into moto on 127.0.0.1 with the commands users and the
 * pipeline type (`cdktf synth`, then `cdktf deploy/diff/destroy --skip-synth` per stack, and
 * plain Terraform where the README tells users to run it by hand), in the first-deploy order:
 * bootstrap and the account's CI roles as the administrator, then every layer of E2E_ENV as that
 * environment's deploy role, assumed through GitHub's OIDC token, under IAM enforcement: every
 * request of a role session is judged by the IAM tier (__tests__/e2e/iam) before moto serves it.
 *
 * Emulator settings reach Terraform only through override files beside each synthesized stack
 * (scripts/emulator/overrides.ts); the stacks are the ones a real deploy uses. Steps run in order
 * and the first failure stops the run (vitest `bail`); the work dir is kept when anything fails.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACMClient, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { PutImageCommand, ECRClient } from "@aws-sdk/client-ecr";
import { AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DetachRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateHostedZoneCommand, DeleteHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../scripts/emulator/server";
import { emulatedAccountTargets } from "../../scripts/emulator/account-targets";
import { writeEmulatorOverrides, type OverrideReport } from "../../scripts/emulator/overrides";
import { toolchainEnv, toolchainExecutable } from "../../scripts/lib/toolchain-cache";
import { escalationCases, type CiIdentities } from "./iam/cases";
import { catalogueAction } from "./iam/catalogue";
import { IamEvaluator, type JudgedCheck, type Judgement } from "./iam/evaluator";
import type { Check } from "./iam/requests";
import { logFile, planSummary, progress, REPO, run, tail, type CommandResult } from "./support/commands";
import { added, clientConfig, inventory, lockHeld, stateReport, type EmulatorAccess, type Inventory } from "./support/inventory";

const ENV = process.env.E2E_ENV ?? "dev";
const OTHER = process.env.E2E_OTHER_ENV ?? "staging";
const LAYERS = ["network", "platform", "serverless", "observability"] as const;
const EMULATOR_LIFETIME_SECONDS = 3600;
const STEP_TIMEOUT_MS = 20 * 60_000;
const LOCK_TIMEOUT_SECONDS = 5;
const ADMIN = { accessKeyId: "emulator-administrator", secretAccessKey: "emulator-administrator" };
const OIDC_ISSUER = "token.actions.githubusercontent.com";

/**
 * Statements (by Sid) that AWS offers no way to scope to one environment: a write they allow is
 * allowed to every environment's deploy role. Each is explained beside it in
 * modules/account/deploy-permissions.ts; every other write must stay with its environment.
 */
const UNSCOPABLE_STATEMENTS = new Set(["LogsWithoutResourceScope", "DeregisterTaskDefinitionsWithoutResourceScope", "AttachWebAclToLoadBalancer", "CreateServiceLinkedRoles"]);

const work = mkdtempSync(join(tmpdir(), "cdktf-e2e-"));
const out = join(work, "cdktf.out");
const logs = join(work, "logs");
let failed = false;
let emulator: Emulator | undefined;
let evaluator: IamEvaluator | undefined;
let reports: OverrideReport[] = [];
let tool: Record<string, string> = {};
let terraform = "";
let accountId = "";
let region = "";
let bucket = "";
let lockTable = "";
let ci: CiIdentities;
let baseline: Inventory = {};
const timings: string[] = [];

// --- environment of the commands ----------------------------------------------------------------

function commandEnv(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    // Nothing of the caller's AWS setup may reach Terraform: no profile, no real keys, no metadata API.
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    TF_CLI_CONFIG_FILE: tool.TF_CLI_CONFIG_FILE,
    TERRAFORM_BINARY_NAME: terraform,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
    CI: "true",
    NO_COLOR: "1",
  };
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

async function step(
  label: string,
  command: string,
  args: string[],
  credentials: Credentials,
  options: { cwd?: string; input?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  progress(`${label}: ${command.split("/").pop()} ${args.join(" ")}`);
  const result = await run(command, args, {
    env: { ...commandEnv(credentials), ...options.env },
    logFile: logFile(logs, label),
    timeoutMs: options.timeoutMs ?? STEP_TIMEOUT_MS,
    label,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  timings.push(`${label}: ${(result.ms / 1000).toFixed(1)} s`);
  progress(`${label}: exit ${result.code} after ${(result.ms / 1000).toFixed(1)} s`);
  return result;
}

/**
 * The cdktf CLI on the prepared output. `--skip-provider-lock`: the lock file's checksums for
 * other platforms need registry.terraform.io, which this offline tier cannot reach (the provider
 * comes from the toolchain's filesystem mirror).
 */
const cdktf = (label: string, args: string[], credentials: Credentials) =>
  step(label, join(REPO, "node_modules/.bin/cdktf"), [...args, "--output", out, "--no-color", "--skip-provider-lock"], credentials);
const stackDir = (stack: string) => join(out, "stacks", stack);
const tf = (label: string, stack: string, args: string[], credentials: Credentials, options: { input?: string; cwd?: string } = {}) =>
  step(label, terraform, args, credentials, { cwd: options.cwd ?? stackDir(stack), ...(options.input !== undefined ? { input: options.input } : {}) });

function expectSuccess(result: CommandResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${tail(result)}`);
}

// --- identities -----------------------------------------------------------------------------------

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A GitHub Actions OIDC token for `subject`, as the emulator's STS receives it. */
function githubToken(subject: string): string {
  return `${base64url({ alg: "RS256", typ: "JWT" })}.${base64url({ iss: `https://${OIDC_ISSUER}`, aud: "sts.amazonaws.com", sub: subject })}.signature`;
}

async function assume(roleName: string, subject: string, session: string): Promise<Credentials & { arn: string }> {
  const sts = new STSClient({ endpoint: emulator?.endpoint, region, credentials: ADMIN, maxAttempts: 1 });
  const answer = await sts.send(
    new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: session, WebIdentityToken: githubToken(subject) }),
  );
  const credentials = answer.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`no credentials for ${roleName}`);
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, arn: String(answer.AssumedRoleUser?.Arn) };
}

const access = (credentials: Credentials): EmulatorAccess => ({ endpoint: String(emulator?.endpoint), region, credentials });
const describeCheck = (check: JudgedCheck) => `${check.action} on ${check.resource} (${check.because}): ${check.decision}${check.denial ? `, ${check.denial}` : ""}`;

/** The checks of `session` that were not allowed (a call AWS refuses to any role session is not counted). */
function denialsOf(session: string): string[] {
  return (evaluator?.judgements ?? [])
    .filter((judgement) => judgement.session === session && !judgement.allowed && !judgement.refusedByAws)
    .flatMap((judgement) => (judgement.checks.length > 0 ? judgement.checks.filter((check) => check.decision !== "Allowed").map(describeCheck) : [`${judgement.service}.${judgement.operation}: ${judgement.message}`]));
}

/**
 * Pushes an image into the stack's repository as the pipeline does (its deploy role), so the
 * destroy that follows must delete a repository that holds one (ECR refuses unless force_delete).
 */
async function pushImage(stack: string, session: Credentials & { arn: string }): Promise<void> {
  const repository = String(resourcesOf(stackJson(stack), "aws_ecr_repository")[0]?.name);
  const manifest = { schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json", config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 0, digest: `sha256:${"0".repeat(64)}` }, layers: [] };
  await new ECRClient(clientConfig(access(session))).send(new PutImageCommand({ repositoryName: repository, imageTag: "e2e", imageManifest: JSON.stringify(manifest) }));
  expect(denialsOf(session.arn), `pushing an image to ${repository}`).toEqual([]);
}

// --- the synthesized account stack ----------------------------------------------------------------

type Json = Record<string, unknown>;
const stackJson = (stack: string): Json => JSON.parse(readFileSync(join(stackDir(stack), "cdk.tf.json"), "utf8")) as Json;
const resourcesOf = (json: Json, type: string): Json[] => Object.values(((json.resource as Json | undefined)?.[type] ?? {}) as Record<string, Json>);

function ciIdentities(account: Json): CiIdentities {
  const roles = resourcesOf(account, "aws_iam_role").map((role) => String(role.name));
  const policies = resourcesOf(account, "aws_iam_policy").map((policy) => String(policy.name));
  const envs = roles.filter((name) => name.endsWith("-github-deploy")).map((name) => name.slice(0, -"-github-deploy".length));
  const prefixOf = (prefix: string) => prefix.slice(prefix.indexOf("-") + 1);
  return {
    accountId,
    region,
    deployRoles: Object.fromEntries(envs.map((prefix) => [prefixOf(prefix), `${prefix}-github-deploy`])),
    planRoles: Object.fromEntries(envs.filter((prefix) => roles.includes(`${prefix}-github-plan`)).map((prefix) => [prefixOf(prefix), `${prefix}-github-plan`])),
    policies: Object.fromEntries(envs.map((prefix) => [prefixOf(prefix), policies.filter((name) => name.startsWith(`${prefix}-`))])),
    boundaries: Object.fromEntries(envs.map((prefix) => [prefixOf(prefix), String(policies.find((name) => name === `${prefix}-workload-boundary`))])),
    oidcProvider: OIDC_ISSUER,
    namePrefixes: Object.fromEntries(envs.map((prefix) => [prefixOf(prefix), prefix])),
  };
}

/** The OIDC `sub` the account stack trusts for a role (read from its trust policy). */
function trustedSubject(account: Json, roleName: string): string {
  const role = resourcesOf(account, "aws_iam_role").find((candidate) => candidate.name === roleName);
  const trust = JSON.parse(String(role?.assume_role_policy)) as { Statement: Array<{ Condition: { StringEquals: Record<string, string> } }> };
  return String(trust.Statement[0]?.Condition.StringEquals[`${OIDC_ISSUER}:sub`]);
}

// --- the run --------------------------------------------------------------------------------------

beforeAll(async () => {
  mkdirSync(logs, { recursive: true });
  tool = toolchainEnv();
  terraform = toolchainExecutable("TF_BIN", tool);
  const synth = await step("synth", join(REPO, "node_modules/.bin/cdktf"), ["synth", "--output", out], ADMIN, {
    timeoutMs: 10 * 60_000,
    env: { ENVIRONMENTS: `${ENV},${OTHER}` },
  });
  expectSuccess(synth, `ENVIRONMENTS=${ENV},${OTHER} cdktf synth`);
  const bootstrap = stackJson("bootstrap");
  const provider = ((bootstrap.provider as Json).aws as Json[])[0] as Json;
  accountId = String((provider.allowed_account_ids as string[])[0]);
  region = String(provider.region);
  ci = ciIdentities(stackJson("account"));
  // E2E_IAM_REPORT_ONLY=1: denied calls still reach the emulator, so one run lists every missing permission of every layer (the tests still fail).
  evaluator = new IamEvaluator({ recordFile: join(work, "iam-calls.jsonl"), enforce: process.env.E2E_IAM_REPORT_ONLY !== "1" });
  const evaluatorUrl = await evaluator.start();
  emulator = await startEmulator({ lifetimeSeconds: EMULATOR_LIFETIME_SECONDS, accountId, iamEvaluator: evaluatorUrl });
  evaluator.useEmulator(emulator.endpoint);
  const stacks = ["bootstrap", "account", ...LAYERS.flatMap((layer) => [`${layer}-${ENV}`, `${layer}-${OTHER}`])];
  reports = writeEmulatorOverrides(out, stacks, emulator.endpoint);
  const s3 = reports.find((report) => report.stack === `network-${ENV}`);
  bucket = String(s3?.bucket);
  lockTable = String(s3?.lockTable);
  progress(`emulator on ${emulator.endpoint} (pid ${emulator.pid}), IAM evaluator on ${evaluatorUrl}, work dir ${work}`);
}, 15 * 60_000);

afterAll(async () => {
  await emulator?.stop();
  await evaluator?.stop();
  const workarounds = reports.flatMap((report) => report.workarounds.map((w) => `${report.stack}: ${w.id} ${w.resource} [${w.attribute}]`));
  progress(`timings:\n  ${timings.join("\n  ")}`);
  progress(`moto fixes in effect (${emulator?.fixes.length ?? 0}):\n  ${(emulator?.fixes ?? []).join("\n  ")}`);
  progress(`emulator workarounds in the override files (${workarounds.length}):\n  ${workarounds.join("\n  ")}`);
  if (failed || process.env.E2E_KEEP_WORKDIR) progress(`work dir kept: ${work} (logs in ${logs}, IAM calls in ${join(work, "iam-calls.jsonl")})`);
  else rmSync(work, { recursive: true, force: true });
});

describe.sequential(`the platform in the emulator: bootstrap, account CI roles, every ${ENV} layer as its deploy role`, () => {
  const watch = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (error) {
      failed = true;
      throw error;
    }
  };

  it("bootstrap applies as the administrator (cdktf deploy) and a re-plan shows no changes (cdktf diff)", watch(async () => {
    expectSuccess(await cdktf("bootstrap-deploy", ["deploy", "bootstrap", "--skip-synth", "--auto-approve"], ADMIN), "cdktf deploy bootstrap");
    const diff = await cdktf("bootstrap-diff", ["diff", "bootstrap", "--skip-synth"], ADMIN);
    expectSuccess(diff, "cdktf diff bootstrap");
    expect(planSummary(diff.output)).toEqual(["No changes. Your infrastructure matches the configuration."]);
  }));

  it("the account stack's CI roles, boundaries and API Gateway logging role apply as the administrator (terraform -target)", watch(async () => {
    // moto serves no GuardDuty, Security Hub, Budgets or Cost Explorer: only the account stack's
    // IAM and API Gateway parts are applied here; `npm run validate` plans the whole stack offline.
    const targets = emulatedAccountTargets(stackDir("account"));
    expect(targets.length).toBeGreaterThan(0);
    expectSuccess(await tf("account-init", "account", ["init", "-input=false", "-no-color"], ADMIN), "terraform init (account)");
    expectSuccess(await tf("account-apply", "account", ["apply", "-input=false", "-no-color", "-auto-approve", ...targets], ADMIN), "terraform apply (account)");
    const replan = await tf("account-replan", "account", ["plan", "-input=false", "-no-color", "-detailed-exitcode", ...targets], ADMIN);
    expect(replan.code, tail(replan)).toBe(0);
    baseline = (await inventory(access(ADMIN), [])).kinds;
  }));

  it(`only the ${ENV} GitHub environment's workflow can assume the ${ENV} deploy role; pull requests get the plan role`, watch(async () => {
    const account = stackJson("account");
    const deploy = String(ci.deployRoles[ENV]);
    const plan = String(ci.planRoles[ENV]);
    await expect(assume(deploy, trustedSubject(account, deploy), "trust-check")).resolves.toMatchObject({ accessKeyId: expect.any(String) });
    await expect(assume(deploy, trustedSubject(account, plan), "trust-check")).rejects.toThrow(/AssumeRoleWithWebIdentity/);
    await expect(assume(deploy, trustedSubject(account, String(ci.deployRoles[OTHER])), "trust-check")).rejects.toThrow(/AssumeRoleWithWebIdentity/);
    await expect(assume(plan, trustedSubject(account, plan), "trust-check")).resolves.toMatchObject({ accessKeyId: expect.any(String) });
  }));

  for (const layer of LAYERS) {
    const stack = `${layer}-${ENV}`;
    it(`${stack} applies as the ${ENV} deploy role (cdktf deploy): every AWS call is allowed`, watch(async () => {
      const account = stackJson("account");
      const role = String(ci.deployRoles[ENV]);
      const session = await assume(role, trustedSubject(account, role), `deploy-${layer}`);
      const deployed = await cdktf(`${stack}-deploy`, ["deploy", stack, "--skip-synth", "--auto-approve", "--ignore-missing-stack-dependencies"], session);
      expect(denialsOf(session.arn), `calls of ${stack}'s deploy refused by the IAM tier`).toEqual([]);
      expectSuccess(deployed, `cdktf deploy ${stack}`);
    }));

    it(`${stack}: cdktf diff reports no changes, and the ${ENV} plan role plans it read-only (terraform plan -lock=false)`, watch(async () => {
      const account = stackJson("account");
      const role = String(ci.deployRoles[ENV]);
      const session = await assume(role, trustedSubject(account, role), `diff-${layer}`);
      const diff = await cdktf(`${stack}-diff`, ["diff", stack, "--skip-synth"], session);
      expectSuccess(diff, `cdktf diff ${stack}`);
      expect(planSummary(diff.output), tail(diff)).toEqual(["No changes. Your infrastructure matches the configuration."]);
      expect(denialsOf(session.arn)).toEqual([]);

      const planRole = String(ci.planRoles[ENV]);
      const planner = await assume(planRole, trustedSubject(account, planRole), `plan-${layer}`);
      const plan = await tf(`${stack}-plan-role`, stack, ["plan", "-input=false", "-no-color", "-lock=false", "-detailed-exitcode"], planner);
      expect(denialsOf(planner.arn), `calls of ${stack}'s plan refused by the IAM tier`).toEqual([]);
      expect(plan.code, tail(plan)).toBe(0);
    }));
  }

  it(`a held state lock refuses a second plan of network-${ENV}; network-${OTHER} plans unblocked`, watch(async () => {
    const account = stackJson("account");
    const role = String(ci.deployRoles[ENV]);
    const session = await assume(role, trustedSubject(account, role), "lock");
    const locked = `network-${ENV}`;
    const lockId = `${bucket}/${reports.find((r) => r.stack === locked)?.stateKey}`;
    const contender = join(work, "contender");
    cpSync(stackDir(locked), contender, { recursive: true, filter: (path) => !path.includes(".terraform") });
    expectSuccess(await tf("contender-init", locked, ["init", "-input=false", "-no-color"], session, { cwd: contender }), "terraform init (second working copy)");

    // `terraform console` takes the state lock and keeps it until its stdin closes.
    const { spawn } = await import("node:child_process");
    const env = Object.fromEntries(Object.entries(commandEnv(session)).filter((e): e is [string, string] => e[1] !== undefined));
    const holder = spawn(terraform, ["console", "-no-color"], { cwd: stackDir(locked), env, stdio: ["pipe", "ignore", "ignore"] });
    try {
      const deadline = Date.now() + 90_000;
      while (!(await lockHeld(access(ADMIN), lockTable, lockId))) {
        if (Date.now() > deadline) throw new Error(`terraform console did not take the lock ${lockId} within 90 s`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 500));
      }
      const refused = await tf("lock-refused", locked, ["plan", "-input=false", "-no-color", `-lock-timeout=${LOCK_TIMEOUT_SECONDS}s`], session, { cwd: contender });
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain("Error acquiring the state lock");
      expect(refused.output).toMatch(new RegExp(`Path: *${lockId.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
      expect(refused.ms).toBeGreaterThanOrEqual((LOCK_TIMEOUT_SECONDS - 1) * 1000);

      const other = `network-${OTHER}`;
      const otherRole = String(ci.deployRoles[OTHER]);
      const otherSession = await assume(otherRole, trustedSubject(account, otherRole), "unblocked");
      expectSuccess(await tf("other-init", other, ["init", "-input=false", "-no-color"], otherSession), `terraform init (${other})`);
      const unblocked = await tf("other-plan", other, ["plan", "-input=false", "-no-color", "-lock-timeout=0s"], otherSession);
      expectSuccess(unblocked, `terraform plan ${other} while ${locked} is locked`);
      expect(await lockHeld(access(ADMIN), lockTable, lockId), "the lock was gone before the other plan finished: the check proves nothing").toBe(true);
      expect(denialsOf(otherSession.arn)).toEqual([]);
    } finally {
      holder.stdin.end();
      await new Promise((resolveExit) => holder.once("exit", resolveExit));
    }
    expect(await lockHeld(access(ADMIN), lockTable, lockId)).toBe(false);
    const after = await tf("lock-released", locked, ["plan", "-input=false", "-no-color", "-lock-timeout=0s", "-detailed-exitcode"], session, { cwd: contender });
    expect(after.code, tail(after)).toBe(0);
  }));

  it(`state: one SSE-KMS object per ${ENV} stack at <env>/<layer>.tfstate, no lock left, nothing under ${OTHER}/`, watch(async () => {
    const report = await stateReport(access(ADMIN), bucket, lockTable);
    const keys = LAYERS.map((layer) => String(reports.find((r) => r.stack === `${layer}-${ENV}`)?.stateKey));
    expect(keys).toEqual(LAYERS.map((layer) => `${ENV}/${layer}.tfstate`));
    expect(report.versioning).toBe("Enabled");
    const objects = Object.keys(report.objects);
    expect(objects.filter((key) => key.startsWith(`${ENV}/`)).sort()).toEqual([...keys].sort());
    expect(objects.filter((key) => key.startsWith(`${OTHER}/`))).toEqual([]);
    for (const key of keys) expect(report.objects[key]?.sse, key).toBe("aws:kms");
    expect(report.lockItems.filter((item) => !item.endsWith("-md5"))).toEqual([]);
    expect(report.lockItems.filter((item) => item.startsWith(`${bucket}/${ENV}/`)).sort()).toEqual(keys.map((key) => `${bucket}/${key}-md5`).sort());
  }));

  it(`serverless-${OTHER}'s custom domain applies, re-plans and destroys as the ${OTHER} deploy role: ACM certificate validated through Route 53, the API's domain and alias record`, async (context) => {
    const stack = `serverless-${OTHER}`;
    const zone = Object.values(((stackJson(stack).data as Json | undefined)?.aws_route53_zone ?? {}) as Record<string, Json>)[0];
    if (!zone) {
      progress(`${stack} has no domain in config (serverless.domain): the custom-domain case is skipped`);
      return context.skip();
    }
    await watch(async () => {
      // The hosted zone is the account owner's, made once by hand (docs/deploying.md): here, the administrator's.
      const route53 = new Route53Client(clientConfig(access(ADMIN)));
      const created = await route53.send(new CreateHostedZoneCommand({ Name: String(zone.name), CallerReference: `e2e-${Date.now()}` }));
      const zoneId = String(created.HostedZone?.Id).replace("/hostedzone/", "");
      const account = stackJson("account");
      const role = String(ci.deployRoles[OTHER]);
      for (const [verb, args] of [
        ["deploy", ["deploy", stack, "--skip-synth", "--auto-approve", "--ignore-missing-stack-dependencies"]],
        ["diff", ["diff", stack, "--skip-synth"]],
        ["destroy", ["destroy", stack, "--skip-synth", "--auto-approve", "--ignore-missing-stack-dependencies"]],
      ] as const) {
        const session = await assume(role, trustedSubject(account, role), `${verb}-${OTHER}-domain`);
        const result = await cdktf(`${stack}-${verb}`, [...args], session);
        expect(denialsOf(session.arn), `calls of ${stack}'s ${verb} refused by the IAM tier`).toEqual([]);
        expectSuccess(result, `cdktf ${verb} ${stack}`);
        if (verb === "diff") expect(planSummary(result.output), tail(result)).toEqual(["No changes. Your infrastructure matches the configuration."]);
        if (verb === "deploy") {
          const records = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
          const names = (records.ResourceRecordSets ?? []).map((record) => `${String(record.Type)} ${String(record.Name)}`);
          const domain = String(Object.values(resourcesOf(stackJson(stack), "aws_api_gateway_domain_name"))[0]?.domain_name);
          expect(names, "alias and validation records").toEqual(expect.arrayContaining([`A ${domain}.`, expect.stringMatching(new RegExp(`^CNAME _[^.]+\\.${domain.replaceAll(".", "\\.")}\\.$`))]));
        }
      }
      const certificates = await new ACMClient(clientConfig(access(ADMIN))).send(new ListCertificatesCommand({}));
      expect(certificates.CertificateSummaryList ?? [], "certificates left after the destroy").toEqual([]);
      const left = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
      expect((left.ResourceRecordSets ?? []).map((record) => record.Type).sort(), "records left after the destroy").toEqual(["NS", "SOA"]);
      await route53.send(new DeleteHostedZoneCommand({ Id: zoneId }));
    })();
  });

  it(`the ${ENV} deploy role cannot escalate: CI roles, boundaries, the OIDC provider, roles without the boundary, users (live in the emulator and evaluated)`, watch(async () => {
    const account = stackJson("account");
    const role = String(ci.deployRoles[ENV]);
    const session = await assume(role, trustedSubject(account, role), "escalation");
    const iam = new IAMClient(clientConfig(access(session)));
    const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    const boundary = `arn:aws:iam::${accountId}:policy/${ci.boundaries[ENV]}`;
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const prefix = String(ci.namePrefixes[ENV]);
    // Live: the emulator refuses them as AWS would.
    await expect(iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: "escalate", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }))).rejects.toThrow(/not authorized to perform: iam:PutRolePolicy/);
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: admin }))).rejects.toThrow(/not authorized to perform: iam:AttachRolePolicy/);
    await expect(iam.send(new CreateRoleCommand({ RoleName: `${prefix}-escape`, AssumeRolePolicyDocument: trust }))).rejects.toThrow(/not authorized to perform: iam:CreateRole/);
    // A role it may create carries the boundary; AdministratorAccess then gives no more than the boundary.
    await iam.send(new CreateRoleCommand({ RoleName: `${prefix}-escape`, AssumeRolePolicyDocument: trust, PermissionsBoundary: boundary }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: `${prefix}-escape`, PolicyArn: admin }));
    const escape = await evaluator!.role(`arn:aws:iam::${accountId}:role/${prefix}-escape`);
    const deployPolicies = await evaluator!.role(`arn:aws:iam::${accountId}:role/${role}`);
    await iam.send(new DetachRolePolicyCommand({ RoleName: `${prefix}-escape`, PolicyArn: admin }));
    await iam.send(new DeleteRoleCommand({ RoleName: `${prefix}-escape` }));
    expect(denialsOf(session.arn).filter((denial) => !/iam:(PutRolePolicy|AttachRolePolicy|CreateRole) on .*(github-deploy|-escape)/.test(denial))).toEqual([]);

    // Evaluated: every forbidden case, for the deploy role and for the bounded role holding AdministratorAccess.
    const cases = escalationCases(ci, ENV);
    for (const [who, principal, policies] of [
      ["deploy role", `arn:aws:sts::${accountId}:assumed-role/${role}/escalation`, deployPolicies],
      ["bounded role with AdministratorAccess", `arn:aws:sts::${accountId}:assumed-role/${prefix}-escape/escalation`, escape],
    ] as const) {
      const judged = await evaluator!.evaluate(principal, policies, cases.map((c) => c.check));
      const allowed = judged.map((check, index) => ({ check, name: cases[index]?.name })).filter(({ check }) => check.decision === "Allowed");
      expect(allowed.map(({ name, check }) => `${who} may ${name}: ${check.action} on ${check.resource} (${check.grantedBy?.join(", ")})`)).toEqual([]);
    }
  }));

  for (const layer of [...LAYERS].reverse()) {
    const stack = `${layer}-${ENV}`;
    it(`${stack} destroys as the ${ENV} deploy role (cdktf destroy): every AWS call is allowed`, watch(async () => {
      const account = stackJson("account");
      const role = String(ci.deployRoles[ENV]);
      const session = await assume(role, trustedSubject(account, role), `destroy-${layer}`);
      if (layer === "platform") await pushImage(stack, session);
      const destroyed = await cdktf(`${stack}-destroy`, ["destroy", stack, "--skip-synth", "--auto-approve", "--ignore-missing-stack-dependencies"], session);
      expect(denialsOf(session.arn), `calls of ${stack}'s destroy refused by the IAM tier`).toEqual([]);
      expectSuccess(destroyed, `cdktf destroy ${stack}`);
    }));
  }

  it(`nothing of ${ENV} is left in the emulator, and its state objects kept their versions`, watch(async () => {
    const now = await inventory(access(ADMIN), []);
    const left = added(baseline, now.kinds);
    expect(left).toEqual({});
    if (now.quirks.length > 0) progress(`not counted as left behind, moto quirks:\n  ${now.quirks.join("\n  ")}`);
    const report = await stateReport(access(ADMIN), bucket, lockTable);
    for (const layer of LAYERS) expect(report.objects[`${ENV}/${layer}.tfstate`]?.versions ?? 0, layer).toBeGreaterThanOrEqual(2);
  }));

  it(`no other environment's deploy role may make any write call the ${ENV} deploy role made`, watch(async () => {
    const own = String(ci.deployRoles[ENV]);
    // A call is allowed only when every check AWS makes for it is (its own action and the dependent ones).
    const calls: Array<{ call: string; checks: readonly Check[] }> = [];
    const seen = new Set<string>();
    for (const judgement of evaluator!.judgements.filter((j: Judgement) => j.role === own && j.allowed)) {
      const levels = await Promise.all(judgement.checks.map(async (check) => (await catalogueAction(check.action))?.accessLevel));
      if (levels.every((level) => level === "Read" || level === "List")) continue;
      const key = JSON.stringify(judgement.checks.map((check) => [check.action, check.resource, check.context]));
      if (seen.has(key)) continue;
      seen.add(key);
      calls.push({ call: `${judgement.service}.${judgement.operation}`, checks: judgement.checks });
    }
    expect(calls.length, "the run recorded no write to compare").toBeGreaterThan(50);
    const summary: string[] = [];
    for (const [env, role] of Object.entries(ci.deployRoles).filter(([env]) => env !== ENV)) {
      const policies = await evaluator!.role(`arn:aws:iam::${accountId}:role/${role}`);
      const allowed: Array<{ call: string; checks: JudgedCheck[] }> = [];
      for (const { call, checks } of calls) {
        const judged = await evaluator!.evaluate(`arn:aws:sts::${accountId}:assumed-role/${role}/cross-environment`, policies, checks);
        if (judged.every((check) => check.decision === "Allowed")) allowed.push({ call, checks: judged });
      }
      const unscopable = allowed.filter(({ checks }) => checks.every((check) => check.grantedBy?.every((grant) => UNSCOPABLE_STATEMENTS.has(grant.split("#")[1] ?? ""))));
      summary.push(`${env}: ${calls.length - allowed.length} of ${calls.length} write calls of ${ENV} denied; allowed only where AWS offers no scoping: ${[...new Set(unscopable.map(({ call }) => call))].join(", ") || "none"}`);
      expect(
        allowed.filter((entry) => !unscopable.includes(entry)).map(({ call, checks }) => `${role} may ${call}: ${checks.map((check) => `${describeCheck(check)} via ${check.grantedBy?.join(", ")}`).join("; ")}`),
      ).toEqual([]);
    }
    progress(`cross-environment writes:\n  ${summary.join("\n  ")}`);
    writeFileSync(join(work, "cross-environment.txt"), `${summary.join("\n")}\n`);
  }));

  it("every recorded call names its service, operation, action and resource", watch(async () => {
    const judgements = evaluator!.judgements.filter((j) => j.session.includes(":assumed-role/"));
    const perSession = new Map<string, number>();
    for (const judgement of judgements) perSession.set(judgement.session.split("/").slice(1).join("/"), (perSession.get(judgement.session.split("/").slice(1).join("/")) ?? 0) + 1);
    progress(`calls judged per session:\n  ${[...perSession].map(([session, count]) => `${session}: ${count}`).join("\n  ")}`);
    for (const judgement of judgements.filter((j) => !j.refusedByAws)) {
      expect(judgement.checks.length, `${judgement.service}.${judgement.operation}`).toBeGreaterThan(0);
      for (const check of judgement.checks) expect(check.resource).toMatch(/^(\*|arn:aws:)/);
    }
    expect(existsSync(join(work, "iam-calls.jsonl"))).toBe(true);
  }));
});
