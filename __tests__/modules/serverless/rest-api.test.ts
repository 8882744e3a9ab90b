import { resolve } from "node:path";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayRequestValidator } from "@cdktf/provider-aws/lib/api-gateway-request-validator";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { KmsKey } from "../../../modules/core/kms-key";
import { NodeFunction } from "../../../modules/serverless/node-function";
import { RestApi, type RestApiProps } from "../../../modules/serverless/rest-api";
import { deref, entries, problemsOf, reference, referenceTo, resource, resources, synthConstruct, testApp, type StackJson } from "../../support/synth";

type Body = Record<string, unknown>;

const PROJECT_ROOT = resolve(__dirname, "../../..");
const ACCOUNT = "123456789012";

type Props = Partial<Omit<RestApiProps, "kmsKey">>;

function addApi(scope: Construct, props: Props = {}): { api: RestApi; kmsKey: KmsKey } {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-api", description: "api", accountId: ACCOUNT });
  const api = new RestApi(scope, "api", {
    name: "acme-test-tips-api",
    description: "Tips API",
    kmsKey,
    throttlingRateLimit: 20,
    throttlingBurstLimit: 40,
    ...props,
  });
  return { api, kmsKey };
}

function addFunction(scope: Construct, kmsKey: KmsKey, name: string): NodeFunction {
  return new NodeFunction(scope, name, {
    functionName: `acme-test-${name}`,
    description: name,
    entry: resolve(PROJECT_ROOT, "lambdas", "tips", `${name}.ts`),
    projectRoot: PROJECT_ROOT,
    accountId: ACCOUNT,
    kmsKey,
  });
}

const synthApi = (props: Props = {}): StackJson => synthConstruct((scope) => addApi(scope, props));

const ACCESS_LOGS = "/aws/apigateway/acme-test-tips-api/access";
const accessLogsId = (json: StackJson): string => entries(json, CloudwatchLogGroup).find(([, body]) => body.name === ACCESS_LOGS)![0];
const accessLogs = (json: StackJson): Body => resources(json, CloudwatchLogGroup).find((body) => body.name === ACCESS_LOGS)!;

/** An API with the tips routes (create and get), as the serverless stack builds it. */
function synthRoutes(props: Props = {}): StackJson {
  return synthConstruct((scope) => {
    const { api, kmsKey } = addApi(scope, props);
    api.addRoute("get-tip", "GET /tips/{id}", addFunction(scope, kmsKey, "get-tip"));
    api.addRoute("create-tip", "POST /tips", addFunction(scope, kmsKey, "create-tip"));
  });
}

/** `METHOD /path` of a method, integration or permission body, following its resource chain. */
function routeKeyOf(json: StackJson, body: Body): string {
  const method = String(body.http_method).startsWith("${") ? deref(json, body.http_method).body.http_method : body.http_method;
  const segments: string[] = [];
  let resourceId = String(body.resource_id);
  while (!resourceId.endsWith(".root_resource_id}")) {
    const found = deref(json, resourceId);
    expect(found.type).toBe(ApiGatewayResource.tfResourceType);
    segments.unshift(String(found.body.path_part));
    resourceId = String(found.body.parent_id);
  }
  return `${String(method)} /${segments.join("/")}`;
}

const redeployment = (json: StackJson): string =>
  (resource(json, ApiGatewayDeployment).triggers as Record<string, string>).redeployment as string;

/** The message `build` throws; fails the test when it does not throw. */
function errorOf(build: (scope: Construct) => void): string {
  try {
    build(new TerraformStack(testApp(), "stack"));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("RestApi", () => {
  describe("defaults", () => {
    let json: StackJson;
    let stage: Body;
    let api: RestApi;
    beforeAll(() => {
      json = synthConstruct((scope) => {
        ({ api } = addApi(scope));
        new TerraformOutput(scope, "url", { value: api.url });
      });
      stage = resource(json, ApiGatewayStage);
    });

    it("is a regional REST API without CORS", () => {
      expect(resource(json, ApiGatewayRestApi)).toEqual(
        expect.objectContaining({
          name: "acme-test-tips-api",
          description: "Tips API",
          endpoint_configuration: { types: ["REGIONAL"] },
          lifecycle: { create_before_destroy: true },
        }),
      );
      expect(resources(json, ApiGatewayGatewayResponse)).toEqual([]);
    });

    it("has a validator of request parameters (bodies are the functions' to validate)", () => {
      expect(resource(json, ApiGatewayRequestValidator)).toEqual(
        expect.objectContaining({
          rest_api_id: referenceTo(json, ApiGatewayRestApi, "id"),
          validate_request_parameters: true,
          validate_request_body: false,
        }),
      );
    });

    it("serves the v1 stage from the API's deployment", () => {
      expect(stage).toEqual(
        expect.objectContaining({
          rest_api_id: referenceTo(json, ApiGatewayRestApi, "id"),
          deployment_id: referenceTo(json, ApiGatewayDeployment, "id"),
          stage_name: "v1",
        }),
      );
    });

    it("traces the stage with X-Ray", () => {
      expect(stage).toEqual(expect.objectContaining({ xray_tracing_enabled: true }));
    });

    it("throttles every method of the stage and records detailed metrics, with execution logging of errors only", () => {
      expect(resource(json, ApiGatewayMethodSettings)).toEqual(
        expect.objectContaining({
          rest_api_id: referenceTo(json, ApiGatewayRestApi, "id"),
          stage_name: referenceTo(json, ApiGatewayStage, "stage_name"),
          method_path: "*/*",
          settings: expect.objectContaining({
            throttling_rate_limit: 20,
            throttling_burst_limit: 40,
            metrics_enabled: true,
            logging_level: "ERROR",
            data_trace_enabled: false,
            caching_enabled: false,
            cache_data_encrypted: true,
          }),
        }),
      );
    });

    it("creates the execution log group API Gateway writes to, encrypted and kept 365 days, before the method settings", () => {
      const [id, group] = entries(json, CloudwatchLogGroup).find(([, body]) => String(body.name).startsWith("API-Gateway-Execution-Logs_"))!;
      expect(group).toEqual(
        expect.objectContaining({
          name: `API-Gateway-Execution-Logs_${referenceTo(json, ApiGatewayRestApi, "id")}/v1`,
          retention_in_days: 365,
          kms_key_id: referenceTo(json, KmsKeyResource, "arn"),
        }),
      );
      expect(resource(json, ApiGatewayMethodSettings).depends_on).toEqual([`aws_cloudwatch_log_group.${id}`]);
    });

    it("turns execution logging off, and its log group with it, with executionLoggingLevel OFF", () => {
      const off = synthApi({ executionLoggingLevel: "OFF" });
      expect(resource(off, ApiGatewayMethodSettings)).toEqual(expect.objectContaining({ settings: expect.objectContaining({ logging_level: "OFF" }) }));
      expect(resources(off, CloudwatchLogGroup).map((group) => group.name)).toEqual([ACCESS_LOGS]);
    });

    it("writes JSON access logs, with the X-Ray trace id, to its own encrypted log group kept 365 days", () => {
      expect(accessLogs(json)).toEqual(
        expect.objectContaining({
          name: ACCESS_LOGS,
          retention_in_days: 365,
          kms_key_id: referenceTo(json, KmsKeyResource, "arn"),
        }),
      );
      const settings = stage.access_log_settings as { destination_arn: string; format: string };
      expect(settings.destination_arn).toBe(`\${aws_cloudwatch_log_group.${accessLogsId(json)}.arn}`);
      expect(JSON.parse(settings.format)).toEqual(
        expect.objectContaining({
          requestId: "$context.requestId",
          xrayTraceId: "$context.xrayTraceId",
          resourcePath: "$context.resourcePath",
          status: "$context.status",
          integrationError: "$context.integration.error",
        }),
      );
    });

    it("redeploys before it destroys the old deployment", () => {
      expect(resource(json, ApiGatewayDeployment)).toEqual(
        expect.objectContaining({
          rest_api_id: referenceTo(json, ApiGatewayRestApi, "id"),
          lifecycle: { create_before_destroy: true },
          triggers: { redeployment: expect.stringMatching(/^[0-9a-f]{64}$/) },
        }),
      );
    });

    it("gives the stage's invoke URL as url, and the CloudWatch ApiName and Stage dimensions", () => {
      expect(json.output?.url?.value).toBe(referenceTo(json, ApiGatewayStage, "invoke_url"));
      expect(api.apiName).toBe("acme-test-tips-api");
      expect(api.stageName).toBe("v1");
    });

    it("has no routes until addRoute", () => {
      expect(resources(json, ApiGatewayMethod)).toEqual([]);
      expect(resources(json, ApiGatewayResource)).toEqual([]);
      expect(resources(json, LambdaPermission)).toEqual([]);
    });

    it("creates no aws_api_gateway_account (one per account and region, shared by environments)", () => {
      expect(json.resource?.aws_api_gateway_account).toBeUndefined();
    });
  });

  describe("options", () => {
    it("does not trace when enableTracing is false", () => {
      expect(resource(synthApi({ enableTracing: false }), ApiGatewayStage)).toEqual(
        expect.objectContaining({ xray_tracing_enabled: false }),
      );
    });

    it("names the stage stageName", () => {
      const json = synthConstruct((scope) => {
        const { api, kmsKey } = addApi(scope, { stageName: "live" });
        api.addRoute("get-tip", "GET /tips/{id}", addFunction(scope, kmsKey, "get-tip"));
      });
      expect(resource(json, ApiGatewayStage)).toEqual(expect.objectContaining({ stage_name: "live" }));
      expect(resource(json, LambdaPermission).source_arn).toBe(`${referenceTo(json, ApiGatewayRestApi, "execution_arn")}/live/GET/tips/*`);
    });

    it("keeps access and execution logs for accessLogRetentionDays", () => {
      const json14 = synthApi({ accessLogRetentionDays: 14 });
      expect(resources(json14, CloudwatchLogGroup).map((group) => group.retention_in_days)).toEqual([14, 14]);
    });

    it("accepts a fractional rate limit", () => {
      expect(resource(synthApi({ throttlingRateLimit: 0.5, throttlingBurstLimit: 1 }), ApiGatewayMethodSettings)).toEqual(
        expect.objectContaining({
          settings: expect.objectContaining({ throttling_rate_limit: 0.5, throttling_burst_limit: 1 }),
        }),
      );
    });
  });

  describe("CORS", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthRoutes({ cors: { allowOrigins: ["https://tips.example.com"] } });
    });

    const preflightOf = (path: string) => {
      const integration = resources(json, ApiGatewayIntegration).find(
        (candidate) => candidate.type === "MOCK" && routeKeyOf(json, candidate) === `OPTIONS ${path}`,
      );
      if (!integration) throw new Error(`no preflight for ${path}`);
      const sameMethod = (body: Body) => body.resource_id === integration.resource_id && body.http_method === integration.http_method;
      return {
        integration,
        methodResponse: resources(json, ApiGatewayMethodResponse).find(sameMethod)!,
        integrationResponse: resources(json, ApiGatewayIntegrationResponse).find(sameMethod)!,
      };
    };

    it("answers OPTIONS on every routed path in API Gateway (MOCK), without authorization", () => {
      const options = resources(json, ApiGatewayMethod).filter((method) => method.http_method === "OPTIONS");
      expect(options.map((method) => routeKeyOf(json, method)).sort()).toEqual(["OPTIONS /tips", "OPTIONS /tips/{id}"]);
      for (const method of options) {
        expect(method).toEqual(
          expect.objectContaining({ authorization: "NONE", request_validator_id: referenceTo(json, ApiGatewayRequestValidator, "id") }),
        );
      }
      expect(preflightOf("/tips").integration).toEqual(
        expect.objectContaining({ request_templates: { "application/json": '{"statusCode": 204}' } }),
      );
    });

    it("answers a preflight 204 with the origin and default methods, headers and max age", () => {
      const { methodResponse, integrationResponse } = preflightOf("/tips/{id}");
      expect(methodResponse.status_code).toBe("204");
      expect(deref(json, integrationResponse.status_code).body).toBe(methodResponse);
      expect(integrationResponse.response_parameters).toEqual({
        "method.response.header.Access-Control-Allow-Origin": "'https://tips.example.com'",
        "method.response.header.Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
        "method.response.header.Access-Control-Allow-Headers": "'content-type'",
        "method.response.header.Access-Control-Max-Age": "'300'",
        "method.response.header.Vary": "'Origin'",
      });
      expect(Object.keys(methodResponse.response_parameters as Body).sort()).toEqual(
        Object.keys(integrationResponse.response_parameters as Body).sort(),
      );
    });

    it("takes CORS methods, headers and max age", () => {
      const json = synthRoutes({
        cors: { allowOrigins: ["http://localhost:3000"], allowMethods: ["GET"], allowHeaders: ["authorization"], maxAgeSeconds: 60 },
      });
      const [response] = resources(json, ApiGatewayIntegrationResponse);
      expect(response!.response_parameters).toEqual(
        expect.objectContaining({
          "method.response.header.Access-Control-Allow-Origin": "'http://localhost:3000'",
          "method.response.header.Access-Control-Allow-Methods": "'GET'",
          "method.response.header.Access-Control-Allow-Headers": "'authorization'",
          "method.response.header.Access-Control-Max-Age": "'60'",
        }),
      );
    });

    it("echoes the request's Origin in a preflight only when it is one of several allowed origins", () => {
      const json = synthRoutes({ cors: { allowOrigins: ["https://a.example.com", "https://b.example.com"] } });
      const template = (resources(json, ApiGatewayIntegrationResponse)[0]!.response_templates as Record<string, string>)[
        "application/json"
      ]!;
      expect(template).toContain('#if($origin == "https://a.example.com" || $origin == "https://b.example.com")');
      expect(template).toContain("#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)");
    });

    it("lets browsers read API Gateway's own 4xx and 5xx answers (throttling, unknown route)", () => {
      const responses = resources(json, ApiGatewayGatewayResponse);
      expect(responses.map((response) => response.response_type).sort()).toEqual(["DEFAULT_4XX", "DEFAULT_5XX"]);
      for (const response of responses) {
        expect(response).toEqual(
          expect.objectContaining({
            rest_api_id: referenceTo(json, ApiGatewayRestApi, "id"),
            response_parameters: {
              "gatewayresponse.header.Access-Control-Allow-Origin": "'https://tips.example.com'",
              "gatewayresponse.header.Vary": "'Origin'",
            },
          }),
        );
      }
    });

    it("deploys the gateway responses and preflights with the routes", () => {
      const dependsOn = resource(json, ApiGatewayDeployment).depends_on as string[];
      for (const [id] of entries(json, ApiGatewayGatewayResponse)) expect(dependsOn).toContain(`${ApiGatewayGatewayResponse.tfResourceType}.${id}`);
      for (const [id] of entries(json, ApiGatewayIntegrationResponse)) {
        expect(dependsOn).toContain(`${ApiGatewayIntegrationResponse.tfResourceType}.${id}`);
      }
    });

    it("redeploys when the CORS settings change", () => {
      expect(redeployment(json)).not.toBe(redeployment(synthRoutes({ cors: { allowOrigins: ["https://other.example.com"] } })));
    });

    it("fails when cors.allowOrigins is empty", () => {
      expect(errorOf((scope) => addApi(scope, { cors: { allowOrigins: [] } }))).toBe(
        "cors.allowOrigins must list at least one origin; leave cors out for none",
      );
    });
  });

  describe("addRoute", () => {
    let json: StackJson;
    let returnedMethod: string | undefined;
    beforeAll(() => {
      json = synthConstruct((scope) => {
        const { api, kmsKey } = addApi(scope);
        const getTip = addFunction(scope, kmsKey, "get-tip");
        const createTip = addFunction(scope, kmsKey, "create-tip");
        returnedMethod = api.addRoute("get-tip", "GET /tips/{id}", getTip).httpMethodInput;
        api.addRoute("create-tip", "POST /tips", createTip);
      });
    });

    /** The Lambda integration of `routeKey` and the function it invokes. */
    function routed(routeKey: string) {
      const integration = resources(json, ApiGatewayIntegration).find((candidate) => routeKeyOf(json, candidate) === routeKey);
      if (!integration) throw new Error(`no route ${routeKey}`);
      const fn = deref(json, integration.uri);
      expect(fn.type).toBe(LambdaFunction.tfResourceType);
      return { integration, fn: fn.body };
    }

    const functionRef = (name: string, attribute: string): string => {
      const found = entries(json, LambdaFunction).find(([, body]) => body.function_name === `acme-test-${name}`);
      return reference(LambdaFunction, found![0], attribute);
    };

    it("returns the method it adds", () => {
      expect(returnedMethod).toBe("GET");
    });

    it("adds one method, integration and permission per call, and each path resource once", () => {
      expect(resources(json, ApiGatewayMethod)).toHaveLength(2);
      expect(resources(json, ApiGatewayIntegration)).toHaveLength(2);
      expect(resources(json, LambdaPermission)).toHaveLength(2);
      expect(resources(json, ApiGatewayResource).map((body) => body.path_part).sort()).toEqual(["tips", "{id}"]);
    });

    it("routes each key to its own function, unauthenticated, requiring its path parameters", () => {
      for (const [routeKey, name] of [
        ["GET /tips/{id}", "acme-test-get-tip"],
        ["POST /tips", "acme-test-create-tip"],
      ] as const) {
        expect(routed(routeKey).fn.function_name, routeKey).toBe(name);
      }
      const methods = Object.fromEntries(resources(json, ApiGatewayMethod).map((method) => [routeKeyOf(json, method), method]));
      expect(methods["GET /tips/{id}"]).toEqual(
        expect.objectContaining({
          authorization: "NONE",
          request_parameters: { "method.request.path.id": true },
          request_validator_id: referenceTo(json, ApiGatewayRequestValidator, "id"),
        }),
      );
      expect(methods["POST /tips"]).toEqual(expect.objectContaining({ authorization: "NONE", request_parameters: {} }));
    });

    it("integrates with Lambda proxy (POST to the function's invoke ARN)", () => {
      expect(routed("GET /tips/{id}").integration).toEqual(
        expect.objectContaining({
          rest_api_id: referenceTo(json, ApiGatewayRestApi, "id"),
          type: "AWS_PROXY",
          integration_http_method: "POST",
          uri: functionRef("get-tip", "invoke_arn"),
        }),
      );
    });

    it("lets API Gateway invoke each function for its own stage, method and path only, path parameters as *", () => {
      const executionArn = referenceTo(json, ApiGatewayRestApi, "execution_arn");
      expect(resources(json, LambdaPermission)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            statement_id: "AllowApiGatewayInvoke-get-tip",
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            function_name: functionRef("get-tip", "function_name"),
            source_arn: `${executionArn}/v1/GET/tips/*`,
          }),
          expect.objectContaining({
            statement_id: "AllowApiGatewayInvoke-create-tip",
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            function_name: functionRef("create-tip", "function_name"),
            source_arn: `${executionArn}/v1/POST/tips`,
          }),
        ]),
      );
    });

    it("creates the deployment after every method and integration", () => {
      const dependsOn = resource(json, ApiGatewayDeployment).depends_on as string[];
      const expected = [
        ...entries(json, ApiGatewayMethod).map(([id]) => `${ApiGatewayMethod.tfResourceType}.${id}`),
        ...entries(json, ApiGatewayIntegration).map(([id]) => `${ApiGatewayIntegration.tfResourceType}.${id}`),
      ];
      expect(expected).toHaveLength(4);
      expect([...dependsOn].sort()).toEqual(expected.sort());
    });

    it("redeploys when a route is added or changed, and only then", () => {
      const before = redeployment(synthRoutes());
      expect(redeployment(synthRoutes())).toBe(before);
      const changed = synthConstruct((scope) => {
        const { api, kmsKey } = addApi(scope);
        api.addRoute("get-tip", "GET /tips/{tipId}", addFunction(scope, kmsKey, "get-tip"));
        api.addRoute("create-tip", "POST /tips", addFunction(scope, kmsKey, "create-tip"));
      });
      expect(redeployment(changed)).not.toBe(before);
      const added = synthConstruct((scope) => {
        const { api, kmsKey } = addApi(scope);
        api.addRoute("get-tip", "GET /tips/{id}", addFunction(scope, kmsKey, "get-tip"));
        api.addRoute("create-tip", "POST /tips", addFunction(scope, kmsKey, "create-tip"));
        api.addRoute("list-tips", "GET /tips", addFunction(scope, kmsKey, "list-tips"));
      });
      expect(redeployment(added)).not.toBe(before);
    });

    it.each([
      ["PUT /users/{userId}/tips/{tipId}", "/v1/PUT/users/*/tips/*"],
      ["DELETE /tips/{id}", "/v1/DELETE/tips/*"],
      ["PATCH /tips", "/v1/PATCH/tips"],
      ["GET /", "/v1/GET/"],
    ])("scopes the permission of %s to %s", (routeKey, suffix) => {
      const json = synthConstruct((scope) => {
        const { api, kmsKey } = addApi(scope);
        api.addRoute("route", routeKey, addFunction(scope, kmsKey, "get-tip"));
      });
      expect(resource(json, LambdaPermission)).toEqual(
        expect.objectContaining({ source_arn: `${referenceTo(json, ApiGatewayRestApi, "execution_arn")}${suffix}` }),
      );
      expect(routeKeyOf(json, resource(json, ApiGatewayMethod))).toBe(routeKey);
    });
  });

  describe("validation", () => {
    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("fails when throttlingRateLimit is %s", (rate) => {
      expect(problemsOf((scope) => addApi(scope, { throttlingRateLimit: rate }))).toEqual([
        `throttlingRateLimit: ${rate} must be a positive number of requests per second`,
      ]);
    });

    it.each([0, -5, 1.5])("fails when throttlingBurstLimit is %s", (burst) => {
      expect(problemsOf((scope) => addApi(scope, { throttlingBurstLimit: burst }))).toEqual([
        `throttlingBurstLimit: ${burst} must be an integer >= 1`,
      ]);
    });

    it.each(["", "v 1", "v/1", "x".repeat(129)])("fails when stageName is %j", (stageName) => {
      expect(errorOf((scope) => addApi(scope, { stageName }))).toBe(
        `stageName (${stageName}) must be 1-128 letters, digits, hyphens or underscores`,
      );
    });

    it("validates the stage name before creating anything", () => {
      const stack = new TerraformStack(testApp(), "stack");
      const kmsKey = new KmsKey(stack, "key", { alias: "acme-test-api", description: "api", accountId: ACCOUNT });
      expect(
        () => new RestApi(stack, "api", { name: "n", description: "d", kmsKey, throttlingRateLimit: 1, throttlingBurstLimit: 1, stageName: "" }),
      ).toThrow();
      expect(stack.node.tryFindChild("api")?.node.children ?? []).toEqual([]);
    });

    it.each([
      "GET tips",
      "ANY /tips",
      "get /tips",
      "GET /tips?limit=5",
      "GET  /tips",
      "/tips",
      "",
      "$default",
      "GET /tips/{proxy+}",
      "GET /tips/",
      "GET /tips//x",
      "GET /ti{p}s",
    ])("fails when routeKey is %j", (routeKey) => {
      const message = errorOf((scope) => {
        const { api, kmsKey } = addApi(scope);
        api.addRoute("route", routeKey, addFunction(scope, kmsKey, "get-tip"));
      });
      expect(message).toBe(`routeKey (${routeKey}) must be "<METHOD> /path", e.g. "GET /tips/{id}"`);
    });

    it("fails when a method and path are routed twice", () => {
      const message = errorOf((scope) => {
        const { api, kmsKey } = addApi(scope);
        api.addRoute("first", "GET /tips", addFunction(scope, kmsKey, "list-tips"));
        api.addRoute("second", "GET /tips", addFunction(scope, kmsKey, "get-tip"));
      });
      expect(message).toBe("routeKey (GET /tips) is already routed");
    });
  });
});
