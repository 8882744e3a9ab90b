import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService as EcsServiceResource } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { Alb } from "../../../modules/compute/alb";
import { EcrRepository } from "../../../modules/compute/ecr-repository";
import { EcsCluster } from "../../../modules/compute/ecs-cluster";
import { DEFAULT_XRAY_DAEMON_IMAGE, EcsService, type EcsServiceProps } from "../../../modules/compute/ecs-service";
import { KmsKey } from "../../../modules/core/kms-key";
import { entries, problemsOf, reference, referenceTo, resource, resources, statements, synthConstruct, type StackJson } from "../../support/synth";

type Body = Record<string, unknown>;

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const NAME = "acme-test-backend";
const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme-test-backend:1.2.3";

type ServiceOptions = Partial<Omit<EcsServiceProps, "cluster" | "kmsKey" | "loadBalancer">>;

/** A service on a cluster behind a load balancer; with `pull` its execution role may pull from a repository. */
function addService(scope: Construct, props: ServiceOptions = {}, pull = false): void {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-service", description: "service", accountId: ACCOUNT });
  const cluster = new EcsCluster(scope, "cluster", {
    clusterName: "acme-test",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    accountId: ACCOUNT,
    region: REGION,
    instanceType: "t3.small",
    minCapacity: 1,
    maxCapacity: 2,
  });
  const alb = new Alb(scope, "alb", {
    name: "acme-test",
    vpcId: "vpc-1",
    subnetIds: ["subnet-c", "subnet-d"],
    accountId: ACCOUNT,
    region: REGION,
    targetPort: 8080,
  });
  const service = new EcsService(scope, "service", {
    serviceName: NAME,
    cluster,
    image: IMAGE,
    containerPort: 8080,
    accountId: ACCOUNT,
    region: REGION,
    kmsKey,
    loadBalancer: {
      targetGroupArn: alb.targetGroup.arn,
      requestCountResourceLabel: alb.requestCountResourceLabel,
      listener: alb.listener,
    },
    ...props,
  });
  if (pull) {
    const repository = new EcrRepository(scope, "repository", { repositoryName: NAME, kmsKey });
    repository.grantPull(service.execution);
  }
}

const synthService = (props: ServiceOptions = {}, pull = false): StackJson => synthConstruct((scope) => addService(scope, props, pull));
/** What the service reports about `props` at synth. */
const problems = (props: ServiceOptions): string[] => problemsOf((scope) => addService(scope, props));

/** The IAM role named `name` and its logical id. */
function role(json: StackJson, name: string): { ref: string; arn: string; body: Body } {
  const found = entries(json, IamRole).find(([, body]) => body.name === name);
  if (!found) throw new Error(`no role ${name}`);
  return { ref: reference(IamRole, found[0]), arn: reference(IamRole, found[0], "arn"), body: found[1] };
}

/** Inline policies of the role named `name`, by policy name. */
function policiesOf(json: StackJson, name: string): Record<string, Body[]> {
  const { ref } = role(json, name);
  return Object.fromEntries(
    resources(json, IamRolePolicy)
      .filter((policy) => policy.role === ref)
      .map((policy) => [policy.name as string, statements(policy.policy)]),
  );
}

const serviceLogGroup = (json: StackJson): [string, Body] =>
  entries(json, CloudwatchLogGroup).find(([, group]) => group.name === `/ecs/${NAME}`)!;

const containerDefinitions = (json: StackJson): Body[] => JSON.parse(resource(json, EcsTaskDefinition).container_definitions as string) as Body[];

describe("EcsService", () => {
  describe("defaults", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthService();
    });

    describe("task definition", () => {
      let task: Body;
      let container: Body;
      beforeAll(() => {
        task = resource(json, EcsTaskDefinition);
        [container] = containerDefinitions(json) as [Body];
      });

      it("runs on EC2 in bridge network mode with 256 CPU units and 512 MiB", () => {
        expect(task).toEqual(
          expect.objectContaining({
            family: NAME,
            network_mode: "bridge",
            requires_compatibilities: ["EC2"],
            cpu: "256",
            memory: "512",
          }),
        );
      });

      it("has separate task and execution roles", () => {
        const taskRole = role(json, `${NAME}-task`);
        const executionRole = role(json, `${NAME}-execution`);
        expect(taskRole.ref).not.toBe(executionRole.ref);
        expect(task).toEqual(expect.objectContaining({ task_role_arn: taskRole.arn, execution_role_arn: executionRole.arn }));
      });

      it("has one essential container running the image, and the X-Ray daemon sidecar", () => {
        expect(containerDefinitions(json).map((definition) => definition.name)).toEqual(["app", "xray-daemon"]);
        expect(container).toEqual(expect.objectContaining({ name: "app", image: IMAGE, essential: true }));
      });

      it("publishes the container port on a dynamic host port (hostPort 0)", () => {
        expect(container.portMappings).toEqual([{ containerPort: 8080, hostPort: 0, protocol: "tcp" }]);
      });

      it("passes the port as PORT, and the daemon's address as AWS_XRAY_DAEMON_ADDRESS", () => {
        expect(container.environment).toEqual([
          { name: "PORT", value: "8080" },
          { name: "AWS_XRAY_DAEMON_ADDRESS", value: "xray-daemon:2000" },
        ]);
      });

      it("runs unprivileged as 1000:1000 on a read-only root file system", () => {
        expect(container).toEqual(expect.objectContaining({ privileged: false, readonlyRootFilesystem: true, user: "1000:1000" }));
      });

      it("drops every Linux capability and runs an init process", () => {
        expect(container.linuxParameters).toEqual({ initProcessEnabled: true, capabilities: { drop: ["ALL"] } });
      });

      it("sends logs with awslogs to the service's log group", () => {
        const [id] = serviceLogGroup(json);
        expect(container.logConfiguration).toEqual({
          logDriver: "awslogs",
          options: expect.objectContaining({
            "awslogs-group": reference(CloudwatchLogGroup, id, "name"),
            "awslogs-region": REGION,
            "awslogs-stream-prefix": NAME,
          }),
        });
      });
    });

    it("encrypts the log group with the KMS key and keeps logs 365 days", () => {
      expect(serviceLogGroup(json)[1]).toEqual(
        expect.objectContaining({ kms_key_id: referenceTo(json, KmsKeyResource, "arn"), retention_in_days: 365 }),
      );
    });

    describe("roles", () => {
      it.each(["task", "execution"])("lets only ECS tasks of this account and region assume the %s role", (kind) => {
        expect(statements(role(json, `${NAME}-${kind}`).body.assume_role_policy)).toEqual([
          {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": ACCOUNT },
              ArnLike: { "aws:SourceArn": `arn:aws:ecs:${REGION}:${ACCOUNT}:*` },
            },
          },
        ]);
      });

      it("lets the execution role only write to the service's own log group", () => {
        const [id] = serviceLogGroup(json);
        expect(policiesOf(json, `${NAME}-execution`)).toEqual({
          "write-logs": [
            {
              Sid: "WriteServiceLogs",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: `${reference(CloudwatchLogGroup, id, "arn")}:*`,
            },
          ],
        });
      });

      it("gives the task role only X-Ray writes (no resource-level permissions exist) until something is granted", () => {
        expect(policiesOf(json, `${NAME}-task`)).toEqual({
          "write-traces": [
            { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
          ],
        });
      });
    });

    describe("X-Ray daemon sidecar", () => {
      let app: Body;
      let daemon: Body;
      beforeAll(() => {
        [app, daemon] = containerDefinitions(json) as [Body, Body];
      });

      it("runs the pinned official daemon image, non-essential, with a small CPU and memory reservation", () => {
        expect(daemon).toEqual(
          expect.objectContaining({
            name: "xray-daemon",
            image: DEFAULT_XRAY_DAEMON_IMAGE,
            essential: false,
            cpu: 32,
            memoryReservation: 32,
          }),
        );
        expect(DEFAULT_XRAY_DAEMON_IMAGE).toMatch(/^public\.ecr\.aws\/xray\/aws-xray-daemon:\d+\.\d+\.\d+$/);
      });

      it("runs in local mode for the service's region, publishing no host port", () => {
        expect(daemon.command).toEqual(["--local-mode", "--region", REGION, "--buffer-memory", "8", "--log-level", "warn"]);
        expect(daemon.portMappings).toBeUndefined();
      });

      it("is reachable from the app through a link, and starts first", () => {
        expect(app).toEqual(
          expect.objectContaining({
            links: ["xray-daemon"],
            dependsOn: [{ containerName: "xray-daemon", condition: "START" }],
          }),
        );
      });

      it("runs unprivileged as the image's xray user on a read-only root file system, without capabilities", () => {
        expect(daemon).toEqual(
          expect.objectContaining({
            privileged: false,
            readonlyRootFilesystem: true,
            user: "10001:10001",
            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
          }),
        );
      });

      it("logs to the service's log group under its own stream prefix", () => {
        const [id] = serviceLogGroup(json);
        expect(daemon.logConfiguration).toEqual({
          logDriver: "awslogs",
          options: expect.objectContaining({
            "awslogs-group": reference(CloudwatchLogGroup, id, "name"),
            "awslogs-stream-prefix": "xray",
          }),
        });
      });
    });

    describe("service", () => {
      let service: Body;
      beforeAll(() => {
        service = resource(json, EcsServiceResource);
      });

      it("runs the task definition on the cluster with one task", () => {
        expect(service).toEqual(
          expect.objectContaining({
            name: NAME,
            cluster: referenceTo(json, EcsClusterResource, "arn"),
            task_definition: referenceTo(json, EcsTaskDefinition, "arn"),
            desired_count: 1,
          }),
        );
      });

      it("rolls a failing deployment back with the circuit breaker", () => {
        expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
      });

      it("deploys without dropping below the running count (100%/200%)", () => {
        expect(service).toEqual(
          expect.objectContaining({ deployment_minimum_healthy_percent: 100, deployment_maximum_percent: 200 }),
        );
      });

      it("gives new tasks a 60 second health check grace period", () => {
        expect(service.health_check_grace_period_seconds).toBe(60);
      });

      it("places tasks through the cluster's capacity provider", () => {
        expect(service.capacity_provider_strategy).toEqual([
          expect.objectContaining({ capacity_provider: referenceTo(json, EcsCapacityProvider, "name"), weight: 1 }),
        ]);
      });

      it("registers the container port in the target group", () => {
        expect(service.load_balancer).toEqual([
          { target_group_arn: referenceTo(json, LbTargetGroup, "arn"), container_name: "app", container_port: 8080 },
        ]);
      });

      it("spreads tasks across availability zones first", () => {
        expect((service.ordered_placement_strategy as Body[])[0]).toEqual({ type: "spread", field: "attribute:ecs.availability-zone" });
      });

      it("leaves the task count to service autoscaling (lifecycle.ignore_changes)", () => {
        expect((service.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain("desired_count");
      });

      it("is created after the listener", () => {
        const [listenerId] = entries(json, LbListener)[0]!;
        expect(service.depends_on).toContain(`${LbListener.tfResourceType}.${listenerId}`);
      });
    });

    describe("autoscaling", () => {
      it("scales the service's desired count between 1 and 4", () => {
        expect(resource(json, AppautoscalingTarget)).toEqual(
          expect.objectContaining({
            service_namespace: "ecs",
            scalable_dimension: "ecs:service:DesiredCount",
            resource_id: `service/${referenceTo(json, EcsClusterResource, "name")}/${referenceTo(json, EcsServiceResource, "name")}`,
            min_capacity: 1,
            max_capacity: 4,
          }),
        );
      });

      it("tracks 60% average CPU and 1000 requests per target", () => {
        const target = referenceTo(json, AppautoscalingTarget, "resource_id");
        const policies = resources(json, AppautoscalingPolicy);
        expect(policies).toHaveLength(2);
        for (const policy of policies) {
          expect(policy).toEqual(expect.objectContaining({ policy_type: "TargetTrackingScaling", resource_id: target }));
        }
        const configs = policies.map((policy) => policy.target_tracking_scaling_policy_configuration);
        expect(configs).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              target_value: 60,
              predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
            }),
            expect.objectContaining({
              target_value: 1000,
              predefined_metric_specification: {
                predefined_metric_type: "ALBRequestCountPerTarget",
                resource_label: `${referenceTo(json, Lb, "arn_suffix")}/${referenceTo(json, LbTargetGroup, "arn_suffix")}`,
              },
            }),
          ]),
        );
      });
    });
  });

  describe("options", () => {
    it("turns the circuit breaker off with enableCircuitBreaker: false", () => {
      expect(resource(synthService({ enableCircuitBreaker: false }), EcsServiceResource).deployment_circuit_breaker).toEqual({
        enable: false,
        rollback: false,
      });
    });

    it("sizes the task with cpu and memoryMiB", () => {
      expect(resource(synthService({ cpu: 512, memoryMiB: 1024 }), EcsTaskDefinition)).toEqual(
        expect.objectContaining({ cpu: "512", memory: "1024" }),
      );
    });

    it("uses minCount, desiredCount and maxCount for the service and its scaling target", () => {
      const json = synthService({ minCount: 2, desiredCount: 3, maxCount: 6 });
      expect(resource(json, EcsServiceResource).desired_count).toBe(3);
      expect(resource(json, AppautoscalingTarget)).toEqual(expect.objectContaining({ min_capacity: 2, max_capacity: 6 }));
    });

    it("uses cpuTargetPercent and requestsPerTargetPerMinute as the tracking targets", () => {
      const json = synthService({ cpuTargetPercent: 45, requestsPerTargetPerMinute: 300 });
      const targets = resources(json, AppautoscalingPolicy).map(
        (policy) => (policy.target_tracking_scaling_policy_configuration as Body).target_value,
      );
      expect(targets).toHaveLength(2);
      expect(targets).toEqual(expect.arrayContaining([45, 300]));
    });

    it("uses healthCheckGracePeriodSeconds", () => {
      expect(resource(synthService({ healthCheckGracePeriodSeconds: 120 }), EcsServiceResource).health_check_grace_period_seconds).toBe(120);
    });

    it("keeps logs for logRetentionDays", () => {
      expect(serviceLogGroup(synthService({ logRetentionDays: 731 }))[1].retention_in_days).toBe(731);
    });

    it("adds environment variables after PORT", () => {
      const [container] = containerDefinitions(synthService({ environment: { TABLE_NAME: "items", AWS_REGION: REGION } }));
      expect(container!.environment).toEqual([
        { name: "PORT", value: "8080" },
        { name: "AWS_XRAY_DAEMON_ADDRESS", value: "xray-daemon:2000" },
        { name: "TABLE_NAME", value: "items" },
        { name: "AWS_REGION", value: REGION },
      ]);
    });

    it("lets the execution role pull images when a repository grants it pulls", () => {
      const json = synthService({}, true);
      const policies = policiesOf(json, `${NAME}-execution`);
      expect(Object.keys(policies).sort()).toEqual(["ecr-pull", "write-logs"]);
      expect(policies["ecr-pull"]).toContainEqual(
        expect.objectContaining({ Resource: referenceTo(json, EcrRepositoryResource, "arn") }),
      );
      expect(Object.keys(policiesOf(json, `${NAME}-task`))).toEqual(["write-traces"]);
    });

    it("takes the daemon image", () => {
      const daemon = containerDefinitions(synthService({ xrayDaemonImage: "registry.example/xray:1.2.3" }))[1];
      expect(daemon).toEqual(expect.objectContaining({ name: "xray-daemon", image: "registry.example/xray:1.2.3" }));
    });

    it("runs no sidecar, sets no daemon address and grants no X-Ray writes when enableTracing is false", () => {
      const json = synthService({ enableTracing: false });
      const definitions = containerDefinitions(json);
      expect(definitions.map((definition) => definition.name)).toEqual(["app"]);
      expect(definitions[0]!.environment).toEqual([{ name: "PORT", value: "8080" }]);
      expect(definitions[0]!.links).toBeUndefined();
      expect(definitions[0]!.dependsOn).toBeUndefined();
      expect(policiesOf(json, `${NAME}-task`)).toEqual({});
    });
  });

  describe("validation", () => {
    it("accepts the defaults", () => {
      expect(problems({})).toEqual([]);
    });

    it.each([
      [{ minCount: 0 }, ["minCount: 0 must be an integer >= 1", "desiredCount: 0 must be an integer >= 1"]],
      [{ minCount: 3, desiredCount: 2 }, ["minCount: 3 must not exceed desiredCount (2)"]],
      [{ desiredCount: 5 }, ["desiredCount: 5 must not exceed maxCount (4)"]],
      [{ minCount: 5, maxCount: 4 }, ["desiredCount: 5 must not exceed maxCount (4)", "minCount: 5 must not exceed maxCount (4)"]],
      [{ minCount: 1, desiredCount: 1, maxCount: 0 }, ["maxCount: 0 must be an integer >= 1"]],
    ])("fails when the task counts are %j", (counts, expected) => {
      expect(problems(counts)).toEqual(expected);
    });

    it.each([80, 1023, 65536, 70000, 8080.5])("fails when containerPort is %s", (containerPort) => {
      expect(problems({ containerPort })).toEqual([
        `containerPort: ${containerPort} must be an integer from 1024 to 65535 (unprivileged ports only: the container runs as non-root)`,
      ]);
    });

    it.each([
      [{ cpu: 64 }, "cpu: 64 must be an integer from 128 to 16384 CPU units"],
      [{ cpu: 256.5 }, "cpu: 256.5 must be an integer from 128 to 16384 CPU units"],
      [{ memoryMiB: 122881 }, "memoryMiB: 122881 must be an integer from 128 to 122880 MiB"],
      [{ cpuTargetPercent: 91 }, "cpuTargetPercent: 91 must be an integer from 10 to 90 percent"],
      [{ cpuTargetPercent: 9 }, "cpuTargetPercent: 9 must be an integer from 10 to 90 percent"],
      [{ requestsPerTargetPerMinute: 0 }, "requestsPerTargetPerMinute: 0 must be an integer >= 1"],
      [{ healthCheckGracePeriodSeconds: 3601 }, "healthCheckGracePeriodSeconds: 3601 must be an integer from 0 to 3600 seconds"],
      [{ healthCheckGracePeriodSeconds: -1 }, "healthCheckGracePeriodSeconds: -1 must be an integer from 0 to 3600 seconds"],
    ])("fails when %j", (props, expected) => {
      expect(problems(props)).toEqual([expected]);
    });

    it.each([
      [{ containerPort: 1024, cpu: 128, memoryMiB: 128, cpuTargetPercent: 10, healthCheckGracePeriodSeconds: 0 }],
      [{ containerPort: 65535, cpu: 16384, memoryMiB: 122880, cpuTargetPercent: 90, healthCheckGracePeriodSeconds: 3600 }],
    ])("accepts the bounds %j", (props) => {
      expect(problems(props)).toEqual([]);
    });
  });
});
