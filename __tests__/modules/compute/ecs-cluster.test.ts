import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { beforeAll, describe, expect, it } from "vitest";
import { architectureOf, ASG_METRICS, DYNAMIC_PORT_RANGE, ECS_AL2023_AMI, EcsCluster, type EcsClusterProps } from "../../../modules/compute/ecs-cluster";
import { asList, problemsOf, referenceTo, resource, resources, type StackJson, statements, synthConstruct } from "../../support/synth";

type Body = Record<string, unknown>;

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const NAME = "acme-test";
const CONTAINER_INSTANCES = `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/${NAME}/*`;
const AL2023_ECS_AMI = "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";

const BASE: EcsClusterProps = {
  clusterName: NAME,
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-a", "subnet-b"],
  accountId: ACCOUNT,
  region: REGION,
  instanceType: "t3.small",
  minCapacity: 1,
  maxCapacity: 4,
};

/** A cluster; with `allowFrom` a source security group is admitted to the task ports. */
const problems = (props: Partial<EcsClusterProps>): string[] => problemsOf((scope) => new EcsCluster(scope, "cluster", { ...BASE, ...props }));

const synthCluster = (props: Partial<EcsClusterProps> = {}, allowFrom?: string): StackJson =>
  synthConstruct((scope) => {
    const cluster = new EcsCluster(scope, "cluster", { ...BASE, ...props });
    if (allowFrom) cluster.allowFrom("alb", allowFrom, "Load balancer to the task ports");
  });


/** The script inside the launch template's `${base64encode("...")}` user data. */
function userDataScript(userData: unknown): string {
  const match = typeof userData === "string" ? /^\$\{base64encode\(("(?:[^"\\]|\\.)*")\)\}$/s.exec(userData) : null;
  if (!match) throw new Error(`user data is not a base64encode() of a string literal: ${String(userData)}`);
  return JSON.parse(match[1]!) as string;
}

/** The inline policy named `name` of the instance role. */
function instancePolicy(json: StackJson, name: string): Body[] {
  const policy = resources(json, IamRolePolicy).find((body) => body.name === name);
  if (!policy) throw new Error(`no inline policy ${name}`);
  expect(policy.role).toBe(referenceTo(json, IamRole));
  return statements(policy.policy);
}

describe("EcsCluster", () => {
  describe("defaults", () => {
    let json: StackJson;
    let template: Body;
    let asg: Body;
    beforeAll(() => {
      json = synthCluster();
      template = resource(json, LaunchTemplate);
      asg = resource(json, AutoscalingGroup);
    });

    it("turns Container Insights on", () => {
      expect(resource(json, EcsClusterResource)).toEqual(
        expect.objectContaining({ name: NAME, setting: [{ name: "containerInsights", value: "enabled" }] }),
      );
    });

    describe("launch template", () => {
      it("launches the ECS-optimized Amazon Linux 2023 AMI, resolved from SSM at launch", () => {
        expect(template).toEqual(expect.objectContaining({ image_id: AL2023_ECS_AMI, instance_type: "t3.small" }));
      });

      it("requires IMDSv2 with a hop limit of 1", () => {
        expect(template).toEqual(
          expect.objectContaining({
            metadata_options: expect.objectContaining({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 }),
          }),
        );
      });

      it("turns detailed monitoring on", () => {
        expect(template).toEqual(expect.objectContaining({ monitoring: { enabled: true } }));
      });

      it("encrypts a 30 GiB gp3 root volume", () => {
        expect(template).toEqual(
          expect.objectContaining({
            block_device_mappings: [
              {
                device_name: "/dev/xvda",
                ebs: expect.objectContaining({ encrypted: "true", volume_type: "gp3", volume_size: 30, delete_on_termination: "true" }),
              },
            ],
          }),
        );
      });

      it("gives instances no public IP, and only the instance security group", () => {
        expect(template).toEqual(
          expect.objectContaining({
            network_interfaces: [
              expect.objectContaining({
                associate_public_ip_address: "false",
                security_groups: [referenceTo(json, SecurityGroup)],
              }),
            ],
          }),
        );
      });

      it("uses the instance profile of the instance role", () => {
        expect(template).toEqual(expect.objectContaining({ iam_instance_profile: { arn: referenceTo(json, IamInstanceProfile, "arn") } }));
        expect(resource(json, IamInstanceProfile)).toEqual(
          expect.objectContaining({ role: referenceTo(json, IamRole, "name") }),
        );
      });

      describe("user data", () => {
        let script: string;
        beforeAll(() => {
          script = userDataScript(template.user_data);
        });

        it("is a bash script that stops at the first error", () => {
          expect(script.split("\n").slice(0, 2)).toEqual(["#!/bin/bash", "set -euo pipefail"]);
        });

        it("joins this cluster", () => {
          expect(script.split("\n")).toContain(`ECS_CLUSTER=${NAME}`);
        });

        it("gives tasks their own role and blocks them from the instance metadata", () => {
          const lines = script.split("\n");
          expect(lines).toEqual(expect.arrayContaining(["ECS_ENABLE_TASK_IAM_ROLE=true", "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false"]));
          expect(lines).toContain(
            "iptables --insert FORWARD 1 --in-interface docker+ --destination 169.254.169.254/32 --jump DROP",
          );
        });

        it("writes the agent settings into /etc/ecs/ecs.config", () => {
          expect(script).toMatch(/cat >> \/etc\/ecs\/ecs\.config <<'EOF'\n(?:[A-Z_]+=.*\n)+EOF\n/);
        });
      });
    });

    describe("auto scaling group", () => {
      it("spans the given subnets with min/max and desired = min", () => {
        expect(asg).toEqual(
          expect.objectContaining({
            vpc_zone_identifier: ["subnet-a", "subnet-b"],
            min_size: 1,
            max_size: 4,
            desired_capacity: 1,
            launch_template: { id: referenceTo(json, LaunchTemplate), version: "$Latest" },
          }),
        );
      });

      it("is tagged AmazonECSManaged for ECS managed scaling", () => {
        expect(asg.tag).toContainEqual({ key: "AmazonECSManaged", value: "true", propagate_at_launch: true });
      });

      it("leaves the desired capacity to ECS managed scaling (lifecycle.ignore_changes)", () => {
        expect((asg.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain("desired_capacity");
      });

      it("publishes one-minute group metrics, including in-service and desired capacity, for the capacity alarm", () => {
        expect(asg).toEqual(expect.objectContaining({ enabled_metrics: [...ASG_METRICS], metrics_granularity: "1Minute" }));
        expect(ASG_METRICS).toEqual(expect.arrayContaining(["GroupInServiceInstances", "GroupDesiredCapacity"]));
      });

      it("neither protects instances from scale-in nor force-deletes", () => {
        expect(asg).toEqual(expect.objectContaining({ protect_from_scale_in: false, force_delete: false }));
      });
    });

    describe("capacity provider", () => {
      let provider: Record<string, unknown>;
      beforeAll(() => {
        provider = resource(json, EcsCapacityProvider).auto_scaling_group_provider as Record<string, unknown>;
      });

      it("manages the auto scaling group", () => {
        expect(provider.auto_scaling_group_arn).toBe(referenceTo(json, AutoscalingGroup, "arn"));
      });

      it("has managed draining and managed scaling to 100% on, termination protection off", () => {
        expect(provider).toEqual(
          expect.objectContaining({
            managed_termination_protection: "DISABLED",
            managed_draining: "ENABLED",
            managed_scaling: expect.objectContaining({ status: "ENABLED", target_capacity: 100 }),
          }),
        );
      });

      it("is the cluster's only capacity provider and its default strategy", () => {
        const name = referenceTo(json, EcsCapacityProvider, "name");
        expect(resource(json, EcsClusterCapacityProviders)).toEqual(
          expect.objectContaining({
            cluster_name: referenceTo(json, EcsClusterResource, "name"),
            capacity_providers: [name],
            default_capacity_provider_strategy: [expect.objectContaining({ capacity_provider: name, weight: 1 })],
          }),
        );
      });
    });

    describe("instance role", () => {
      it("is assumed by EC2 on behalf of the account only", () => {
        expect(statements(resource(json, IamRole).assume_role_policy)).toEqual([
          {
            Effect: "Allow",
            Principal: { Service: "ec2.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
        ]);
      });

      it('has no wildcard action ("*" or "ecs:*") in any statement', () => {
        for (const policy of resources(json, IamRolePolicy)) {
          for (const statement of statements(policy.policy)) {
            const actions = asList(statement.Action).map(String);
            expect(actions.filter((action) => action === "*" || action.endsWith(":*")), String(statement.Sid)).toEqual([]);
          }
        }
      });

      it("scopes every ECS action to this cluster or its container instances, except DiscoverPollEndpoint", () => {
        const allowed = [referenceTo(json, EcsClusterResource, "arn"), CONTAINER_INSTANCES];
        const ecsStatements = instancePolicy(json, "ecs-agent");
        for (const statement of ecsStatements) {
          const actions = asList(statement.Action).map(String);
          expect(actions.every((action) => action.startsWith("ecs:")), String(statement.Sid)).toBe(true);
          if (actions.includes("ecs:DiscoverPollEndpoint")) {
            // No resource-level permissions; it must stay alone in its statement.
            expect(statement).toEqual(expect.objectContaining({ Action: ["ecs:DiscoverPollEndpoint"], Resource: "*" }));
          } else {
            expect(allowed, String(statement.Sid)).toContain(statement.Resource);
          }
        }
      });

      it("limits the agent's container-instance sessions to this cluster", () => {
        const sessions = instancePolicy(json, "ecs-agent").find((statement) => asList(statement.Action).includes("ecs:Poll"));
        expect(sessions).toEqual(
          expect.objectContaining({
            Resource: CONTAINER_INSTANCES,
            Condition: { ArnEquals: { "ecs:cluster": referenceTo(json, EcsClusterResource, "arn") } },
          }),
        );
      });

      it("tags container instances only while registering them", () => {
        expect(instancePolicy(json, "ecs-agent")).toContainEqual(
          expect.objectContaining({
            Action: "ecs:TagResource",
            Resource: CONTAINER_INSTANCES,
            Condition: { StringEquals: { "ecs:CreateAction": "RegisterContainerInstance" } },
          }),
        );
      });

      it("allows Session Manager: instance registration on this account's instances, and the message channels", () => {
        expect(instancePolicy(json, "ssm-session")).toEqual([
          {
            Sid: "RegisterWithSsm",
            Effect: "Allow",
            Action: "ssm:UpdateInstanceInformation",
            Resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`,
          },
          expect.objectContaining({
            Sid: "SessionChannels",
            Effect: "Allow",
            Action: expect.arrayContaining(["ssmmessages:CreateControlChannel", "ssmmessages:OpenDataChannel", "ec2messages:GetMessages"]),
            Resource: "*",
          }),
        ]);
      });

      it("has exactly the ecs-agent and ssm-session inline policies", () => {
        expect(resources(json, IamRolePolicy).map((policy) => policy.name).sort()).toEqual(["ecs-agent", "ssm-session"]);
      });
    });

    describe("instance security group", () => {
      it("is in the given VPC", () => {
        expect(resource(json, SecurityGroup)).toEqual(expect.objectContaining({ name: `${NAME}-instances`, vpc_id: BASE.vpcId }));
      });

      it("allows egress only to HTTPS (443)", () => {
        expect(resources(json, VpcSecurityGroupEgressRule)).toEqual([
          expect.objectContaining({
            security_group_id: referenceTo(json, SecurityGroup),
            ip_protocol: "tcp",
            from_port: 443,
            to_port: 443,
            cidr_ipv4: "0.0.0.0/0",
          }),
        ]);
        expect(resource(json, SecurityGroup).egress).toBeUndefined();
      });

      it("admits nothing until allowFrom is called", () => {
        expect(resources(json, VpcSecurityGroupIngressRule)).toEqual([]);
        expect(resource(json, SecurityGroup).ingress).toBeUndefined();
      });
    });
  });

  describe("options", () => {
    it("turns Container Insights off with enableContainerInsights: false", () => {
      expect(resource(synthCluster({ enableContainerInsights: false }), EcsClusterResource)).toEqual(
        expect.objectContaining({ setting: [{ name: "containerInsights", value: "disabled" }] }),
      );
    });

    it("gives instances public IPs with enablePublicIp", () => {
      const template = resource(synthCluster({ enablePublicIp: true }), LaunchTemplate);
      expect(template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "true" })]);
    });

    it("starts with desiredCapacity instances when given", () => {
      expect(resource(synthCluster({ desiredCapacity: 3 }), AutoscalingGroup)).toEqual(
        expect.objectContaining({ min_size: 1, desired_capacity: 3, max_size: 4 }),
      );
    });

    it("sizes the root volume with rootVolumeGiB", () => {
      const template = resource(synthCluster({ rootVolumeGiB: 60 }), LaunchTemplate);
      expect(template.block_device_mappings).toEqual([
        expect.objectContaining({ ebs: expect.objectContaining({ volume_size: 60, encrypted: "true" }) }),
      ]);
    });

    describe("tags", () => {
      const TAGS = { Project: "acme", Environment: "test", CostCenter: "cc-1" };
      let tagged: StackJson;
      beforeAll(() => {
        tagged = synthCluster({ tags: TAGS });
      });

      it("propagates every tag, Name and AmazonECSManaged to the instances the group launches", () => {
        const tags = resource<Body>(tagged, AutoscalingGroup).tag as Body[];
        expect(tags).toEqual(
          expect.arrayContaining([
            ...Object.entries(TAGS).map(([key, value]) => ({ key, value, propagate_at_launch: true })),
            { key: "Name", value: `${NAME}-instance`, propagate_at_launch: true },
            { key: "AmazonECSManaged", value: "true", propagate_at_launch: true },
          ]),
        );
        expect(tags).toHaveLength(Object.keys(TAGS).length + 2);
      });

      it("tags instances and their root volumes through the launch template", () => {
        const template = resource<Body>(tagged, LaunchTemplate);
        const expected = { ...TAGS, Name: `${NAME}-instance` };
        expect(template.tag_specifications).toEqual([
          { resource_type: "instance", tags: expected },
          { resource_type: "volume", tags: expected },
        ]);
      });

      it.each(["Name", "AmazonECSManaged", "aws:cloudformation:stack-name"])("fails when tags set %s", (key) => {
        expect(problems({ tags: { [key]: "x" } })).toEqual([
          `tags.${key}: "x" is not allowed: Name and AmazonECSManaged are set by the cluster, and aws: is reserved by AWS`,
        ]);
      });
    });

    describe("enableManagedTerminationProtection", () => {
      let json: StackJson;
      beforeAll(() => {
        json = synthCluster({ enableManagedTerminationProtection: true });
      });

      it("protects instances from scale-in and force-deletes the group on destroy", () => {
        expect(resource(json, AutoscalingGroup)).toEqual(
          expect.objectContaining({ protect_from_scale_in: true, force_delete: true }),
        );
      });

      it("turns managed termination protection on in the capacity provider", () => {
        expect(resource(json, EcsCapacityProvider).auto_scaling_group_provider).toEqual(
          expect.objectContaining({ managed_termination_protection: "ENABLED", managed_draining: "ENABLED" }),
        );
      });
    });

    describe("allowFrom", () => {
      const SOURCE = "sg-0123456789abcdef0";
      let json: StackJson;
      beforeAll(() => {
        json = synthCluster({}, SOURCE);
      });

      it("admits the source security group to the dynamic host ports 32768-65535", () => {
        expect(DYNAMIC_PORT_RANGE).toEqual({ fromPort: 32768, toPort: 65535 });
        expect(resource(json, VpcSecurityGroupIngressRule)).toEqual(
          expect.objectContaining({
            security_group_id: referenceTo(json, SecurityGroup),
            ip_protocol: "tcp",
            from_port: 32768,
            to_port: 65535,
            referenced_security_group_id: SOURCE,
            description: "Load balancer to the task ports",
          }),
        );
      });

      it("opens no CIDR", () => {
        const rule = resource(json, VpcSecurityGroupIngressRule);
        expect(rule.cidr_ipv4).toBeUndefined();
        expect(rule.cidr_ipv6).toBeUndefined();
      });
    });
  });

  describe("AMI by architecture", () => {
    it.each([
      ["m6i.large", "x86_64"],
      ["t4g.small", "arm64"],
      ["m7g.large", "arm64"],
    ])("boots %s from the ECS-optimized Amazon Linux 2023 image for %s", (instanceType, architecture) => {
      const template = resource(synthCluster({ instanceType }), LaunchTemplate);
      expect(architectureOf(instanceType)).toBe(architecture);
      expect(template).toEqual(expect.objectContaining({ image_id: ECS_AL2023_AMI[architecture as "arm64" | "x86_64"], instance_type: instanceType }));
    });

    it("reads the arm64 image from its own SSM parameter", () => {
      expect(ECS_AL2023_AMI.arm64).toBe("resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id");
    });
  });

  describe("validation", () => {
    it.each([
      [{ minCapacity: 3, desiredCapacity: 2, maxCapacity: 4 }, ["minCapacity: 3 must not exceed desiredCapacity (2)"]],
      [{ minCapacity: 1, desiredCapacity: 5, maxCapacity: 4 }, ["desiredCapacity: 5 must not exceed maxCapacity (4)"]],
      [{ minCapacity: 5, maxCapacity: 4 }, ["desiredCapacity: 5 must not exceed maxCapacity (4)", "minCapacity: 5 must not exceed maxCapacity (4)"]],
      [{ minCapacity: 5, desiredCapacity: 4, maxCapacity: 3 }, [
        "minCapacity: 5 must not exceed desiredCapacity (4)",
        "desiredCapacity: 4 must not exceed maxCapacity (3)",
        "minCapacity: 5 must not exceed maxCapacity (3)",
      ]],
      [{ minCapacity: 0, desiredCapacity: 0, maxCapacity: 0 }, ["maxCapacity: 0 must be an integer >= 1"]],
      [{ minCapacity: -1, desiredCapacity: 0.5, maxCapacity: 2 }, ["minCapacity: -1 must be an integer >= 0", "desiredCapacity: 0.5 must be an integer >= 0"]],
    ])("fails when the capacities are %j", (capacities, expected) => {
      expect(problems(capacities)).toEqual(expected);
    });

    it("accepts a cluster scaled to zero that may grow", () => {
      expect(problems({ minCapacity: 0, desiredCapacity: 0, maxCapacity: 1 })).toEqual([]);
    });

    it("fails when the instance type's family is unknown, so no AMI can be chosen", () => {
      expect(problems({ instanceType: "x9.large" })).toEqual([
        'instanceType: "x9.large" is not an EC2 instance type of a known family (instance-architectures.json), so no ECS-optimized AMI can be chosen',
      ]);
    });
  });
});
