/**
 * What a deploy role must never be able to do, as authorization checks: escalate through IAM
 * (its own or another CI role's policies and trust, a boundary, the OIDC provider, a role
 * without the boundary, users and keys) or move a resource into another environment. The same
 * list is asked of any role a deploy role can create (the boundary must hold it).
 */
import type { Check } from "./requests";

/** The CI identities of the account, read from the synthesized account stack. */
export interface CiIdentities {
  readonly accountId: string;
  readonly region: string;
  /** Deploy role name per environment. */
  readonly deployRoles: Readonly<Record<string, string>>;
  /** Plan role name per environment. */
  readonly planRoles: Readonly<Record<string, string>>;
  /** Customer managed policy names per environment: its boundary and its deploy role's grants. */
  readonly policies: Readonly<Record<string, readonly string[]>>;
  /** Boundary policy name per environment. */
  readonly boundaries: Readonly<Record<string, string>>;
  readonly oidcProvider: string;
  /** Name prefix per environment (`acme-dev`). */
  readonly namePrefixes: Readonly<Record<string, string>>;
}

export interface ForbiddenCase {
  readonly name: string;
  readonly check: Check;
}

const check = (action: string, resource: string, context: Check["context"], because: string): Check => ({ action, resource, context, because });

/** The forbidden cases for a principal of `environment`. */
export function escalationCases(ci: CiIdentities, environment: string): ForbiddenCase[] {
  const { accountId: a, region } = ci;
  const role = (name: string) => `arn:aws:iam::${a}:role/${name}`;
  const policy = (name: string) => `arn:aws:iam::${a}:policy/${name}`;
  const base = { "aws:RequestedRegion": region };
  const own = ci.namePrefixes[environment] ?? environment;
  const ownBoundary = policy(ci.boundaries[environment] ?? "");
  const others = Object.keys(ci.namePrefixes).filter((env) => env !== environment);
  const cases: ForbiddenCase[] = [];
  const add = (name: string, c: Check) => cases.push({ name, check: c });

  for (const ciRole of [...Object.values(ci.deployRoles), ...Object.values(ci.planRoles)]) {
    add(`write an inline policy into CI role ${ciRole}`, check("iam:PutRolePolicy", role(ciRole), { ...base, "iam:PermissionsBoundary": ownBoundary }, "escalation"));
    add(`attach AdministratorAccess to CI role ${ciRole}`, check("iam:AttachRolePolicy", role(ciRole), { ...base, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess", "iam:PermissionsBoundary": ownBoundary }, "escalation"));
    add(`change the trust of CI role ${ciRole}`, check("iam:UpdateAssumeRolePolicy", role(ciRole), { ...base, "iam:PermissionsBoundary": ownBoundary }, "escalation"));
    add(`pass CI role ${ciRole} to Lambda`, check("iam:PassRole", role(ciRole), { ...base, "iam:PassedToService": "lambda.amazonaws.com" }, "escalation"));
    add(`assume CI role ${ciRole}`, check("sts:AssumeRole", role(ciRole), base, "escalation"));
  }
  for (const name of Object.values(ci.policies).flat()) {
    add(`rewrite policy ${name}`, check("iam:CreatePolicyVersion", policy(name), base, "escalation"));
    add(`make another version of ${name} the default`, check("iam:SetDefaultPolicyVersion", policy(name), base, "escalation"));
    add(`delete policy ${name}`, check("iam:DeletePolicy", policy(name), base, "escalation"));
  }
  add("create a role without a permissions boundary", check("iam:CreateRole", role(`${own}-escape`), base, "escalation"));
  add("create a role with AdministratorAccess as its boundary", check("iam:CreateRole", role(`${own}-escape`), { ...base, "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" }, "escalation"));
  add("remove the boundary of a workload role", check("iam:DeleteRolePermissionsBoundary", role(`${own}-instance`), { ...base, "iam:PermissionsBoundary": ownBoundary }, "escalation"));
  add("replace the boundary of a workload role", check("iam:PutRolePermissionsBoundary", role(`${own}-instance`), { ...base, "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" }, "escalation"));
  add("create an IAM user", check("iam:CreateUser", `arn:aws:iam::${a}:user/${own}-escape`, base, "escalation"));
  add("create an access key", check("iam:CreateAccessKey", `arn:aws:iam::${a}:user/${own}-escape`, base, "escalation"));
  add("change the OIDC provider's thumbprints", check("iam:UpdateOpenIDConnectProviderThumbprint", `arn:aws:iam::${a}:oidc-provider/${ci.oidcProvider}`, base, "escalation"));
  add("delete the OIDC provider", check("iam:DeleteOpenIDConnectProvider", `arn:aws:iam::${a}:oidc-provider/${ci.oidcProvider}`, base, "escalation"));
  for (const other of others) {
    const theirs = ci.namePrefixes[other] ?? other;
    const tagged = { ...base, "aws:ResourceTag/Environment": other };
    // Writes the dev deploy role makes on its own resources, aimed at another environment's: named with its prefix and carrying its tag.
    const writes: Array<[string, string, string]> = [
      ["delete a security group of", "ec2:DeleteSecurityGroup", `arn:aws:ec2:${region}:${a}:security-group/sg-0123456789abcdef0`],
      ["open ingress on a security group of", "ec2:AuthorizeSecurityGroupIngress", `arn:aws:ec2:${region}:${a}:security-group/sg-0123456789abcdef0`],
      ["delete a route table of", "ec2:DeleteRouteTable", `arn:aws:ec2:${region}:${a}:route-table/rtb-0123456789abcdef0`],
      ["change the service of", "ecs:UpdateService", `arn:aws:ecs:${region}:${a}:service/${theirs}-cluster/${theirs}-backend`],
      ["switch off deletion protection of the load balancer of", "elasticloadbalancing:ModifyLoadBalancerAttributes", `arn:aws:elasticloadbalancing:${region}:${a}:loadbalancer/app/${theirs}-alb/0123456789abcdef`],
      ["resize the Auto Scaling group of", "autoscaling:UpdateAutoScalingGroup", `arn:aws:autoscaling:${region}:${a}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${theirs}-ecs`],
      ["delete the REST API of", "apigateway:DELETE", `arn:aws:apigateway:${region}::/restapis/a1b2c3d4e5`],
      ["delete the web ACL of", "wafv2:DeleteWebACL", `arn:aws:wafv2:${region}:${a}:regional/webacl/${theirs}-alb/00000000-0000-0000-0000-000000000000`],
      ["delete a table of", "dynamodb:DeleteTable", `arn:aws:dynamodb:${region}:${a}:table/${theirs}-tips`],
      ["replace the code of a function of", "lambda:UpdateFunctionCode", `arn:aws:lambda:${region}:${a}:function:${theirs}-tips-list`],
      ["delete a log group of", "logs:DeleteLogGroup", `arn:aws:logs:${region}:${a}:log-group:/aws/ecs/${theirs}-backend`],
      ["delete an alarm of", "cloudwatch:DeleteAlarms", `arn:aws:cloudwatch:${region}:${a}:alarm:${theirs}-alb-5xx`],
      ["push an image into the repository of", "ecr:PutImage", `arn:aws:ecr:${region}:${a}:repository/${theirs}-backend`],
    ];
    for (const [what, action, resource] of writes) add(`${what} ${other}`, check(action, resource, tagged, "cross-environment"));
    add(`re-tag one of its VPCs into ${other}`, check("ec2:CreateTags", `arn:aws:ec2:${region}:${a}:vpc/vpc-0123456789abcdef0`, { ...base, "aws:ResourceTag/Environment": environment, "aws:RequestTag/Environment": other, "aws:TagKeys": ["Environment"] }, "cross-environment"));
    // The key policy every key of the platform has (the account's IAM policies decide), so IAM alone is judged.
    const keyPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${a}:root` }, Action: "kms:*", Resource: "*" }] };
    add(`take over a KMS key of ${other}`, {
      ...check("kms:TagResource", `arn:aws:kms:${region}:${a}:key/00000000-0000-0000-0000-000000000000`, { ...base, "aws:ResourceTag/Environment": other, "aws:RequestTag/Environment": environment, "aws:TagKeys": ["Environment"] }, "cross-environment"),
      resourcePolicy: keyPolicy,
    });
  }
  return cases;
}
