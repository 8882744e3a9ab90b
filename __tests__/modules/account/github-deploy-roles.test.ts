import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { describe, expect, it } from "vitest";
import { GithubDeployRoles, type DeployRoleDefinition, type GithubDeployRolesProps } from "../../../modules/account/github-deploy-roles";
import { ACTIONS_WITHOUT_RESOURCE_SCOPE } from "../../../modules/core/iam";
import { asList, referenceTo, resource, resources, type StackJson, statements, synthConstruct } from "../../support/synth";

const ACCOUNT = "123456789012";
const state = { bucket: "acme-tfstate", keyPrefix: "dev", lockTable: "acme-tfstate-lock", region: "eu-west-1", kmsKeyAlias: "acme-tfstate" };
const dev: DeployRoleDefinition = { environment: "dev", namePrefix: "acme-dev", subject: "repo:acme/platform:environment:dev", state };
const synthRoles = (props: Partial<GithubDeployRolesProps> = {}): StackJson =>
  synthConstruct((scope) => new GithubDeployRoles(scope, "deploy", { accountId: ACCOUNT, region: "eu-west-1", roles: [dev], ...props }));
const policyNamed = (json: StackJson, name: string) => statements(resources(json, IamRolePolicy).find((body) => body.name === name)!.policy);

describe("GithubDeployRoles", () => {
  describe("defaults", () => {
    const json = synthRoles();
    const deploy = policyNamed(json, "deploy");

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

    it("reads and writes only the environment's own state objects, locks and state key", () => {
      expect(policyNamed(json, "terraform-state")).toEqual([
        {
          Sid: "ListOwnStateKeys",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::acme-tfstate",
          Condition: { StringLike: { "s3:prefix": ["dev/*"] } },
        },
        { Sid: "ReadWriteOwnState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::acme-tfstate/dev/*" },
        {
          Sid: "LockOwnState",
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
          Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/acme-tfstate-lock`,
          Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["acme-tfstate/dev/*"] } },
        },
        {
          Sid: "UseStateKey",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
          Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`,
          Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/acme-tfstate" } },
        },
      ]);
    });

    it('allows Resource "*" only for actions without resource-level permissions, in the region only', () => {
      const unscoped = deploy.filter((statement) => asList(statement.Resource).includes("*"));
      expect(unscoped).toHaveLength(1);
      expect(unscoped[0]!.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": "eu-west-1" } });
      for (const action of asList(unscoped[0]!.Action)) expect(ACTIONS_WITHOUT_RESOURCE_SCOPE.has(String(action)), String(action)).toBe(true);
    });

    it("scopes every other statement to the account (or AWS-owned images and API paths of the region)", () => {
      for (const statement of deploy.filter((statement) => !asList(statement.Resource).includes("*"))) {
        for (const arn of asList(statement.Resource)) {
          expect(String(arn), String(statement.Sid)).toMatch(
            new RegExp(`^arn:aws:([a-z0-9-]+:(eu-west-1)?:${ACCOUNT}:|s3:::acme-dev-|ec2:eu-west-1::image/|apigateway:eu-west-1::/)`),
          );
        }
      }
    });

    it("grants no service-wide or Action * permission", () => {
      for (const statement of deploy) {
        for (const action of asList(statement.Action)) expect(String(action)).not.toMatch(/(^\*$|:\*$)/);
      }
    });

    it("limits IAM to the environment's role names and passes roles only to the services that run them", () => {
      const roles = deploy.find((statement) => statement.Sid === "ManageRoles")!;
      expect(roles.Resource).toEqual([`arn:aws:iam::${ACCOUNT}:role/acme-dev-*`, `arn:aws:iam::${ACCOUNT}:instance-profile/acme-dev-*`]);
      expect(asList(roles.Action)).not.toContain("iam:AttachRolePolicy");
      expect(deploy.find((statement) => statement.Sid === "PassRolesToServices")).toEqual({
        Sid: "PassRolesToServices",
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: [`arn:aws:iam::${ACCOUNT}:role/acme-dev-*`],
        Condition: {
          StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "vpc-flow-logs.amazonaws.com"] },
        },
      });
    });

    it("manages only keys tagged with its environment (never the state key)", () => {
      expect(deploy.find((statement) => statement.Sid === "ManageEnvironmentKeys")?.Condition).toEqual({
        StringEquals: { "aws:ResourceTag/Environment": "dev" },
      });
    });

    it("manages the observability layer: its dashboard, metric filters and saved queries", () => {
      const sid = (name: string) => deploy.find((statement) => statement.Sid === name)!;
      expect(asList(sid("ManageAlarmsAndDashboards").Resource)).toContain(`arn:aws:cloudwatch::${ACCOUNT}:dashboard/acme-dev`);
      expect(asList(sid("ManageLogGroups").Action)).toEqual(expect.arrayContaining(["logs:PutMetricFilter", "logs:DeleteMetricFilter"]));
      expect(asList(sid("DiscoverAndCreateUnscoped").Action)).toEqual(
        expect.arrayContaining(["logs:PutQueryDefinition", "logs:DeleteQueryDefinition", "logs:DescribeQueryDefinitions"]),
      );
    });

    it("keeps each inline policy under IAM's 10,240-character limit", () => {
      for (const policy of resources(json, IamRolePolicy)) expect(String(policy.policy).length).toBeLessThan(10_240);
    });
  });

  it("makes one role per environment with its own subject", () => {
    const prod: DeployRoleDefinition = { environment: "prod", namePrefix: "acme-prod", subject: "repo:acme/platform:ref:refs/heads/main", state: { ...state, keyPrefix: "prod" } };
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
      expect(resource(json, IamRolePolicyAttachment)).toEqual(expect.objectContaining({ policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
      const allowed = plan.filter((statement) => statement.Effect === "Allow").flatMap((statement) => asList(statement.Action));
      expect(allowed.sort()).toEqual(["dynamodb:GetItem", "kms:Decrypt", "kms:DescribeKey", "s3:GetObject"]);
    });

    it("read their own state and digest only", () => {
      expect(bySid("ReadOwnState")).toEqual(expect.objectContaining({ Resource: "arn:aws:s3:::acme-tfstate/dev/*" }));
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
      expect(bySid("NoDecryptButState")).toEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: ["kms:Decrypt"],
          Condition: { "ForAllValues:StringNotEquals": { "kms:ResourceAliases": "alias/acme-tfstate" } },
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
