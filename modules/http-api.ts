import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { KmsKey } from "./kms-key";
import { LogGroup } from "./log-group";
import type { NodeFunction } from "./node-function";

export interface CorsOptions {
  /** Origins allowed to call the API from a browser, e.g. `https://tips.example.com`. */
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

export interface HttpApiProps {
  readonly name: string;
  readonly description: string;
  /** Encrypts the access log group. */
  readonly kmsKey: KmsKey;
  /** Steady-state requests per second across all routes of the stage. */
  readonly throttlingRateLimit: number;
  /** Requests allowed in a burst above the rate. */
  readonly throttlingBurstLimit: number;
  /**
   * Browser cross-origin access.
   * @default - no CORS headers: browsers on other origins cannot call the API
   */
  readonly cors?: CorsOptions;
  /**
   * Days access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
}

/** Fields of every access log line: enough to trace a request across API Gateway and Lambda. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  routeKey: "$context.routeKey",
  path: "$context.path",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  userAgent: "$context.identity.userAgent",
});

/**
 * An API Gateway HTTP API with a `$default` stage (auto-deployed, throttled, JSON access logs
 * to an encrypted log group) and Lambda routes added with `addRoute`.
 */
export class HttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const { throttlingRateLimit: rate, throttlingBurstLimit: burst } = props;
    if (!Token.isUnresolved(rate) && !(rate > 0)) throw new Error(`throttlingRateLimit (${rate}) must be positive`);
    if (!Token.isUnresolved(burst) && (!Number.isInteger(burst) || burst < 1)) {
      throw new Error(`throttlingBurstLimit (${burst}) must be a positive integer`);
    }

    this.api = new Apigatewayv2Api(this, "api", {
      name: props.name,
      description: props.description,
      protocolType: "HTTP",
      corsConfiguration: props.cors
        ? {
            allowOrigins: [...props.cors.allowOrigins],
            allowMethods: [...(props.cors.allowMethods ?? ["GET", "POST", "OPTIONS"])],
            allowHeaders: [...(props.cors.allowHeaders ?? ["content-type"])],
            maxAge: props.cors.maxAgeSeconds ?? 300,
          }
        : undefined,
    });
    this.accessLogs = new LogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.name}/access`,
      kmsKey: props.kmsKey,
      retentionInDays: props.accessLogRetentionDays ?? 365,
    });
    this.stage = new Apigatewayv2Stage(this, "stage", {
      apiId: this.api.id,
      name: "$default",
      autoDeploy: true,
      accessLogSettings: { destinationArn: this.accessLogs.arn, format: ACCESS_LOG_FORMAT },
      defaultRouteSettings: {
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        detailedMetricsEnabled: true,
      },
    });
  }

  /** The URL clients call (the `$default` stage has no path prefix). */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /**
   * Routes `METHOD /path` to `fn` (payload format 2.0) and lets API Gateway invoke it for this
   * route only: the permission's source ARN names the API, method and path.
   */
  addRoute(id: string, routeKey: string, fn: NodeFunction): Apigatewayv2Route {
    const match = /^(GET|POST|PUT|PATCH|DELETE) (\/[A-Za-z0-9/{}_-]*)$/.exec(routeKey);
    if (!match) throw new Error(`routeKey (${routeKey}) must be "<METHOD> /path", e.g. "GET /tips/{id}"`);
    const [, method, path] = match as unknown as [string, string, string];

    const integration = new Apigatewayv2Integration(this, `${id}-integration`, {
      apiId: this.api.id,
      integrationType: "AWS_PROXY",
      integrationUri: fn.function.invokeArn,
      payloadFormatVersion: "2.0",
    });
    const route = new Apigatewayv2Route(this, `${id}-route`, {
      apiId: this.api.id,
      routeKey,
      target: `integrations/${integration.id}`,
    });
    // Path parameters appear as `*` in execute-api ARNs.
    const arnPath = path.replace(/\{[^}]+\}/g, "*");
    new LambdaPermission(this, `${id}-permission`, {
      statementId: `AllowApiGatewayInvoke-${id}`,
      action: "lambda:InvokeFunction",
      functionName: fn.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${this.api.executionArn}/*/${method}${arnPath}`,
    });
    return route;
  }
}
