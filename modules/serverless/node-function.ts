import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { attachPolicy, serviceTrustPolicy, unscopedStatement, XRAY_WRITE_ACTIONS } from "../core/iam";
import type { KmsKey } from "../core/kms-key";
import { bundleLambda, type LambdaBundle } from "../core/lambda-bundle";
import { LogGroup } from "../core/log-group";
import { validateProps } from "../core/validation";

export interface NodeFunctionProps {
  readonly functionName: string;
  readonly description: string;
  /** Absolute path of the TypeScript entry file; it must export `handler`. */
  readonly entry: string;
  /** Directory the bundler resolves modules from (the project root). */
  readonly projectRoot: string;
  readonly accountId: string;
  /** Encrypts the function's log group and its environment variables. */
  readonly kmsKey: KmsKey;
  /**
   * Environment variables of the function.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Memory (128 to 10240); CPU share grows with it. 256 MiB on arm64 keeps a small Node.js bundle's cold start low.
   * @default 256
   */
  readonly memorySizeMiB?: number;
  /**
   * Seconds an invocation may run before Lambda stops it (1 to 900).
   * @default 10
   */
  readonly timeoutSeconds?: number;
  /**
   * Concurrent executions reserved (and capped) for this function, so one runaway function
   * cannot starve the account's other functions.
   * @default - unreserved: shares the account's pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Active X-Ray tracing.
   * @default true
   */
  readonly enableTracing?: boolean;
}

const RUNTIME = "nodejs22.x";
const BUNDLE_TARGET = "node22";

/**
 * A Node.js Lambda function bundled from TypeScript at synth time (arm64), with its own role
 * that can only write its own logs (and traces), an encrypted log group with retention, JSON logs,
 * and X-Ray tracing. Data access is granted explicitly, e.g. `table.grant(fn, ...)`.
 */
export class NodeFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: LogGroup;
  readonly bundle: LambdaBundle;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const memorySizeMiB = props.memorySizeMiB ?? 256;
    const timeoutSeconds = props.timeoutSeconds ?? 10;
    const enableTracing = props.enableTracing ?? true;
    const reserved = props.reservedConcurrentExecutions;
    validateProps(this, props, (check) => {
      check.integer("memorySizeMiB", memorySizeMiB, 128, 10240, " (Lambda's range)");
      check.integer("timeoutSeconds", timeoutSeconds, 1, 900, " seconds (Lambda's limit)");
      check.integer("reservedConcurrentExecutions", reserved, 1);
    });

    this.logGroup = new LogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      kmsKey: props.kmsKey,
      retentionInDays: props.logRetentionDays ?? 365,
    });
    this.role = new IamRole(this, "role", {
      name: props.functionName,
      description: `Execution role of the ${props.functionName} function`,
      assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", props.accountId),
    });
    const basePolicy = attachPolicy(this, "logs-and-traces", [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroup.arn}:*`,
      },
      ...(enableTracing ? [unscopedStatement("WriteTraces", XRAY_WRITE_ACTIONS)] : []),
    ]);

    this.bundle = bundleLambda({ entry: props.entry, projectRoot: props.projectRoot, target: BUNDLE_TARGET });
    const asset = new TerraformAsset(this, "code", { path: this.bundle.zipPath, type: AssetType.FILE });

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: this.bundle.sourceCodeHash,
      memorySize: memorySizeMiB,
      timeout: timeoutSeconds,
      reservedConcurrentExecutions: reserved,
      kmsKeyArn: props.kmsKey.arn,
      environment: props.environment ? { variables: { ...props.environment } } : undefined,
      tracingConfig: { mode: enableTracing ? "Active" : "PassThrough" },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      // The log group and the permission to write to it must exist before the first invocation.
      dependsOn: [this.logGroup.logGroup, basePolicy],
    });
  }

  get functionName(): string {
    return this.function.functionName;
  }

  get arn(): string {
    return this.function.arn;
  }
}
