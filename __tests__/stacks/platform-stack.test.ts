import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService as EcsServiceResource } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { beforeAll, describe, expect, it } from "vitest";
import { type EnvironmentConfig } from "../../config";
import { crossStackSource } from "../support/cross-stack";
import { asList, dataReferenceTo, dataSources, deref, entries, environments, reference, referenceTo, resource, resources, shippedApp, type StackJson, statements } from "../support/synth";

type Body = Record<string, unknown>;

const OUTPUTS = ["alb_dns_name", "cluster_name", "deployed_image_tag", "ecr_repository_url", "service_name", "table_name"];
const TLS13_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** What each shipped environment must look like, independent of how its config spells it. */

/** The network resource behind a cross-stack value of `platform`, as `<stack>/<type>` and its reference there. */
function fromNetwork(stacks: ReadonlyMap<string, StackJson>, platform: StackJson, value: unknown): string {
  const source = crossStackSource(stacks, platform, value);
  if (!source) throw new Error(`${JSON.stringify(value)} is not a value of another stack`);
  return `${source.stack}/${reference(source.type, source.logicalId, source.attribute)}`;
}

/** `[logical id, body]` of the single IAM role whose ARN `arn` references. */
function roleByArn(json: StackJson, arn: unknown): [string, Body] {
  const found = entries(json, IamRole).find(([id]) => reference(IamRole, id, "arn") === arn);
  if (!found) throw new Error(`${JSON.stringify(arn)} is not the ARN of a role of this stack`);
  return found;
}

/** Statements of every inline policy of the role `roleId`. */
function roleStatements(json: StackJson, roleId: string): Body[] {
  return resources(json, IamRolePolicy)
    .filter((policy) => policy.role === reference(IamRole, roleId))
    .flatMap((policy) => statements(policy.policy));
}


describe("PlatformStack", () => {
  let stacks: ReadonlyMap<string, StackJson>;
  beforeAll(() => {
    stacks = shippedApp().json;
  });

  it("is named platform-<env> for every environment", () => {
    expect([...stacks.keys()].filter((id) => id.startsWith("platform-"))).toEqual(
      Object.keys(environments).map((name) => `platform-${name}`),
    );
  });

  describe.each(Object.values(environments).map((env) => [env.name, env] as const))("%s", (name, env: EnvironmentConfig) => {
    const config = env.platform;
    // A domain gets a certificate made for it; a configured certificate is used as it is.
    const expected = { https: config.certificateArn !== undefined || config.domain !== undefined, publicInstances: config.instanceSubnets === "public" };
    let json: StackJson;
    let network: StackJson;
    beforeAll(() => {
      json = stacks.get(`platform-${name}`)!;
      network = stacks.get(`network-${name}`)!;
    });

    describe("network stack (cross-stack reference)", () => {
      it("reads the network layer's state from <env>/network.tfstate in the environment's state bucket", () => {
        const remote = Object.values(json.data?.terraform_remote_state ?? {});
        expect(remote).toEqual([
          expect.objectContaining({
            backend: "s3",
            config: expect.objectContaining({
              bucket: env.state.bucket,
              key: `${env.state.keyPrefix}/network.tfstate`,
              region: env.state.region,
            }),
          }),
        ]);
        expect(`${env.state.keyPrefix}/network.tfstate`).toBe(`${name}/network.tfstate`);
      });

      it("takes the VPC id of every security group and the target group from the network stack", () => {
        const vpcId = (network.output?.vpc_id as { value: unknown }).value;
        const bodies = [...resources(json, SecurityGroup), resource(json, LbTargetGroup)];
        expect(bodies).toHaveLength(3);
        for (const body of bodies) expect(fromNetwork(stacks, json, body.vpc_id)).toBe(`network-${name}/${String(vpcId)}`);
      });

      it("puts the load balancer in the public subnets", () => {
        const subnets = (resource(json, Lb).subnets as unknown[]).map((subnet) => fromNetwork(stacks, json, subnet));
        expect(subnets).toEqual((network.output?.public_subnet_ids?.value as string[]).map((id) => `network-${name}/${id}`));
      });

      it("refers to no network resource directly", () => {
        expect(JSON.stringify(json.resource)).not.toMatch(/\$\{aws_(vpc|subnet)\./);
      });
    });

    describe("container instances", () => {
      it(`run in the ${expected.publicInstances ? "public" : "private"} subnets`, () => {
        expect(config.instanceSubnets).toBe(expected.publicInstances ? "public" : "private");
        const subnets = (resource(json, AutoscalingGroup).vpc_zone_identifier as unknown[]).map((subnet) => fromNetwork(stacks, json, subnet));
        const kind = expected.publicInstances ? "public_subnet_ids" : "private_subnet_ids";
        expect(subnets).toEqual((network.output?.[kind]?.value as string[]).map((id) => `network-${name}/${id}`));
        expect(subnets).toHaveLength(env.network.availabilityZones.length);
      });

      it(`${expected.publicInstances ? "get" : "do not get"} public IPs`, () => {
        // Dev has no NAT gateway: its instances reach ECS and ECR through public IPs instead.
        expect(env.network.natStrategy === "none").toBe(expected.publicInstances);
        expect(resource(json, LaunchTemplate).network_interfaces).toEqual([
          expect.objectContaining({ associate_public_ip_address: String(expected.publicInstances) }),
        ]);
      });

      it("use the environment's instance type and capacities", () => {
        expect(resource(json, LaunchTemplate).instance_type).toBe(env.compute.instanceType);
        expect(resource(json, AutoscalingGroup)).toEqual(
          expect.objectContaining({
            min_size: env.compute.minCapacity,
            desired_capacity: env.compute.desiredCapacity,
            max_size: env.compute.maxCapacity,
          }),
        );
      });

      it("carry the environment's tags on instances and root volumes (default_tags never reach them)", () => {
        const tagged = { ...env.tags, Name: `${env.project}-${name}-instance` };
        expect(resource(json, LaunchTemplate).tag_specifications).toEqual([
          { resource_type: "instance", tags: tagged },
          { resource_type: "volume", tags: tagged },
        ]);
        expect(resource(json, AutoscalingGroup).tag).toEqual(
          expect.arrayContaining(Object.entries(env.tags).map(([key, value]) => ({ key, value, propagate_at_launch: true }))),
        );
      });

      const protect = config.managedTerminationProtection;
      it(`${protect ? "have" : "do not have"} managed termination protection`, () => {
        expect(resource(json, AutoscalingGroup)).toEqual(expect.objectContaining({ protect_from_scale_in: protect, force_delete: protect }));
        expect(resource(json, EcsCapacityProvider).auto_scaling_group_provider).toEqual(
          expect.objectContaining({ managed_termination_protection: protect ? "ENABLED" : "DISABLED" }),
        );
      });

      it("admit the load balancer, and only it, on the dynamic host ports", () => {
        const [albSg] = entries(json, SecurityGroup).find(([, sg]) => sg.name === `acme-${name}-alb`)!;
        const [instanceSg] = entries(json, SecurityGroup).find(([, sg]) => sg.name === `acme-${name}-instances`)!;
        const toInstances = resources(json, VpcSecurityGroupIngressRule).filter(
          (rule) => rule.security_group_id === reference(SecurityGroup, instanceSg),
        );
        expect(toInstances).toEqual([
          expect.objectContaining({ from_port: 32768, to_port: 65535, referenced_security_group_id: reference(SecurityGroup, albSg) }),
        ]);
        const fromAlb = resources(json, VpcSecurityGroupEgressRule).filter(
          (rule) => rule.security_group_id === reference(SecurityGroup, albSg),
        );
        expect(fromAlb).toEqual([
          expect.objectContaining({ from_port: 32768, to_port: 65535, referenced_security_group_id: reference(SecurityGroup, instanceSg) }),
        ]);
      });
    });

    describe("image", () => {
      it("declares the image_tag variable, empty by default (a new environment has no image yet) and validated as an ECR tag", () => {
        const variable = (json as { variable?: Record<string, Body> }).variable?.image_tag;
        expect(variable).toEqual(expect.objectContaining({ type: "string", default: "", description: expect.stringMatching(/\S/) }));
        expect(JSON.stringify(variable?.validation)).toContain("regex");
      });

      it("runs <repository url>:${var.image_tag}, a placeholder tag while there is none", () => {
        const [container] = JSON.parse(resource(json, EcsTaskDefinition).container_definitions as string) as Body[];
        expect(container!.image).toBe(`${referenceTo(json, EcrRepositoryResource, "repository_url")}:\${local.backend_image_tag}`);
        expect((json as { locals?: Record<string, unknown> }).locals?.backend_image_tag).toBe('${(length(var.image_tag) >= 1) ? var.image_tag : "no-image-yet"}');
      });

      it("runs no task until an image is given, instead of crash-looping on an empty repository, and says so in the plan", () => {
        const target = resource(json, AppautoscalingTarget);
        expect(target.min_capacity).toBe(`\${(length(var.image_tag) >= 1) ? ${config.minTaskCount} : 0}`);
        expect(target.max_capacity).toBe(`\${(length(var.image_tag) >= 1) ? ${config.maxTaskCount} : 0}`);
        expect(resource(json, EcsServiceResource).desired_count).toBe(`\${(length(var.image_tag) >= 1) ? ${config.desiredTaskCount} : 0}`);
        const check = (json as { check?: Record<string, { assert: Array<{ condition: string; error_message: string }> }> }).check?.backend_image;
        expect(check?.assert[0]?.condition).toBe('${var.image_tag != ""}');
        expect(check?.assert[0]?.error_message).toContain("--image-tag");
      });

      it("keeps the configured number of images in the repository", () => {
        const { rules } = JSON.parse(resource(json, EcrLifecyclePolicy).policy as string) as { rules: { selection: Body }[] };
        expect(rules.find((rule) => rule.selection.tagStatus === "any")?.selection.countNumber).toBe(config.ecrKeepImages);
      });
    });

    describe("service", () => {
      it("runs the configured task size and container port, passing the table name", () => {
        const task = resource(json, EcsTaskDefinition);
        expect(task).toEqual(expect.objectContaining({ cpu: String(config.taskCpu), memory: String(config.taskMemoryMiB) }));
        const [container] = JSON.parse(task.container_definitions as string) as Body[];
        expect(container!.portMappings).toEqual([expect.objectContaining({ containerPort: config.containerPort, hostPort: 0 })]);
        expect(container!.environment).toContainEqual({ name: "TABLE_NAME", value: referenceTo(json, DynamodbTable, "name") });
        expect(resource(json, LbTargetGroup).port).toBe(config.containerPort);
      });

      it("scales between the configured task counts", () => {
        expect(resource(json, EcsServiceResource)).toEqual(
          expect.objectContaining({
            desired_count: `\${(length(var.image_tag) >= 1) ? ${config.desiredTaskCount} : 0}`,
            cluster: referenceTo(json, EcsClusterResource, "arn"),
            health_check_grace_period_seconds: config.healthCheckGracePeriodSeconds,
          }),
        );
        expect(resource(json, AppautoscalingTarget)).toEqual(
          expect.objectContaining({
            min_capacity: `\${(length(var.image_tag) >= 1) ? ${config.minTaskCount} : 0}`,
            max_capacity: `\${(length(var.image_tag) >= 1) ? ${config.maxTaskCount} : 0}`,
          }),
        );
      });

      it("lets the task role do nothing but Scan and PutItem on the items table", () => {
        const [roleId] = roleByArn(json, resource(json, EcsTaskDefinition).task_role_arn);
        const table = referenceTo(json, DynamodbTable, "arn");
        const granted = roleStatements(json, roleId);
        const dynamo = granted.filter((statement) => asList(statement.Action).some((action) => String(action).startsWith("dynamodb:")));
        expect(dynamo).toEqual([expect.objectContaining({ Effect: "Allow", Action: ["dynamodb:Scan", "dynamodb:PutItem"], Resource: table })]);
        // Besides X-Ray writes (traces), everything else is the table key, usable only through DynamoDB.
        const traces = granted.filter((statement) => statement.Sid === "WriteTraces");
        expect(traces).toEqual([expect.objectContaining({ Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] })]);
        for (const statement of granted.filter((s) => !dynamo.includes(s) && !traces.includes(s))) {
          expect(asList(statement.Action).every((action) => String(action).startsWith("kms:"))).toBe(true);
          expect(statement).toEqual(
            expect.objectContaining({
              Resource: referenceTo(json, KmsKeyResource, "arn"),
              Condition: { StringLike: { "kms:ViaService": "dynamodb.*.amazonaws.com" } },
            }),
          );
        }
        expect(JSON.stringify(granted)).not.toContain("/index/");
        expect(resources(json, "aws_iam_role_policy_attachment")).toEqual([]);
      });

      it("lets the execution role pull from the repository and write the service's logs", () => {
        const [roleId] = roleByArn(json, resource(json, EcsTaskDefinition).execution_role_arn);
        const granted = roleStatements(json, roleId);
        expect(granted).toContainEqual(
          expect.objectContaining({
            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            Resource: referenceTo(json, EcrRepositoryResource, "arn"),
          }),
        );
        expect(granted).toContainEqual(expect.objectContaining({ Action: ["ecr:GetAuthorizationToken"], Resource: "*" }));
        expect(granted.flatMap((statement) => asList(statement.Action)).filter((action) => String(action).startsWith("dynamodb:"))).toEqual([]);
      });

      it("keeps service and WAF logs for logRetentionDays, encrypted with the platform key", () => {
        const groups = resources(json, CloudwatchLogGroup);
        expect(groups.map((group) => group.name).sort()).toEqual([`/ecs/acme-${name}-backend`, `aws-waf-logs-acme-${name}`]);
        for (const group of groups) {
          expect(group).toEqual(
            expect.objectContaining({ retention_in_days: config.logRetentionDays, kms_key_id: referenceTo(json, KmsKeyResource, "arn") }),
          );
        }
      });
    });

    describe("load balancer", () => {
      it(`${config.albDeletionProtection ? "has" : "does not have"} deletion protection`, () => {
        expect(resource(json, Lb).enable_deletion_protection).toBe(config.albDeletionProtection);
      });

      it("keeps access logs for logRetentionDays", () => {
        expect(resource(json, S3BucketLifecycleConfiguration).rule).toEqual([
          expect.objectContaining({ expiration: [{ days: config.logRetentionDays }] }),
        ]);
      });

      if (expected.https) {
        it("serves HTTPS with the TLS 1.3 policy and the issued certificate of its domain (or the one configured)", () => {
          const https = resources(json, LbListener).find((listener) => listener.port === 443);
          const certificateArn = config.certificateArn ?? referenceTo(json, AcmCertificateValidation, "certificate_arn");
          expect(https).toEqual(expect.objectContaining({ protocol: "HTTPS", ssl_policy: TLS13_POLICY, certificate_arn: certificateArn }));
        });

        if (config.domain && config.certificateArn === undefined) {
          it("makes a DNS-validated certificate for its domain, with the validation record in the hosted zone", () => {
            const domain = config.domain!;
            expect(resource(json, AcmCertificate)).toEqual(expect.objectContaining({ domain_name: domain.recordName, validation_method: "DNS" }));
            expect(dataSources(json, DataAwsRoute53Zone)).toEqual([expect.objectContaining({ name: domain.hostedZone, private_zone: false })]);
            const records = resources(json, Route53Record);
            expect(records.filter((record) => record.for_each !== undefined)).toEqual([
              expect.objectContaining({ zone_id: dataReferenceTo(json, DataAwsRoute53Zone, "zone_id"), name: "${each.value.resource_record_name}" }),
            ]);
            expect(resource(json, AcmCertificateValidation).certificate_arn).toBe(referenceTo(json, AcmCertificate, "arn"));
          });
        }

        if (config.domain) {

          it("points an alias record of its domain at the load balancer and exports the URL", () => {
            const alias = resources(json, Route53Record).find((record) => record.alias !== undefined);
            expect(alias).toEqual({
              zone_id: dataReferenceTo(json, DataAwsRoute53Zone, "zone_id"),
              name: config.domain!.recordName,
              type: "A",
              alias: { name: referenceTo(json, Lb, "dns_name"), zone_id: referenceTo(json, Lb, "zone_id"), evaluate_target_health: true },
            });
            expect(json.output?.url?.value).toBe(`https://${config.domain!.recordName}`);
          });
        }

        it("redirects HTTP to HTTPS", () => {
          const http = resources(json, LbListener).find((listener) => listener.port === 80);
          expect(http?.default_action).toEqual([
            expect.objectContaining({ type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } }),
          ]);
          expect(resources(json, LbListener)).toHaveLength(2);
        });

        it("creates the service after the HTTPS listener", () => {
          const [httpsId] = entries(json, LbListener).find(([, listener]) => listener.port === 443)!;
          expect(resource(json, EcsServiceResource).depends_on).toContain(`${LbListener.tfResourceType}.${httpsId}`);
        });
      } else {
        it("serves plain HTTP on 80 only, forwarding to the service", () => {
          // Only an environment that does not require HTTPS gets here (config validation).
          expect(config.requireHttps).toBe(false);
          expect(resources(json, AcmCertificate)).toEqual([]);
          expect(resources(json, LbListener)).toEqual([
            expect.objectContaining({
              port: 80,
              protocol: "HTTP",
              default_action: [{ type: "forward", target_group_arn: referenceTo(json, LbTargetGroup, "arn") }],
            }),
          ]);
          expect(resources(json, VpcSecurityGroupIngressRule).some((rule) => rule.from_port === 443)).toBe(false);
        });
      }

      it("is protected by the WAF with the configured rate limit", () => {
        expect(resource(json, Wafv2WebAclAssociation)).toEqual(
          expect.objectContaining({ resource_arn: referenceTo(json, Lb, "arn"), web_acl_arn: referenceTo(json, Wafv2WebAcl, "arn") }),
        );
        const rules = resource(json, Wafv2WebAcl).rule as Body[];
        expect(rules).toContainEqual(
          expect.objectContaining({ statement: { rate_based_statement: { limit: config.wafRateLimitPer5Minutes, aggregate_key_type: "IP" } } }),
        );
      });
    });

    it(`${config.tableDeletionProtection ? "protects" : "does not protect"} the items table from deletion`, () => {
      expect(resource(json, DynamodbTable)).toEqual(
        expect.objectContaining({ name: `${env.project}-${name}-backend-items`, deletion_protection_enabled: config.tableDeletionProtection }),
      );
    });

    it("exports the platform outputs", () => {
      // cdktf's `cross-stack-output-*` outputs feed the observability layer; they are not this stack's contract.
      const outputs = Object.fromEntries(Object.entries(json.output ?? {}).filter(([id]) => !id.startsWith("cross-stack-output-")));
      expect(Object.keys(outputs).sort()).toEqual([...OUTPUTS, ...(config.domain ? ["url"] : [])].sort());
      expect(deref(json, outputs.alb_dns_name?.value).type).toBe(Lb.tfResourceType);
      expect(outputs.alb_dns_name?.value).toBe(referenceTo(json, Lb, "dns_name"));
      expect(outputs.ecr_repository_url?.value).toBe(referenceTo(json, EcrRepositoryResource, "repository_url"));
      expect(outputs.cluster_name?.value).toBe(referenceTo(json, EcsClusterResource, "name"));
      expect(outputs.service_name?.value).toBe(referenceTo(json, EcsServiceResource, "name"));
      expect(outputs.table_name?.value).toBe(referenceTo(json, DynamodbTable, "name"));
    });
  });
});
