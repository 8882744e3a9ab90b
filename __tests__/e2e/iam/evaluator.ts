/**
 * The IAM tier's evaluator. The emulator (scripts/emulator/moto_server.py with --iam-evaluator)
 * asks it about every request signed with a role session's credentials before it serves the
 * request; the evaluator derives the checks AWS makes (requests.ts) and judges each with
 * @cloud-copilot/iam-simulate over the role's policies and permissions boundary as the emulator
 * holds them, the resource's policy (KMS key, bucket) and its tags. A denial is answered to the
 * caller as AWS words it. Every judged call is recorded (service, operation, checks, verdicts).
 */
import { appendFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createValidatedPolicy, validateResourcePolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { getDenialReasons, getGrantReasons, runSimulation, runUnsafeSimulation, type RunSimulationResults } from "@cloud-copilot/iam-simulate";
import { checksFor, type Check, type Facts, type RecordedCall, type ResourceFacts } from "./requests";

export interface NamedPolicy {
  readonly name: string;
  readonly policy: unknown;
}

/** A role session as the emulator reports it. */
export interface Principal {
  /** Session ARN: arn:aws:sts::<account>:assumed-role/<role>/<session>. */
  readonly arn: string;
  readonly identity: readonly NamedPolicy[];
  readonly boundary: NamedPolicy | null;
  readonly trust: unknown;
  readonly tags: Readonly<Record<string, string>>;
}

export interface Question extends RecordedCall {
  /** The caller; null for AssumeRoleWithWebIdentity, which is judged against the role's trust policy. */
  readonly principal: Principal | null;
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface JudgedCheck extends Check {
  readonly decision: Decision;
  /** Why a denied check was denied (policy type and statement). */
  readonly denial?: string;
  /**
   * The action catalogue does not list this resource type for the action (a gap in the published
   * data, e.g. API Gateway's collection types): the policies were evaluated without validation.
   */
  readonly catalogueGap?: string;
  /** The statements that allowed an allowed check (`<policy>#<Sid>`). */
  readonly grantedBy?: readonly string[];
}

/** One judged call, as recorded. */
export interface Judgement {
  readonly role: string;
  readonly session: string;
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly allowed: boolean;
  readonly message?: string;
  /** AWS refuses this call to any role session whatever its policies; the caller expects that. */
  readonly refusedByAws?: string;
  readonly checks: readonly JudgedCheck[];
}

/** Calls that need no permission ("No permissions are required to perform this operation", STS API Reference). */
const NEEDS_NO_PERMISSION = new Set(["sts:GetCallerIdentity"]);

/**
 * Calls AWS refuses to a role session whatever its policies: the AWS provider probes iam:GetUser
 * (no user name) for the account id and falls back to sts:GetCallerIdentity when it is refused.
 */
function refusedToRoles(question: Question): string | undefined {
  if (question.signingName === "iam" && question.operation === "GetUser" && !question.params.UserName) {
    return "iam:GetUser without UserName: AWS answers role sessions ValidationError (Must specify userName when calling with non-User credentials)";
  }
  return undefined;
}

const roleName = (sessionArn: string): string => sessionArn.split("/")[1] ?? sessionArn;
const roleArnOf = (sessionArn: string): string => {
  const [, , , , account, rest = ""] = sessionArn.split(":");
  return `arn:aws:iam::${account}:role/${rest.split("/")[1]}`;
};

function claims(token: string): Record<string, string> {
  const payload = token.split(".")[1] ?? "";
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

/** The AWS error message of a denied check. */
export function denialMessage(principal: string, check: JudgedCheck): string {
  const why =
    check.decision === "ExplicitlyDenied"
      ? `with an explicit deny in ${check.denial ?? "a policy"}`
      : check.denial === "permissions boundary"
        ? `because no permissions boundary allows the ${check.action} action`
        : check.denial === "resource-based policy"
          ? `because no resource-based policy allows the ${check.action} action`
          : `because no identity-based policy allows the ${check.action} action`;
  return `User: ${principal} is not authorized to perform: ${check.action} on resource: ${check.resource} ${why} (${check.because})`;
}

const POLICY_TYPES: Readonly<Record<string, string>> = { identity: "an identity-based policy", pb: "permissions boundary", resource: "resource-based policy" };

function decisionOf(result: RunSimulationResults): { decision: Decision; denial?: string; error?: string; grantedBy?: string[] } {
  if (result.resultType === "error") return { decision: "ImplicitlyDenied", error: result.errors.message };
  const analyses = result.resultType === "single" ? [result.result.analysis] : result.results.map((r) => r.analysis);
  const decision = result.overallResult;
  if (decision === "Allowed") {
    const grants = analyses.flatMap((analysis) => getGrantReasons(analysis)).filter((grant) => grant.policyType === "identity");
    return { decision, grantedBy: [...new Set(grants.map((grant) => `${"policyIdentifier" in grant ? grant.policyIdentifier : ""}#${grant.statementId ?? grant.statementIndex}`))] };
  }
  const reasons = analyses.flatMap((analysis) => getDenialReasons(analysis));
  const explicit = reasons.find((r) => r.denialType === "Explicit");
  if (explicit && explicit.denialType === "Explicit") {
    const sid = explicit.statementId ? ` (statement ${explicit.statementId})` : "";
    const where = explicit.policyType === "identity" ? `an identity-based policy ${explicit.policyIdentifier ?? ""}`.trim() : (POLICY_TYPES[explicit.policyType] ?? explicit.policyType);
    return { decision, denial: `${where}${sid}` };
  }
  const implicit = reasons.find((r) => r.policyType === "pb") ?? reasons.find((r) => r.policyType === "resource") ?? reasons[0];
  return { decision, denial: implicit ? (POLICY_TYPES[implicit.policyType] ?? implicit.policyType) : undefined };
}

export interface EvaluatorOptions {
  /** JSON lines file every judged call is appended to. */
  readonly recordFile: string;
  /**
   * Answer denials to the caller (the emulator refuses the request). Off, every call is judged and
   * recorded but served: a dry run that lists every missing permission of a deploy at once.
   * @default true
   */
  readonly enforce?: boolean;
  /** JSON lines file every question (the parsed request) is appended to, for replays. */
  readonly questionFile?: string;
}

export class IamEvaluator implements Facts {
  private server?: Server;
  private emulator = "";
  readonly judgements: Judgement[] = [];

  constructor(private readonly options: EvaluatorOptions) {}

  /** Starts listening on 127.0.0.1; returns the URL the emulator is given. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      request.on("end", () => {
        this.judge(JSON.parse(body) as Question)
          .then((verdict) => {
            response.setHeader("content-type", "application/json");
            response.end(JSON.stringify(verdict));
          })
          .catch((error: unknown) => {
            response.setHeader("content-type", "application/json");
            response.end(JSON.stringify({ allowed: false, message: `IAM tier: ${error instanceof Error ? error.message : String(error)}` }));
          });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The emulator's URL, for facts about existing resources. */
  useEmulator(url: string): void {
    this.emulator = url.replace(/\/$/, "");
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  async resource(arn: string, region: string): Promise<ResourceFacts> {
    const response = await fetch(`${this.emulator}/_iam-tier/resource?${new URLSearchParams({ arn, region })}`);
    if (!response.ok) return { arn, exists: false, tags: {}, policy: null, aliases: [] };
    return (await response.json()) as ResourceFacts;
  }

  async scalableTarget(region: string, namespace: string, resource: string, dimension: string): Promise<string | undefined> {
    const response = await fetch(`${this.emulator}/_iam-tier/scalable-target?${new URLSearchParams({ region, namespace, resource, dimension })}`);
    return response.ok ? (((await response.json()) as { arn: string | null }).arn ?? undefined) : undefined;
  }

  async routeTableAssociation(region: string, id: string): Promise<{ routeTableId?: string; subnetId?: string }> {
    const response = await fetch(`${this.emulator}/_iam-tier/route-table-association?${new URLSearchParams({ region, id })}`);
    if (!response.ok) return {};
    const found = (await response.json()) as { routeTableId: string | null; subnetId: string | null };
    return { ...(found.routeTableId ? { routeTableId: found.routeTableId } : {}), ...(found.subnetId ? { subnetId: found.subnetId } : {}) };
  }

  async role(arn: string): Promise<Omit<Principal, "arn"> & { arn: string }> {
    const response = await fetch(`${this.emulator}/_iam-tier/role?${new URLSearchParams({ arn })}`);
    if (!response.ok) throw new Error(`the emulator has no role ${arn}: ${await response.text()}`);
    return (await response.json()) as Principal;
  }

  /** Judges one call: allowed only when every check AWS makes for it is allowed. */
  async judge(question: Question): Promise<{ allowed: boolean; message?: string }> {
    if (this.options.questionFile) appendFileSync(this.options.questionFile, `${JSON.stringify(question)}\n`);
    const judgement = question.principal ? await this.judgeSession(question, question.principal) : await this.judgeFederation(question);
    this.judgements.push(judgement);
    appendFileSync(this.options.recordFile, `${JSON.stringify(judgement)}\n`);
    const allowed = judgement.allowed || this.options.enforce === false;
    return { allowed, ...(judgement.message ? { message: judgement.message } : {}) };
  }

  /** Evaluates checks for a principal (a session, or any role ARN) with its policies and boundary. */
  async evaluate(principalArn: string, policies: { identity: readonly NamedPolicy[]; boundary: NamedPolicy | null }, checks: readonly Check[]): Promise<JudgedCheck[]> {
    const account = principalArn.split(":")[4] ?? "";
    const judged: JudgedCheck[] = [];
    for (const check of checks) {
      if (NEEDS_NO_PERMISSION.has(check.action)) {
        judged.push({ ...check, decision: "Allowed" });
        continue;
      }
      const resourcePolicy = check.resourcePolicy ?? (await this.resourcePolicy(check));
      const simulation = {
        request: {
          principal: principalArn,
          action: check.action,
          resource: { resource: check.resource, accountId: check.resource.split(":")[4] || account },
          contextVariables: { ...check.context, "aws:PrincipalArn": roleArnOf(principalArn), "aws:PrincipalAccount": account },
        },
        identityPolicies: policies.identity.map((p) => ({ name: p.name, policy: p.policy })),
        ...(policies.boundary ? { permissionBoundaryPolicies: [{ name: policies.boundary.name, policy: policies.boundary.policy }] } : {}),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      };
      const result = await runSimulation({ ...simulation, ...(resourcePolicy ? { resourcePolicy } : {}) }, { simulationMode: "Strict" });
      const { decision, denial, error, grantedBy } = decisionOf(result);
      if (error && /no\.resource\.types/.test(error)) {
        const unvalidated = runUnsafeSimulation(
          { ...simulation, ...(resourcePolicy ? { resourcePolicy: createValidatedPolicy(resourcePolicy, validateResourcePolicy, { name: "resource policy" }) } : {}) },
          { simulationMode: "Strict" },
        );
        judged.push({ ...check, decision: unvalidated, catalogueGap: error, ...(unvalidated === "Allowed" ? {} : { denial: "an identity-based policy" }) });
        continue;
      }
      judged.push({ ...check, decision, ...(grantedBy ? { grantedBy } : {}), ...(denial || error ? { denial: denial ?? `the simulation could not run: ${error}` } : {}) });
    }
    return judged;
  }

  /** The resource's own policy, where AWS evaluates one with the caller's: KMS key policies and bucket policies. */
  private async resourcePolicy(check: Check): Promise<unknown> {
    if (check.resource.endsWith("*")) return undefined;
    if (check.action.startsWith("kms:")) return (await this.resource(check.resource, check.resource.split(":")[3] ?? "")).policy ?? undefined;
    if (check.action.startsWith("s3:")) {
      const bucket = `arn:aws:s3:::${check.resource.slice("arn:aws:s3:::".length).split("/")[0]}`;
      return (await this.resource(bucket, "")).policy ?? undefined;
    }
    return undefined;
  }

  private async judgeSession(question: Question, principal: Principal): Promise<Judgement> {
    const base = { role: roleName(principal.arn), session: principal.arn, service: question.signingName, operation: question.operation, region: question.region };
    const refused = refusedToRoles(question);
    if (refused) return { ...base, allowed: false, message: refused, refusedByAws: refused, checks: [] };
    let checks: Check[];
    try {
      checks = await checksFor(question, this);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ...base, allowed: false, message: `IAM tier: ${message}`, checks: [] };
    }
    const judged = await this.evaluate(principal.arn, principal, checks);
    const denied = judged.find((check) => check.decision !== "Allowed");
    return { ...base, allowed: !denied, ...(denied ? { message: denialMessage(principal.arn, denied) } : {}), checks: judged };
  }

  /** AssumeRoleWithWebIdentity: the role's trust policy judges the OIDC token's claims. */
  private async judgeFederation(question: Question): Promise<Judgement> {
    const roleArn = String(question.params.RoleArn ?? "");
    const token = claims(String(question.params.WebIdentityToken ?? ""));
    const issuer = (token.iss ?? "").replace(/^https:\/\//, "");
    const provider = `arn:aws:iam::${question.account}:oidc-provider/${issuer}`;
    const role = await this.role(roleArn);
    const check: Check = {
      action: "sts:AssumeRoleWithWebIdentity",
      resource: roleArn,
      context: { [`${issuer}:sub`]: token.sub ?? "", [`${issuer}:aud`]: token.aud ?? "" },
      because: `OIDC token of ${token.sub ?? "?"} (aud ${token.aud ?? "?"})`,
    };
    // The claims of a generic OIDC provider (<issuer>:sub, :aud) are not in the action catalogue,
    // which the validating simulation would filter out: the unvalidated engine evaluates them.
    const decision = runUnsafeSimulation(
      {
        request: { principal: provider, action: check.action, resource: { resource: roleArn, accountId: question.account }, contextVariables: check.context },
        identityPolicies: [],
        // A validated policy carries its name: the unvalidated engine reads it for the resource policy.
        resourcePolicy: createValidatedPolicy(role.trust, validateTrustPolicy, { name: "trust policy" }),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      { simulationMode: "Strict" },
    );
    const judged: JudgedCheck = { ...check, decision, ...(decision === "Allowed" ? {} : { denial: "the role's trust policy" }) };
    const allowed = decision === "Allowed";
    return {
      role: roleArn.split("/").pop() ?? roleArn,
      session: provider,
      service: "sts",
      operation: question.operation,
      region: question.region,
      allowed,
      ...(allowed ? {} : { message: `Not authorized to perform sts:AssumeRoleWithWebIdentity: the trust policy of ${roleArn} does not admit ${check.because}` }),
      checks: [judged],
    };
  }
}
