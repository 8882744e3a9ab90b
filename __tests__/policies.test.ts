/**
 * Cross-stack invariants. Every check loops over every stack the shipped app synthesizes, so a new
 * layer or environment is held to the same rules the day it is added.
 */
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { describe, expect, it } from "vitest";
import { LOG_RETENTION_DAYS, REQUIRED_TAGS } from "../config/schema";
import { ACTIONS_WITHOUT_RESOURCE_SCOPE, policyDocument } from "../modules/core/iam";
import { KmsKey } from "../modules/core/kms-key";
import { crossStackSource } from "./support/cross-stack";
import { QA_REGION, withQaInNewRegion } from "./support/environments";
import { accounts, entries, environments, reference, resources, shippedApp, type StackJson, statements, synthApp, synthConstruct } from "./support/synth";

type Body = Record<string, unknown>;

/** Prefix of the outputs cdktf adds to a stack whose values another stack references. */
const CROSS_STACK_OUTPUT = "cross-stack-output-";

const app = shippedApp();
const bootstrapIds = new Set(app.stacks.bootstrap.map((stack) => stack.node.id));
/** The regional baseline stack a further region of an environment adds (qa in QA_REGION): the same policies hold there. */
const regionalStacks = [...synthApp(withQaInNewRegion(), accounts).json.entries()].filter(([id]) => /^account-[a-z]{2}-/.test(id));
const stacks = [...app.json.entries(), ...regionalStacks];
const environmentStacks = stacks.filter(([id]) => !bootstrapIds.has(id));

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

// ---------------------------------------------------------------------------------------------
// Policy documents

interface PolicyDocument {
  /** `aws_iam_role.<id>.assume_role_policy`, for failure messages. */
  readonly where: string;
  readonly type: string;
  readonly statements: Body[];
}

/** A JSON policy document, or undefined for any other value. */
function parsePolicy(value: unknown): Body[] | undefined {
  if (typeof value !== "string" || !value.trimStart().startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(value) as { Statement?: unknown };
    return parsed.Statement === undefined ? undefined : (asList(parsed.Statement) as Body[]);
  } catch {
    return undefined;
  }
}

/**
 * Every policy document of a stack, wherever it sits: `policy`, `assume_role_policy`, inline
 * policies nested in blocks, and any resource type added later.
 */
function policyDocuments(json: StackJson): PolicyDocument[] {
  const found: PolicyDocument[] = [];
  const walk = (type: string, where: string, value: unknown): void => {
    const parsed = parsePolicy(value);
    if (parsed) found.push({ where, type, statements: parsed });
    else if (Array.isArray(value)) value.forEach((item, i) => walk(type, `${where}[${i}]`, item));
    else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(type, `${where}.${key}`, item);
    }
  };
  for (const [type, byId] of Object.entries(json.resource ?? {})) {
    for (const [id, body] of Object.entries(byId)) walk(type, `${type}.${id}`, body);
  }
  return found;
}

/** Identity policies: what a principal may do. Resource-based and key policies are not in this list. */
const IDENTITY_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"];
const isIdentityPolicy = (document: PolicyDocument): boolean =>
  IDENTITY_POLICY_TYPES.includes(document.type) || (document.type === "aws_iam_role" && document.where.includes(".inline_policy"));

/** Statements that allow or deny every action: `Action: "*"`, or Allow with `NotAction` (all but a few). */
function wildcardActionViolations(json: StackJson): string[] {
  return policyDocuments(json).flatMap((document) =>
    document.statements
      .filter((statement) => asList(statement.Action).includes("*") || (statement.Effect === "Allow" && statement.NotAction !== undefined))
      .map((statement) => `${document.where} ${String(statement.Sid ?? "(no Sid)")}`),
  );
}

/** True when every action of the statement has no resource-level permissions (modules/core/iam.ts). */
function needsWildcardResource(statement: Body): boolean {
  const actions = asList(statement.Action);
  return actions.length > 0 && actions.every((action) => ACTIONS_WITHOUT_RESOURCE_SCOPE.has(String(action)));
}

/**
 * Allow statements of identity policies that are not scoped to resources. Key policies
 * (`aws_kms_key.policy`) are exempt on purpose: a key policy is attached to one key and always
 * names it as Resource "*". Trust policies have no Resource and are not identity policies.
 */
function wildcardResourceViolations(json: StackJson): string[] {
  return policyDocuments(json)
    .filter(isIdentityPolicy)
    .flatMap((document) =>
      document.statements
        .filter(
          (statement) =>
            statement.Effect === "Allow" &&
            !needsWildcardResource(statement) &&
            (statement.Resource === undefined || asList(statement.Resource).includes("*") || statement.NotResource !== undefined),
        )
        .map((statement) => `${document.where} ${String(statement.Sid ?? "(no Sid)")}`),
    );
}

// ---------------------------------------------------------------------------------------------
// Security groups

interface Ingress {
  readonly where: string;
  /** Reference to the security group the rule belongs to. */
  readonly securityGroup: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly protocol: unknown;
  readonly sources: string[];
}

const WORLD = ["0.0.0.0/0", "::/0"];

/** Every ingress rule of a stack: inline blocks, `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule`. */
function ingressRules(json: StackJson): Ingress[] {
  const rules: Ingress[] = [];
  for (const type of [SecurityGroup.tfResourceType, "aws_default_security_group"]) {
    for (const [id, group] of entries(json, type)) {
      asList(group.ingress).forEach((block, i) => {
        const rule = block as Body;
        rules.push({
          where: `${type}.${id}.ingress[${i}]`,
          securityGroup: reference(type, id),
          fromPort: rule.from_port,
          toPort: rule.to_port,
          protocol: rule.protocol,
          sources: [...asList(rule.cidr_blocks), ...asList(rule.ipv6_cidr_blocks)] as string[],
        });
      });
    }
  }
  for (const [id, rule] of entries(json, SecurityGroupRule)) {
    if (rule.type !== "ingress") continue;
    rules.push({
      where: `${SecurityGroupRule.tfResourceType}.${id}`,
      securityGroup: rule.security_group_id,
      fromPort: rule.from_port,
      toPort: rule.to_port,
      protocol: rule.protocol,
      sources: [...asList(rule.cidr_blocks), ...asList(rule.ipv6_cidr_blocks)] as string[],
    });
  }
  for (const [id, rule] of entries(json, VpcSecurityGroupIngressRule)) {
    rules.push({
      where: `${VpcSecurityGroupIngressRule.tfResourceType}.${id}`,
      securityGroup: rule.security_group_id,
      fromPort: rule.from_port,
      toPort: rule.to_port,
      protocol: rule.ip_protocol,
      sources: [...asList(rule.cidr_ipv4), ...asList(rule.cidr_ipv6)] as string[],
    });
  }
  return rules;
}

/** Security groups attached to an application load balancer: the only ones that may face the internet. */
function albSecurityGroups(json: StackJson): Set<unknown> {
  const groups = new Set<unknown>();
  for (const type of [Lb.tfResourceType, "aws_alb"]) {
    for (const lb of resources(json, type)) {
      if ((lb.load_balancer_type ?? "application") !== "application") continue;
      for (const group of asList(lb.security_groups)) groups.add(group);
    }
  }
  return groups;
}

/** Ingress rules open to the internet, except HTTP/HTTPS on an ALB's security group. */
function publicIngressViolations(json: StackJson): string[] {
  const alb = albSecurityGroups(json);
  return ingressRules(json)
    .filter((rule) => rule.sources.some((source) => WORLD.includes(source)))
    .filter(
      (rule) =>
        !(
          alb.has(rule.securityGroup) &&
          ["tcp", "6"].includes(String(rule.protocol)) &&
          rule.fromPort === rule.toPort &&
          [80, 443].includes(rule.fromPort as number)
        ),
    )
    .map((rule) => `${rule.where} (${String(rule.fromPort)}-${String(rule.toPort)})`);
}

// ---------------------------------------------------------------------------------------------

describe("policies", () => {
  it("covers every stack of the shipped app", () => {
    const layers = ["network", "platform", "serverless"];
    const envs = Object.keys(environments);
    expect(stacks.map(([id]) => id)).toEqual(
      expect.arrayContaining(["bootstrap", "account", `account-${QA_REGION}`, ...layers.flatMap((layer) => envs.map((env) => `${layer}-${env}`))]),
    );
    expect(stacks).toHaveLength(app.stacks.bootstrap.length + environmentStacks.length);
  });

  it("sees the policy documents it checks (the scanner is not vacuous)", () => {
    const whereOf = (id: string) => policyDocuments(app.json.get(id)!).map((document) => document.where.replace(/\.[^.]+\./, ".*."));
    expect(whereOf("bootstrap")).toEqual(expect.arrayContaining(["aws_kms_key.*.policy", "aws_s3_bucket_policy.*.policy"]));
    expect(whereOf("network-dev")).toEqual(
      expect.arrayContaining(["aws_iam_role.*.assume_role_policy", "aws_iam_role_policy.*.policy", "aws_kms_key.*.policy"]),
    );
  });

  describe("IAM checks", () => {
    const json = synthConstruct((scope) => {
      const role = new IamRole(scope, "role", {
        assumeRolePolicy: policyDocument([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]),
        inlinePolicy: [{ name: "inline", policy: policyDocument([{ Sid: "InlineStar", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]) }],
      });
      new IamRolePolicy(scope, "scoped", {
        role: role.id,
        policy: policyDocument([
          { Sid: "Scoped", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
          { Sid: "DenyAll", Effect: "Deny", Action: "*", Resource: "*" },
        ]),
      });
      new IamPolicy(scope, "admin", {
        policy: policyDocument([{ Sid: "Admin", Effect: "Allow", Action: "*", Resource: ["*"] }]),
      });
      new KmsKey(scope, "key", { alias: "acme-test", description: "key", accountId: "123456789012" });
    });

    it('flags Action "*" in any document', () => {
      expect(wildcardActionViolations(json).map((v) => v.replace(/\.[^.]+\./, ".*."))).toEqual([
        "aws_iam_policy.*.policy Admin",
        "aws_iam_role_policy.*.policy DenyAll",
      ]);
    });

    it('flags Resource "*" in identity policies only, not in key policies', () => {
      expect(wildcardResourceViolations(json).map((v) => v.replace(/\.[^.]+\./, ".*."))).toEqual([
        "aws_iam_policy.*.policy Admin",
        "aws_iam_role.*.inline_policy[0].policy InlineStar",
      ]);
    });
  });

  describe("public ingress check", () => {
    // This fixture proves the check lets an ALB serve 80/443 and still catches everything else.
    const json = synthConstruct((scope) => {
      const alb = new SecurityGroup(scope, "alb-sg", {
        vpcId: "vpc-1",
        ingress: [
          { fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
          { fromPort: 0, toPort: 65535, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] },
        ],
      });
      new VpcSecurityGroupIngressRule(scope, "alb-http", { securityGroupId: alb.id, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" });
      new SecurityGroupRule(scope, "alb-ssh", {
        type: "ingress",
        securityGroupId: alb.id,
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrBlocks: ["0.0.0.0/0"],
      });
      new Lb(scope, "alb", { loadBalancerType: "application", securityGroups: [alb.id], subnets: ["subnet-1", "subnet-2"] });
      const app = new SecurityGroup(scope, "app-sg", {
        vpcId: "vpc-1",
        ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", securityGroups: [alb.id] }],
      });
      new VpcSecurityGroupIngressRule(scope, "app-https-v6", { securityGroupId: app.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" });
      new VpcSecurityGroupIngressRule(scope, "app-vpc", { securityGroupId: app.id, ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" });
    });

    it("allows 80/443 from anywhere on an ALB's security group and flags everything else", () => {
      expect(publicIngressViolations(json).map((violation) => violation.replace(/_[0-9A-F]{8}\b/g, ""))).toEqual([
        "aws_security_group.alb-sg.ingress[1] (0-65535)",
        "aws_security_group_rule.alb-ssh (22-22)",
        "aws_vpc_security_group_ingress_rule.app-https-v6 (443-443)",
      ]);
    });
  });

  describe.each(stacks)("%s", (_id, json) => {
    it("encrypts every log group with KMS and expires it", () => {
      for (const [id, group] of entries(json, "aws_cloudwatch_log_group")) {
        expect(LOG_RETENTION_DAYS, id).toContain(group.retention_in_days);
        expect(group.kms_key_id, id).toEqual(expect.any(String));
      }
    });

    it('has no policy statement with Action "*"', () => {
      expect(wildcardActionViolations(json)).toEqual([]);
    });

    it('scopes every Allow of an IAM identity policy to resources (no Resource "*")', () => {
      expect(wildcardResourceViolations(json)).toEqual([]);
    });

    it("opens no security group to 0.0.0.0/0 or ::/0 (except 80/443 on an ALB)", () => {
      expect(publicIngressViolations(json)).toEqual([]);
    });

    it("locks down every S3 bucket: public access block, SSE-KMS (SSE-S3 only for buckets AWS log delivery writes) and a TLS-only policy", () => {
      for (const [id, bucket] of entries(json, "aws_s3_bucket")) {
        const refs = [reference("aws_s3_bucket", id), reference("aws_s3_bucket", id, "bucket"), bucket.bucket];
        const arn = reference("aws_s3_bucket", id, "arn");
        const forBucket = (type: string) => resources(json, type).filter((body) => refs.includes(body.bucket));

        expect(forBucket("aws_s3_bucket_public_access_block"), id).toEqual([
          expect.objectContaining({
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: true,
          }),
        ]);
        const [policy] = forBucket("aws_s3_bucket_policy");
        expect(policy, `${id} has no bucket policy`).toBeDefined();
        // Load balancer access logs and S3 server access logs can only be delivered to SSE-S3
        // buckets; the log archive takes VPC flow logs beside them. Every other bucket uses KMS.
        const receivesAlbLogs = resources(json, "aws_lb").some((lb) => refs.includes((lb.access_logs as Body | undefined)?.bucket));
        const receivesAccessLogs = resources(json, "aws_s3_bucket_logging").some((logging) => refs.includes(logging.target_bucket));
        const receivesFlowLogs = statements(policy!.policy).some((statement) => JSON.stringify(statement.Principal).includes("delivery.logs.amazonaws.com"));
        const [encryption] = forBucket("aws_s3_bucket_server_side_encryption_configuration");
        expect(encryption?.rule, id).toEqual([
          expect.objectContaining({
            apply_server_side_encryption_by_default: expect.objectContaining({
              sse_algorithm: receivesAlbLogs || receivesAccessLogs || receivesFlowLogs ? "AES256" : "aws:kms",
            }),
          }),
        ]);
        expect(statements(policy!.policy), id).toContainEqual(
          expect.objectContaining({
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: expect.arrayContaining([arn, `${arn}/*`]),
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        );
      }
    });

    it("rotates every KMS key", () => {
      for (const [id, key] of entries(json, "aws_kms_key")) expect(key.enable_key_rotation, id).toBe(true);
    });

    it("gives every DynamoDB table PITR and KMS encryption", () => {
      for (const [id, table] of entries(json, "aws_dynamodb_table")) {
        expect(table, id).toEqual(
          expect.objectContaining({
            point_in_time_recovery: { enabled: true },
            server_side_encryption: expect.objectContaining({ enabled: true, kms_key_arn: expect.any(String) }),
          }),
        );
      }
    });

    it('grants no service-wide action ("ecs:*") outside key policies', () => {
      // A key policy's root statement hands the key to IAM with kms:*, as AWS's default key policy does.
      const offenders = policyDocuments(json)
        .filter((document) => document.type !== "aws_kms_key")
        .flatMap((document) =>
          document.statements
            .filter((statement) => statement.Effect === "Allow" && asList(statement.Action).some((action) => String(action).endsWith(":*")))
            .map((statement) => `${document.where} ${String(statement.Sid ?? "(no Sid)")}`),
        );
      expect(offenders).toEqual([]);
    });

    it("launches instances with IMDSv2 only, hop limit 1, encrypted volumes", () => {
      for (const [id, template] of entries(json, "aws_launch_template")) {
        expect(template.metadata_options, id).toEqual(expect.objectContaining({ http_tokens: "required", http_put_response_hop_limit: 1 }));
        for (const device of template.block_device_mappings as Body[]) {
          expect((device.ebs as Body).encrypted, id).toBe("true");
        }
      }
    });

    it("runs no container privileged, as root, or with a writable root file system", () => {
      for (const [id, task] of entries(json, "aws_ecs_task_definition")) {
        for (const container of JSON.parse(String(task.container_definitions)) as Body[]) {
          expect(container, id).toEqual(expect.objectContaining({ privileged: false, readonlyRootFilesystem: true }));
          expect(container.user, id).not.toMatch(/^(root|0)(:|$)/);
        }
      }
    });

    it("launches nothing with a public IP in any subnet", () => {
      for (const [id, subnet] of entries(json, "aws_subnet")) expect(subnet.map_public_ip_on_launch, id).toBe(false);
    });

    it("pins the provider to one account and carries the required default tags", () => {
      for (const provider of json.provider?.aws ?? []) {
        expect(provider.allowed_account_ids).toEqual([expect.stringMatching(/^\d{12}$/)]);
        const [defaults] = provider.default_tags as { tags: Record<string, string> }[];
        for (const tag of REQUIRED_TAGS) expect(defaults?.tags[tag], tag).toMatch(/\S/);
      }
      // One default provider; only the account stack adds an aliased us-east-1 one (billing metrics).
      expect((json.provider?.aws ?? []).filter((provider) => provider.alias === undefined)).toHaveLength(1);
      const accounts = new Set((json.provider?.aws ?? []).map((provider) => JSON.stringify(provider.allowed_account_ids)));
      expect(accounts.size).toBe(1);
    });

    it("describes every output", () => {
      for (const [id, output] of Object.entries(json.output ?? {})) {
        // cdktf writes these for references between stacks; they are read by Terraform, not people.
        if (id.startsWith(CROSS_STACK_OUTPUT)) continue;
        expect(output.description, id).toMatch(/\S/);
      }
    });
  });

  describe("state", () => {
    it.each(environmentStacks)("%s keeps encrypted state in S3", (_id, json) => {
      expect(Object.keys(json.terraform?.backend ?? {})).toEqual(["s3"]);
      expect(json.terraform?.backend?.s3).toEqual(expect.objectContaining({ encrypt: true, kms_key_id: expect.any(String) }));
    });

    it("never lets two stacks share a state object", () => {
      const keys = environmentStacks.map(([, json]) => {
        const s3 = json.terraform?.backend?.s3 ?? {};
        return `${String(s3.bucket)}/${String(s3.key)}`;
      });
      expect(new Set(keys).size).toBe(keys.length);
    });

    it.each([...bootstrapIds])("%s keeps its state in a local file (it creates the bucket)", (id) => {
      expect(Object.keys(app.json.get(id)?.terraform?.backend ?? {})).toEqual(["local"]);
    });
  });

  describe("observability", () => {
    /**
     * The metrics each kind of resource must be alarmed on, and the attribute its dimension
     * value comes from. An API is matched whichever API Gateway flavour serves it.
     */
    const REQUIRED: Record<string, { attribute: string; metrics: string[] }> = {
      aws_lb: { attribute: "arn_suffix", metrics: ["HTTPCode_ELB_5XX_Count", "RejectedConnectionCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "UnHealthyHostCount"] },
      aws_lb_target_group: { attribute: "arn_suffix", metrics: ["HTTPCode_Target_5XX_Count", "TargetResponseTime", "UnHealthyHostCount"] },
      aws_ecs_service: { attribute: "name", metrics: ["CPUUtilization", "MemoryUtilization", "RunningTaskCount", "DesiredTaskCount"] },
      aws_ecs_cluster: { attribute: "name", metrics: ["CPUUtilization", "RunningTaskCount", "CapacityProviderReservation"] },
      aws_ecs_capacity_provider: { attribute: "name", metrics: ["CapacityProviderReservation"] },
      aws_autoscaling_group: { attribute: "name", metrics: ["GroupInServiceInstances", "GroupDesiredCapacity"] },
      aws_dynamodb_table: {
        attribute: "name",
        metrics: ["ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors", "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"],
      },
      aws_lambda_function: { attribute: "function_name", metrics: ["Errors", "Throttles", "Duration", "ConcurrentExecutions"] },
      aws_apigatewayv2_api: { attribute: "name", metrics: ["5XXError", "4XXError", "Count", "Latency"] },
      aws_api_gateway_rest_api: { attribute: "name", metrics: ["5XXError", "4XXError", "Count", "Latency"] },
      aws_wafv2_web_acl: { attribute: "name", metrics: ["BlockedRequests"] },
    };

    describe.each(Object.values(environments).map((env) => [env.name]))("%s", (name) => {
      const observability = app.json.get(`observability-${name}`) as StackJson;
      /** `stack/type.id` of each alarmed resource → the metric names of the alarms that reference it. */
      const alarmed = new Map<string, Set<string>>();
      for (const alarm of resources(observability, "aws_cloudwatch_metric_alarm")) {
        const metrics = alarm.metric_name !== undefined
          ? [{ metric_name: alarm.metric_name, dimensions: alarm.dimensions }]
          : (alarm.metric_query as Body[]).flatMap((query) => (query.metric ? [query.metric as Body] : []));
        for (const metric of metrics) {
          for (const value of Object.values((metric.dimensions ?? {}) as Record<string, string>)) {
            const source = crossStackSource(app.json, observability, value);
            if (!source) continue;
            const key = `${source.stack}/${source.type}.${source.logicalId}`;
            if (!alarmed.has(key)) alarmed.set(key, new Set());
            alarmed.get(key)!.add(String(metric.metric_name));
          }
        }
      }
      const components = environmentStacks
        .filter(([id]) => id.endsWith(`-${name}`))
        .flatMap(([id, json]) => Object.keys(REQUIRED).flatMap((type) => Object.keys(json.resource?.[type] ?? {}).map((logicalId) => [id, type, logicalId] as const)));

      it("has components to check", () => {
        expect(components.length).toBeGreaterThanOrEqual(10);
      });

      it("alarms on every load balancer, target group, ECS service and capacity, table, function, API and web ACL", () => {
        for (const [stack, type, logicalId] of components) {
          const seen = [...(alarmed.get(`${stack}/${type}.${logicalId}`) ?? [])];
          expect(seen, `${stack} ${type}.${logicalId}`).toEqual(expect.arrayContaining(REQUIRED[type]!.metrics));
        }
      });
    });
  });

  describe("log groups", () => {
    it.each(Object.values(environments).map((env) => [env.name, env] as const))("%s keeps logs for a retention its config sets", (name, env) => {
      const configured = [env.network.flowLogRetentionDays, env.platform.logRetentionDays, env.serverless.logRetentionDays];
      for (const [id, json] of environmentStacks.filter(([stackId]) => stackId.endsWith(`-${name}`))) {
        for (const [groupId, group] of entries(json, "aws_cloudwatch_log_group")) {
          expect(configured, `${id} ${groupId}`).toContain(group.retention_in_days);
        }
      }
    });
  });
});
