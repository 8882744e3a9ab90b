import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { attachPolicy, denyInsecureTransport, policyDocument, RoleGrantee, serviceTrustPolicy, unscopedStatement, type PolicyStatement } from "../../../modules/core/iam";
import { entries, reference, resource, resources, statements, synthConstruct, testApp } from "../../support/synth";

const READ: PolicyStatement = { Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
const WRITE: PolicyStatement = { Sid: "Write", Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::b/*" };

const newRole = (scope: Construct, id: string): IamRole =>
  new IamRole(scope, id, { name: id, assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", "123456789012") });

describe("policyDocument", () => {
  it("renders a 2012-10-17 policy with the statements in order", () => {
    const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" } as const;
    expect(JSON.parse(policyDocument([statement, { ...statement, Effect: "Deny" }]))).toEqual({
      Version: "2012-10-17",
      Statement: [statement, { ...statement, Effect: "Deny" }],
    });
  });
});

describe("serviceTrustPolicy", () => {
  it("lets one service assume the role on behalf of one account", () => {
    expect(JSON.parse(serviceTrustPolicy("ecs-tasks.amazonaws.com", "123456789012")).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });

  it("also pins the source ARN when given", () => {
    const [statement] = JSON.parse(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", "123456789012", "arn:aws:ec2:*")).Statement;
    expect(statement.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:ec2:*" },
    });
  });
});

describe("denyInsecureTransport", () => {
  it("denies every S3 action on the bucket and its objects without TLS", () => {
    expect(denyInsecureTransport("arn:aws:s3:::b")).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });
});

describe("RoleGrantee", () => {
  it("exposes the role it wraps, so grants reach a role without a construct of its own", () => {
    const stack = new TerraformStack(testApp(), "test");
    const role = newRole(stack, "execution");
    const grantee = new RoleGrantee(stack, "grantee", role);
    expect(grantee.role).toBe(role);
  });

  it("creates no resource of its own", () => {
    const json = synthConstruct((scope) => {
      new RoleGrantee(scope, "grantee", newRole(scope, "execution"));
    });
    expect(Object.keys(json.resource ?? {})).toEqual([IamRole.tfResourceType]);
  });
});

describe("attachPolicy", () => {
  it("attaches the statements as one inline policy named `name` on the grantee's role", () => {
    const json = synthConstruct((scope) => {
      attachPolicy(new RoleGrantee(scope, "grantee", newRole(scope, "execution")), "read-write", [READ, WRITE]);
    });
    const [roleId] = entries(json, IamRole)[0]!;
    const policy = resource(json, IamRolePolicy);
    expect(policy).toEqual(expect.objectContaining({ name: "read-write", role: reference(IamRole, roleId) }));
    expect(JSON.parse(policy.policy as string)).toEqual({ Version: "2012-10-17", Statement: [READ, WRITE] });
  });

  it("creates the policy inside the grantee, so it goes with it", () => {
    const stack = new TerraformStack(testApp(), "test");
    const grantee = new RoleGrantee(stack, "grantee", newRole(stack, "execution"));
    const policy = attachPolicy(grantee, "logs", [READ]);
    expect(policy).toBeInstanceOf(IamRolePolicy);
    expect(policy.node.scope).toBe(grantee);
    expect(policy.node.id).toBe("policy-logs");
  });

  it("keeps separate policies for separate names on one role", () => {
    const json = synthConstruct((scope) => {
      const grantee = new RoleGrantee(scope, "grantee", newRole(scope, "execution"));
      attachPolicy(grantee, "read", [READ]);
      attachPolicy(grantee, "write", [WRITE]);
    });
    const policies = resources(json, IamRolePolicy);
    expect(policies.map((policy) => policy.name)).toEqual(["read", "write"]);
    expect(policies.map((policy) => statements(policy.policy))).toEqual([[READ], [WRITE]]);
  });

  it("fails when the same name is attached twice to one grantee", () => {
    expect(() =>
      synthConstruct((scope) => {
        const grantee = new RoleGrantee(scope, "grantee", newRole(scope, "execution"));
        attachPolicy(grantee, "read", [READ]);
        attachPolicy(grantee, "read", [WRITE]);
      }),
    ).toThrow(/There is already a Construct with name 'policy-read'/);
  });
});

describe("unscopedStatement", () => {
  it("allows actions without resource-level permissions on *", () => {
    expect(unscopedStatement("WriteTraces", ["xray:PutTraceSegments"])).toEqual({
      Sid: "WriteTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments"],
      Resource: "*",
    });
  });
});
