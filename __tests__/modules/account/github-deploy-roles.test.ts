import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { describe, expect, it } from "vitest";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { GithubDeployRoles, MANAGED_POLICY_MAX_CHARS, type DeployRoleDefinition, type GithubDeployRolesProps } from "../../../modules/account/github-deploy-roles";
import { asList, referenceTo, resource, resources, type StackJson, statements, synthConstruct } from "../../support/synth";

const ACCOUNT = "123456789012";
const state = { bucket: "acme-tfstate", keyPrefix: "dev", lockTable: "acme-tfstate-lock", region: "eu-west-1", kmsKeyAlias: "acme-tfstate" };
const dev: DeployRoleDefinition = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  environment: "dev",
  namePrefix: "acme-dev",
  projectPrefix: "acme",
  boundaryName: "acme-dev-workload-boundary",
  subject: "repo:acme/platform:environment:dev",
  state,
};
const synthRoles = (props: Partial<GithubDeployRolesProps> = {}): StackJson =>
  synthConstruct((scope) => new GithubDeployRoles(scope, "deploy", { accountId: ACCOUNT, roles: [dev], ...props }));
const policyNamed = (json: StackJson, name: string) => statements(resources(json, IamRolePolicy).find((body) => body.name === name)!.policy);
const managedNamed = (json: StackJson, prefix: string) => resources(json, IamPolicy).filter((body) => String(body.name).startsWith(prefix));

describe("GithubDeployRoles", () => {
  describe("an environment serving domains", () => {
    const domains = ["api.dev.example.com", "app.dev.example.com"];
    const json = synthRoles({ roles: [{ ...dev, domainNames: domains }] });
    const deploy = managedNamed(json, "acme-dev-github-deploy-").flatMap((policy) => statements(policy.policy));
    const bySid = (sid: string) => deploy.find((statement) => statement.Sid === sid);

    it("changes only the records of its own names and their ACM validation records, of address and alias types", () => {
      expect(bySid("ChangeOwnRecords")?.Condition).toEqual({
        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": domains.flatMap((name) => [name, `_*.${name}`]) },
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA", "CNAME"] },
      });
    });

    it("requests certificates only for its own names, DNS-validated and tagged with the environment", () => {
      expect(bySid("RequestOwnCertificates")?.Condition).toEqual({
        "ForAllValues:StringEquals": { "acm:DomainNames": domains },
        StringEquals: { "acm:ValidationMethod": "DNS", "aws:RequestTag/Environment": "dev", "aws:RequestedRegion": "eu-west-1" },
      });
      expect(bySid("ManageOwnCertificates")?.Condition).toEqual({ StringEquals: { "aws:ResourceTag/Environment": "dev" } });
    });

    it("manages API custom domains of its own names only", () => {
      expect(bySid("ManageOwnApiDomains")?.Resource).toEqual(domains.flatMap((name) => [`arn:aws:apigateway:eu-west-1::/domainnames/${name}`, `arn:aws:apigateway:eu-west-1::/domainnames/${name}/*`]));
    });
  });

  describe("defaults", () => {
    const json = synthRoles();
    const deploy = managedNamed(json, "acme-dev-github-deploy-").flatMap((policy) => statements(policy.policy));
    const guard = policyNamed(json, "guard-rails");
    const bySid = (sid: string) => deploy.find((statement) => statement.Sid === sid)!;

    it("creates GitHub's OIDC provider for the sts.amazonaws.com audience", () => {
      expect(resource(json, IamOpenidConnectProvider)).toEqual(
        expect.objectContaining({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] }),
      );
    });

    it("lets only the configured repository and GitHub environment assume the role, by exact aud and sub", () => {
      const role = resource(json, IamRole);
      expect(role).toEqual(expect.objectContaining({ name: "acme-dev-github-deploy", max_session_duration: 3600 }));
      expect(statements(role.assume_role_policy)).toEqual([
        {
          Sid: "GithubActionsOidc",
          Effect: "Allow",
          Principal: { Federated: referenceTo(json, IamOpenidConnectProvider, "arn") },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:acme/platform:environment:dev",
            },
          },
        },
      ]);
    });

    it("ships the environment's permissions boundary as a managed policy named by config", () => {
      expect(managedNamed(json, "acme-dev-workload-boundary").map((policy) => policy.name)).toEqual(["acme-dev-workload-boundary"]);
    });

    it("attaches its grants as customer managed policies, each within IAM's 6,144-character quota", () => {
      const attached = resources(json, IamRolePolicyAttachment).map((attachment) => String(attachment.policy_arn));
      const policies = managedNamed(json, "acme-dev-github-deploy-");
      expect(policies.length).toBeGreaterThan(0);
      expect(attached).toHaveLength(policies.length);
      for (const policy of policies) expect(String(policy.policy).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    });

    it("creates and changes roles only under its environment's boundary", () => {
      expect(bySid("ManageBoundedWorkloadRoles")).toEqual(
        expect.objectContaining({
          Resource: [`arn:aws:iam::${ACCOUNT}:role/acme-dev-*`],
          Condition: { StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/acme-dev-workload-boundary` } },
        }),
      );
      expect(guard.find((statement) => statement.Sid === "NoRoleWithoutTheBoundary")).toEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { StringNotEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/acme-dev-workload-boundary` } } }),
      );
    });

    it("denies any IAM write on every CI role, boundary and deploy policy, and on the OIDC provider", () => {
      expect(guard.find((statement) => statement.Sid === "NoWriteOnCiRoles")?.Resource).toEqual([`arn:aws:iam::${ACCOUNT}:role/acme-dev-github-deploy`]);
      expect(guard.find((statement) => statement.Sid === "NoWriteOnBoundaries")?.Resource).toEqual(
        expect.arrayContaining([`arn:aws:iam::${ACCOUNT}:policy/acme-dev-workload-boundary`, `arn:aws:iam::${ACCOUNT}:policy/acme-dev-github-deploy-1`]),
      );
      expect(guard.find((statement) => statement.Sid === "NoWriteOnOidcProvider")?.Resource).toEqual([referenceTo(json, IamOpenidConnectProvider, "arn")]);
    });

    it("has no DNS or certificate permissions while the environment serves no domain", () => {
      const actions = deploy.flatMap((statement) => asList(statement.Action)).map(String);
      expect(actions.filter((action) => /^(route53|acm):/.test(action))).toEqual([]);
    });

    it("grants no Action \"*\" and no service-wide wildcard", () => {
      for (const statement of deploy.filter((s) => s.Effect === "Allow")) {
        for (const action of asList(statement.Action)) expect(String(action)).not.toMatch(/(^\*$|:\*$)/);
      }
    });

    it("reads and writes only the environment's own state objects, locks and state key", () => {
      expect(policyNamed(json, "terraform-state")).toEqual([
        {
          Sid: "ListOwnStateKeys",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: ["arn:aws:s3:::acme-tfstate"],
          Condition: { StringLike: { "s3:prefix": ["dev/*", "env:/*"] } },
        },
        { Sid: "ReadWriteOwnState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: ["arn:aws:s3:::acme-tfstate/dev/*"] },
        {
          Sid: "LockOwnState",
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
          Resource: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/acme-tfstate-lock`],
          Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["acme-tfstate/dev/*"] } },
        },
        {
          Sid: "UseStateKey",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
          Resource: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`],
          Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/acme-tfstate" } },
        },
      ]);
    });
  });

  it("makes one role per environment with its own subject", () => {
    const prod: DeployRoleDefinition = { ...dev, environment: "prod", namePrefix: "acme-prod", boundaryName: "acme-prod-workload-boundary", subject: "repo:acme/platform:ref:refs/heads/main", state: { ...state, keyPrefix: "prod" } };
    const json = synthRoles({ roles: [dev, prod] });
    const subjects = resources(json, IamRole).map(
      (role) => ((statements(role.assume_role_policy)[0]!.Condition as Record<string, Record<string, string>>).StringEquals!)["token.actions.githubusercontent.com:sub"],
    );
    expect(resources(json, IamRole).map((role) => role.name)).toEqual(["acme-dev-github-deploy", "acme-prod-github-deploy"]);
    expect(subjects).toEqual(["repo:acme/platform:environment:dev", "repo:acme/platform:ref:refs/heads/main"]);
    expect(resources(json, IamOpenidConnectProvider)).toHaveLength(1);
  });

  it("uses an existing OIDC provider instead of creating one", () => {
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const json = synthRoles({ existingProviderArn: arn });
    expect(resources(json, IamOpenidConnectProvider)).toEqual([]);
    expect(statements(resource(json, IamRole).assume_role_policy)[0]!.Principal).toEqual({ Federated: arn });
  });

  describe("plan roles", () => {
    const planSubject = "repo:acme/platform:pull_request";
    const json = synthRoles({ planSubject });
    const planRole = resources(json, IamRole).find((role) => role.name === "acme-dev-github-plan")!;
    const plan = policyNamed(json, "terraform-state-read");
    const bySid = (sid: string) => plan.find((statement) => statement.Sid === sid);

    it("are made only when asked for", () => {
      expect(resources(synthRoles(), IamRole).map((role) => role.name)).toEqual(["acme-dev-github-deploy"]);
      expect(resources(json, IamRole).map((role) => role.name).sort()).toEqual(["acme-dev-github-deploy", "acme-dev-github-plan"]);
    });

    it("trust only the pull-request subject, by exact aud and sub", () => {
      expect(statements(planRole.assume_role_policy)[0]!.Condition).toEqual({
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": planSubject },
      });
    });

    it("refresh with AWS's ReadOnlyAccess and hold no write permission", () => {
      expect(resources(json, IamRolePolicyAttachment).map((a) => a.policy_arn)).toContain("arn:aws:iam::aws:policy/ReadOnlyAccess");
      const allowed = plan.filter((statement) => statement.Effect === "Allow").flatMap((statement) => asList(statement.Action));
      expect([...new Set(allowed)].sort()).toEqual(["dynamodb:GetItem", "kms:Decrypt", "kms:DescribeKey", "s3:GetObject", "s3:ListBucket"]);
    });

    it("read their own state and digest only", () => {
      expect(bySid("ReadOwnState")).toEqual(expect.objectContaining({ Resource: ["arn:aws:s3:::acme-tfstate/dev/*"] }));
      expect(bySid("ReadOwnStateDigest")!.Condition).toEqual({ "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["acme-tfstate/dev/*"] } });
    });

    it("cannot read objects, items, secrets or logs, nor decrypt, outside the state", () => {
      expect(bySid("NoObjectReadsButState")).toEqual(
        expect.objectContaining({ Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion"], NotResource: ["arn:aws:s3:::acme-tfstate/dev/*"] }),
      );
      expect(bySid("NoItemReads")).toEqual(
        expect.objectContaining({ Effect: "Deny", NotResource: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/acme-tfstate-lock`] }),
      );
      expect(asList(bySid("NoItemReads")!.Action)).toEqual(expect.arrayContaining(["dynamodb:Query", "dynamodb:Scan", "dynamodb:GetItem"]));
      expect(bySid("NoDecryptButStateAndFunctionConfiguration")).toEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: ["kms:Decrypt"],
          Condition: {
            "ForAllValues:StringNotEquals": { "kms:ResourceAliases": "alias/acme-tfstate" },
            StringNotEquals: { "kms:ViaService": "lambda.eu-west-1.amazonaws.com" },
          },
        }),
      );
      expect(asList(bySid("NoSecretsOrLogData")!.Action)).toEqual(
        expect.arrayContaining(["secretsmanager:GetSecretValue", "ssm:GetParameter*", "logs:GetLogEvents", "logs:StartQuery"]),
      );
    });

    it("refuse a wildcard pull-request subject", () => {
      expect(() => synthRoles({ planSubject: "repo:acme/*:pull_request" })).toThrow(
        "subject (repo:acme/*:pull_request) must be an exact repo:<owner>/<repo>:... claim without wildcards",
      );
    });
  });

  it.each(["repo:acme/*:environment:dev", "acme/platform"])("fails on the subject %s", (subject) => {
    expect(() => synthRoles({ roles: [{ ...dev, subject }] })).toThrow(
      `subject (${subject}) must be an exact repo:<owner>/<repo>:... claim without wildcards`,
    );
  });
});
