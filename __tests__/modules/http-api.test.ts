import { resolve } from "node:path";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { HttpApi, type HttpApiProps } from "../../modules/http-api";
import { KmsKey } from "../../modules/kms-key";
import { NodeFunction } from "../../modules/node-function";
import { deref, entries, reference, referenceTo, resource, resources, synthConstruct, type StackJson } from "../support/synth";

const PROJECT_ROOT = resolve(__dirname, "../..");
const ACCOUNT = "123456789012";

type Props = Partial<Omit<HttpApiProps, "kmsKey">>;

function addApi(scope: Construct, props: Props = {}): { api: HttpApi; kmsKey: KmsKey } {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-api", description: "api", accountId: ACCOUNT });
  const api = new HttpApi(scope, "api", {
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

/** The message `build` throws; fails the test when it does not throw. */
function errorOf(build: (scope: Construct) => void): string {
  try {
    build(new TerraformStack(Testing.app(), "stack"));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("HttpApi", () => {
  describe("defaults", () => {
    let json: StackJson;
    let stage: Record<string, unknown>;
    beforeAll(() => {
      json = synthConstruct((scope) => {
        const { api } = addApi(scope);
        new TerraformOutput(scope, "url", { value: api.url });
      });
      stage = resource(json, Apigatewayv2Stage);
    });

    it("is an HTTP API without CORS", () => {
      const api = resource(json, Apigatewayv2Api);
      expect(api).toEqual(
        expect.objectContaining({ name: "acme-test-tips-api", description: "Tips API", protocol_type: "HTTP" }),
      );
      expect(api.cors_configuration).toBeUndefined();
    });

    it("serves the auto-deployed $default stage", () => {
      expect(stage).toEqual(
        expect.objectContaining({ api_id: referenceTo(json, Apigatewayv2Api, "id"), name: "$default", auto_deploy: true }),
      );
    });

    it("throttles every route of the stage and records detailed metrics", () => {
      expect(stage).toEqual(
        expect.objectContaining({
          default_route_settings: { throttling_rate_limit: 20, throttling_burst_limit: 40, detailed_metrics_enabled: true },
        }),
      );
    });

    it("writes JSON access logs to its own encrypted log group, kept 365 days", () => {
      expect(resource(json, CloudwatchLogGroup)).toEqual(
        expect.objectContaining({
          name: "/aws/apigateway/acme-test-tips-api/access",
          retention_in_days: 365,
          kms_key_id: referenceTo(json, KmsKeyResource, "arn"),
        }),
      );
      const settings = stage.access_log_settings as { destination_arn: string; format: string };
      expect(settings.destination_arn).toBe(referenceTo(json, CloudwatchLogGroup, "arn"));
      expect(JSON.parse(settings.format)).toEqual(
        expect.objectContaining({
          requestId: "$context.requestId",
          routeKey: "$context.routeKey",
          status: "$context.status",
          integrationError: "$context.integrationErrorMessage",
        }),
      );
    });

    it("gives the API endpoint as url (the $default stage has no path prefix)", () => {
      expect(json.output?.url?.value).toBe(referenceTo(json, Apigatewayv2Api, "api_endpoint"));
    });

    it("has no routes until addRoute", () => {
      expect(resources(json, Apigatewayv2Route)).toEqual([]);
      expect(resources(json, LambdaPermission)).toEqual([]);
    });
  });

  describe("options", () => {
    it("sends CORS headers for the allowed origins, with default methods, headers and max age", () => {
      expect(resource(synthApi({ cors: { allowOrigins: ["https://tips.example.com"] } }), Apigatewayv2Api)).toEqual(
        expect.objectContaining({
          cors_configuration: {
            allow_origins: ["https://tips.example.com"],
            allow_methods: ["GET", "POST", "OPTIONS"],
            allow_headers: ["content-type"],
            max_age: 300,
          },
        }),
      );
    });

    it("takes CORS methods, headers and max age", () => {
      const cors = {
        allowOrigins: ["http://localhost:3000"],
        allowMethods: ["GET"],
        allowHeaders: ["authorization"],
        maxAgeSeconds: 60,
      };
      expect(resource(synthApi({ cors }), Apigatewayv2Api)).toEqual(
        expect.objectContaining({
          cors_configuration: {
            allow_origins: ["http://localhost:3000"],
            allow_methods: ["GET"],
            allow_headers: ["authorization"],
            max_age: 60,
          },
        }),
      );
    });

    it("keeps access logs for accessLogRetentionDays", () => {
      expect(resource(synthApi({ accessLogRetentionDays: 14 }), CloudwatchLogGroup)).toEqual(
        expect.objectContaining({ retention_in_days: 14 }),
      );
    });

    it("accepts a fractional rate limit", () => {
      expect(resource(synthApi({ throttlingRateLimit: 0.5, throttlingBurstLimit: 1 }), Apigatewayv2Stage)).toEqual(
        expect.objectContaining({
          default_route_settings: expect.objectContaining({ throttling_rate_limit: 0.5, throttling_burst_limit: 1 }),
        }),
      );
    });
  });

  describe("addRoute", () => {
    let json: StackJson;
    let returnedRouteKey: string | undefined;
    beforeAll(() => {
      json = synthConstruct((scope) => {
        const { api, kmsKey } = addApi(scope);
        const getTip = addFunction(scope, kmsKey, "get-tip");
        const createTip = addFunction(scope, kmsKey, "create-tip");
        returnedRouteKey = api.addRoute("get-tip", "GET /tips/{id}", getTip).routeKeyInput;
        api.addRoute("create-tip", "POST /tips", createTip);
      });
    });

    /** The route with `routeKey`, its integration and the function that integration invokes. */
    function routed(routeKey: string) {
      const route = resources(json, Apigatewayv2Route).find((candidate) => candidate.route_key === routeKey);
      if (!route) throw new Error(`no route ${routeKey}`);
      const target = /^integrations\/(\$\{.+\})$/.exec(String(route.target));
      expect(target, "target is integrations/<integration id>").not.toBeNull();
      const integration = deref(json, target![1]);
      expect(integration.type).toBe(Apigatewayv2Integration.tfResourceType);
      const fn = deref(json, integration.body.integration_uri);
      expect(fn.type).toBe(LambdaFunction.tfResourceType);
      return { route, integration: integration.body, fn: fn.body };
    }

    const functionRef = (name: string, attribute: string): string => {
      const found = entries(json, LambdaFunction).find(([, body]) => body.function_name === `acme-test-${name}`);
      return reference(LambdaFunction, found![0], attribute);
    };

    it("returns the route it adds", () => {
      expect(returnedRouteKey).toBe("GET /tips/{id}");
    });

    it("adds one route, integration and permission per call", () => {
      expect(resources(json, Apigatewayv2Route)).toHaveLength(2);
      expect(resources(json, Apigatewayv2Integration)).toHaveLength(2);
      expect(resources(json, LambdaPermission)).toHaveLength(2);
    });

    it("routes each key on the API to its own function", () => {
      const apiId = referenceTo(json, Apigatewayv2Api, "id");
      for (const [routeKey, name] of [
        ["GET /tips/{id}", "acme-test-get-tip"],
        ["POST /tips", "acme-test-create-tip"],
      ] as const) {
        const { route, fn } = routed(routeKey);
        expect(route, routeKey).toEqual(expect.objectContaining({ api_id: apiId, route_key: routeKey }));
        expect(fn.function_name, routeKey).toBe(name);
      }
    });

    it("integrates with Lambda proxy, payload format 2.0", () => {
      const { integration } = routed("GET /tips/{id}");
      expect(integration).toEqual(
        expect.objectContaining({
          api_id: referenceTo(json, Apigatewayv2Api, "id"),
          integration_type: "AWS_PROXY",
          integration_uri: functionRef("get-tip", "invoke_arn"),
          payload_format_version: "2.0",
        }),
      );
    });

    it("lets API Gateway invoke each function for its own method and path only, path parameters as *", () => {
      const executionArn = referenceTo(json, Apigatewayv2Api, "execution_arn");
      const permissions = resources(json, LambdaPermission);
      expect(permissions).toHaveLength(2);
      expect(permissions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            statement_id: "AllowApiGatewayInvoke-get-tip",
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            function_name: functionRef("get-tip", "function_name"),
            source_arn: `${executionArn}/*/GET/tips/*`,
          }),
          expect.objectContaining({
            statement_id: "AllowApiGatewayInvoke-create-tip",
            action: "lambda:InvokeFunction",
            principal: "apigateway.amazonaws.com",
            function_name: functionRef("create-tip", "function_name"),
            source_arn: `${executionArn}/*/POST/tips`,
          }),
        ]),
      );
    });

    it.each([
      ["PUT /users/{userId}/tips/{tipId}", "/*/PUT/users/*/tips/*"],
      ["DELETE /tips/{id}", "/*/DELETE/tips/*"],
      ["PATCH /tips", "/*/PATCH/tips"],
      ["GET /", "/*/GET/"],
    ])("scopes the permission of %s to %s", (routeKey, suffix) => {
      const json = synthConstruct((scope) => {
        const { api, kmsKey } = addApi(scope);
        api.addRoute("route", routeKey, addFunction(scope, kmsKey, "get-tip"));
      });
      expect(resource(json, LambdaPermission)).toEqual(
        expect.objectContaining({ source_arn: `${referenceTo(json, Apigatewayv2Api, "execution_arn")}${suffix}` }),
      );
      expect(resource(json, Apigatewayv2Route)).toEqual(expect.objectContaining({ route_key: routeKey }));
    });
  });

  describe("validation", () => {
    it.each([0, -1, Number.NaN])("fails when throttlingRateLimit is %s", (rate) => {
      expect(errorOf((scope) => addApi(scope, { throttlingRateLimit: rate }))).toBe(
        `throttlingRateLimit (${rate}) must be positive`,
      );
    });

    it.each([0, -5, 1.5])("fails when throttlingBurstLimit is %s", (burst) => {
      expect(errorOf((scope) => addApi(scope, { throttlingBurstLimit: burst }))).toBe(
        `throttlingBurstLimit (${burst}) must be a positive integer`,
      );
    });

    it("validates before creating anything", () => {
      const stack = new TerraformStack(Testing.app(), "stack");
      const kmsKey = new KmsKey(stack, "key", { alias: "acme-test-api", description: "api", accountId: ACCOUNT });
      expect(
        () => new HttpApi(stack, "api", { name: "n", description: "d", kmsKey, throttlingRateLimit: 0, throttlingBurstLimit: 1 }),
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
    ])("fails when routeKey is %j", (routeKey) => {
      const message = errorOf((scope) => {
        const { api, kmsKey } = addApi(scope);
        api.addRoute("route", routeKey, addFunction(scope, kmsKey, "get-tip"));
      });
      expect(message).toBe(`routeKey (${routeKey}) must be "<METHOD> /path", e.g. "GET /tips/{id}"`);
    });
  });
});
