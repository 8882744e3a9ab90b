import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import {
  attachPolicy,
  DEPLOY_ACTIONS_WITHOUT_RESOURCE_SCOPE,
  policyDocument,
  RoleGrantee,
  unscopedStatement,
  type PolicyStatement,
} from "../core/iam";

const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** Where one environment keeps its Terraform state (created by the bootstrap stack). */
export interface DeployStateLocation {
  readonly bucket: string;
  /** Prefix of the environment's state objects: the role may read and write `<keyPrefix>/*` only. */
  readonly keyPrefix: string;
  readonly lockTable: string;
  readonly region: string;
  /** Alias (without `alias/`) of the key that encrypts the state. */
  readonly kmsKeyAlias: string;
}

/** One environment's deploy role. */
export interface DeployRoleDefinition {
  /** Environment name: part of the role name, and the `Environment` tag its keys carry. */
  readonly environment: string;
  /** Prefix of every physical name of the environment (`acme-dev`): IAM, S3, ECR, Lambda... names are scoped to it. */
  readonly namePrefix: string;
  /** Exact OIDC `sub` claim allowed to assume the role, e.g. `repo:acme/platform:environment:dev`. */
  readonly subject: string;
  readonly state: DeployStateLocation;
}

export interface GithubDeployRolesProps {
  readonly accountId: string;
  /** Region the environments deploy into. */
  readonly region: string;
  readonly roles: readonly DeployRoleDefinition[];
  /**
   * The account's existing GitHub OIDC provider (IAM allows one per URL), used instead of creating one.
   * @default - the provider is created
   */
  readonly existingProviderArn?: string;
  /**
   * Exact OIDC `sub` of the pull-request workflows, e.g. `repo:acme/platform:pull_request`. When
   * set, each environment also gets a read-only plan role (`<namePrefix>-github-plan`) that such a
   * workflow can assume to run `terraform plan -lock=false`: AWS's ReadOnlyAccess to refresh
   * resources, its own state read-only, and an explicit deny on reading data (objects, items,
   * decryption) outside the state.
   * @default - no plan roles
   */
  readonly planSubject?: string;
  /**
   * Longest session a workflow gets; a deploy that runs longer must re-authenticate.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * Keyless CI deploys: the GitHub Actions OIDC provider and one role per environment that only a
 * workflow of the given repository and GitHub environment (or branch) can assume, with the
 * permissions its stacks need: read/write of its own state objects, locks and state key, and
 * management of the services the stacks use, scoped to the account, the region and, where the
 * service names resources, the environment's name prefix.
 */
export class GithubDeployRoles extends Construct {
  readonly providerArn: string;
  /** Deploy role per environment name. */
  readonly roles: ReadonlyMap<string, IamRole>;
  /** Read-only plan role per environment name; empty without `planSubject`. */
  readonly planRoles: ReadonlyMap<string, IamRole>;

  constructor(scope: Construct, id: string, props: GithubDeployRolesProps) {
    super(scope, id);
    for (const subject of [...props.roles.map((role) => role.subject), ...(props.planSubject ? [props.planSubject] : [])]) {
      // A wildcard in the subject would let any branch or fork-triggered workflow in.
      if (/[*?]/.test(subject) || !subject.startsWith("repo:")) {
        throw new Error(`subject (${subject}) must be an exact repo:<owner>/<repo>:... claim without wildcards`);
      }
    }
    this.providerArn =
      props.existingProviderArn ??
      new IamOpenidConnectProvider(this, "provider", {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: ["sts.amazonaws.com"],
        // IAM trusts GitHub's issuer through its own root CAs; the thumbprint is only a required
        // placeholder for this provider (AWS documentation, "Configuring a role for GitHub OIDC").
        thumbprintList: ["6938fd4d98bab03faadb97b34396831e3780aea1"],
      }).arn;

    const trustedBy = (subject: string): string =>
      policyDocument([
        {
          Sid: "GithubActionsOidc",
          Effect: "Allow",
          Principal: { Federated: this.providerArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
              [`${GITHUB_OIDC_HOST}:sub`]: subject,
            },
          },
        },
      ]);

    const roles = new Map<string, IamRole>();
    const planRoles = new Map<string, IamRole>();
    for (const definition of props.roles) {
      const role = new IamRole(this, `${definition.environment}-role`, {
        name: `${definition.namePrefix}-github-deploy`,
        description: `Assumed by GitHub Actions (${definition.subject}) to deploy ${definition.environment}`,
        maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
        assumeRolePolicy: trustedBy(definition.subject),
      });
      const grantee = new RoleGrantee(this, `${definition.environment}-grantee`, role);
      attachPolicy(grantee, "terraform-state", stateStatements(props.accountId, definition.state));
      attachPolicy(grantee, "deploy", deployStatements(props.accountId, props.region, definition));
      roles.set(definition.environment, role);

      if (props.planSubject) {
        const planRole = new IamRole(this, `${definition.environment}-plan-role`, {
          name: `${definition.namePrefix}-github-plan`,
          description: `Assumed by GitHub Actions (${props.planSubject}) to plan ${definition.environment} read-only`,
          maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
          assumeRolePolicy: trustedBy(props.planSubject),
        });
        new IamRolePolicyAttachment(this, `${definition.environment}-plan-read-only`, {
          role: planRole.name,
          policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        });
        const planGrantee = new RoleGrantee(this, `${definition.environment}-plan-grantee`, planRole);
        attachPolicy(planGrantee, "terraform-state-read", planStatements(props.accountId, definition.state));
        planRoles.set(definition.environment, planRole);
      }
    }
    this.roles = roles;
    this.planRoles = planRoles;
  }
}

/**
 * A plan reads its state (and the lock table's digest item) but never locks, and must not turn
 * ReadOnlyAccess into a way to read the environment's data: objects, items and decryption outside
 * the state are denied.
 */
function planStatements(accountId: string, state: DeployStateLocation): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${state.bucket}`;
  const stateObjects = `${bucketArn}/${state.keyPrefix}/*`;
  const lockTable = `arn:aws:dynamodb:${state.region}:${accountId}:table/${state.lockTable}`;
  return [
    { Sid: "ReadOwnState", Effect: "Allow", Action: ["s3:GetObject"], Resource: stateObjects },
    {
      Sid: "ReadOwnStateDigest",
      Effect: "Allow",
      Action: ["dynamodb:GetItem"],
      Resource: lockTable,
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${state.bucket}/${state.keyPrefix}/*`] } },
    },
    {
      Sid: "DecryptState",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: `arn:aws:kms:${state.region}:${accountId}:key/*`,
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${state.kmsKeyAlias}` } },
    },
    { Sid: "NoObjectReadsButState", Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion"], NotResource: [stateObjects] },
    {
      Sid: "NoItemReads",
      Effect: "Deny",
      Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:GetRecords", "dynamodb:ExportTableToPointInTime"],
      NotResource: [lockTable],
    },
    {
      Sid: "NoDecryptButState",
      Effect: "Deny",
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: { "ForAllValues:StringNotEquals": { "kms:ResourceAliases": `alias/${state.kmsKeyAlias}` } },
    },
    {
      Sid: "NoSecretsOrLogData",
      Effect: "Deny",
      Action: ["secretsmanager:GetSecretValue", "ssm:GetParameter*", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: "*",
    },
  ];
}

/** Read and write the environment's own state objects, lock entries and state key; nothing else of the bucket. */
function stateStatements(accountId: string, state: DeployStateLocation): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${state.bucket}`;
  return [
    {
      Sid: "ListOwnStateKeys",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn,
      Condition: { StringLike: { "s3:prefix": [`${state.keyPrefix}/*`] } },
    },
    {
      Sid: "ReadWriteOwnState",
      Effect: "Allow",
      // DeleteObject: the S3-native lock file (`use_lockfile`) is removed on unlock.
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/${state.keyPrefix}/*`,
    },
    {
      Sid: "LockOwnState",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
      Resource: `arn:aws:dynamodb:${state.region}:${accountId}:table/${state.lockTable}`,
      // Lock and digest items are keyed `<bucket>/<key>`: only this environment's.
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${state.bucket}/${state.keyPrefix}/*`] } },
    },
    {
      Sid: "UseStateKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: `arn:aws:kms:${state.region}:${accountId}:key/*`,
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${state.kmsKeyAlias}` } },
    },
  ];
}

/** The services the environment stacks manage, scoped to account, region and name prefix. */
function deployStatements(accountId: string, region: string, definition: DeployRoleDefinition): PolicyStatement[] {
  const n = definition.namePrefix;
  const arn = (service: string, resource: string, inRegion = region, inAccount: string = accountId) =>
    `arn:aws:${service}:${inRegion}:${inAccount}:${resource}`;
  const named = (service: string, type: string, separator = "/") => [
    arn(service, `${type}${separator}${n}`),
    arn(service, `${type}${separator}${n}-*`),
  ];
  const allow = (sid: string, actions: string[], resource: string[], condition?: PolicyStatement["Condition"]): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: resource,
    ...(condition ? { Condition: condition } : {}),
  });
  const manage = ["Create*", "Delete*", "Update*", "Put*", "Get*", "List*", "Describe*", "TagResource", "UntagResource"];
  const of = (service: string, verbs: string[]) => verbs.map((verb) => `${service}:${verb}`);
  return [
    {
      ...unscopedStatement("DiscoverAndCreateUnscoped", [...DEPLOY_ACTIONS_WITHOUT_RESOURCE_SCOPE]),
      Condition: { StringEquals: { "aws:RequestedRegion": region } },
    },
    allow(
      "ManageNetworkAndInstances",
      of("ec2", ["Create*", "Delete*", "Modify*", "Associate*", "Disassociate*", "Attach*", "Detach*", "Authorize*", "Revoke*", "Replace*", "Allocate*", "Release*", "Get*", "RunInstances", "UpdateSecurityGroupRuleDescriptions*"]),
      [arn("ec2", "*"), arn("ec2", "image/*", region, "")],
    ),
    allow(
      "ManageLoadBalancers",
      of("elasticloadbalancing", ["Create*", "Delete*", "Modify*", "Set*", "Add*", "Remove*", "Register*", "Deregister*"]),
      [arn("elasticloadbalancing", "*")],
    ),
    allow("ManageAutoScaling", of("autoscaling", ["Create*", "Delete*", "Update*", "Put*", "Set*", "Attach*", "Detach*", "Suspend*", "Resume*"]), [arn("autoscaling", "*")]),
    allow("ManageServiceAutoScaling", of("application-autoscaling", ["Register*", "Deregister*", "Put*", "Delete*", "TagResource", "UntagResource", "ListTagsForResource"]), [arn("application-autoscaling", "*")]),
    allow("ManageEcs", of("ecs", manage), [arn("ecs", "*")]),
    allow(
      "ManageAndPushEcr",
      of("ecr", [...manage, "Set*", "BatchCheckLayerAvailability", "BatchGetImage", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"]),
      named("ecr", "repository"),
    ),
    allow("ManageTables", of("dynamodb", manage), named("dynamodb", "table")),
    allow("ManageFunctions", of("lambda", [...manage, "AddPermission", "RemovePermission", "PublishVersion"]), named("lambda", "function", ":")),
    allow("ManageApis", of("apigateway", ["GET", "POST", "PUT", "PATCH", "DELETE", "TagResource", "UntagResource"]), [arn("apigateway", "/*", region, "")]),
    allow(
      "ManageLogGroups",
      of("logs", ["CreateLogGroup", "DeleteLogGroup", "PutRetentionPolicy", "DeleteRetentionPolicy", "AssociateKmsKey", "DisassociateKmsKey", "TagResource", "UntagResource", "ListTagsForResource", "TagLogGroup", "UntagLogGroup", "ListTagsLogGroup", "PutMetricFilter", "DeleteMetricFilter", "DescribeMetricFilters"]),
      // Log group names carry the prefix after a service path: /aws/lambda/<n>-..., aws-waf-logs-<n>-...
      [arn("logs", `log-group:*${n}*`)],
    ),
    allow("ManageWebAcls", of("wafv2", [...manage, "AssociateWebACL", "DisassociateWebACL"]), [arn("wafv2", "*"), arn("elasticloadbalancing", "loadbalancer/app/*")]),
    allow("ManageAlarmsAndDashboards", of("cloudwatch", ["PutMetricAlarm", "DeleteAlarms", "DescribeAlarms", "TagResource", "UntagResource", "ListTagsForResource", "PutDashboard", "GetDashboard", "DeleteDashboards"]), [
      arn("cloudwatch", `alarm:${n}-*`),
      `arn:aws:cloudwatch::${accountId}:dashboard/${n}`,
      `arn:aws:cloudwatch::${accountId}:dashboard/${n}-*`,
    ]),
    allow("ManageTopics", of("sns", ["CreateTopic", "DeleteTopic", "GetTopicAttributes", "SetTopicAttributes", "Subscribe", "Unsubscribe", "GetSubscriptionAttributes", "SetSubscriptionAttributes", "ListTagsForResource", "TagResource", "UntagResource"]), [
      arn("sns", `${n}-*`),
    ]),
    allow(
      "ManageEnvironmentKeys",
      of("kms", ["DescribeKey", "GetKeyPolicy", "GetKeyRotationStatus", "EnableKeyRotation", "PutKeyPolicy", "ScheduleKeyDeletion", "ListResourceTags", "TagResource", "UntagResource", "Encrypt", "Decrypt", "GenerateDataKey*", "CreateGrant"]),
      [arn("kms", "key/*")],
      // Only keys of this environment (default tags); never the state key or another environment's.
      { StringEquals: { "aws:ResourceTag/Environment": definition.environment } },
    ),
    allow("ManageEnvironmentKeyAliases", of("kms", ["CreateAlias", "DeleteAlias", "UpdateAlias"]), [arn("kms", `alias/${n}-*`), arn("kms", `alias/${n}`), arn("kms", "key/*")]),
    allow(
      "ManageBuckets",
      of("s3", ["CreateBucket", "DeleteBucket*", "ListBucket*", "GetBucket*", "PutBucket*", "Get*Configuration", "Put*Configuration", "DeleteObject*"]),
      [`arn:aws:s3:::${n}-*`, `arn:aws:s3:::${n}-*/*`],
    ),
    allow(
      "ManageRoles",
      of("iam", ["CreateRole", "DeleteRole", "GetRole", "UpdateRole", "UpdateAssumeRolePolicy", "TagRole", "UntagRole", "ListRoleTags", "PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy", "ListRolePolicies", "ListAttachedRolePolicies", "ListInstanceProfilesForRole", "CreateInstanceProfile", "DeleteInstanceProfile", "GetInstanceProfile", "AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile", "TagInstanceProfile", "UntagInstanceProfile"]),
      [`arn:aws:iam::${accountId}:role/${n}-*`, `arn:aws:iam::${accountId}:instance-profile/${n}-*`],
    ),
    allow("PassRolesToServices", ["iam:PassRole"], [`arn:aws:iam::${accountId}:role/${n}-*`], {
      StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "vpc-flow-logs.amazonaws.com"] },
    }),
    allow("CreateServiceLinkedRoles", ["iam:CreateServiceLinkedRole"], [`arn:aws:iam::${accountId}:role/aws-service-role/*`], {
      StringEquals: {
        "iam:AWSServiceName": ["ecs.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com", "ecs.application-autoscaling.amazonaws.com"],
      },
    }),
  ];
}
