import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { KmsKey } from "../../../modules/core/kms-key";
import { bundleLambda } from "../../../modules/core/lambda-bundle";
import { NodeFunction, type NodeFunctionProps } from "../../../modules/serverless/node-function";
import { entries, problemsOf, referenceTo, resource, resources, statements, synthConstruct, testApp, type StackJson } from "../../support/synth";

const PROJECT_ROOT = resolve(__dirname, "../../..");
const ENTRY = resolve(PROJECT_ROOT, "lambdas", "tips", "get-tip.ts");
const ACCOUNT = "123456789012";

type Props = Partial<Omit<NodeFunctionProps, "kmsKey">>;

function addFunction(scope: Construct, props: Props = {}): NodeFunction {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-fn", description: "function", accountId: ACCOUNT });
  return new NodeFunction(scope, "fn", {
    functionName: "acme-test-get-tip",
    description: "Returns one coding tip",
    entry: ENTRY,
    projectRoot: PROJECT_ROOT,
    accountId: ACCOUNT,
    kmsKey,
    ...props,
  });
}

const synthFunction = (props: Props = {}): StackJson => synthConstruct((scope) => addFunction(scope, props));

/** What `new NodeFunction(...)` with `props` reports about them at synth. */
const problems = (props: Props): string[] => problemsOf((scope) => addFunction(scope, props));

describe("NodeFunction", () => {
  describe("defaults", () => {
    let json: StackJson;
    let fn: Record<string, unknown>;
    beforeAll(() => {
      json = synthFunction();
      fn = resource(json, LambdaFunction);
    });

    it("runs Node.js 22 on arm64 with the bundle's index.handler", () => {
      expect(fn).toEqual(
        expect.objectContaining({
          function_name: "acme-test-get-tip",
          description: "Returns one coding tip",
          runtime: "nodejs22.x",
          architectures: ["arm64"],
          handler: "index.handler",
        }),
      );
    });

    it("has 256 MiB, a 10 s timeout and no reserved concurrency", () => {
      expect(fn).toEqual(expect.objectContaining({ memory_size: 256, timeout: 10 }));
      expect(fn.reserved_concurrent_executions).toBeUndefined();
    });

    it("traces with X-Ray (Active)", () => {
      expect(fn).toEqual(expect.objectContaining({ tracing_config: { mode: "Active" } }));
    });

    it("encrypts its environment variables with the given key", () => {
      expect(fn).toEqual(expect.objectContaining({ kms_key_arn: referenceTo(json, KmsKeyResource, "arn") }));
    });

    it("sets no environment variables unless asked", () => {
      expect(fn.environment).toBeUndefined();
    });

    it("runs as its own role", () => {
      expect(fn).toEqual(expect.objectContaining({ role: referenceTo(json, IamRole, "arn") }));
    });

    it("logs JSON to /aws/lambda/<function name>, encrypted, kept 365 days", () => {
      expect(resource(json, CloudwatchLogGroup)).toEqual(
        expect.objectContaining({
          name: "/aws/lambda/acme-test-get-tip",
          retention_in_days: 365,
          kms_key_id: referenceTo(json, KmsKeyResource, "arn"),
        }),
      );
      expect(fn).toEqual(
        expect.objectContaining({
          logging_config: { log_format: "JSON", log_group: referenceTo(json, CloudwatchLogGroup, "name") },
        }),
      );
    });

    it("depends on its log group and its logs policy, so the first invocation can log", () => {
      const [logGroupId] = entries(json, CloudwatchLogGroup)[0]!;
      const [policyId] = entries(json, IamRolePolicy)[0]!;
      expect(fn.depends_on).toEqual(
        expect.arrayContaining([
          `${CloudwatchLogGroup.tfResourceType}.${logGroupId}`,
          `${IamRolePolicy.tfResourceType}.${policyId}`,
        ]),
      );
    });

    it("lets only Lambda assume the role, on behalf of the account", () => {
      const role = resource(json, IamRole);
      expect(role).toEqual(expect.objectContaining({ name: "acme-test-get-tip" }));
      expect(statements(role.assume_role_policy)).toEqual([
        {
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ]);
    });

    it("lets the role write only its own log group's streams and X-Ray traces, nothing else", () => {
      const policy = resource(json, IamRolePolicy);
      expect(policy).toEqual(expect.objectContaining({ name: "logs-and-traces", role: referenceTo(json, IamRole, "id") }));
      expect(statements(policy.policy)).toEqual([
        {
          Sid: "WriteOwnLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${referenceTo(json, CloudwatchLogGroup, "arn")}:*`,
        },
        {
          Sid: "WriteTraces",
          Effect: "Allow",
          Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
          Resource: "*",
        },
      ]);
      expect(resources(json, "aws_iam_role_policy_attachment")).toEqual([]);
      expect(resource(json, IamRole).managed_policy_arns).toBeUndefined();
    });
  });

  describe("code asset", () => {
    let json: StackJson;
    let fn: Record<string, unknown>;
    let outdir: string;
    beforeAll(() => {
      const stack = new TerraformStack(testApp(), "stack");
      // A full synthesis validates that every resource has its provider.
      new AwsProvider(stack, "aws", { region: "eu-west-1" });
      addFunction(stack);
      outdir = Testing.fullSynth(stack);
      json = JSON.parse(readFileSync(join(outdir, "stacks", "stack", "cdk.tf.json"), "utf8")) as StackJson;
      fn = resource(json, LambdaFunction);
    });

    it("points filename at a content-addressed copy of the bundle inside the stack directory", () => {
      const bundle = bundleLambda({ entry: ENTRY, projectRoot: PROJECT_ROOT, target: "node22" });
      const zip = readFileSync(bundle.zipPath);
      // cdktf names the folder by the content's MD5; the bundler names the file by its SHA-256.
      const md5 = createHash("md5").update(zip).digest("hex").toUpperCase();
      const sha256 = createHash("sha256").update(zip).digest("hex");
      expect(fn.filename).toMatch(new RegExp(`^assets/[^/]+/${md5}/${sha256}\\.zip$`));
    });

    it("gives source_code_hash as the base64 SHA-256 of the zip at the asset path", () => {
      const zip = readFileSync(join(outdir, "stacks", "stack", String(fn.filename)));
      expect(fn.source_code_hash).toBe(createHash("sha256").update(zip).digest("base64"));
      expect(Object.keys(unzipSync(zip))).toEqual(["index.js"]);
    });

    it("is identical in a second, separate synthesis (no plan churn)", () => {
      const again = resource(synthFunction(), LambdaFunction);
      expect(again.filename).toBe(fn.filename);
      expect(again.source_code_hash).toBe(fn.source_code_hash);
    });
  });

  describe("options", () => {
    it("sets memory, timeout and reserved concurrency", () => {
      expect(
        resource(synthFunction({ memorySizeMiB: 1024, timeoutSeconds: 29, reservedConcurrentExecutions: 7 }), LambdaFunction),
      ).toEqual(expect.objectContaining({ memory_size: 1024, timeout: 29, reserved_concurrent_executions: 7 }));
    });

    it("keeps logs for logRetentionDays", () => {
      expect(resource(synthFunction({ logRetentionDays: 14 }), CloudwatchLogGroup)).toEqual(
        expect.objectContaining({ retention_in_days: 14 }),
      );
    });

    it("passes environment variables", () => {
      expect(resource(synthFunction({ environment: { TABLE_NAME: "tips", LOG_LEVEL: "INFO" } }), LambdaFunction)).toEqual(
        expect.objectContaining({ environment: { variables: { TABLE_NAME: "tips", LOG_LEVEL: "INFO" } } }),
      );
    });

    it("turns tracing off with enableTracing: false, and drops the X-Ray permission with it", () => {
      const json = synthFunction({ enableTracing: false });
      expect(resource(json, LambdaFunction)).toEqual(expect.objectContaining({ tracing_config: { mode: "PassThrough" } }));
      expect(statements(resource(json, IamRolePolicy).policy).map((statement) => statement.Sid)).toEqual(["WriteOwnLogs"]);
    });

    it("accepts the bounds of memory and timeout", () => {
      expect(problems({ memorySizeMiB: 128, timeoutSeconds: 1 })).toEqual([]);
      expect(problems({ memorySizeMiB: 10240, timeoutSeconds: 900 })).toEqual([]);
    });
  });

  describe("validation", () => {
    it.each([64, 127, 10241, 256.5])("fails when memorySizeMiB is %s", (memorySizeMiB) => {
      expect(problems({ memorySizeMiB })).toEqual([`memorySizeMiB: ${memorySizeMiB} must be an integer from 128 to 10240 (Lambda's range)`]);
    });

    it.each([0, 901, 1.5])("fails when timeoutSeconds is %s", (timeoutSeconds) => {
      expect(problems({ timeoutSeconds })).toEqual([`timeoutSeconds: ${timeoutSeconds} must be an integer from 1 to 900 seconds (Lambda's limit)`]);
    });

    it.each([0, -1, 2.5])("fails when reservedConcurrentExecutions is %s", (reservedConcurrentExecutions) => {
      expect(problems({ reservedConcurrentExecutions })).toEqual([`reservedConcurrentExecutions: ${reservedConcurrentExecutions} must be an integer >= 1`]);
    });

    it("reports every problem together", () => {
      expect(problems({ memorySizeMiB: 64, timeoutSeconds: 0, reservedConcurrentExecutions: 0 })).toHaveLength(3);
    });
  });
});
