import { createHash } from "node:crypto";
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
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Lazy, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import type { KmsKey } from "../core/kms-key";
import { LogGroup } from "../core/log-group";
import type { NodeFunction } from "./node-function";
import { validateProps } from "../core/validation";

export interface CorsOptions {
  /**
   * Origins allowed to call the API from a browser, e.g. `https://tips.example.com`. The Lambda
   * functions must answer actual requests with the same origins (proxy integrations pass their
   * headers through untouched); this construct answers preflights and API Gateway's own errors.
   */
  readonly allowOrigins: readonly string[];
  /**
   * @default ["GET", "POST", "OPTIONS"]
   */
  readonly allowMethods?: readonly string[];
  /**
   * @default ["content-type"]
   */
  readonly allowHeaders?: readonly string[];
  /**
   * Seconds a browser may cache a preflight answer.
   * @default 300
   */
  readonly maxAgeSeconds?: number;
}

export interface RestApiProps {
  /** Name of the API; also the `ApiName` dimension of its CloudWatch metrics. */
  readonly name: string;
  readonly description: string;
  /** Encrypts the access log group. */
  readonly kmsKey: KmsKey;
  /** Steady-state requests per second for each method of the stage. */
  readonly throttlingRateLimit: number;
  /** Requests allowed in a burst above the rate. */
  readonly throttlingBurstLimit: number;
  /**
   * Stage clients call; the first path segment of the URL and the `Stage` metric dimension.
   * @default "v1"
   */
  readonly stageName?: string;
  /**
   * Browser cross-origin access.
   * @default - no CORS headers: browsers on other origins cannot call the API
   */
  readonly cors?: CorsOptions;
  /**
   * Days access and execution logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Execution logging of every method: `ERROR` records why API Gateway itself failed a request
   * (integration errors, throttling, validation) without request or response bodies. The log group
   * API Gateway writes to is created here, so it is encrypted and expires like every other.
   * @default "ERROR"
   */
  readonly executionLoggingLevel?: "OFF" | "ERROR" | "INFO";
  /**
   * X-Ray tracing of the stage: API Gateway starts (or continues) the trace and passes it to the
   * Lambda functions, so one trace shows API Gateway → Lambda → DynamoDB.
   * @default true
   */
  readonly enableTracing?: boolean;
}

/**
 * Fields of every access log line: enough to follow a request across API Gateway and Lambda, and
 * the X-Ray trace id to jump from a log line to its trace.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  xrayTraceId: "$context.xrayTraceId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  path: "$context.path",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integration.latency",
  integrationStatus: "$context.integration.status",
  integrationError: "$context.integration.error",
  errorMessage: "$context.error.message",
  userAgent: "$context.identity.userAgent",
});

const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE) (\/[A-Za-z0-9/{}_-]*)$/;
const PATH_SEGMENT = /^(?:[A-Za-z0-9_-]+|\{[A-Za-z0-9_]+\})$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** API Gateway's own error responses a browser must be able to read (throttling, missing route). */
const CORS_GATEWAY_RESPONSES = ["DEFAULT_4XX", "DEFAULT_5XX"] as const;

/** What a route contributes to the deployment's redeploy trigger: everything but tokens. */
interface RouteRecord {
  readonly id: string;
  readonly routeKey: string;
  readonly functionPath: string;
}

/**
 * An API Gateway REST API (regional) with one throttled, X-Ray traced stage, JSON access logs to an
 * encrypted log group, and Lambda proxy routes added with `addRoute`.
 *
 * REST rather than HTTP API because only REST APIs support X-Ray tracing. Access and execution
 * logs need API Gateway's account-wide CloudWatch role (`aws_api_gateway_account`, one per account
 * and region, shared by every environment), which the account stack sets: apply it before the first
 * stage on a real account.
 */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  /** Rejects a request missing a required path parameter before any function runs. */
  readonly requestValidator: ApiGatewayRequestValidator;
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;
  /** Throttling and detailed metrics of every method of the stage. */
  readonly methodSettings: ApiGatewayMethodSettings;
  readonly accessLogs: LogGroup;
  /** Where API Gateway writes execution logs; absent with `executionLoggingLevel: "OFF"`. */
  readonly executionLogs?: LogGroup;
  /** The API's name: the `ApiName` dimension of its `AWS/ApiGateway` metrics. */
  readonly apiName: string;
  /** The `Stage` dimension of its `AWS/ApiGateway` metrics. */
  readonly stageName: string;
  /** The URL clients call: `https://<id>.execute-api.<region>.amazonaws.com/<stage>`. */
  readonly url: string;

  private readonly cors?: CorsOptions;
  private readonly resourcesByPath = new Map<string, ApiGatewayResource>();
  private readonly preflightPaths = new Set<string>();
  private readonly routes: RouteRecord[] = [];
  /** What a deployment snapshots (methods, integrations, responses): one made before them would miss them. */
  private readonly deploymentDependencies: TerraformResource[] = [];

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const { throttlingRateLimit: rate, throttlingBurstLimit: burst } = props;
    validateProps(this, props, (check) => {
      check.positive("throttlingRateLimit", rate, "requests per second");
      check.integer("throttlingBurstLimit", burst, 1);
    });
    const stageName = props.stageName ?? "v1";
    if (!STAGE_NAME.test(stageName)) {
      throw new Error(`stageName (${stageName}) must be 1-128 letters, digits, hyphens or underscores`);
    }
    if (props.cors && props.cors.allowOrigins.length === 0) {
      throw new Error("cors.allowOrigins must list at least one origin; leave cors out for none");
    }
    this.cors = props.cors;
    this.apiName = props.name;
    this.stageName = stageName;

    this.api = new ApiGatewayRestApi(this, "rest-api", {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ["REGIONAL"] },
      // A replacement API (and its stage) exists before the old one is deleted: no window without an API.
      lifecycle: { createBeforeDestroy: true },
    });
    // Bodies are validated by the functions, which name every problem; parameters are checked here.
    this.requestValidator = new ApiGatewayRequestValidator(this, "request-validator", {
      restApiId: this.api.id,
      name: "parameters",
      validateRequestParameters: true,
      validateRequestBody: false,
    });

    if (this.cors) {
      const origin = this.cors.allowOrigins[0] as string;
      for (const responseType of CORS_GATEWAY_RESPONSES) {
        const response = new ApiGatewayGatewayResponse(this, `cors-${responseType.toLowerCase()}`, {
          restApiId: this.api.id,
          responseType,
          // Static: a gateway response cannot pick among several origins, so the first one gets them.
          responseParameters: {
            "gatewayresponse.header.Access-Control-Allow-Origin": `'${origin}'`,
            "gatewayresponse.header.Vary": "'Origin'",
          },
        });
        // Gateway responses, like routes, reach clients only through a deployment.
        this.dependOn(response);
      }
    }

    this.accessLogs = new LogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.name}/access`,
      kmsKey: props.kmsKey,
      retentionInDays: props.accessLogRetentionDays ?? 365,
    });

    this.deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: this.api.id,
      description: `Routes of ${props.name}`,
      // A deployment is a snapshot: without a new one, route changes never reach the stage.
      triggers: { redeployment: Lazy.stringValue({ produce: () => this.routesHash() }) },
      // The stage moves to the new snapshot before the old one is deleted.
      lifecycle: { createBeforeDestroy: true },
    });
    this.deployment.addOverride(
      "depends_on",
      Lazy.anyValue({
        produce: () => this.deploymentDependencies.map((dependency) => `${dependency.terraformResourceType}.${dependency.friendlyUniqueId}`),
      }),
    );

    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: this.api.id,
      deploymentId: this.deployment.id,
      stageName,
      xrayTracingEnabled: props.enableTracing ?? true,
      accessLogSettings: { destinationArn: this.accessLogs.arn, format: ACCESS_LOG_FORMAT },
    });

    const loggingLevel = props.executionLoggingLevel ?? "ERROR";
    if (loggingLevel !== "OFF") {
      // API Gateway's fixed name; created first, so API Gateway never makes an unencrypted, everlasting one.
      this.executionLogs = new LogGroup(this, "execution-logs", {
        name: `API-Gateway-Execution-Logs_${this.api.id}/${stageName}`,
        kmsKey: props.kmsKey,
        retentionInDays: props.accessLogRetentionDays ?? 365,
      });
    }

    this.methodSettings = new ApiGatewayMethodSettings(this, "method-settings", {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        metricsEnabled: true,
        loggingLevel,
        dataTraceEnabled: false,
        cachingEnabled: false,
        // No cache exists; should one ever be turned on, its data is encrypted from the start.
        cacheDataEncrypted: true,
      },
      dependsOn: this.executionLogs ? [this.executionLogs.logGroup] : undefined,
    });

    this.url = this.stage.invokeUrl;
  }

  /**
   * Routes `METHOD /path` to `fn` (Lambda proxy, payload format 1.0) and lets API Gateway invoke it
   * for this route of this stage only: the permission's source ARN names the API, stage, method and
   * path. Returns the method.
   */
  addRoute(id: string, routeKey: string, fn: NodeFunction): ApiGatewayMethod {
    const match = ROUTE_KEY.exec(routeKey);
    const segments = !match || match[2] === "/" ? [] : (match[2] as string).slice(1).split("/");
    if (!match || segments.some((segment) => !PATH_SEGMENT.test(segment))) {
      throw new Error(`routeKey (${routeKey}) must be "<METHOD> /path", e.g. "GET /tips/{id}"`);
    }
    const httpMethod = match[1] as string;
    const path = `/${segments.join("/")}`;
    if (this.routes.some((route) => route.routeKey === `${httpMethod} ${path}`)) {
      throw new Error(`routeKey (${routeKey}) is already routed`);
    }

    const resourceId = this.resourceIdFor(segments);
    const pathParameters = segments.filter((segment) => segment.startsWith("{")).map((segment) => segment.slice(1, -1));
    const method = new ApiGatewayMethod(this, `${id}-method`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod,
      // Public by design; callers are bounded by stage throttling, not identity.
      authorization: "NONE",
      requestValidatorId: this.requestValidator.id,
      requestParameters: Object.fromEntries(pathParameters.map((name) => [`method.request.path.${name}`, true])),
    });
    const integration = new ApiGatewayIntegration(this, `${id}-integration`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: "AWS_PROXY",
      // Lambda is always invoked with POST, whatever the client's method.
      integrationHttpMethod: "POST",
      uri: fn.function.invokeArn,
    });
    this.dependOn(method, integration);
    if (this.cors) this.addPreflight(path, resourceId);

    // Path parameters appear as `*` in execute-api ARNs.
    const arnPath = path.replace(/\{[^}]+\}/g, "*");
    new LambdaPermission(this, `${id}-permission`, {
      statementId: `AllowApiGatewayInvoke-${id}`,
      action: "lambda:InvokeFunction",
      functionName: fn.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${this.api.executionArn}/${this.stageName}/${httpMethod}${arnPath}`,
    });
    this.routes.push({ id, routeKey: `${httpMethod} ${path}`, functionPath: fn.node.path });
    return method;
  }

  /** The resource of `segments`, creating missing ancestors; the root resource for `[]`. */
  private resourceIdFor(segments: readonly string[]): string {
    let parentId = this.api.rootResourceId;
    for (let depth = 1; depth <= segments.length; depth++) {
      const path = `/${segments.slice(0, depth).join("/")}`;
      let resource = this.resourcesByPath.get(path);
      if (!resource) {
        resource = new ApiGatewayResource(this, `resource${path.replace(/\//g, "-")}`, {
          restApiId: this.api.id,
          parentId,
          pathPart: segments[depth - 1] as string,
        });
        this.resourcesByPath.set(path, resource);
      }
      parentId = resource.id;
    }
    return parentId;
  }

  /**
   * Answers `OPTIONS <path>` in API Gateway itself (MOCK integration), with the allowed origin, methods,
   * headers and max age; no Lambda call, no cost beyond the request.
   */
  private addPreflight(path: string, resourceId: string): void {
    const cors = this.cors as CorsOptions;
    if (this.preflightPaths.has(path)) return;
    this.preflightPaths.add(path);
    const id = `preflight${path === "/" ? "-root" : path.replace(/\//g, "-")}`;
    const headers = {
      "Access-Control-Allow-Origin": `'${cors.allowOrigins[0]}'`,
      "Access-Control-Allow-Methods": `'${(cors.allowMethods ?? ["GET", "POST", "OPTIONS"]).join(",")}'`,
      "Access-Control-Allow-Headers": `'${(cors.allowHeaders ?? ["content-type"]).join(",")}'`,
      "Access-Control-Max-Age": `'${cors.maxAgeSeconds ?? 300}'`,
      Vary: "'Origin'",
    };
    const method = new ApiGatewayMethod(this, `${id}-method`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: "OPTIONS",
      // Browsers never send credentials on a preflight.
      authorization: "NONE",
      requestValidatorId: this.requestValidator.id,
    });
    const integration = new ApiGatewayIntegration(this, `${id}-integration`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: "MOCK",
      requestTemplates: { "application/json": '{"statusCode": 204}' },
    });
    const methodResponse = new ApiGatewayMethodResponse(this, `${id}-method-response`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: "204",
      responseParameters: Object.fromEntries(Object.keys(headers).map((name) => [`method.response.header.${name}`, true])),
    });
    const integrationResponse = new ApiGatewayIntegrationResponse(this, `${id}-integration-response`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: methodResponse.statusCode,
      responseParameters: Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, value]),
      ),
      responseTemplates: { "application/json": allowedOriginTemplate(cors.allowOrigins) },
      dependsOn: [integration],
    });
    this.dependOn(method, integration, methodResponse, integrationResponse);
  }

  private dependOn(...dependencies: readonly TerraformResource[]): void {
    this.deploymentDependencies.push(...dependencies);
  }

  private routesHash(): string {
    const state = { routes: this.routes, cors: this.cors ?? null };
    return createHash("sha256").update(JSON.stringify(state)).digest("hex");
  }
}

/**
 * A preflight answer can carry one static origin; with several allowed origins, this template
 * echoes the request's `Origin` when (and only when) it is one of them.
 */
function allowedOriginTemplate(origins: readonly string[]): string {
  if (origins.length < 2) return "";
  const condition = origins.map((origin) => `$origin == "${origin}"`).join(" || ");
  return [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if(${condition})#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end`,
  ].join("\n");
}
