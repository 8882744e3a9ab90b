/**
 * What exists in the emulator, per kind, for "nothing left behind" after a destroy; and the
 * state bucket and lock table as Terraform left them. Asked as the administrator.
 */
import { APIGatewayClient, GetRestApisCommand } from "@aws-sdk/client-api-gateway";
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from "@aws-sdk/client-application-auto-scaling";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand, ListDashboardsCommand } from "@aws-sdk/client-cloudwatch";
import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient, GetItemCommand, ListTablesCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeAddressesCommand, DescribeFlowLogsCommand, DescribeInternetGatewaysCommand, DescribeLaunchTemplatesCommand, DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand,
  DescribeVpcsCommand, EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DescribeCapacityProvidersCommand, DescribeClustersCommand, DescribeServicesCommand, ECSClient, ListClustersCommand, ListServicesCommand, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient, ListPoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { GetBucketVersioningCommand, HeadObjectCommand, ListBucketsCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { ListWebACLsCommand, WAFV2Client } from "@aws-sdk/client-wafv2";

/** Endpoint, region and credentials of an SDK client pointed at the emulator. */
export interface EmulatorAccess {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export const clientConfig = (access: EmulatorAccess) => ({
  endpoint: access.endpoint,
  region: access.region,
  credentials: access.credentials,
  forcePathStyle: true,
  maxAttempts: 2,
});

export type Inventory = Record<string, string[]>;

export interface InventoryReport {
  readonly kinds: Inventory;
  /** Emulator leftovers AWS would not have, reported rather than counted. */
  readonly quirks: readonly string[];
}

/** Everything that exists now, by kind, with the emulator's known quirks set aside (and listed). */
export async function inventory(access: EmulatorAccess, capacityProviders: readonly string[]): Promise<InventoryReport> {
  const config = clientConfig(access);
  const quirks: string[] = [];
  const ec2 = new EC2Client(config);
  const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
  const vpcIds = new Set(vpcs.map((vpc) => vpc.VpcId));
  const acls = ((await ec2.send(new DescribeNetworkAclsCommand({}))).NetworkAcls ?? []).filter((acl) => {
    // moto's delete_vpc keeps the default network ACL of a deleted VPC; AWS deletes it with the VPC.
    if (acl.IsDefault && !vpcIds.has(acl.VpcId)) {
      quirks.push(`ec2:network-acl ${acl.NetworkAclId}: default ACL of deleted ${acl.VpcId} kept by moto`);
      return false;
    }
    return true;
  });

  const kms = new KMSClient(config);
  const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
  const awsManaged = new Map(aliases.filter((a) => a.AliasName?.startsWith("alias/aws/")).map((a) => [a.TargetKeyId, a.AliasName]));
  const keys: string[] = [];
  for (const key of (await kms.send(new ListKeysCommand({}))).Keys ?? []) {
    if (awsManaged.has(key.KeyId)) {
      // moto creates a service's AWS-managed default key on first use but labels it CUSTOMER.
      quirks.push(`kms:key ${key.KeyId}: ${awsManaged.get(key.KeyId)} default key, created by moto, labelled CUSTOMER`);
      continue;
    }
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
    // A destroyed key is scheduled for deletion (7-30 days), as on AWS: it counts as gone.
    if (meta?.KeyManager === "CUSTOMER" && meta.KeyState !== "PendingDeletion") keys.push(String(key.KeyId));
  }

  const ecs = new ECSClient(config);
  const clusterArns = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
  const clusters = clusterArns.length > 0 ? ((await ecs.send(new DescribeClustersCommand({ clusters: clusterArns }))).clusters ?? []) : [];
  const services: string[] = [];
  for (const cluster of clusterArns) {
    const arns = (await ecs.send(new ListServicesCommand({ cluster }))).serviceArns ?? [];
    for (let start = 0; start < arns.length; start += 10) {
      const described = (await ecs.send(new DescribeServicesCommand({ cluster, services: arns.slice(start, start + 10) }))).services ?? [];
      // A deleted service stays visible as INACTIVE for a while, on AWS as in moto: it is gone.
      services.push(...described.filter((svc) => svc.status !== "INACTIVE").map((svc) => String(svc.serviceArn)));
    }
  }
  const logs = new CloudWatchLogsClient(config);
  const iam = new IAMClient(config);
  // moto 5.2.5 answers CloudWatch in its query protocol only; the SDK now defaults to JSON 1.0.
  const cloudwatch = new CloudWatchClient({
    ...config,
    protocol: new AwsQueryProtocol({ defaultNamespace: "com.amazonaws.cloudwatch", xmlNamespace: "http://monitoring.amazonaws.com/doc/2010-08-01/", version: "2010-08-01" }),
  });
  const elb = new ElasticLoadBalancingV2Client(config);

  const kinds: Inventory = {
    "ec2:vpc": vpcs.map((vpc) => `${vpc.VpcId} ${vpc.CidrBlock}`),
    "ec2:subnet": ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).map((s) => `${s.SubnetId} ${s.CidrBlock}`),
    "ec2:route-table": ((await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables ?? []).map((t) => String(t.RouteTableId)),
    "ec2:internet-gateway": ((await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways ?? []).map((g) => String(g.InternetGatewayId)),
    "ec2:nat-gateway": ((await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? []).filter((g) => !["deleted", "deleting"].includes(String(g.State))).map((g) => String(g.NatGatewayId)),
    "ec2:elastic-ip": ((await ec2.send(new DescribeAddressesCommand({}))).Addresses ?? []).map((a) => String(a.AllocationId ?? a.PublicIp)),
    "ec2:vpc-endpoint": ((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? []).filter((e) => !["deleted", "deleting"].includes(String(e.State).toLowerCase())).map((e) => String(e.VpcEndpointId)),
    "ec2:flow-log": ((await ec2.send(new DescribeFlowLogsCommand({}))).FlowLogs ?? []).map((f) => String(f.FlowLogId)),
    "ec2:security-group": ((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((g) => String(g.GroupId)),
    "ec2:network-acl": acls.map((acl) => String(acl.NetworkAclId)),
    "ec2:launch-template": ((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? []).map((t) => String(t.LaunchTemplateName)),
    "logs:log-group": ((await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => String(g.logGroupName)),
    "iam:role": ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => String(r.RoleName)),
    "iam:policy": ((await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? []).map((p) => String(p.Arn)),
    "kms:key": keys,
    "kms:alias": aliases.filter((a) => !a.AliasName?.startsWith("alias/aws/")).map((a) => String(a.AliasName)),
    "s3:bucket": ((await new S3Client(config).send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => String(b.Name)),
    "dynamodb:table": (await new DynamoDBClient(config).send(new ListTablesCommand({}))).TableNames ?? [],
    "lambda:function": ((await new LambdaClient(config).send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => String(f.FunctionName)),
    "apigateway:rest-api": ((await new APIGatewayClient(config).send(new GetRestApisCommand({}))).items ?? []).map((a) => String(a.id)),
    "cloudwatch:alarm": ((await cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => String(a.AlarmName)),
    "cloudwatch:dashboard": ((await cloudwatch.send(new ListDashboardsCommand({}))).DashboardEntries ?? []).map((d) => String(d.DashboardName)),
    "sns:topic": ((await new SNSClient(config).send(new ListTopicsCommand({}))).Topics ?? []).map((t) => String(t.TopicArn)),
    "ecr:repository": ((await new ECRClient(config).send(new DescribeRepositoriesCommand({}))).repositories ?? []).map((r) => String(r.repositoryName)),
    "ecs:cluster": clusters.filter((c) => c.status !== "INACTIVE").map((c) => String(c.clusterArn)),
    "ecs:service": services,
    // A deregistered task definition stays visible as INACTIVE on AWS too: only ACTIVE ones count.
    "ecs:task-definition": (await ecs.send(new ListTaskDefinitionsCommand({ status: "ACTIVE" }))).taskDefinitionArns ?? [],
    // moto cannot list capacity providers (DescribeCapacityProviders without names fails): asked by name.
    "ecs:capacity-provider":
      capacityProviders.length > 0
        ? ((await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [...capacityProviders] }))).capacityProviders ?? []).map((c) => String(c.name))
        : [],
    "autoscaling:group": ((await new AutoScalingClient(config).send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? []).map((g) => String(g.AutoScalingGroupName)),
    "application-autoscaling:target": ((await new ApplicationAutoScalingClient(config).send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs" }))).ScalableTargets ?? []).map((t) => String(t.ResourceId)),
    "elbv2:load-balancer": ((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).map((lb) => String(lb.LoadBalancerName)),
    "elbv2:target-group": ((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).map((tg) => String(tg.TargetGroupName)),
    "wafv2:web-acl": ((await new WAFV2Client(config).send(new ListWebACLsCommand({ Scope: "REGIONAL" }))).WebACLs ?? []).map((acl) => String(acl.Name)),
  };
  return { kinds: Object.fromEntries(Object.entries(kinds).map(([kind, items]) => [kind, [...items].sort()])), quirks };
}

/** What exists now and did not in `baseline`, by kind (kinds with nothing new left out). */
export function added(baseline: Inventory, now: Inventory): Inventory {
  return Object.fromEntries(
    Object.entries(now)
      .map(([kind, items]) => [kind, items.filter((item) => !(baseline[kind] ?? []).includes(item))] as const)
      .filter(([, items]) => items.length > 0),
  );
}

export interface StateObject {
  readonly versions: number;
  readonly latest: "version" | "delete-marker" | undefined;
  readonly sse?: string;
}

export interface StateReport {
  readonly versioning: string | undefined;
  readonly objects: Readonly<Record<string, StateObject>>;
  readonly lockItems: readonly string[];
}

/** Every state object (versions, encryption) and every lock table item. */
export async function stateReport(access: EmulatorAccess, bucket: string, lockTable: string): Promise<StateReport> {
  const s3 = new S3Client(clientConfig(access));
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const objects: Record<string, { versions: number; latest: StateObject["latest"]; sse?: string }> = {};
  for (const version of listed.Versions ?? []) {
    const entry = (objects[String(version.Key)] ??= { versions: 0, latest: undefined });
    entry.versions += 1;
    if (version.IsLatest) entry.latest = "version";
  }
  for (const marker of listed.DeleteMarkers ?? []) {
    const entry = (objects[String(marker.Key)] ??= { versions: 0, latest: undefined });
    if (marker.IsLatest) entry.latest = "delete-marker";
  }
  for (const [key, entry] of Object.entries(objects)) {
    if (entry.latest === "version") entry.sse = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ServerSideEncryption;
  }
  const lockItems = ((await new DynamoDBClient(clientConfig(access)).send(new ScanCommand({ TableName: lockTable }))).Items ?? []).map((item) => String(item.LockID?.S));
  const versioning = (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;
  return { versioning, objects, lockItems: lockItems.sort() };
}

/** Whether Terraform's DynamoDB lock item `<bucket>/<key>` exists. */
export async function lockHeld(access: EmulatorAccess, lockTable: string, lockId: string): Promise<boolean> {
  const item = await new DynamoDBClient(clientConfig(access)).send(new GetItemCommand({ TableName: lockTable, Key: { LockID: { S: lockId } }, ConsistentRead: true }));
  return item.Item !== undefined;
}
