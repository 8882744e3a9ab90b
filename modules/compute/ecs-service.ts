import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsService as EcsServiceResource } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { EcsCluster } from "./ecs-cluster";
import { attachPolicy, RoleGrantee, serviceTrustPolicy, unscopedStatement, XRAY_WRITE_ACTIONS, type Grantable } from "../core/iam";
import type { KmsKey } from "../core/kms-key";
import { LogGroup } from "../core/log-group";
import { validateProps } from "../core/validation";

/** The official X-Ray daemon image, pinned so a task never changes under a redeploy. */
export const DEFAULT_XRAY_DAEMON_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.12";
/** Name (and link alias) of the daemon sidecar: the app sends segments to `xray-daemon:2000`. */
const XRAY_DAEMON_CONTAINER = "xray-daemon";
const XRAY_DAEMON_PORT = 2000;

export interface LoadBalancerTarget {
  readonly targetGroupArn: string;
  /** `ALBRequestCountPerTarget` resource label: `<alb arn suffix>/<target group arn suffix>`. */
  readonly requestCountResourceLabel: string;
  /** The listener, which must exist before the service registers targets. */
  readonly listener: ITerraformDependable;
}

export interface EcsServiceProps {
  readonly serviceName: string;
  /** Cluster the service runs on, through its default capacity provider. */
  readonly cluster: EcsCluster;
  /** Full image reference, `<repository url>:<tag>`. */
  readonly image: string;
  readonly containerPort: number;
  readonly accountId: string;
  readonly region: string;
  /** Encrypts the service's log group. */
  readonly kmsKey: KmsKey;
  readonly loadBalancer: LoadBalancerTarget;
  /**
   * CPU units of the task (1024 = one vCPU).
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Hard memory limit of the task.
   * @default 512
   */
  readonly memoryMiB?: number;
  /**
   * Tasks when the service is created; service autoscaling moves it between min and max.
   * @default minCount
   */
  readonly desiredCount?: number;
  /**
   * @default 1
   */
  readonly minCount?: number;
  /**
   * @default 4
   */
  readonly maxCount?: number;
  /**
   * Average CPU service autoscaling aims for.
   * @default 60
   */
  readonly cpuTargetPercent?: number;
  /**
   * Load balancer requests per task per minute service autoscaling aims for.
   * @default 1000
   */
  readonly requestsPerTargetPerMinute?: number;
  /**
   * Seconds new tasks may fail load balancer health checks while starting.
   * @default 60
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Roll a deployment back when its tasks keep failing to become healthy.
   * @default true
   */
  readonly enableCircuitBreaker?: boolean;
  /**
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * X-Ray: an X-Ray daemon sidecar in every task, `AWS_XRAY_DAEMON_ADDRESS` in the app container
   * (the app's X-Ray SDK sends its segments there), and X-Ray write access for the task role.
   * @default true
   */
  readonly enableTracing?: boolean;
  /**
   * Image of the X-Ray daemon sidecar.
   * @default DEFAULT_XRAY_DAEMON_IMAGE (the official image, pinned)
   */
  readonly xrayDaemonImage?: string;
}

/**
 * A load-balanced ECS service on EC2: a hardened task definition (non-privileged, read-only root
 * file system, separate task and execution roles, awslogs to an encrypted log group), rolling
 * deployments with circuit-breaker rollback, spread across AZs, and target-tracking autoscaling
 * on CPU and on requests per target; an X-Ray daemon sidecar traces requests through the app.
 * Grants on `service` go to the task role.
 */
export class EcsService extends Construct implements Grantable {
  readonly service: EcsServiceResource;
  readonly taskDefinition: EcsTaskDefinition;
  /** The application's role: what the code in the container may do. */
  readonly role: IamRole;
  /** The agent's role for this task: pull the image, write the logs. */
  readonly executionRole: IamRole;
  readonly logGroup: LogGroup;
  /** Grants on the execution role (e.g. `repository.grantPull(service.execution)`). */
  readonly execution: RoleGrantee;

  constructor(scope: Construct, id: string, props: EcsServiceProps) {
    super(scope, id);
    const minCount = props.minCount ?? 1;
    const maxCount = props.maxCount ?? 4;
    const desiredCount = props.desiredCount ?? minCount;
    const { containerPort } = props;
    const cpu = props.cpu ?? 256;
    const memoryMiB = props.memoryMiB ?? 512;
    validateProps(this, props, (check) => {
      check.integer("containerPort", containerPort, 1024, 65535, " (unprivileged ports only: the container runs as non-root)");
      check.integer("cpu", cpu, 128, 16384, " CPU units");
      check.integer("memoryMiB", memoryMiB, 128, 122880, " MiB");
      // A service always runs a task: the counts start at 1.
      check.minDesiredMax(["minCount", minCount], ["desiredCount", desiredCount], ["maxCount", maxCount], 1);
      check.integer("cpuTargetPercent", props.cpuTargetPercent, 10, 90, " percent");
      check.integer("requestsPerTargetPerMinute", props.requestsPerTargetPerMinute, 1);
      check.integer("healthCheckGracePeriodSeconds", props.healthCheckGracePeriodSeconds, 0, 3600, " seconds");
    });
    const name = props.serviceName;

    this.logGroup = new LogGroup(this, "logs", {
      name: `/ecs/${name}`,
      kmsKey: props.kmsKey,
      retentionInDays: props.logRetentionDays ?? 365,
    });

    const taskTrust = serviceTrustPolicy(
      "ecs-tasks.amazonaws.com",
      props.accountId,
      `arn:aws:ecs:${props.region}:${props.accountId}:*`,
    );
    this.role = new IamRole(this, "task-role", {
      name: `${name}-task`,
      description: `Application role of the ${name} tasks`,
      assumeRolePolicy: taskTrust,
    });
    this.executionRole = new IamRole(this, "execution-role", {
      name: `${name}-execution`,
      description: `ECS agent role for the ${name} tasks: image pull and logs`,
      assumeRolePolicy: taskTrust,
    });
    this.execution = new RoleGrantee(this, "execution", this.executionRole);
    attachPolicy(this.execution, "write-logs", [
      {
        Sid: "WriteServiceLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroup.arn}:*`,
      },
    ]);

    const containerName = "app";
    const enableTracing = props.enableTracing ?? true;
    const awslogs = (streamPrefix: string) => ({
      logDriver: "awslogs",
      options: {
        "awslogs-group": this.logGroup.name,
        "awslogs-region": props.region,
        "awslogs-stream-prefix": streamPrefix,
        mode: "non-blocking",
        "max-buffer-size": "4m",
      },
    });
    const hardening = {
      privileged: false,
      readonlyRootFilesystem: true,
      user: "1000:1000",
      linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
    };
    // Non-essential: traces are diagnostics, so a daemon that dies costs traces, never requests (an
    // essential container's exit would stop the whole task). The app's SDK sends segments over UDP,
    // fire-and-forget, so it never waits on the daemon either way.
    const daemon = {
      name: XRAY_DAEMON_CONTAINER,
      image: props.xrayDaemonImage ?? DEFAULT_XRAY_DAEMON_IMAGE,
      essential: false,
      cpu: 32,
      memoryReservation: 32,
      // The image's entrypoint listens on 0.0.0.0:2000, which the linked app container reaches; no
      // host port is published. Local mode: with IMDSv2 at hop limit 1 no container reaches instance
      // metadata, and the daemon needs none (region from the flag, credentials from the task role).
      // The segment buffer stays well under the task's memory; logs go to stdout, nothing to disk.
      command: ["--local-mode", "--region", props.region, "--buffer-memory", "8", "--log-level", "warn"],
      ...hardening,
      // The image's own unprivileged `xray` user.
      user: "10001:10001",
      stopTimeout: 10,
      logConfiguration: awslogs("xray"),
    };

    this.taskDefinition = new EcsTaskDefinition(this, "task", {
      family: name,
      requiresCompatibilities: ["EC2"],
      // Bridge mode with dynamic host ports: many tasks per instance, no ENI limits.
      networkMode: "bridge",
      cpu: String(cpu),
      memory: String(memoryMiB),
      taskRoleArn: this.role.arn,
      executionRoleArn: this.executionRole.arn,
      containerDefinitions: JSON.stringify([
        {
          name: containerName,
          image: props.image,
          essential: true,
          portMappings: [{ containerPort, hostPort: 0, protocol: "tcp" }],
          environment: Object.entries({
            PORT: String(containerPort),
            ...(enableTracing && { AWS_XRAY_DAEMON_ADDRESS: `${XRAY_DAEMON_CONTAINER}:${XRAY_DAEMON_PORT}` }),
            ...props.environment,
          }).map(([key, value]) => ({ name: key, value })),
          ...(enableTracing && {
            // Bridge mode: a link is how one container of the task reaches another by name.
            links: [XRAY_DAEMON_CONTAINER],
            dependsOn: [{ containerName: XRAY_DAEMON_CONTAINER, condition: "START" }],
          }),
          ...hardening,
          stopTimeout: 30,
          logConfiguration: awslogs(name),
        },
        ...(enableTracing ? [daemon] : []),
      ]),
    });

    if (enableTracing) {
      // X-Ray has no resource-level permissions for its write actions.
      attachPolicy(this, "write-traces", [unscopedStatement("WriteTraces", XRAY_WRITE_ACTIONS)]);
    }

    this.service = new EcsServiceResource(this, "service", {
      name,
      cluster: props.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount,
      capacityProviderStrategy: [{ capacityProvider: props.cluster.capacityProvider.name, weight: 1, base: 0 }],
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: props.enableCircuitBreaker ?? true, rollback: props.enableCircuitBreaker ?? true },
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 60,
      loadBalancer: [{ targetGroupArn: props.loadBalancer.targetGroupArn, containerName, containerPort }],
      orderedPlacementStrategy: [
        { type: "spread", field: "attribute:ecs.availability-zone" },
        { type: "binpack", field: "memory" },
      ],
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      // Created before the cluster knows its capacity provider, the service would be rejected.
      dependsOn: [props.loadBalancer.listener, props.cluster.capacityProviderAssociation],
      // Service autoscaling owns the task count once the service exists.
      lifecycle: { ignoreChanges: ["desired_count"] },
    });

    const target = new AppautoscalingTarget(this, "scaling-target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.cluster.name}/${this.service.name}`,
      minCapacity: minCount,
      maxCapacity: maxCount,
    });
    const policies = [
      { id: "cpu", metric: "ECSServiceAverageCPUUtilization", value: props.cpuTargetPercent ?? 60, label: undefined },
      {
        id: "requests",
        metric: "ALBRequestCountPerTarget",
        value: props.requestsPerTargetPerMinute ?? 1000,
        label: props.loadBalancer.requestCountResourceLabel,
      },
    ];
    for (const policy of policies) {
      new AppautoscalingPolicy(this, `scaling-${policy.id}`, {
        name: `${name}-${policy.id}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: policy.value,
          predefinedMetricSpecification: { predefinedMetricType: policy.metric, resourceLabel: policy.label },
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
        },
      });
    }
  }

  get name(): string {
    return this.service.name;
  }
}
