/**
 * IAM policy documents as typed objects, rendered to JSON at synth time. ARNs of resources in
 * the same stack appear as `${...}` references inside the JSON string, so no data source is
 * needed (keeps `plan` offline) and tests can `JSON.parse` every policy.
 */
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct, type IConstruct } from "constructs";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string | string[]> | "*";
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** Session Manager's channel actions: no resource-level permissions. */
export const SESSION_CHANNEL_ACTIONS = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "ec2messages:AcknowledgeMessage",
  "ec2messages:DeleteMessage",
  "ec2messages:FailMessage",
  "ec2messages:GetEndpoint",
  "ec2messages:GetMessages",
  "ec2messages:SendReply",
] as const;

/** X-Ray's write actions: no resource-level permissions. */
export const XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] as const;

/**
 * Every action this project allows on `Resource: "*"`, because IAM offers no resource-level
 * permissions for it (Service Authorization Reference). The policy rule iam-no-wildcard-resource
 * refuses any other action on "*" at synth (stacks/app.ts hands it this list).
 */
export const ACTIONS_WITHOUT_RESOURCE_SCOPE: ReadonlySet<string> = new Set([
  ...SESSION_CHANNEL_ACTIONS,
  ...XRAY_WRITE_ACTIONS,
  "ecr:GetAuthorizationToken",
  "ecs:DiscoverPollEndpoint",
  "iam:GetAccountPasswordPolicy",
  "iam:ListVirtualMFADevices",
]);

/** An Allow on `Resource: "*"` for actions that cannot be scoped (ACTIONS_WITHOUT_RESOURCE_SCOPE). */
export function unscopedStatement(sid: string, actions: readonly string[]): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: [...actions], Resource: "*" };
}

/** Renders statements as a policy document string for `policy` / `assume_role_policy` arguments. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy letting one AWS service assume a role, limited to calls on behalf of `accountId`. */
export function serviceTrustPolicy(service: string, accountId: string, sourceArnLike?: string): string {
  const condition: Record<string, Record<string, string>> = { StringEquals: { "aws:SourceAccount": accountId } };
  if (sourceArnLike) condition.ArnLike = { "aws:SourceArn": sourceArnLike };
  return policyDocument([
    { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: condition },
  ]);
}

/** Denies every S3 request to `bucketArn` and its objects that does not arrive over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** A construct with an IAM role that grants attach inline policies to. */
export interface Grantable extends IConstruct {
  readonly role: IamRole;
}

/**
 * Attaches `statements` to the grantee's role as the inline policy `name` (unique per role).
 * The policy is created inside the grantee, so it is destroyed with it.
 */
export function attachPolicy(grantee: Grantable, name: string, statements: readonly PolicyStatement[]): IamRolePolicy {
  return new IamRolePolicy(grantee, `policy-${name}`, {
    name,
    role: grantee.role.id,
    policy: policyDocument(statements),
  });
}

/** A grantee for a role that has no construct of its own, such as a task's execution role. */
export class RoleGrantee extends Construct implements Grantable {
  constructor(
    scope: Construct,
    id: string,
    readonly role: IamRole,
  ) {
    super(scope, id);
  }
}
