import { resolve } from "node:path";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { Certificate } from "../modules/compute/certificate";
import { WafWebAcl } from "../modules/compute/waf-web-acl";
import { DnsAlias } from "../modules/core/dns-alias";
import { DynamoTable, type DynamoDataAction } from "../modules/core/dynamo-table";
import { KmsKey } from "../modules/core/kms-key";
import { PublicHostedZone } from "../modules/core/public-hosted-zone";
import { ApiDomain } from "../modules/serverless/api-domain";
import { NodeFunction } from "../modules/serverless/node-function";
import { RestApi } from "../modules/serverless/rest-api";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/** Runtime code of the functions; bundled at synth time, never imported. */
const PROJECT_ROOT = resolve(__dirname, "..");
const TIPS_INDEX = "by-created-at";

interface TipsRoute {
  readonly id: string;
  readonly routeKey: string;
  readonly description: string;
  /** The only table actions the function may call. */
  readonly actions: readonly DynamoDataAction[];
}

const ROUTES: readonly TipsRoute[] = [
  { id: "create-tip", routeKey: "POST /tips", description: "Stores a new coding tip", actions: ["dynamodb:PutItem"] },
  { id: "list-tips", routeKey: "GET /tips", description: "Lists coding tips, newest first", actions: ["dynamodb:Query"] },
  { id: "get-tip", routeKey: "GET /tips/{id}", description: "Returns one coding tip", actions: ["dynamodb:GetItem"] },
];

/**
 * `serverless-<env>`: the coding tips REST API (X-Ray traced, behind a web ACL that limits each
 * client), its Lambda functions and its table.
 */
export class ServerlessStack extends EnvironmentStack {
  readonly api: RestApi;
  /** Per-client rate limits and AWS's managed rules in front of the stage, whose throttle all clients share. */
  readonly waf: WafWebAcl;
  readonly table: DynamoTable;
  readonly functions: NodeFunction[];

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "serverless", props);
    const { env, naming } = this;
    const config = env.serverless;

    const key = new KmsKey(this, "key", {
      alias: naming.name("tips"),
      description: `Encrypts the coding tips table, function settings and logs of ${naming.name()}`,
      accountId: env.accountId,
      serviceStatements: [KmsKey.cloudWatchLogsStatement(env.region, env.accountId)],
    });

    // Tips are read by id (GetItem) and listed newest first from one index partition (Query),
    // so no request ever scans the table.
    this.table = new DynamoTable(this, "tips-table", {
      tableName: naming.name("tips"),
      partitionKey: { name: "id", type: "S" },
      globalSecondaryIndexes: [
        {
          indexName: TIPS_INDEX,
          partitionKey: { name: "listPartition", type: "S" },
          sortKey: { name: "createdAt", type: "S" },
        },
      ],
      kmsKey: key,
      enableDeletionProtection: this.deletionProtection(config.tableDeletionProtection),
    });

    this.api = new RestApi(this, "api", {
      name: naming.name("tips-api"),
      description: "Coding tips API",
      kmsKey: key,
      ...this.fromConfig({ throttlingRateLimit: "serverless.throttlingRateLimit", throttlingBurstLimit: "serverless.throttlingBurstLimit" }),
      cors: config.corsAllowOrigins.length > 0 ? { allowOrigins: config.corsAllowOrigins } : undefined,
      accessLogRetentionDays: config.logRetentionDays,
    });

    this.waf = new WafWebAcl(this, "waf", {
      name: naming.name("tips-api"),
      resourceArn: this.api.stage.arn,
      ...this.fromConfig({ rateLimitPer5Minutes: "serverless.wafRateLimitPer5Minutes" }),
      kmsKey: key,
      logRetentionDays: config.logRetentionDays,
      logging: config.wafLogging,
    });

    this.functions = ROUTES.map((route) => {
      const fn = new NodeFunction(this, route.id, {
        functionName: naming.name(route.id),
        description: route.description,
        entry: resolve(PROJECT_ROOT, "lambdas", "tips", `${route.id}.ts`),
        projectRoot: PROJECT_ROOT,
        accountId: env.accountId,
        kmsKey: key,
        ...this.fromConfig({
          memorySizeMiB: "serverless.functionMemoryMiB",
          timeoutSeconds: "serverless.timeoutSeconds",
          reservedConcurrentExecutions: "serverless.reservedConcurrency",
        }),
        logRetentionDays: config.logRetentionDays,
        environment: {
          TABLE_NAME: this.table.name,
          GSI_NAME: TIPS_INDEX,
          POWERTOOLS_SERVICE_NAME: "tips",
          POWERTOOLS_METRICS_NAMESPACE: env.project,
          POWERTOOLS_LOG_LEVEL: "INFO",
          // Proxy integrations pass the function's headers through: it answers CORS for actual requests.
          ...(config.corsAllowOrigins.length > 0 && { CORS_ALLOW_ORIGINS: config.corsAllowOrigins.join(",") }),
        },
      });
      this.table.grant(fn, "tips-table", route.actions);
      this.api.addRoute(route.id, route.routeKey, fn);
      return fn;
    });

    if (config.domain) {
      const zone = new PublicHostedZone(this, "zone", { zoneName: config.domain.hostedZone });
      const certificate = new Certificate(this, "certificate", { hostedZone: zone, ...this.fromConfig({ domainName: "serverless.domain.recordName" }) });
      const domain = new ApiDomain(this, "api-domain", { api: this.api, domainName: config.domain.recordName, certificateArn: certificate.arn });
      new DnsAlias(this, "api-record", { hostedZone: zone, ...this.fromConfig({ recordName: "serverless.domain.recordName" }), target: domain.aliasTarget });
      new TerraformOutput(this, "api_domain_url", {
        value: domain.url,
        description: "Base URL of the coding tips API on its custom domain, e.g. curl <api_domain_url>/tips.",
      });
    }

    new TerraformOutput(this, "api_url", {
      value: this.api.url,
      description: "Base URL of the coding tips API, e.g. curl <api_url>/tips.",
    });
    new TerraformOutput(this, "tips_table_name", {
      value: this.table.name,
      description: "DynamoDB table holding the tips.",
    });
    new TerraformOutput(this, "function_names", {
      value: this.functions.map((fn) => fn.functionName),
      description: "Names of the API's Lambda functions (create, list, get).",
    });
  }
}
