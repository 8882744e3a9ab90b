/**
 * What AWS authorizes for one API call: the action the call maps to, the resources it is
 * evaluated against (ARNs filled from the request's parameters, following the catalogue's ARN
 * formats), the request context (region, request and resource tags, service condition keys),
 * and the further permissions AWS checks on the caller's behalf for that call (documented
 * dependent permissions: tagging on create, passing a role, a KMS key used through a service,
 * an Auto Scaling group launching from a template...). Each of the latter names its source.
 */
import { catalogueAction, resourceTypeArn, type ActionResource, type CatalogueAction } from "./catalogue";

/** One API call as the emulator received it, routed and parsed with the service's own model. */
export interface RecordedCall {
  readonly account: string;
  readonly region: string;
  /** SigV4 signing name: `ec2`, `monitoring`, `elasticloadbalancing`... */
  readonly signingName: string;
  /** botocore model name: `ec2`, `cloudwatch`, `elbv2`... */
  readonly service: string;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly params: Params;
}

export type Params = { readonly [key: string]: unknown };
export type Context = Record<string, string | string[]>;

/** One authorization AWS performs: an action on a resource with a context. */
export interface Check {
  readonly action: string;
  /** The resource's ARN; `*`-ended when the resource does not exist yet, or `*` when the action has no resource type. */
  readonly resource: string;
  readonly context: Context;
  /** Why AWS makes this check: the call itself, or the documented rule that adds it. */
  readonly because: string;
  /** The resource policy of a resource the request itself creates (a new KMS key's policy); else the emulator's. */
  readonly resourcePolicy?: unknown;
}

/** What the emulator knows of an existing resource. */
export interface ResourceFacts {
  readonly arn: string;
  readonly exists: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly policy: unknown;
  readonly aliases: readonly string[];
  /** Service-specific details: a function's key, a launch template's instance profile role... */
  readonly details?: Readonly<Record<string, string>>;
}

export interface Facts {
  resource(arn: string, region: string): Promise<ResourceFacts>;
  /** The ARN of an existing scalable target, which Application Auto Scaling calls name by namespace, resource id and dimension. */
  scalableTarget(region: string, namespace: string, resourceId: string, dimension: string): Promise<string | undefined>;
  /** The route table and subnet a route table association (`rtbassoc-...`) joins. */
  routeTableAssociation(region: string, id: string): Promise<{ routeTableId?: string; subnetId?: string }>;
}

/** The call names an operation the catalogue has no action for: the mapping below must learn it. */
export class UnknownActionError extends Error {}

// --- actions ------------------------------------------------------------------------------------

/** IAM service prefix by signing name, where they differ. */
const IAM_PREFIX: Readonly<Record<string, string>> = { monitoring: "cloudwatch" };

/**
 * S3 operations whose IAM action has another name (Service Authorization Reference, Amazon S3,
 * "Actions defined by Amazon S3": the API operation each action authorizes).
 */
const S3_ACTIONS: Readonly<Record<string, string>> = {
  HeadBucket: "ListBucket",
  HeadObject: "GetObject",
  ListObjects: "ListBucket",
  ListObjectsV2: "ListBucket",
  ListObjectVersions: "ListBucketVersions",
  GetBucketEncryption: "GetEncryptionConfiguration",
  PutBucketEncryption: "PutEncryptionConfiguration",
  DeleteBucketEncryption: "PutEncryptionConfiguration",
  GetBucketLifecycleConfiguration: "GetLifecycleConfiguration",
  PutBucketLifecycleConfiguration: "PutLifecycleConfiguration",
  DeleteBucketLifecycle: "PutLifecycleConfiguration",
  GetBucketNotificationConfiguration: "GetBucketNotification",
  PutBucketNotificationConfiguration: "PutBucketNotification",
  GetBucketAccelerateConfiguration: "GetAccelerateConfiguration",
  GetBucketCors: "GetBucketCORS",
  PutBucketCors: "PutBucketCORS",
  DeleteBucketCors: "PutBucketCORS",
  GetBucketReplication: "GetReplicationConfiguration",
  GetObjectLockConfiguration: "GetBucketObjectLockConfiguration",
  PutObjectLockConfiguration: "PutBucketObjectLockConfiguration",
  GetPublicAccessBlock: "GetBucketPublicAccessBlock",
  PutPublicAccessBlock: "PutBucketPublicAccessBlock",
  DeletePublicAccessBlock: "PutBucketPublicAccessBlock",
  DeleteBucketOwnershipControls: "PutBucketOwnershipControls",
  DeleteBucketTagging: "PutBucketTagging",
  DeleteObjects: "DeleteObject",
  GetBucketPolicyStatus: "GetBucketPolicyStatus",
};

/** The IAM action a call is authorized as. */
export function actionOf(call: RecordedCall): string {
  if (call.signingName === "apigateway") return `apigateway:${call.method}`;
  if (call.signingName === "s3") {
    const versioned = typeof call.params.VersionId === "string";
    if (call.operation === "DeleteObject" && versioned) return "s3:DeleteObjectVersion";
    if (call.operation === "GetObject" && versioned) return "s3:GetObjectVersion";
    return `s3:${S3_ACTIONS[call.operation] ?? call.operation}`;
  }
  return `${IAM_PREFIX[call.signingName] ?? call.signingName}:${call.operation}`;
}

// --- parameters ---------------------------------------------------------------------------------

/** Every string in the parameters, with the key it was found under. */
function strings(value: unknown, key = ""): Array<{ key: string; value: string }> {
  if (typeof value === "string") return [{ key, value }];
  if (Array.isArray(value)) return value.flatMap((item) => strings(item, key));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, k));
  return [];
}

const normalize = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Parameters that carry an ARN variable under another name. */
const VARIABLE_PARAMS: Readonly<Record<string, readonly string[]>> = {
  RoleNameWithPath: ["RoleName"],
  InstanceProfileNameWithPath: ["InstanceProfileName"],
  PolicyNameWithPath: ["PolicyName"],
  BucketName: ["Bucket"],
  ObjectName: ["Key"],
  ClusterName: ["clusterName", "cluster"],
  ServiceName: ["serviceName", "service"],
  TaskDefinitionFamilyName: ["family", "taskDefinition"],
  GroupFriendlyName: ["AutoScalingGroupName"],
  AlarmName: ["AlarmName", "AlarmNames"],
  Alias: ["AliasName"],
  DashboardName: ["DashboardNames"],
  KeyId: ["KeyId", "TargetKeyId"],
};

/** The ID prefix of EC2 resource types, so `sg-...` in any parameter fills `${SecurityGroupId}`. */
const EC2_ID_PREFIXES: Readonly<Record<string, string>> = {
  vpc: "vpc-",
  subnet: "subnet-",
  "security-group": "sg-",
  "security-group-rule": "sgr-",
  "route-table": "rtb-",
  "internet-gateway": "igw-",
  natgateway: "nat-",
  "elastic-ip": "eipalloc-",
  "network-acl": "acl-",
  "vpc-endpoint": "vpce-",
  "vpc-flow-log": "fl-",
  "launch-template": "lt-",
  instance: "i-",
  "network-interface": "eni-",
  volume: "vol-",
  image: "ami-",
  "prefix-list": "pl-",
};

/**
 * The id of a resource a call creates, unknown before AWS answers: one concrete value, as AWS
 * evaluates the new resource's own ARN. A "*" would make the simulator ask whether the policy
 * allows any resource at all.
 */
const NEW = "id-of-a-new-resource";

/** An ARN format as a regular expression, variables as capture-all groups. */
function arnPattern(format: string, call: RecordedCall): RegExp {
  const fixed = format.replaceAll("${Partition}", "aws").replaceAll("${Region}", call.region).replaceAll("${Account}", call.account);
  const escaped = fixed.replace(/[.+?^()|[\]\\]/g, "\\$&").replace(/\$\{[A-Za-z0-9]+\}/g, "[^:]+");
  return new RegExp(`^${escaped}$`);
}

function lastSegment(value: string): string {
  return value.startsWith("arn:") ? (value.split(/[/:]/).pop() ?? value) : value;
}

/** Values of one ARN variable found in the parameters. */
function variableValues(variable: string, type: string, call: RecordedCall): string[] {
  const params = call.params;
  const names = [variable, ...(VARIABLE_PARAMS[variable] ?? [])].map(normalize);
  const byName = Object.entries(params)
    .filter(([key]) => names.includes(normalize(key)))
    .flatMap(([, value]) => strings(value).map((found) => found.value));
  if (byName.length > 0) {
    return byName.map((value) =>
      variable === "Alias" ? value.replace(/^alias\//, "") : variable === "KeyId" ? value : variable === "Scope" ? value.toLowerCase() : lastSegment(value),
    );
  }
  const prefix = EC2_ID_PREFIXES[type];
  if (prefix && /Id$/.test(variable)) {
    const id = new RegExp(`^${prefix}[0-9a-f]{8,17}$`);
    const ids = strings(params).filter(({ value }) => id.test(value)).map(({ value }) => value);
    if (ids.length > 0) return [...new Set(ids)];
  }
  // A create call names its new resource `Name` (load balancers, target groups, topics, web ACLs) or `name` (ECS capacity providers).
  if (/Name$/.test(variable) && typeof params.Name === "string") return [params.Name];
  if (/Name$/.test(variable) && typeof params.name === "string") return [params.name];
  return [];
}

/** The ARNs of one resource type a call addresses; `*` fills what the request cannot name (a resource to be created). */
function arnsOf(resource: ActionResource, call: RecordedCall): { arns: string[]; named: boolean; partly: boolean; given?: boolean } {
  const pattern = arnPattern(resource.arn, call);
  // A subscription (`<topic ARN>:<id>`) is authorized on its topic: the catalogue's only SNS resource type.
  const subscriptionTopic = (value: string) => (call.signingName === "sns" ? value.replace(/^(arn:aws:sns:[^:]+:\d+:[^:]+):[0-9a-f-]{36}$/, "$1") : value);
  const given = [...new Set(strings(call.params).map(({ value }) => subscriptionTopic(value)).filter((value) => pattern.test(value)))];
  if (given.length > 0) return { arns: given, named: true, partly: true, given: true };

  let arns = [resource.arn.replaceAll("${Partition}", "aws").replaceAll("${Region}", call.region).replaceAll("${Account}", call.account)];
  // Named: the request names every variable of this resource type (an optional type counts only then).
  let named = true;
  let partly = false;
  for (const variable of resource.arn.match(/\$\{[A-Za-z0-9]+\}/g)?.map((v) => v.slice(2, -1)) ?? []) {
    if (["Partition", "Region", "Account"].includes(variable)) continue;
    const values = variableValues(variable, resource.type, call);
    if (values.length === 0) named = false;
    else partly = true;
    // What the request cannot name: the id of a resource it creates.
    const fills = values.length > 0 ? values : [NEW];
    arns = arns.flatMap((arn) => fills.map((fill) => arn.replace(`\${${variable}}`, fill)));
  }
  return { arns, named, partly };
}

// --- tags -----------------------------------------------------------------------------------------

type TagMap = Record<string, string>;

function tagList(value: unknown): TagMap | undefined {
  if (Array.isArray(value)) {
    const tags: TagMap = {};
    for (const tag of value as Array<Record<string, unknown>>) {
      const key = tag.Key ?? tag.key ?? tag.TagKey;
      const val = tag.Value ?? tag.value ?? tag.TagValue;
      if (typeof key === "string") tags[key] = typeof val === "string" ? val : "";
    }
    return tags;
  }
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  return undefined;
}

/** Tags the request asks to set, per EC2 resource type for `TagSpecifications`, else for the call. */
function requestTags(call: RecordedCall): { all?: TagMap; byType: Record<string, TagMap> } {
  const byType: Record<string, TagMap> = {};
  const specs = call.params.TagSpecifications;
  if (Array.isArray(specs)) {
    for (const spec of specs as Array<Record<string, unknown>>) {
      if (typeof spec.ResourceType === "string") byType[spec.ResourceType] = { ...byType[spec.ResourceType], ...tagList(spec.Tags) };
    }
  }
  const p = call.params as Record<string, unknown>;
  const tagging = p.Tagging as { TagSet?: unknown } | undefined;
  const all = tagList(p.Tags ?? p.tags ?? tagging?.TagSet);
  return { all, byType };
}

function tagContext(tags: TagMap | undefined): Context {
  if (!tags || Object.keys(tags).length === 0) return {};
  return { ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), "aws:TagKeys": Object.keys(tags) };
}

// --- context --------------------------------------------------------------------------------------

function callContext(call: RecordedCall): Context {
  return { "aws:RequestedRegion": call.region, "aws:SecureTransport": "true" };
}

/** Service condition keys read from the request. */
function serviceContext(action: string, call: RecordedCall, table?: ResourceFacts): Context {
  const p = call.params as Record<string, unknown>;
  const context: Context = {};
  const partitionKey = table?.details?.partitionKey;
  if (action.startsWith("dynamodb:") && partitionKey) {
    const item = (p.Key ?? p.Item) as Record<string, Record<string, string>> | undefined;
    const value = item?.[partitionKey]?.S ?? item?.[partitionKey]?.N;
    if (value !== undefined) context["dynamodb:LeadingKeys"] = [value];
  }
  if (action === "s3:ListBucket" && typeof p.Prefix === "string") context["s3:prefix"] = p.Prefix;
  if (typeof p.PermissionsBoundary === "string") context["iam:PermissionsBoundary"] = p.PermissionsBoundary;
  if (typeof p.PolicyArn === "string") context["iam:PolicyARN"] = p.PolicyArn;
  if (action === "iam:CreateServiceLinkedRole" && typeof p.AWSServiceName === "string") context["iam:AWSServiceName"] = p.AWSServiceName;
  if (action === "route53:ChangeResourceRecordSets") {
    // Route 53 lower-cases the names and drops the trailing dot (Route 53 Developer Guide, "Using IAM policy conditions for fine-grained access control").
    const changes = ((p.ChangeBatch as { Changes?: unknown[] } | undefined)?.Changes ?? []) as Array<{ Action?: string; ResourceRecordSet?: { Name?: string; Type?: string } }>;
    context["route53:ChangeResourceRecordSetsNormalizedRecordNames"] = changes.map((c) => String(c.ResourceRecordSet?.Name ?? "").toLowerCase().replace(/\.$/, ""));
    context["route53:ChangeResourceRecordSetsRecordTypes"] = changes.map((c) => String(c.ResourceRecordSet?.Type ?? ""));
    context["route53:ChangeResourceRecordSetsActions"] = changes.map((c) => String(c.Action ?? ""));
  }
  if (action === "acm:RequestCertificate") {
    context["acm:DomainNames"] = [p.DomainName, ...((p.SubjectAlternativeNames as unknown[] | undefined) ?? [])].filter((name): name is string => typeof name === "string");
    if (typeof p.ValidationMethod === "string") context["acm:ValidationMethod"] = p.ValidationMethod;
  }
  return context;
}

/** Context from the resource as it exists: tags, KMS aliases, an IAM role's boundary. */
async function resourceContext(arn: string, call: RecordedCall, facts: Facts): Promise<{ context: Context; facts?: ResourceFacts }> {
  if (arn === "*" || arn.endsWith("*")) return { context: {} };
  const found = await facts.resource(arn, call.region);
  if (!found.exists) return { context: {}, facts: found };
  const context: Context = Object.fromEntries(Object.entries(found.tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
  if (found.aliases.length > 0) context["kms:ResourceAliases"] = [...found.aliases];
  const boundary = found.details?.permissionsBoundary;
  if (boundary && !context["iam:PermissionsBoundary"]) context["iam:PermissionsBoundary"] = boundary;
  return { context, facts: found };
}

// --- checks ---------------------------------------------------------------------------------------

interface Draft {
  readonly action: string;
  readonly resources: readonly string[];
  readonly context?: Context;
  readonly because: string;
  readonly resourcePolicy?: unknown;
}

/** The resources the call's action is authorized against. */
function actionResources(entry: CatalogueAction, call: RecordedCall): string[] {
  if (call.signingName === "apigateway") {
    // API Gateway authorizes the request path itself: arn:aws:apigateway:<region>::<path>.
    const path = call.path.startsWith("/tags/") ? decodeURIComponent(call.path.slice("/tags/".length)) : `arn:aws:apigateway:${call.region}::${call.path}`;
    return [path];
  }
  if (entry.resources.length === 0) return ["*"];
  const resolved = entry.resources.filter((resource) => appliesTo(resource, call)).map((resource) => ({ resource, ...arnsOf(resource, call) }));
  // Tagging calls name one resource by ARN (`ResourceArn`), and the catalogue lists every type they
  // accept as required (a table or a stream): only the named one is addressed.
  const byArn = Object.keys(call.params).some((key) => /^resource_?arns?$/i.test(key)) ? resolved.filter((r) => r.given) : [];
  if (byArn.length > 0) return [...new Set(byArn.flatMap((r) => r.arns))];
  const required = resolved.filter((r) => r.resource.required);
  const named = resolved.filter((r) => !r.resource.required && r.named);
  let chosen = [...required, ...named];
  // A create call names its new resource only partly (the id does not exist yet): that type, with `*` for the id.
  if (chosen.length === 0) chosen = resolved.filter((r) => r.partly);
  // Nothing required and nothing named (a list or describe call): the action is evaluated on "*".
  if (chosen.length === 0) return ["*"];
  return [...new Set(chosen.flatMap((r) => r.arns))];
}

/**
 * The catalogue lists Elastic Load Balancing v1 and v2 under one prefix: a v2 call is evaluated
 * against the v2 resource type of its load balancer type (application unless the request says otherwise).
 */
function appliesTo(resource: ActionResource, call: RecordedCall): boolean {
  if (call.service !== "elbv2") return true;
  const type = typeof call.params.Type === "string" ? call.params.Type : "application";
  const kind = { application: "app", network: "net", gateway: "gwy" }[type] ?? "app";
  if (resource.type === "loadbalancer") return false;
  const match = resource.type.match(/\/(app|net|gwy)\/?$/);
  return !match || match[1] === kind;
}

/** `scalable-target/*` becomes the target's ARN when the call names an existing one. */
async function scalableTargets(resources: string[], call: RecordedCall, facts: Facts): Promise<string[]> {
  const p = call.params as Record<string, unknown>;
  if (call.signingName !== "application-autoscaling" || typeof p.ResourceId !== "string" || typeof p.ScalableDimension !== "string") return resources;
  const arn = await facts.scalableTarget(call.region, String(p.ServiceNamespace), p.ResourceId, p.ScalableDimension);
  return arn ? resources.map((resource) => (resource.includes(":scalable-target/") ? arn : resource)) : resources;
}

/**
 * A KMS key addressed by alias or id inside an ARN (`key/alias/x`) becomes the key's own ARN. A call that
 * names only an alias (DeleteAlias) is authorized on the key the alias points to: "kms:DeleteAlias on the
 * alias ... and on the KMS key" (AWS KMS Developer Guide, "Controlling access to aliases").
 */
async function kmsKeyResource(resource: string, call: RecordedCall, facts: Facts): Promise<string> {
  const match = resource.match(/^arn:aws:kms:[^:]*:\d*:key\/(.+)$/);
  const alias = (call.params as Record<string, unknown>).AliasName;
  if ((match?.[1] === "*" || match?.[1] === NEW) && call.signingName === "kms" && typeof alias === "string") return keyArn(alias, call, facts);
  if (!match?.[1] || match[1] === "*" || /^[0-9a-f-]{36}$/.test(match[1])) return resource;
  return keyArn(match[1], call, facts);
}

/** The KMS key ARN a parameter names (key id, key ARN, alias name or alias ARN). */
async function keyArn(value: string, call: RecordedCall, facts: Facts): Promise<string> {
  const base = `arn:aws:kms:${call.region}:${call.account}`;
  const arn = value.startsWith("arn:") ? value : value.startsWith("alias/") ? `${base}:${value}` : `${base}:key/${value}`;
  const found = await facts.resource(arn, call.region);
  return found.exists ? found.arn : arn;
}

const SERVICE_PRINCIPALS: Readonly<Record<string, string>> = {
  lambda: "lambda.amazonaws.com",
  ecs: "ecs-tasks.amazonaws.com",
  ec2: "vpc-flow-logs.amazonaws.com",
  apigateway: "apigateway.amazonaws.com",
  config: "config.amazonaws.com",
  cloudtrail: "cloudtrail.amazonaws.com",
  events: "events.amazonaws.com",
  iam: "ec2.amazonaws.com",
};

/**
 * Create calls whose tags AWS authorizes as a separate tagging action (each service's "tag on
 * create" documentation: e.g. KMS "To add tags when creating a KMS key, the caller must have
 * kms:TagResource permission in an IAM policy"; IAM "iam:TagRole"; ELB "elasticloadbalancing:AddTags").
 */
const TAG_ON_CREATE: Readonly<Record<string, string>> = {
  "kms:CreateKey": "kms:TagResource",
  "logs:CreateLogGroup": "logs:TagResource",
  "elasticloadbalancing:CreateLoadBalancer": "elasticloadbalancing:AddTags",
  "elasticloadbalancing:CreateTargetGroup": "elasticloadbalancing:AddTags",
  "elasticloadbalancing:CreateListener": "elasticloadbalancing:AddTags",
  "elasticloadbalancing:CreateRule": "elasticloadbalancing:AddTags",
  "ecs:CreateCluster": "ecs:TagResource",
  "ecs:CreateService": "ecs:TagResource",
  "ecs:CreateCapacityProvider": "ecs:TagResource",
  "ecs:RegisterTaskDefinition": "ecs:TagResource",
  "ecr:CreateRepository": "ecr:TagResource",
  "iam:CreateRole": "iam:TagRole",
  "iam:CreateInstanceProfile": "iam:TagInstanceProfile",
  "iam:CreatePolicy": "iam:TagPolicy",
  "iam:CreateOpenIDConnectProvider": "iam:TagOpenIDConnectProvider",
  "sns:CreateTopic": "sns:TagResource",
  "dynamodb:CreateTable": "dynamodb:TagResource",
  "lambda:CreateFunction": "lambda:TagResource",
  "cloudwatch:PutMetricAlarm": "cloudwatch:TagResource",
  "wafv2:CreateWebACL": "wafv2:TagResource",
  "autoscaling:CreateAutoScalingGroup": "autoscaling:CreateOrUpdateTags",
  "application-autoscaling:RegisterScalableTarget": "application-autoscaling:TagResource",
};

/** Service-linked roles AWS creates with the caller's permission the first time an account uses the service. */
const SERVICE_LINKED_ROLES: Readonly<Record<string, { service: string; role: string }>> = {
  "ecs:CreateCluster": { service: "ecs.amazonaws.com", role: "ecs.amazonaws.com/AWSServiceRoleForECS" },
  "elasticloadbalancing:CreateLoadBalancer": { service: "elasticloadbalancing.amazonaws.com", role: "elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing" },
  "autoscaling:CreateAutoScalingGroup": { service: "autoscaling.amazonaws.com", role: "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" },
  "application-autoscaling:RegisterScalableTarget": {
    service: "ecs.application-autoscaling.amazonaws.com",
    role: "ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
  },
};

/** The further checks AWS makes for a call, each with its documented reason. */
async function dependentChecks(action: string, resources: readonly string[], call: RecordedCall, facts: Facts): Promise<Draft[]> {
  const p = call.params as Record<string, unknown>;
  const drafts: Draft[] = [];
  const { all, byType } = requestTags(call);

  // Tagging during creation.
  if (action.startsWith("ec2:") && Object.keys(byType).length > 0) {
    for (const [type, tags] of Object.entries(byType)) {
      drafts.push({
        action: "ec2:CreateTags",
        resources: [`arn:aws:ec2:${call.region}:${call.account}:${type}/${NEW}`],
        context: { ...tagContext(tags), "ec2:CreateAction": call.operation },
        because: `${action} with TagSpecifications also authorizes ec2:CreateTags on the new ${type} (EC2 User Guide, "Grant permission to tag resources during creation")`,
      });
    }
  }
  const tagAction = TAG_ON_CREATE[action];
  if (tagAction && all && Object.keys(all).length > 0) {
    const context: Context = { ...tagContext(all), ...(tagAction === "ecs:TagResource" ? { "ecs:CreateAction": call.operation } : {}) };
    drafts.push({
      action: tagAction,
      // KMS: "the permission must cover all KMS keys in the account and Region" (the key has no id yet).
      resources: action === "kms:CreateKey" ? [`arn:aws:kms:${call.region}:${call.account}:key/${NEW}`] : resources,
      context,
      because: `${action} with tags also authorizes ${tagAction} (the service's tag-on-create rule)`,
      // A new key is governed by the policy it is created with.
      ...(action === "kms:CreateKey" && typeof p.Policy === "string" ? { resourcePolicy: JSON.parse(p.Policy) as unknown } : {}),
    });
  }

  // Passing a role to a service.
  for (const { key, value } of strings(p)) {
    if (!/role/i.test(key) || !/^arn:aws:iam::\d{12}:role\//.test(value)) continue;
    const context: Context = {};
    const service = SERVICE_PRINCIPALS[call.signingName];
    if (service) context["iam:PassedToService"] = service;
    if (action === "iam:AddRoleToInstanceProfile") context["iam:AssociatedResourceArn"] = `arn:aws:ec2:*:${call.account}:instance/*`;
    drafts.push({ action: "iam:PassRole", resources: [value], context, because: `${action} passes ${value} to ${service ?? call.signingName} (IAM User Guide, "Grant a user permissions to pass a role to an AWS service")` });
  }
  if (action === "iam:AddRoleToInstanceProfile" && typeof p.RoleName === "string") {
    drafts.push({
      action: "iam:PassRole",
      resources: [`arn:aws:iam::${call.account}:role/${p.RoleName}`],
      context: { "iam:PassedToService": "ec2.amazonaws.com", "iam:AssociatedResourceArn": `arn:aws:ec2:*:${call.account}:instance/*` },
      because: `AddRoleToInstanceProfile: "the caller of this operation must be granted the PassRole permission on the IAM role" (IAM API Reference)`,
    });
  }

  // First use of a service in an account creates its service-linked role with the caller's permission.
  const linked = SERVICE_LINKED_ROLES[action];
  if (linked) {
    drafts.push({
      action: "iam:CreateServiceLinkedRole",
      resources: [`arn:aws:iam::${call.account}:role/aws-service-role/${linked.role}`],
      context: { "iam:AWSServiceName": linked.service },
      because: `${action} on a fresh account creates the service-linked role ${linked.role} as the caller`,
    });
  }

  // A launch template whose AMI is an SSM parameter.
  const data = p.LaunchTemplateData as Record<string, unknown> | undefined;
  const image = data?.ImageId;
  if (typeof image === "string" && image.startsWith("resolve:ssm:")) {
    const name = image.slice("resolve:ssm:".length);
    const parameter = name.startsWith("arn:") ? name : `arn:aws:ssm:${call.region}::parameter${name.startsWith("/") ? "" : "/"}${name}`;
    drafts.push({
      action: "ssm:GetParameters",
      resources: [parameter],
      because: `${action} with ImageId resolve:ssm: reads the parameter as the caller (EC2 User Guide, "Use a Systems Manager parameter instead of an AMI ID")`,
    });
  }

  // An Auto Scaling group launching from a launch template.
  const template = (p.LaunchTemplate ?? (p.MixedInstancesPolicy as Record<string, Record<string, unknown>> | undefined)?.LaunchTemplate?.LaunchTemplateSpecification) as
    | Record<string, string>
    | undefined;
  if ((action === "autoscaling:CreateAutoScalingGroup" || action === "autoscaling:UpdateAutoScalingGroup") && template) {
    const id = template.LaunchTemplateId;
    const base = `arn:aws:ec2:${call.region}:${call.account}`;
    const subnets = typeof p.VPCZoneIdentifier === "string" ? p.VPCZoneIdentifier.split(",").map((s) => `${base}:subnet/${s.trim()}`) : [`${base}:subnet/${NEW}`];
    const launchTemplate = `${base}:launch-template/${id ?? NEW}`;
    const because = `${action} with a launch template authorizes the launch as the caller: ec2:RunInstances, ec2:CreateTags and iam:PassRole (EC2 Auto Scaling User Guide, "Launch template support")`;
    const launched = id ? await facts.resource(launchTemplate, call.region) : undefined;
    const groups = (launched?.details?.securityGroupIds ?? "").split(",").filter(Boolean).map((group) => `${base}:security-group/${group}`);
    drafts.push({
      action: "ec2:RunInstances",
      resources: [launchTemplate, ...subnets, ...groups, `${base}:instance/${NEW}`, `${base}:volume/${NEW}`, `${base}:network-interface/${NEW}`, `arn:aws:ec2:${call.region}::image/${NEW}`],
      context: { "ec2:LaunchTemplate": launchTemplate, "ec2:IsLaunchTemplateResource": "true" },
      because,
    });
    const role = launched?.details?.instanceRoleArn;
    if (role) drafts.push({ action: "iam:PassRole", resources: [role], context: { "iam:PassedToService": "ec2.amazonaws.com" }, because });
  }

  // Target tracking: Application Auto Scaling manages its alarms with the caller's permissions.
  if (action === "application-autoscaling:PutScalingPolicy" && p.PolicyType === "TargetTrackingScaling") {
    const alarms = `arn:aws:cloudwatch:${call.region}:${call.account}:alarm:TargetTracking-${String(p.ResourceId)}-*`;
    for (const alarmAction of ["cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"]) {
      drafts.push({
        action: alarmAction,
        resources: [alarms],
        because: `target tracking policies create and delete their TargetTracking-* alarms as the caller (Application Auto Scaling User Guide, "Permissions required to call Application Auto Scaling API actions")`,
      });
    }
  }
  if (action === "application-autoscaling:RegisterScalableTarget" && p.ServiceNamespace === "ecs" && typeof p.ResourceId === "string") {
    const [, cluster, service] = p.ResourceId.split("/");
    for (const ecsAction of ["ecs:DescribeServices", "ecs:UpdateService"]) {
      drafts.push({
        action: ecsAction,
        resources: [`arn:aws:ecs:${call.region}:${call.account}:service/${cluster}/${service}`],
        because: "registering an ECS service as a scalable target describes and updates the service as the caller (Amazon ECS Developer Guide, \"IAM permissions required for Amazon ECS service auto scaling\")",
      });
    }
  }
  if (action === "application-autoscaling:DeleteScalingPolicy") {
    const alarms = `arn:aws:cloudwatch:${call.region}:${call.account}:alarm:TargetTracking-${String(p.ResourceId)}-*`;
    for (const alarmAction of ["cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"]) {
      drafts.push({ action: alarmAction, resources: [alarms], because: "deleting a target tracking policy deletes its alarms as the caller (Application Auto Scaling User Guide)" });
    }
  }

  // Web ACL association is also authorized by the protected resource's service.
  if (action === "wafv2:AssociateWebACL" || action === "wafv2:DisassociateWebACL") {
    const target = String(p.ResourceArn ?? "");
    if (target.includes(":elasticloadbalancing:")) {
      drafts.push({ action: "elasticloadbalancing:SetWebAcl", resources: [target], because: `${action} on a load balancer also needs elasticloadbalancing:SetWebAcl (AWS WAF Developer Guide)` });
    } else if (target.includes(":apigateway:")) {
      drafts.push({ action: "apigateway:SetWebACL", resources: [target], because: `${action} on a REST API stage also needs apigateway:SetWebACL (AWS WAF Developer Guide)` });
    }
  }
  if (action === "wafv2:PutLoggingConfiguration") {
    const because = "WAF logging to CloudWatch Logs creates a log delivery and a resource policy as the caller (AWS WAF Developer Guide, \"Permissions required to manage logging\")";
    for (const logsAction of ["logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"]) {
      drafts.push({ action: logsAction, resources: ["*"], because });
    }
  }

  // KMS keys used through a service on the caller's behalf.
  const viaService = `${call.signingName === "monitoring" ? "monitoring" : call.signingName}.${call.region}.amazonaws.com`;
  const kmsThrough = async (value: unknown, kmsActions: string[], because: string) => {
    if (typeof value !== "string" || value === "") return;
    const key = await keyArn(value, call, facts);
    for (const kmsAction of kmsActions) drafts.push({ action: kmsAction, resources: [key], context: { "kms:ViaService": viaService }, because });
  };
  const sse = p.SSESpecification as Record<string, unknown> | undefined;
  if (action === "dynamodb:CreateTable" || action === "dynamodb:UpdateTable") {
    await kmsThrough(sse?.KMSMasterKeyId, ["kms:DescribeKey", "kms:CreateGrant"], "a table encrypted with a customer managed key: DynamoDB creates a grant as the caller (DynamoDB Developer Guide, \"Encryption at rest: how it works\")");
  }
  const ecrEncryption = p.encryptionConfiguration as Record<string, unknown> | undefined;
  if (action === "ecr:CreateRepository") {
    await kmsThrough(ecrEncryption?.kmsKey, ["kms:DescribeKey", "kms:CreateGrant", "kms:RetireGrant"], "a repository encrypted with a customer managed key: ECR creates a grant as the caller (Amazon ECR User Guide, \"Encryption at rest\")");
  }
  if (action === "lambda:CreateFunction" || action === "lambda:UpdateFunctionConfiguration") {
    await kmsThrough(p.KMSKeyArn, ["kms:Encrypt"], "environment variables under a customer managed key: \"only users with access to the KMS key can view or manage environment variables\" (Lambda Developer Guide, \"Securing Lambda environment variables\")");
  }
  if (action === "lambda:GetFunction" || action === "lambda:GetFunctionConfiguration") {
    const fn = resources[0] ? await facts.resource(resources[0], call.region) : undefined;
    await kmsThrough(fn?.details?.kmsKeyArn, ["kms:Decrypt"], "reading a function whose environment is under a customer managed key decrypts it as the caller (Lambda Developer Guide, \"Securing Lambda environment variables\")");
  }
  if (action === "s3:PutObject") {
    await kmsThrough(p.SSEKMSKeyId, ["kms:GenerateDataKey"], "an SSE-KMS object is written with a data key generated as the caller (S3 User Guide, \"Using server-side encryption with AWS KMS keys\")");
  }
  if (action === "s3:GetObject" && call.operation === "GetObject") {
    const object = resources[0] ? await facts.resource(resources[0], call.region) : undefined;
    await kmsThrough(object?.details?.kmsKeyArn, ["kms:Decrypt"], "an SSE-KMS object is decrypted as the caller (S3 User Guide, \"Using server-side encryption with AWS KMS keys\")");
  }
  return drafts;
}

/**
 * A call that names a route table association is authorized on the route table and subnet it
 * joins (the catalogue's resource types of DisassociateRouteTable), which AWS looks up itself.
 */
async function withAssociatedResources(call: RecordedCall, facts: Facts): Promise<RecordedCall> {
  const id = (call.params as Record<string, unknown>).AssociationId;
  if (call.signingName !== "ec2" || typeof id !== "string" || !id.startsWith("rtbassoc-")) return call;
  const { routeTableId, subnetId } = await facts.routeTableAssociation(call.region, id);
  return { ...call, params: { ...call.params, ...(routeTableId ? { RouteTableId: routeTableId } : {}), ...(subnetId ? { SubnetId: subnetId } : {}) } };
}

/**
 * The catalogue data keeps one entry per action name, and Elastic Load Balancing v1 and v2 share
 * names (CreateLoadBalancer, DeleteLoadBalancer, AddTags...) under one prefix: such an entry carries
 * v1's `loadbalancer` type. A v2 call is authorized on the v2 type of the load balancer it names
 * (or creates: `Type`, application by default).
 */
async function withElbV2Types(entry: CatalogueAction, call: RecordedCall): Promise<CatalogueAction> {
  if (call.service !== "elbv2" || !entry.resources.some((resource) => resource.type === "loadbalancer")) return entry;
  const named = strings(call.params).map(({ value }) => value.match(/:loadbalancer\/(app|net|gwy)\//)?.[1]).filter((kind): kind is string => kind !== undefined);
  const created = call.operation === "CreateLoadBalancer" ? [{ network: "net", gateway: "gwy" }[String(call.params.Type)] ?? "app"] : [];
  const kinds = [...new Set([...named, ...created])];
  const v2 = await Promise.all(kinds.map(async (kind) => ({ type: `loadbalancer/${kind}/`, required: true, arn: await resourceTypeArn("elasticloadbalancing", `loadbalancer/${kind}/`) })));
  return { ...entry, resources: [...entry.resources.filter((resource) => resource.type !== "loadbalancer"), ...v2] };
}

/** Every check AWS makes for `call`, in order: the call's own action first. */
export async function checksFor(recorded: RecordedCall, facts: Facts): Promise<Check[]> {
  const call = await withAssociatedResources(recorded, facts);
  const action = actionOf(call);
  const listed = await catalogueAction(action);
  const entry = listed && (await withElbV2Types(listed, call));
  if (!entry) {
    throw new UnknownActionError(`${call.signingName}.${call.operation}: no IAM action ${action} in the AWS catalogue; map it in __tests__/e2e/iam/requests.ts`);
  }
  const resources = await scalableTargets(actionResources(entry, call), call, facts);
  const drafts: Draft[] = [
    { action: entry.name, resources, because: `${call.signingName}.${call.operation}` },
    ...(await dependentChecks(entry.name, resources, call, facts)),
  ];
  const { all, byType } = requestTags(call);
  const checks: Check[] = [];
  for (const draft of drafts) {
    const known = await catalogueAction(draft.action);
    if (!known) throw new UnknownActionError(`${draft.because}: no IAM action ${draft.action} in the AWS catalogue`);
    // An action without resource types is authorized on "*" only (the catalogue's "must use a wildcard").
    const targets = known.resources.length === 0 && draft.action !== entry.name ? ["*"] : await Promise.all(draft.resources.map((r) => kmsKeyResource(r, call, facts)));
    for (const resource of targets) {
      const type = resource.match(/:ec2:[^:]*:\d*:([a-z-]+)\//)?.[1];
      const own = draft.action === entry.name ? tagContext(type && byType[type] ? byType[type] : all) : {};
      const { context: existing, facts: found } = await resourceContext(resource, call, facts);
      checks.push({
        action: draft.action,
        resource,
        context: { ...callContext(call), ...serviceContext(draft.action, call, found), ...own, ...existing, ...draft.context },
        because: draft.because,
        ...(draft.resourcePolicy ? { resourcePolicy: draft.resourcePolicy } : {}),
      });
    }
  }
  return checks;
}
