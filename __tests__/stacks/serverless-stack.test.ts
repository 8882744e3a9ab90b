import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { ApiGatewayBasePathMapping } from "@cdktf/provider-aws/lib/api-gateway-base-path-mapping";
import { ApiGatewayDomainName } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { beforeAll, describe, expect, it } from "vitest";
import { type EnvironmentConfig } from "../../config";
import { ServerlessStack } from "../../stacks/serverless-stack";
import { routeKeyOf } from "../support/api-gateway";
import { asList, dataReferenceTo, dataSources, deref, entries, environments, reference, referenceTo, resource, resources, shippedApp, type StackJson, statements, synthStack, testApp, variant } from "../support/synth";

type Body = Record<string, unknown>;

const FUNCTIONS = ["create-tip", "list-tips", "get-tip"] as const;
type FunctionId = (typeof FUNCTIONS)[number];

/** What each function is for: its route and the only table actions it may call. */
const EXPECTED: Record<FunctionId, { routeKey: string; sourceArnSuffix: string; actions: string[] }> = {
  "create-tip": { routeKey: "POST /tips", sourceArnSuffix: "/v1/POST/tips", actions: ["dynamodb:PutItem"] },
  "list-tips": { routeKey: "GET /tips", sourceArnSuffix: "/v1/GET/tips", actions: ["dynamodb:Query"] },
  "get-tip": { routeKey: "GET /tips/{id}", sourceArnSuffix: "/v1/GET/tips/*", actions: ["dynamodb:GetItem"] },
};

/** Every DynamoDB action that changes data, and the KMS actions only writes need. */
const DYNAMODB_WRITES = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
];
const KMS_WRITES = ["kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"];

const OUTPUTS = ["api_url", "function_names", "tips_table_name"];

/**
 * Statements of a policy that embeds Terraform function calls. Their quotes (`split(":", ...)`)
 * are only unescaped once Terraform renders the template, so they are escaped here to parse the
 * document as Terraform will see it; the expression text itself is kept.
 */
function templateStatements(policy: unknown): Body[] {
  return statements(String(policy).replace(/\$\{[^}]*\}/g, (expression) => expression.replace(/"/g, '\\"')));
}


/** Does `pattern` (an IAM action, maybe with `*`) match `action`? */
const matches = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);

/** Queries over one synthesized serverless stack. */
function stackView(json: StackJson, env: EnvironmentConfig) {
  const functionName = (id: FunctionId): string => `${env.project}-${env.name}-${id}`;

  const functionEntry = (id: FunctionId): [string, Body] => {
    const found = entries(json, LambdaFunction).find(([, fn]) => fn.function_name === functionName(id));
    if (!found) throw new Error(`no function ${functionName(id)}`);
    return found;
  };

  /** Every inline policy attached to the function's role. */
  const policiesOf = (id: FunctionId): Body[] => {
    const role = deref(json, String(functionEntry(id)[1].role).replace(/\.arn\}$/, ".id}"));
    expect(role.type).toBe(IamRole.tfResourceType);
    const roleId = entries(json, IamRole).find(([, body]) => body === role.body)![0];
    return resources(json, IamRolePolicy).filter((policy) => policy.role === reference(IamRole, roleId));
  };

  /** Every action the function's role allows, whatever the policy. */
  const allowedActions = (id: FunctionId): string[] =>
    policiesOf(id)
      .flatMap((policy) => templateStatements(policy.policy))
      .filter((statement) => statement.Effect === "Allow")
      .flatMap((statement) => asList(statement.Action) as string[]);

  return { functionName, functionEntry, fn: (id: FunctionId) => functionEntry(id)[1], policiesOf, allowedActions };
}

describe("ServerlessStack", () => {
  it("is named serverless-<env> for every environment", () => {
    const ids = shippedApp().stacks.serverless.map((stack) => stack.node.id);
    expect(ids).toEqual(Object.keys(environments).map((name) => `serverless-${name}`));
  });

  it("protects the tips table from deletion where the environment asks for it", () => {
    for (const [name, env] of Object.entries(environments)) {
      const table = resource(shippedApp().json.get(`serverless-${name}`)!, DynamodbTable);
      expect(table.deletion_protection_enabled, name).toBe(env.serverless.tableDeletionProtection);
    }
  });

  describe.each(Object.values(environments).map((env) => [env.name, env] as const))("%s", (name, env) => {
    const config = env.serverless;
    let json: StackJson;
    let view: ReturnType<typeof stackView>;
    beforeAll(() => {
      json = shippedApp().json.get(`serverless-${name}`)!;
      view = stackView(json, env);
    });

    it("keeps its state under <keyPrefix>/serverless.tfstate", () => {
      expect(json.terraform?.backend?.s3).toEqual(expect.objectContaining({ key: `${env.state.keyPrefix}/serverless.tfstate` }));
    });

    describe("table", () => {
      it("keys tips by id and lists them newest first through the by-created-at index", () => {
        expect(resource(json, DynamodbTable)).toEqual(
          expect.objectContaining({
            name: `acme-${name}-tips`,
            billing_mode: "PAY_PER_REQUEST",
            hash_key: "id",
            attribute: [
              { name: "id", type: "S" },
              { name: "listPartition", type: "S" },
              { name: "createdAt", type: "S" },
            ],
            global_secondary_index: [
              { name: "by-created-at", hash_key: "listPartition", range_key: "createdAt", projection_type: "ALL" },
            ],
          }),
        );
      });

      it("is encrypted with the stack's key, has PITR, and deletion protection as configured", () => {
        expect(resource(json, DynamodbTable)).toEqual(
          expect.objectContaining({
            server_side_encryption: { enabled: true, kms_key_arn: referenceTo(json, KmsKeyResource, "arn") },
            point_in_time_recovery: { enabled: true },
            deletion_protection_enabled: config.tableDeletionProtection,
          }),
        );
      });
    });

    describe("key", () => {
      it("is aliased acme-<env>-tips and lets CloudWatch Logs of this account and region use it", () => {
        expect(resource(json, KmsAlias)).toEqual(expect.objectContaining({ name: `alias/acme-${name}-tips` }));
        expect(statements(resource(json, KmsKeyResource).policy)).toContainEqual(
          expect.objectContaining({
            Sid: "AllowCloudWatchLogs",
            Principal: { Service: `logs.${env.region}.amazonaws.com` },
            Condition: {
              ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${env.region}:${env.accountId}:log-group:*` },
            },
          }),
        );
      });

      it("encrypts every log group of the stack", () => {
        const key = referenceTo(json, KmsKeyResource, "arn");
        const groups = resources(json, CloudwatchLogGroup);
        expect(groups).toHaveLength(FUNCTIONS.length + 3); // + API access and execution logs, WAF logs
        for (const group of groups) expect(group.kms_key_id, String(group.name)).toBe(key);
      });
    });

    describe.each(FUNCTIONS)("%s function", (id) => {
      it("runs Node.js 22 on arm64 with the configured memory and reserved concurrency", () => {
        expect(view.fn(id)).toEqual(
          expect.objectContaining({
            function_name: `acme-${name}-${id}`,
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            handler: "index.handler",
            memory_size: config.functionMemoryMiB,
            reserved_concurrent_executions: config.reservedConcurrency,
            tracing_config: { mode: "Active" },
            kms_key_arn: referenceTo(json, KmsKeyResource, "arn"),
          }),
        );
      });

      it("finds the table and index through its environment", () => {
        expect(view.fn(id)).toEqual(
          expect.objectContaining({
            environment: {
              variables: {
                TABLE_NAME: referenceTo(json, DynamodbTable, "name"),
                GSI_NAME: "by-created-at",
                POWERTOOLS_SERVICE_NAME: "tips",
                POWERTOOLS_METRICS_NAMESPACE: env.project,
                POWERTOOLS_LOG_LEVEL: "INFO",
                CORS_ALLOW_ORIGINS: config.corsAllowOrigins.join(","),
              },
            },
          }),
        );
      });

      it("logs JSON to /aws/lambda/<function name>, kept logRetentionDays", () => {
        const logging = view.fn(id).logging_config as Body;
        expect(logging.log_format).toBe("JSON");
        const group = deref(json, logging.log_group);
        expect(group.type).toBe(CloudwatchLogGroup.tfResourceType);
        expect(group.body).toEqual(
          expect.objectContaining({ name: `/aws/lambda/acme-${name}-${id}`, retention_in_days: config.logRetentionDays }),
        );
      });

      it("depends on its log group and its logs policy", () => {
        const logGroupRef = String((view.fn(id).logging_config as Body).log_group); // ${aws_cloudwatch_log_group.<id>.name}
        const logGroupAddress = logGroupRef.slice(2, -".name}".length);
        const logsPolicy = entries(json, IamRolePolicy).find(
          ([, policy]) => policy.name === "logs-and-traces" && view.policiesOf(id).includes(policy),
        );
        expect(view.fn(id).depends_on).toEqual(
          expect.arrayContaining([logGroupAddress, `${IamRolePolicy.tfResourceType}.${logsPolicy![0]}`]),
        );
      });

      it("has exactly a logs-and-traces policy and a tips-table grant", () => {
        expect(
          view
            .policiesOf(id)
            .map((policy) => policy.name)
            .sort(),
        ).toEqual(["logs-and-traces", "tips-table"]);
      });

      it(`may call only ${EXPECTED[id].actions.join(", ")} on the table (Query also on its indexes)`, () => {
        const grant = view.policiesOf(id).find((policy) => policy.name === "tips-table")!;
        const tableArn = referenceTo(json, DynamodbTable, "arn");
        const resourcesFor = (action: string) => (action === "dynamodb:Query" ? [tableArn, `${tableArn}/index/*`] : [tableArn]);
        const data = templateStatements(grant.policy)
          .filter((statement) => asList(statement.Action).some((action) => String(action).startsWith("dynamodb:")))
          .map((statement) => ({
            effect: statement.Effect,
            actions: asList(statement.Action),
            resources: asList(statement.Resource),
          }));
        expect(data).toEqual(
          EXPECTED[id].actions.map((action) => ({ effect: "Allow", actions: [action], resources: resourcesFor(action) })),
        );
        const dynamoActions = view.allowedActions(id).filter((action) => action.startsWith("dynamodb:"));
        expect(dynamoActions).toEqual(EXPECTED[id].actions);
      });

      it(`is routed from ${EXPECTED[id].routeKey}`, () => {
        const integration = resources(json, ApiGatewayIntegration).find(
          (candidate) => candidate.uri === reference(LambdaFunction, view.functionEntry(id)[0], "invoke_arn"),
        )!;
        expect(integration).toEqual(expect.objectContaining({ type: "AWS_PROXY", integration_http_method: "POST" }));
        expect(routeKeyOf(json, integration)).toBe(EXPECTED[id].routeKey);
      });

      it("gets CORS_ALLOW_ORIGINS, so its answers carry the CORS headers of an allowed origin", () => {
        expect((view.fn(id).environment as { variables: Body }).variables).toEqual(
          expect.objectContaining({ CORS_ALLOW_ORIGINS: config.corsAllowOrigins.join(",") }),
        );
      });

      it("may be invoked by API Gateway for its own route only", () => {
        const permissions = resources(json, LambdaPermission).filter(
          (permission) => permission.function_name === reference(LambdaFunction, view.functionEntry(id)[0], "function_name"),
        );
        expect(permissions).toEqual([
          expect.objectContaining({
            principal: "apigateway.amazonaws.com",
            action: "lambda:InvokeFunction",
            source_arn: `${referenceTo(json, ApiGatewayRestApi, "execution_arn")}${EXPECTED[id].sourceArnSuffix}`,
          }),
        ]);
      });
    });

    describe("least privilege", () => {
      it.each(["list-tips", "get-tip"] as const)("does not let %s write to the table", (id) => {
        const allowed = view.allowedActions(id);
        const writes = allowed.filter((action) => [...DYNAMODB_WRITES, ...KMS_WRITES].some((write) => matches(action, write)));
        expect(writes).toEqual([]);
      });

      it("does not let create-tip read the table", () => {
        const reads = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"];
        const allowed = view.allowedActions("create-tip");
        expect(allowed.filter((action) => reads.some((read) => matches(action, read)))).toEqual([]);
      });

      it("lets no function scan the table", () => {
        for (const id of FUNCTIONS)
          expect(
            view.allowedActions(id).filter((action) => matches(action, "dynamodb:Scan")),
            id,
          ).toEqual([]);
      });

      it("gives each function its own role", () => {
        const roles = FUNCTIONS.map((id) => view.fn(id).role);
        expect(new Set(roles).size).toBe(FUNCTIONS.length);
        expect(
          resources(json, IamRole)
            .map((role) => role.name)
            .sort(),
        ).toEqual(FUNCTIONS.map((id) => `acme-${name}-${id}`).sort());
      });
    });

    describe("api", () => {
      it("routes exactly POST /tips, GET /tips and GET /tips/{id} to functions, plus CORS preflights", () => {
        const lambdaRoutes = resources(json, ApiGatewayIntegration)
          .filter((integration) => integration.type === "AWS_PROXY")
          .map((integration) => routeKeyOf(json, integration));
        expect(lambdaRoutes.sort()).toEqual(["GET /tips", "GET /tips/{id}", "POST /tips"]);
        const preflights = resources(json, ApiGatewayIntegration).filter((integration) => integration.type === "MOCK");
        expect(preflights.map((integration) => routeKeyOf(json, integration)).sort()).toEqual([
          "OPTIONS /tips",
          "OPTIONS /tips/{id}",
        ]);
      });

      it("is a regional REST API with an X-Ray traced v1 stage", () => {
        expect(resource(json, ApiGatewayRestApi)).toEqual(
          expect.objectContaining({ name: `acme-${name}-tips-api`, endpoint_configuration: { types: ["REGIONAL"] } }),
        );
        expect(resource(json, ApiGatewayStage)).toEqual(expect.objectContaining({ stage_name: "v1", xray_tracing_enabled: true }));
      });

      it("throttles the stage as configured", () => {
        expect(resource(json, ApiGatewayMethodSettings)).toEqual(
          expect.objectContaining({
            method_path: "*/*",
            settings: expect.objectContaining({
              throttling_rate_limit: config.throttlingRateLimit,
              throttling_burst_limit: config.throttlingBurstLimit,
              metrics_enabled: true,
            }),
          }),
        );
      });

      it("answers preflights and API Gateway's own errors for the configured CORS origin", () => {
        const origin = `'${config.corsAllowOrigins[0]}'`;
        for (const response of resources(json, ApiGatewayGatewayResponse)) {
          expect(response.response_parameters).toEqual(
            expect.objectContaining({ "gatewayresponse.header.Access-Control-Allow-Origin": origin }),
          );
        }
        expect(resources(json, ApiGatewayGatewayResponse).map((response) => response.response_type).sort()).toEqual([
          "DEFAULT_4XX",
          "DEFAULT_5XX",
        ]);
      });

      it("puts a web ACL on the stage that limits each client IP as configured, below the stage's shared throttle", () => {
        const acl = resource(json, Wafv2WebAcl);
        expect(acl).toEqual(expect.objectContaining({ name: `${env.project}-${name}-tips-api`, scope: "REGIONAL" }));
        expect((acl.rule as Body[]).find((rule) => rule.name === "rate-limit-per-ip")?.statement).toEqual({
          rate_based_statement: { limit: config.wafRateLimitPer5Minutes, aggregate_key_type: "IP" },
        });
        expect((acl.rule as Body[]).map((rule) => rule.name)).toEqual(expect.arrayContaining(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]));
        expect(resource(json, Wafv2WebAclAssociation)).toEqual({
          resource_arn: referenceTo(json, ApiGatewayStage, "arn"),
          web_acl_arn: referenceTo(json, Wafv2WebAcl, "arn"),
        });
        expect(config.wafRateLimitPer5Minutes).toBeLessThan(config.throttlingRateLimit * 300);
      });

      it("logs the web ACL's requests as configured", () => {
        const filter = resource(json, Wafv2WebAclLoggingConfiguration).logging_filter;
        if (config.wafLogging === "all") expect(filter).toBeUndefined();
        else expect(filter).toEqual(expect.objectContaining({ default_behavior: "DROP" }));
      });

      it("keeps access logs for logRetentionDays", () => {
        const group = deref(json, (resource(json, ApiGatewayStage).access_log_settings as Body).destination_arn);
        expect(group.body).toEqual(
          expect.objectContaining({
            name: `/aws/apigateway/acme-${name}-tips-api/access`,
            retention_in_days: config.logRetentionDays,
          }),
        );
      });
    });

    if (config.domain) {
      describe("custom domain", () => {
        it("serves the stage at the root of a regional custom domain, TLS 1.2 at least, with its own issued certificate", () => {
          expect(resource(json, ApiGatewayDomainName)).toEqual(
            expect.objectContaining({
              domain_name: config.domain!.recordName,
              endpoint_configuration: { types: ["REGIONAL"] },
              regional_certificate_arn: referenceTo(json, AcmCertificateValidation, "certificate_arn"),
              security_policy: "TLS_1_2",
            }),
          );
          expect(resource(json, AcmCertificate)).toEqual(expect.objectContaining({ domain_name: config.domain!.recordName, validation_method: "DNS" }));
          expect(resource(json, ApiGatewayBasePathMapping)).toEqual(
            expect.objectContaining({
              api_id: referenceTo(json, ApiGatewayRestApi),
              stage_name: referenceTo(json, ApiGatewayStage, "stage_name"),
              domain_name: referenceTo(json, ApiGatewayDomainName, "domain_name"),
            }),
          );
          expect(resource(json, ApiGatewayBasePathMapping)).not.toHaveProperty("base_path");
        });

        it("points an alias record in the hosted zone at the domain's regional endpoint", () => {
          expect(dataSources(json, DataAwsRoute53Zone)).toEqual([expect.objectContaining({ name: config.domain!.hostedZone, private_zone: false })]);
          expect(resources(json, Route53Record).find((record) => record.alias !== undefined)).toEqual(
            expect.objectContaining({
              zone_id: dataReferenceTo(json, DataAwsRoute53Zone, "zone_id"),
              name: config.domain!.recordName,
              type: "A",
              alias: {
                name: referenceTo(json, ApiGatewayDomainName, "regional_domain_name"),
                zone_id: referenceTo(json, ApiGatewayDomainName, "regional_zone_id"),
                evaluate_target_health: true,
              },
            }),
          );
          expect(json.output?.api_domain_url?.value).toBe(`https://${config.domain!.recordName}`);
        });
      });
    } else {
      it("has no custom domain: clients use the execute-api URL", () => {
        expect(resources(json, ApiGatewayDomainName)).toEqual([]);
        expect(resources(json, AcmCertificate)).toEqual([]);
      });
    }

    it("exports api_url, tips_table_name and function_names", () => {
      // cdktf's `cross-stack-output-*` outputs feed the observability layer; they are not this stack's contract.
      const outputs = Object.fromEntries(Object.entries(json.output ?? {}).filter(([id]) => !id.startsWith("cross-stack-output-")));
      expect(Object.keys(outputs).sort()).toEqual([...OUTPUTS, ...(config.domain ? ["api_domain_url"] : [])].sort());
      expect(outputs.api_url?.value).toBe(referenceTo(json, ApiGatewayStage, "invoke_url"));
      expect(outputs.tips_table_name?.value).toBe(referenceTo(json, DynamodbTable, "name"));
      expect(outputs.function_names?.value).toEqual(
        FUNCTIONS.map((id) => reference(LambdaFunction, view.functionEntry(id)[0], "function_name")),
      );
    });
  });

  describe("code packaging", () => {
    it("ships the same code to every environment, and different code per function", () => {
      const hashes = (name: string) =>
        FUNCTIONS.map(
          (id) =>
            resources(shippedApp().json.get(`serverless-${name}`)!, LambdaFunction).find(
              (fn) => fn.function_name === `acme-${name}-${id}`,
            )!.source_code_hash,
        );
      const dev = hashes("dev");
      expect(new Set(dev).size).toBe(FUNCTIONS.length);
      for (const name of Object.keys(environments)) expect(hashes(name), name).toEqual(dev);
    });
  });

  describe("configuration", () => {
    let json: StackJson;
    let view: ReturnType<typeof stackView>;
    const dev = variant(environments.dev!, (env) => {
      Object.assign(env.serverless, {
        functionMemoryMiB: 1024,
        reservedConcurrency: 3,
        throttlingRateLimit: 7,
        throttlingBurstLimit: 9,
        corsAllowOrigins: [],
        logRetentionDays: 60,
        tableDeletionProtection: true,
      });
      // AWS-side deletion protection needs the plan-time refusal too (config/validate.ts).
      env.preventDestroy = true;
    });
    beforeAll(() => {
      // The serverless layer reads no other stack: built alone.
      json = synthStack(new ServerlessStack(testApp(), { env: dev }));
      view = stackView(json, dev);
    });

    it("sends no CORS headers when corsAllowOrigins is empty", () => {
      expect(resources(json, ApiGatewayGatewayResponse)).toEqual([]);
      expect(resources(json, ApiGatewayMethod).map((method) => method.http_method)).not.toContain("OPTIONS");
      for (const id of FUNCTIONS) {
        expect((view.fn(id).environment as { variables: Body }).variables, id).not.toHaveProperty("CORS_ALLOW_ORIGINS");
      }
    });

    it("takes memory and reserved concurrency of every function from the config", () => {
      for (const id of FUNCTIONS) {
        expect(view.fn(id), id).toEqual(expect.objectContaining({ memory_size: 1024, reserved_concurrent_executions: 3 }));
      }
    });

    it("takes throttling from the config", () => {
      expect(resource(json, ApiGatewayMethodSettings)).toEqual(
        expect.objectContaining({
          settings: expect.objectContaining({ throttling_rate_limit: 7, throttling_burst_limit: 9 }),
        }),
      );
    });

    it("keeps every log group of the stack for logRetentionDays", () => {
      expect(resources(json, CloudwatchLogGroup).map((group) => group.retention_in_days)).toEqual([60, 60, 60, 60, 60, 60]);
    });

    it("turns table deletion protection on when tableDeletionProtection is true", () => {
      expect(resource(json, DynamodbTable)).toEqual(expect.objectContaining({ deletion_protection_enabled: true }));
    });
  });
});
