/**
 * What the CI roles of one environment may do, as policy statements: the deploy role's grants
 * (scoped to the environment by name where AWS puts names in ARNs, and by the `Environment` tag
 * where it does not), the guard rails every deploy role carries (no write on CI roles, the
 * boundary or the OIDC provider; every role it creates carries the boundary), the read-only plan
 * role's extras, and the permissions boundary of the roles the environment's stacks create.
 *
 * Proven by the IAM tier (`npm run e2e`): every call Terraform makes applying, re-planning and
 * destroying each layer is judged against these statements with a real evaluator, and every
 * write the deploy role made, aimed at another environment, must be denied.
 */
import type { PolicyStatement } from "../core/iam";

/** One environment's scope: names, tags and where its state lives. */
export interface EnvironmentScope {
  readonly accountId: string;
  /** Region the environment deploys into. */
  readonly region: string;
  /** Environment name: the value of the `Environment` tag its resources carry. */
  readonly environment: string;
  /** Prefix of every physical name of the environment (`acme-dev`). */
  readonly namePrefix: string;
  /** Prefix shared by the project's names in every environment (`acme`): image promotion reads its repositories. */
  readonly projectPrefix: string;
  /** Name of the environment's permissions boundary policy. */
  readonly boundaryName: string;
  readonly state: {
    readonly bucket: string;
    readonly keyPrefix: string;
    readonly lockTable: string;
    readonly region: string;
    readonly kmsKeyAlias: string;
  };
  /**
   * DNS names the environment serves (its load balancer's and API's domains): the only names whose
   * records, certificates and API custom domains its deploy role may manage.
   * @default - none: no Route 53, ACM or API custom domain permissions
   */
  readonly domainNames?: readonly string[];
}

/** What no deploy role may touch: the CI roles of every environment, every boundary, the OIDC provider. */
export interface GuardedIdentities {
  /** ARNs of every deploy and plan role of the account. */
  readonly ciRoleArns: readonly string[];
  /** ARNs of every customer managed policy of the CI roles and every permissions boundary. */
  readonly boundaryArns: readonly string[];
  /** The GitHub OIDC provider's ARN (or `${...}` reference). */
  readonly oidcProviderArn: string;
  /** The boundary every role this environment's deploy role creates must carry. */
  readonly boundaryArn: string;
}

const allow = (sid: string, action: string[], resource: string[], condition?: PolicyStatement["Condition"]): PolicyStatement => ({
  Sid: sid,
  Effect: "Allow",
  Action: action,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});
const deny = (sid: string, action: string[], resource: string[], condition?: PolicyStatement["Condition"]): PolicyStatement => ({
  Sid: sid,
  Effect: "Deny",
  Action: action,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});
const of = (service: string, verbs: readonly string[]): string[] => verbs.map((verb) => `${service}:${verb}`);

/** Log group names of an environment: `/aws/lambda/acme-dev-x`, `/ecs/acme-dev-x`, `/aws/vpc/acme-dev/flow-logs`, `aws-waf-logs-acme-dev`. */
function logGroups(scope: EnvironmentScope): string[] {
  const { accountId: a, region: r, namePrefix: n } = scope;
  return [`*${n}`, `*${n}-*`, `*${n}/*`].flatMap((name) => [`arn:aws:logs:${r}:${a}:log-group:${name}`, `arn:aws:logs:${r}:${a}:log-group:${name}:*`]);
}

/** Read and write of the environment's own state objects, lock items and state key. */
export function stateStatements(scope: EnvironmentScope, write: boolean): PolicyStatement[] {
  const { state, accountId } = scope;
  const bucketArn = `arn:aws:s3:::${state.bucket}`;
  const lockTable = `arn:aws:dynamodb:${state.region}:${accountId}:table/${state.lockTable}`;
  return [
    // env:/ is where Terraform looks for workspaces on every init and plan; none are used.
    allow("ListOwnStateKeys", ["s3:ListBucket"], [bucketArn], { StringLike: { "s3:prefix": [`${state.keyPrefix}/*`, "env:/*"] } }),
    // DeleteObject: the S3-native lock file (`use_lockfile`) is removed on unlock.
    allow(write ? "ReadWriteOwnState" : "ReadOwnState", write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"], [`${bucketArn}/${state.keyPrefix}/*`]),
    allow(
      write ? "LockOwnState" : "ReadOwnStateDigest",
      write ? ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"] : ["dynamodb:GetItem"],
      [lockTable],
      // Lock and digest items are keyed `<bucket>/<key>`: only this environment's.
      { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${state.bucket}/${state.keyPrefix}/*`] } },
    ),
    allow(
      write ? "UseStateKey" : "DecryptState",
      write ? ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"] : ["kms:Decrypt", "kms:DescribeKey"],
      [`arn:aws:kms:${state.region}:${accountId}:key/*`],
      { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${state.kmsKeyAlias}` } },
    ),
  ];
}

/**
 * The deploy role's grants for the services the environment's stacks manage. Resources whose ARN
 * carries a name are scoped to the environment's name prefix; resources named by id only (EC2,
 * KMS keys, REST APIs, scalable targets, execution log groups) are created only with the
 * environment's `Environment` tag and changed only while they carry it (ABAC).
 */
export function deployStatements(scope: EnvironmentScope): PolicyStatement[] {
  const { accountId: a, region: r, namePrefix: n, environment } = scope;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${r}:${a}:${resource}`;
  const requestTagged = { StringEquals: { "aws:RequestTag/Environment": environment, "aws:RequestedRegion": r } };
  const resourceTagged = { StringEquals: { "aws:ResourceTag/Environment": environment } };
  // EC2 resource types the network and platform layers create and change.
  const ec2Types = ["vpc", "subnet", "route-table", "internet-gateway", "natgateway", "elastic-ip", "security-group", "security-group-rule", "network-acl", "vpc-endpoint", "vpc-flow-log", "launch-template", "instance", "volume", "network-interface"];
  const ec2Resources = ec2Types.map((type) => arn("ec2", `${type}/*`));
  const ec2Writes = ["Create*", "Delete*", "Modify*", "Associate*", "Disassociate*", "Attach*", "Detach*", "Authorize*", "Revoke*", "Replace*", "Release*", "Allocate*", "UpdateSecurityGroupRuleDescriptions*", "RunInstances", "CreateTags", "DeleteTags"];
  return [
    // Reads: AWS offers no resource-level permissions for Describe/List calls of these services.
    allow(
      "ReadWithoutResourceScope",
      [
        "ec2:Describe*", "ec2:Get*", "elasticloadbalancing:Describe*", "autoscaling:Describe*", "application-autoscaling:Describe*",
        "ecs:Describe*", "ecs:List*", "ecr:DescribeRepositories", "ecr:GetAuthorizationToken", "kms:ListAliases", "kms:DescribeKey",
        "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:DescribeQueryDefinitions", "logs:GetLogDelivery", "logs:ListLogDeliveries",
        "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic",
        "wafv2:GetWebACLForResource", "wafv2:ListWebACLs", "lambda:GetAccountSettings", "apigateway:GET", "iam:GetRole", "iam:GetInstanceProfile",
        "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:GetRolePolicy", "iam:ListInstanceProfilesForRole", "iam:GetPolicy", "iam:GetPolicyVersion",
      ],
      ["*"],
    ),

    // EC2 (VPC, subnets, routes, gateways, endpoints, flow logs, security groups, launch templates): ids only in ARNs.
    allow("CreateEc2TaggedForEnvironment", of("ec2", ["Create*", "Allocate*", "RunInstances"]), ec2Resources, requestTagged),
    allow("ChangeEc2OfEnvironment", of("ec2", ec2Writes), ec2Resources, resourceTagged),
    // A launch template's instances are launched by the Auto Scaling group: only through a template of the environment (checked above).
    allow("LaunchFromTemplatesOnly", ["ec2:RunInstances"], [arn("ec2", "instance/*"), arn("ec2", "volume/*"), arn("ec2", "network-interface/*"), `arn:aws:ec2:${r}::image/*`], {
      ArnLike: { "ec2:LaunchTemplate": arn("ec2", "launch-template/*") },
    }),
    // AWS creates a VPC's default security group untagged; Terraform adopts it (aws_default_security_group)
    // by tagging it first. Claiming is limited to security groups without an Environment tag.
    allow("ClaimUntaggedDefaultSecurityGroup", ["ec2:CreateTags"], [arn("ec2", "security-group/*")], {
      Null: { "aws:ResourceTag/Environment": "true" },
      StringEquals: { "aws:RequestTag/Environment": environment },
    }),
    // Public SSM parameters of the ECS-optimized AMIs, read by EC2 for a launch template's resolve:ssm: image.
    allow("ResolveEcsAmiParameters", ["ssm:GetParameters", "ssm:GetParameter"], [`arn:aws:ssm:${r}::parameter/aws/service/ecs/*`]),

    // Load balancers and target groups: names in ARNs.
    allow(
      "ManageLoadBalancers",
      of("elasticloadbalancing", ["Create*", "Delete*", "Modify*", "Set*", "AddTags", "RemoveTags", "RegisterTargets", "DeregisterTargets"]),
      [arn("elasticloadbalancing", `loadbalancer/app/${n}/*`), arn("elasticloadbalancing", `targetgroup/${n}-*/*`), arn("elasticloadbalancing", `listener/app/${n}/*`), arn("elasticloadbalancing", `listener-rule/app/${n}/*`)],
    ),
    // SetWebAcl has no resource-level permissions; wafv2:AssociateWebACL, checked with it, is scoped to the environment's ACL and load balancer.
    allow("AttachWebAclToLoadBalancer", ["elasticloadbalancing:SetWebAcl"], ["*"]),
    allow(
      "ManageAutoScalingGroup",
      of("autoscaling", ["CreateAutoScalingGroup", "UpdateAutoScalingGroup", "DeleteAutoScalingGroup", "CreateOrUpdateTags", "DeleteTags", "EnableMetricsCollection", "DisableMetricsCollection", "SetInstanceProtection", "PutLifecycleHook", "DeleteLifecycleHook", "PutWarmPool", "DeleteWarmPool", "SuspendProcesses", "ResumeProcesses"]),
      [arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${n}-*`)],
    ),
    allow("RegisterScalableTargetsForEnvironment", of("application-autoscaling", ["RegisterScalableTarget", "TagResource"]), [arn("application-autoscaling", "scalable-target/*")], requestTagged),
    allow(
      "ManageScalableTargetsOfEnvironment",
      of("application-autoscaling", ["RegisterScalableTarget", "DeregisterScalableTarget", "PutScalingPolicy", "DeleteScalingPolicy", "PutScheduledAction", "DeleteScheduledAction", "TagResource", "UntagResource", "ListTagsForResource"]),
      [arn("application-autoscaling", "scalable-target/*")],
      resourceTagged,
    ),
    // Application Auto Scaling creates and deletes target tracking alarms as the caller, named TargetTracking-<resource id>-...
    allow("ManageTargetTrackingAlarms", of("cloudwatch", ["PutMetricAlarm", "DeleteAlarms", "DescribeAlarms"]), [arn("cloudwatch", `alarm:TargetTracking-service/${n}/*`)]),

    // ECS: cluster, services, task definition families and capacity providers by name.
    allow(
      "ManageEcs",
      of("ecs", ["CreateCluster", "DeleteCluster", "UpdateCluster", "UpdateClusterSettings", "PutClusterCapacityProviders", "CreateService", "UpdateService", "DeleteService", "RegisterTaskDefinition", "DeleteTaskDefinitions", "CreateCapacityProvider", "UpdateCapacityProvider", "DeleteCapacityProvider", "TagResource", "UntagResource"]),
      [arn("ecs", `cluster/${n}`), arn("ecs", `service/${n}/*`), arn("ecs", `task-definition/${n}-*:*`), arn("ecs", `capacity-provider/${n}-*`), arn("ecs", `container-instance/${n}/*`), arn("ecs", `task/${n}/*`)],
    ),
    // ecs:DeregisterTaskDefinition has no resource-level permissions: a deploy role can mark another
    // environment's revisions inactive (its running tasks and services keep them; only new uses stop).
    allow("DeregisterTaskDefinitionsWithoutResourceScope", ["ecs:DeregisterTaskDefinition"], ["*"], { StringEquals: { "aws:RequestedRegion": r } }),
    allow(
      "ManageAndPushRepositories",
      of("ecr", ["CreateRepository", "DeleteRepository", "PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy", "PutImageScanningConfiguration", "PutImageTagMutability", "SetRepositoryPolicy", "GetRepositoryPolicy", "DeleteRepositoryPolicy", "TagResource", "UntagResource", "ListTagsForResource", "DescribeImages", "ListImages", "BatchDeleteImage", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "PutImage", "BatchCheckLayerAvailability", "BatchGetImage", "GetDownloadUrlForLayer"]),
      [arn("ecr", `repository/${n}-*`)],
    ),
    // Image promotion copies the digest a lower environment runs: pull (never push) the project's repositories.
    allow("PullProjectImagesForPromotion", of("ecr", ["BatchGetImage", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability", "DescribeImages"]), [arn("ecr", `repository/${scope.projectPrefix}-*`)]),

    allow(
      "ManageTables",
      of("dynamodb", ["CreateTable", "DeleteTable", "DescribeTable", "UpdateTable", "DescribeContinuousBackups", "UpdateContinuousBackups", "DescribeTimeToLive", "UpdateTimeToLive", "TagResource", "UntagResource", "ListTagsOfResource"]),
      [arn("dynamodb", `table/${n}-*`)],
    ),
    allow(
      "ManageFunctions",
      of("lambda", ["CreateFunction", "DeleteFunction", "GetFunction", "GetFunctionConfiguration", "UpdateFunctionCode", "UpdateFunctionConfiguration", "PutFunctionConcurrency", "DeleteFunctionConcurrency", "AddPermission", "RemovePermission", "GetPolicy", "ListVersionsByFunction", "GetFunctionCodeSigningConfig", "PublishVersion", "TagResource", "UntagResource", "ListTags"]),
      [arn("lambda", `function:${n}-*`)],
    ),

    // REST APIs are named by id: created only with the environment's tag, changed only while the API (or its stage) carries it.
    allow("CreateRestApisTaggedForEnvironment", ["apigateway:POST"], [`arn:aws:apigateway:${r}::/restapis`], { StringEquals: { "aws:RequestTag/Environment": environment } }),
    // SetWebACL: associating the stage's web ACL (wafv2:AssociateWebACL) is also authorized on the stage.
    allow("ManageRestApisOfEnvironment", of("apigateway", ["GET", "POST", "PUT", "PATCH", "DELETE", "SetWebACL"]), [`arn:aws:apigateway:${r}::/restapis/*`, `arn:aws:apigateway:${r}::/tags/*`], resourceTagged),

    allow(
      "ManageLogGroups",
      of("logs", ["CreateLogGroup", "DeleteLogGroup", "PutRetentionPolicy", "DeleteRetentionPolicy", "AssociateKmsKey", "DisassociateKmsKey", "TagResource", "UntagResource", "ListTagsForResource", "TagLogGroup", "UntagLogGroup", "ListTagsLogGroup", "PutMetricFilter", "DeleteMetricFilter", "DescribeMetricFilters"]),
      logGroups(scope),
    ),
    // API Gateway names a stage's execution log group API-Gateway-Execution-Logs_<api id>/<stage>: scoped by tag.
    allow("CreateExecutionLogGroupsTagged", of("logs", ["CreateLogGroup", "TagResource"]), [arn("logs", "log-group:API-Gateway-Execution-Logs_*")], requestTagged),
    allow(
      "ManageExecutionLogGroupsOfEnvironment",
      of("logs", ["DeleteLogGroup", "PutRetentionPolicy", "DeleteRetentionPolicy", "AssociateKmsKey", "DisassociateKmsKey", "TagResource", "UntagResource", "ListTagsForResource"]),
      [arn("logs", "log-group:API-Gateway-Execution-Logs_*")],
      resourceTagged,
    ),
    // No resource-level permissions exist for saved queries, log deliveries and the account's log resource
    // policies (WAF logging needs the latter two): a deploy role can change another environment's saved queries.
    allow(
      "LogsWithoutResourceScope",
      of("logs", ["PutQueryDefinition", "DeleteQueryDefinition", "CreateLogDelivery", "UpdateLogDelivery", "DeleteLogDelivery", "PutResourcePolicy", "DeleteResourcePolicy"]),
      ["*"],
      { StringEquals: { "aws:RequestedRegion": r } },
    ),

    allow(
      "ManageWebAcls",
      of("wafv2", ["CreateWebACL", "UpdateWebACL", "DeleteWebACL", "GetWebACL", "AssociateWebACL", "DisassociateWebACL", "PutLoggingConfiguration", "GetLoggingConfiguration", "DeleteLoggingConfiguration", "TagResource", "UntagResource", "ListTagsForResource"]),
      [arn("wafv2", `regional/webacl/${n}*/*`), arn("elasticloadbalancing", `loadbalancer/app/${n}/*`), `arn:aws:apigateway:${r}::/restapis/*/stages/*`],
    ),
    // A web ACL references AWS managed rule groups (vendor AWS): reading them has no environment.
    allow("UseManagedRuleGroups", ["wafv2:CreateWebACL", "wafv2:UpdateWebACL"], [arn("wafv2", "regional/managedruleset/*/*")]),

    allow(
      "ManageAlarmsAndDashboard",
      of("cloudwatch", ["PutMetricAlarm", "DeleteAlarms", "TagResource", "UntagResource", "PutDashboard", "GetDashboard", "DeleteDashboards"]),
      [arn("cloudwatch", `alarm:${n}-*`), `arn:aws:cloudwatch::${a}:dashboard/${n}`],
    ),
    allow(
      "ManageTopics",
      // Subscriptions are authorized on their topic (the catalogue's only SNS resource type).
      of("sns", ["CreateTopic", "DeleteTopic", "GetTopicAttributes", "SetTopicAttributes", "Subscribe", "Unsubscribe", "SetSubscriptionAttributes", "TagResource", "UntagResource", "ListTagsForResource"]),
      [arn("sns", `${n}-*`)],
    ),

    // KMS keys are named by id: created only with the environment's tag (tag-on-create needs kms:TagResource
    // on every key of the region, so it is limited to keys without a tag yet), used and changed only while tagged.
    allow("CreateKeysTaggedForEnvironment", ["kms:CreateKey"], ["*"], requestTagged),
    allow("TagNewKeys", ["kms:TagResource"], [arn("kms", "key/*")], {
      StringEquals: { "aws:RequestTag/Environment": environment },
      Null: { "aws:ResourceTag/Environment": "true" },
    }),
    allow(
      "UseAndManageKeysOfEnvironment",
      of("kms", ["GetKeyPolicy", "PutKeyPolicy", "GetKeyRotationStatus", "EnableKeyRotation", "ListResourceTags", "TagResource", "UntagResource", "ScheduleKeyDeletion", "Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "CreateGrant", "RetireGrant", "CreateAlias", "DeleteAlias", "UpdateAlias"]),
      [arn("kms", "key/*")],
      resourceTagged,
    ),
    allow("ManageKeyAliases", of("kms", ["CreateAlias", "DeleteAlias", "UpdateAlias"]), [arn("kms", `alias/${n}`), arn("kms", `alias/${n}-*`)]),

    allow(
      "ManageBuckets",
      of("s3", ["CreateBucket", "DeleteBucket", "ListBucket", "ListBucketVersions", "GetBucket*", "PutBucket*", "DeleteBucket*", "Get*Configuration", "Put*Configuration", "GetObject", "DeleteObject", "DeleteObjectVersion"]),
      [`arn:aws:s3:::${n}-*`, `arn:aws:s3:::${n}-*/*`],
    ),

    // IAM: workload roles of the environment, always under its boundary (see the guard rails).
    allow(
      "ManageBoundedWorkloadRoles",
      of("iam", ["CreateRole", "DeleteRole", "UpdateRole", "UpdateAssumeRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "PutRolePermissionsBoundary"]),
      [`arn:aws:iam::${a}:role/${n}-*`],
      { StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${a}:policy/${scope.boundaryName}` } },
    ),
    allow(
      "ManageInstanceProfiles",
      // Tags carry no iam:PermissionsBoundary context; CI roles are guarded by explicit denies.
      of("iam", ["CreateInstanceProfile", "DeleteInstanceProfile", "AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile", "TagInstanceProfile", "UntagInstanceProfile", "TagRole", "UntagRole", "ListRoleTags", "ListInstanceProfileTags"]),
      [`arn:aws:iam::${a}:instance-profile/${n}-*`, `arn:aws:iam::${a}:role/${n}-*`],
    ),
    allow("PassWorkloadRoles", ["iam:PassRole"], [`arn:aws:iam::${a}:role/${n}-*`], {
      StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "vpc-flow-logs.amazonaws.com"] },
    }),
    allow("CreateServiceLinkedRoles", ["iam:CreateServiceLinkedRole"], [`arn:aws:iam::${a}:role/aws-service-role/*`], {
      StringEquals: { "iam:AWSServiceName": ["ecs.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com", "ecs.application-autoscaling.amazonaws.com"] },
    }),
    ...domainStatements(scope),
  ];
}

/**
 * Route 53, ACM and API Gateway custom domains, for the environment's own DNS names only. The hosted
 * zone is shared (one zone, several environments' names) and looked up by name, so record changes
 * are scoped by the names they touch: the domain itself and the `_<token>.<domain>` ACM validation
 * records; certificates by the names they cover and the environment's tag.
 */
function domainStatements(scope: EnvironmentScope): PolicyStatement[] {
  const { accountId: a, region: r, environment } = scope;
  const names = [...(scope.domainNames ?? [])].sort();
  if (names.length === 0) return [];
  const apiDomains = names.flatMap((name) => [`arn:aws:apigateway:${r}::/domainnames/${name}`, `arn:aws:apigateway:${r}::/domainnames/${name}/*`]);
  return [
    // Looking a zone up by name has no resource-level permissions.
    allow("FindHostedZones", ["route53:ListHostedZones", "route53:ListHostedZonesByName"], ["*"]),
    allow("ReadHostedZones", of("route53", ["GetHostedZone", "ListResourceRecordSets", "ListTagsForResource"]), ["arn:aws:route53:::hostedzone/*"]),
    allow("ChangeOwnRecords", ["route53:ChangeResourceRecordSets"], ["arn:aws:route53:::hostedzone/*"], {
      "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": names.flatMap((name) => [name, `_*.${name}`]) },
      "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA", "CNAME"] },
    }),
    allow("WatchRecordChanges", ["route53:GetChange"], ["arn:aws:route53:::change/*"]),
    // RequestCertificate has no resource-level permissions: scoped by the names it covers, DNS validation and the tag.
    allow("RequestOwnCertificates", ["acm:RequestCertificate"], ["*"], {
      "ForAllValues:StringEquals": { "acm:DomainNames": names },
      StringEquals: { "acm:ValidationMethod": "DNS", "aws:RequestTag/Environment": environment, "aws:RequestedRegion": r },
    }),
    allow("TagNewCertificates", ["acm:AddTagsToCertificate"], [`arn:aws:acm:${r}:${a}:certificate/*`], { StringEquals: { "aws:RequestTag/Environment": environment } }),
    allow(
      "ManageOwnCertificates",
      of("acm", ["DescribeCertificate", "ListTagsForCertificate", "AddTagsToCertificate", "RemoveTagsFromCertificate", "DeleteCertificate"]),
      [`arn:aws:acm:${r}:${a}:certificate/*`],
      { StringEquals: { "aws:ResourceTag/Environment": environment } },
    ),
    // The name a POST creates is no condition key: a deploy role could create (never change or delete)
    // another environment's API domain name object, but never get it a certificate or a record.
    allow("CreateOwnApiDomains", ["apigateway:POST"], [`arn:aws:apigateway:${r}::/domainnames`], { StringEquals: { "aws:RequestTag/Environment": environment } }),
    allow("ManageOwnApiDomains", of("apigateway", ["GET", "POST", "PATCH", "DELETE"]), apiDomains),
  ];
}

/**
 * Explicit denies every deploy role carries, whatever else it is granted: it can never change a
 * CI role (its own included), a permissions boundary or the OIDC provider, never remove a boundary,
 * never create a principal that escapes one, and never re-tag a resource into another environment.
 */
export function guardStatements(scope: EnvironmentScope, guarded: GuardedIdentities): PolicyStatement[] {
  const { environment } = scope;
  return [
    deny("NoWriteOnCiRoles", ["iam:*"], [...guarded.ciRoleArns]),
    deny("NoPassingCiRoles", ["iam:PassRole", "sts:AssumeRole"], [...guarded.ciRoleArns]),
    deny("NoWriteOnBoundaries", of("iam", ["CreatePolicy", "CreatePolicyVersion", "DeletePolicy", "DeletePolicyVersion", "SetDefaultPolicyVersion", "TagPolicy", "UntagPolicy"]), [...guarded.boundaryArns]),
    deny("NoWriteOnOidcProvider", ["iam:*"], [guarded.oidcProviderArn]),
    deny("NoBoundaryRemoval", ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], ["*"]),
    deny("NoRoleWithoutTheBoundary", ["iam:CreateRole", "iam:PutRolePermissionsBoundary"], ["*"], {
      StringNotEquals: { "iam:PermissionsBoundary": guarded.boundaryArn },
    }),
    deny("NoUsersOrKeys", of("iam", ["CreateUser", "CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile", "AttachUserPolicy", "PutUserPolicy", "AddUserToGroup", "CreateGroup", "PutGroupPolicy", "AttachGroupPolicy"]), ["*"]),
    // ABAC rests on the Environment tag: it is set only to this environment and never removed.
    deny("NoRetaggingIntoAnotherEnvironment", ["ec2:CreateTags", "kms:TagResource", "logs:TagResource", "application-autoscaling:TagResource", "apigateway:PUT", "apigateway:POST"], ["*"], {
      StringNotEquals: { "aws:RequestTag/Environment": environment },
      Null: { "aws:RequestTag/Environment": "false" },
    }),
    deny("NoUntaggingEnvironment", ["ec2:DeleteTags", "kms:UntagResource", "logs:UntagResource", "application-autoscaling:UntagResource", "apigateway:DELETE"], ["*"], {
      "ForAnyValue:StringEquals": { "aws:TagKeys": ["Environment"] },
    }),
  ];
}

/**
 * The plan role's additions to AWS's ReadOnlyAccess: its state read-only, function configuration
 * readable through Lambda, and no data: objects, items, secrets, parameters, logs and decryption
 * outside the state and function configuration are denied.
 */
export function planStatements(scope: EnvironmentScope): PolicyStatement[] {
  const { state, accountId, region, environment } = scope;
  const stateObjects = `arn:aws:s3:::${state.bucket}/${state.keyPrefix}/*`;
  const lockTable = `arn:aws:dynamodb:${state.region}:${accountId}:table/${state.lockTable}`;
  const lambda = `lambda.${region}.amazonaws.com`;
  return [
    ...stateStatements(scope, false),
    // Lambda decrypts a function's environment for GetFunction as the caller; without it a refresh
    // fails or diffs forever. The environment holds configuration, never secrets.
    allow("ReadFunctionConfiguration", ["kms:Decrypt"], [`arn:aws:kms:${region}:${accountId}:key/*`], {
      StringEquals: { "kms:ViaService": lambda, "aws:ResourceTag/Environment": environment },
    }),
    { Sid: "NoObjectReadsButState", Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion"], NotResource: [stateObjects] },
    {
      Sid: "NoItemReads",
      Effect: "Deny",
      Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:GetRecords", "dynamodb:ExportTableToPointInTime"],
      NotResource: [lockTable],
    },
    {
      Sid: "NoDecryptButStateAndFunctionConfiguration",
      Effect: "Deny",
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: {
        "ForAllValues:StringNotEquals": { "kms:ResourceAliases": `alias/${state.kmsKeyAlias}` },
        StringNotEquals: { "kms:ViaService": lambda },
      },
    },
    deny("NoSecretsOrLogData", ["secretsmanager:GetSecretValue", "ssm:GetParameter*", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], ["*"]),
  ];
}

/**
 * The permissions boundary of every role an environment's stacks create (task, execution,
 * instance, function and flow-log roles): the most any of them can ever do, whatever policy the
 * deploy role writes into it. Everything is the environment's own; no IAM, no other environment.
 */
export function workloadBoundaryStatements(scope: EnvironmentScope): PolicyStatement[] {
  const { accountId: a, region: r, namePrefix: n, environment } = scope;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${r}:${a}:${resource}`;
  return [
    allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], logGroups(scope)),
    // X-Ray, registry login, the ECS agent's endpoint discovery and Session Manager's channels have no resource-level permissions.
    allow("WithoutResourceScope", ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "ecr:GetAuthorizationToken", "ecs:DiscoverPollEndpoint", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"], ["*"]),
    allow("OwnTables", of("dynamodb", ["GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "ConditionCheckItem", "DescribeTable"]), [arn("dynamodb", `table/${n}-*`), arn("dynamodb", `table/${n}-*/index/*`)]),
    allow("OwnKeys", of("kms", ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey"]), [arn("kms", "key/*")], { StringEquals: { "aws:ResourceTag/Environment": environment } }),
    allow("PullOwnImages", of("ecr", ["BatchGetImage", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability"]), [arn("ecr", `repository/${n}-*`)]),
    allow(
      "EcsAgentOnOwnCluster",
      of("ecs", ["RegisterContainerInstance", "DeregisterContainerInstance", "SubmitContainerStateChange", "SubmitTaskStateChange", "SubmitAttachmentStateChanges", "Poll", "StartTelemetrySession", "PutSystemLogEvents", "UpdateContainerInstancesState", "TagResource"]),
      [arn("ecs", `cluster/${n}`), arn("ecs", `container-instance/${n}/*`)],
    ),
    allow("SessionManagerRegistration", ["ssm:UpdateInstanceInformation"], [arn("ec2", "instance/*")]),
  ];
}
