import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { attachPolicy, serviceTrustPolicy, SESSION_CHANNEL_ACTIONS, unscopedStatement } from "../core/iam";
import { validateProps } from "../core/validation";
import architectures from "./instance-architectures.json";

/** Docker's dynamic host ports: bridge-mode tasks publish their container port on one of these. */
export const DYNAMIC_PORT_RANGE = { fromPort: 32768, toPort: 65535 } as const;

/** Auto Scaling group metrics published to CloudWatch: capacity as wanted, in service and pending. */
export const ASG_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
] as const;

/**
 * ECS-optimized Amazon Linux 2023 per CPU architecture, resolved by EC2 at launch, so no API call
 * at plan time.
 */
export const ECS_AL2023_AMI = {
  x86_64: "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
  arm64: "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
} as const;

/** CPU architecture of an instance type, by its family (`m7g.large` → arm64); undefined for an unknown family. */
export function architectureOf(instanceType: string): keyof typeof ECS_AL2023_AMI | undefined {
  const family = instanceType.split(".")[0] ?? "";
  if (architectures.arm64.includes(family)) return "arm64";
  if (architectures.x86_64.includes(family)) return "x86_64";
  return undefined;
}

export interface EcsClusterProps {
  readonly clusterName: string;
  readonly vpcId: string;
  /** Subnets of the container instances. */
  readonly subnetIds: string[];
  readonly accountId: string;
  readonly region: string;
  /** EC2 instance type; its family's architecture picks the ECS-optimized AMI (x86_64 or arm64). */
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /**
   * Instances at creation; ECS managed scaling owns the number afterwards.
   * @default minCapacity
   */
  readonly desiredCapacity?: number;
  /**
   * Give instances public IPs. Only for subnets without NAT, where instances otherwise cannot
   * reach ECS and ECR; the security group still admits only what `allowFrom` opens.
   * @default false
   */
  readonly enablePublicIp?: boolean;
  /**
   * ECS managed termination protection: scale-in never terminates an instance running tasks.
   * The group is then created with `force_delete`, so `destroy` does not hang on protected instances.
   * @default false
   */
  readonly enableManagedTerminationProtection?: boolean;
  /**
   * Container Insights: per-service task counts (running versus desired) and per-task CPU and
   * memory, which the running-task alarm needs. It is billed as custom metrics and log ingestion,
   * roughly USD 2-5 a month for a small cluster.
   * @default true
   */
  readonly enableContainerInsights?: boolean;
  /**
   * Size of each instance's encrypted root volume.
   * @default 30
   */
  readonly rootVolumeGiB?: number;
  /**
   * Tags for the instances and root volumes the Auto Scaling group launches. The provider's
   * `default_tags` never reach them (EC2 Auto Scaling launches them, not Terraform), so cost
   * allocation and budgets filtered on these tags would miss the cluster's EC2 cost without them.
   * `Name` and `AmazonECSManaged` are the cluster's own.
   * @default - only `Name` and `AmazonECSManaged`
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Tags the cluster sets itself on what it launches; a caller's tags may not replace them. */
const OWN_INSTANCE_TAGS = ["Name", "AmazonECSManaged"] as const;

/**
 * An ECS cluster of EC2 instances: Container Insights, a hardened launch template (IMDSv2 only,
 * hop limit 1, tasks blocked from the instance metadata and role, encrypted gp3 root volume,
 * detailed monitoring), an Auto Scaling group, and a capacity provider with managed scaling and
 * draining as the cluster's default strategy.
 */
export class EcsCluster extends Construct {
  readonly cluster: EcsClusterResource;
  readonly capacityProvider: EcsCapacityProvider;
  /** The cluster's link to its capacity provider; services must be created after it. */
  readonly capacityProviderAssociation: EcsClusterCapacityProviders;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly instanceSecurityGroup: SecurityGroup;
  /** Role of the container instances (the ECS agent); tasks get their own roles. */
  readonly role: IamRole;
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const { minCapacity, maxCapacity, instanceType } = props;
    const desiredCapacity = props.desiredCapacity ?? minCapacity;
    const architecture = architectureOf(instanceType);
    const tags = props.tags ?? {};
    validateProps(this, props, (check) => {
      check.minDesiredMax(["minCapacity", minCapacity], ["desiredCapacity", desiredCapacity], ["maxCapacity", maxCapacity], 0);
      check.check(architecture !== undefined, "instanceType", instanceType, "is not an EC2 instance type of a known family (instance-architectures.json), so no ECS-optimized AMI can be chosen");
      for (const key of Object.keys(tags)) {
        const own = (OWN_INSTANCE_TAGS as readonly string[]).includes(key) || key.toLowerCase().startsWith("aws:");
        check.check(!own, `tags.${key}`, tags[key], `is not allowed: ${OWN_INSTANCE_TAGS.join(" and ")} are set by the cluster, and aws: is reserved by AWS`);
      }
    });
    const protect = props.enableManagedTerminationProtection ?? false;
    const name = props.clusterName;
    const instanceTags = { ...tags, Name: `${name}-instance` };

    this.cluster = new EcsClusterResource(this, "cluster", {
      name,
      setting: [{ name: "containerInsights", value: (props.enableContainerInsights ?? true) ? "enabled" : "disabled" }],
    });
    this.name = this.cluster.name;
    this.arn = this.cluster.arn;

    this.instanceSecurityGroup = new SecurityGroup(this, "instance-sg", {
      name: `${name}-instances`,
      description: `ECS container instances of ${name}: inbound only from what is explicitly allowed`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-instances` },
    });
    // Instances pull images and talk to ECS, CloudWatch and DynamoDB over HTTPS only.
    new VpcSecurityGroupEgressRule(this, "instance-egress-https", {
      securityGroupId: this.instanceSecurityGroup.id,
      description: "HTTPS to AWS APIs and ECR",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });

    this.role = new IamRole(this, "instance-role", {
      name: `${name}-instance`,
      description: `ECS container instances of ${name}`,
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com", props.accountId),
    });
    const instanceArns = `arn:aws:ecs:${props.region}:${props.accountId}:container-instance/${name}/*`;
    // The actions of AmazonEC2ContainerServiceforEC2Role, scoped to this cluster instead of "*".
    attachPolicy(this, "ecs-agent", [
      {
        Sid: "JoinThisCluster",
        Effect: "Allow",
        Action: ["ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance", "ecs:SubmitContainerStateChange", "ecs:SubmitTaskStateChange", "ecs:SubmitAttachmentStateChanges"],
        Resource: this.cluster.arn,
      },
      {
        Sid: "AgentSessionsInThisCluster",
        Effect: "Allow",
        // Checked against container-instance ARNs, so scoped by the ecs:cluster condition instead.
        Action: ["ecs:Poll", "ecs:StartTelemetrySession", "ecs:PutSystemLogEvents", "ecs:UpdateContainerInstancesState"],
        Resource: instanceArns,
        Condition: { ArnEquals: { "ecs:cluster": this.cluster.arn } },
      },
      {
        Sid: "TagOwnRegistration",
        Effect: "Allow",
        Action: "ecs:TagResource",
        Resource: instanceArns,
        Condition: { StringEquals: { "ecs:CreateAction": "RegisterContainerInstance" } },
      },
      unscopedStatement("DiscoverEndpoint", ["ecs:DiscoverPollEndpoint"]),
    ]);
    // Session Manager instead of SSH: no key pairs, no inbound port, every session logged.
    attachPolicy(this, "ssm-session", [
      {
        Sid: "RegisterWithSsm",
        Effect: "Allow",
        Action: "ssm:UpdateInstanceInformation",
        Resource: `arn:aws:ec2:${props.region}:${props.accountId}:instance/*`,
      },
      unscopedStatement("SessionChannels", SESSION_CHANNEL_ACTIONS),
    ]);
    const profile = new IamInstanceProfile(this, "instance-profile", {
      name: `${name}-instance`,
      role: this.role.name,
    });

    const userData = [
      "#!/bin/bash",
      "set -euo pipefail",
      "cat >> /etc/ecs/ecs.config <<'EOF'",
      `ECS_CLUSTER=${name}`,
      // Tasks get their own role's credentials from the agent (169.254.170.2), never the instance's.
      "ECS_ENABLE_TASK_IAM_ROLE=true",
      "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false",
      "ECS_CONTAINER_STOP_TIMEOUT=30s",
      "ECS_ENABLE_CONTAINER_METADATA=true",
      "EOF",
      // Hop limit 1 already stops bridge-mode containers getting an IMDSv2 token; this drop (on FORWARD,
      // which exists before Docker starts) stops every packet from a container to the metadata service.
      "iptables --insert FORWARD 1 --in-interface docker+ --destination 169.254.169.254/32 --jump DROP",
      "",
    ].join("\n");

    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: `${name}-instances`,
      description: `ECS container instances of ${name}`,
      // Graviton families boot the arm64 image; an unknown family was reported above.
      imageId: ECS_AL2023_AMI[architecture ?? "x86_64"],
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      userData: Fn.base64encode(userData),
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      monitoring: { enabled: true },
      networkInterfaces: [
        {
          associatePublicIpAddress: String(props.enablePublicIp ?? false),
          securityGroups: [this.instanceSecurityGroup.id],
          deleteOnTermination: "true",
        },
      ],
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          // The account's default EBS key: a customer key would also need a grant for the
          // Auto Scaling service-linked role, or every launch fails.
          ebs: { volumeSize: props.rootVolumeGiB ?? 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      // Volumes get tags only from here: the group propagates its tags to instances alone.
      tagSpecifications: [
        { resourceType: "instance", tags: instanceTags },
        { resourceType: "volume", tags: instanceTags },
      ],
    });

    this.autoScalingGroup = new AutoscalingGroup(this, "asg", {
      name: `${name}-instances`,
      vpcZoneIdentifier: props.subnetIds,
      minSize: minCapacity,
      maxSize: maxCapacity,
      desiredCapacity,
      launchTemplate: { id: launchTemplate.id, version: "$Latest" },
      healthCheckType: "EC2",
      // One-minute group metrics (free) for the in-service instance alarm and the dashboard.
      enabledMetrics: [...ASG_METRICS],
      metricsGranularity: "1Minute",
      defaultInstanceWarmup: 120,
      protectFromScaleIn: protect,
      // With scale-in protection, a normal delete waits forever for protected instances.
      forceDelete: protect,
      tag: [
        { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
        ...Object.entries(instanceTags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      ],
      // ECS managed scaling sets the desired capacity; Terraform must not set it back.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });

    this.capacityProvider = new EcsCapacityProvider(this, "capacity-provider", {
      name: `${name}-ec2`,
      autoScalingGroupProvider: {
        autoScalingGroupArn: this.autoScalingGroup.arn,
        managedTerminationProtection: protect ? "ENABLED" : "DISABLED",
        managedDraining: "ENABLED",
        managedScaling: {
          status: "ENABLED",
          targetCapacity: 100,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: Math.max(1, Math.ceil(maxCapacity / 2)),
          instanceWarmupPeriod: 120,
        },
      },
    });
    this.capacityProviderAssociation = new EcsClusterCapacityProviders(this, "capacity-providers", {
      clusterName: this.cluster.name,
      capacityProviders: [this.capacityProvider.name],
      defaultCapacityProviderStrategy: [{ capacityProvider: this.capacityProvider.name, weight: 1, base: 0 }],
    });
  }

  /** Admits `sourceSecurityGroupId` to the dynamic host ports bridge-mode tasks publish on. */
  allowFrom(id: string, sourceSecurityGroupId: string, description: string): void {
    new VpcSecurityGroupIngressRule(this, `ingress-${id}`, {
      securityGroupId: this.instanceSecurityGroup.id,
      description,
      ipProtocol: "tcp",
      fromPort: DYNAMIC_PORT_RANGE.fromPort,
      toPort: DYNAMIC_PORT_RANGE.toPort,
      referencedSecurityGroupId: sourceSecurityGroupId,
    });
  }
}
