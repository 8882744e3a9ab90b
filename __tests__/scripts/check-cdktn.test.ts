import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareOutputs, describeDifference, formatPath } from "../../scripts/check-cdktn/compare";

const temp = mkdtempSync(join(tmpdir(), "check-cdktn-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

type Files = Record<string, string | object>;

/** An output directory made of `files` (objects are written as JSON). */
function output(name: string, files: Files): string {
  const root = join(temp, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

/** One library's output: a stack with an API Gateway account setting and a Lambda asset. */
function synthesized(library: { version: string; source: string; aws: string; resetOnDelete?: boolean }, edit: (files: any) => void = () => {}): Files {
  const files: any = {
    "manifest.json": { version: library.version, stacks: { account: { name: "account", synthesizedStackPath: "stacks/account/cdk.tf.json" } } },
    "stacks/account/cdk.tf.json": {
      "//": { metadata: { backend: "s3", stackName: "account", version: library.version } },
      terraform: { required_providers: { aws: { source: library.source, version: library.aws } } },
      resource: {
        aws_api_gateway_account: {
          settings_1A: { cloudwatch_role_arn: "${aws_iam_role.role_2B.arn}", ...(library.resetOnDelete ? { reset_on_delete: true } : {}) },
        },
        aws_kms_key: { key_3C: { enable_key_rotation: true, provider: "aws.us-east-1" } },
      },
    },
    "stacks/account/assets/code/ABC/index.zip": "zip bytes",
  };
  edit(files);
  return files;
}

const CDKTF = { version: "0.21.0", source: "aws", aws: "5.100.0", resetOnDelete: true };
const CDKTN = { version: "0.24.0", source: "hashicorp/aws", aws: "6.66.0" };
let count = 0;
const compare = (left: Files, right: Files) => compareOutputs(output(`a${++count}`, left), output(`b${count}`, right));

describe("check:cdktn comparison", () => {
  it("passes the differences the switch causes, and counts them", () => {
    const result = compare(synthesized(CDKTF), synthesized(CDKTN));
    expect(result.differences).toEqual([]);
    expect(Object.fromEntries(result.allowed)).toEqual({
      "cdktf metadata version": 2,
      "aws provider source": 1,
      "aws provider version": 1,
      "reset_on_delete (removed in hashicorp/aws 6)": 1,
    });
    expect(result).toEqual(expect.objectContaining({ files: 3, stacks: 1 }));
  });

  it("fails on any other difference and names stack, JSON path and both values", () => {
    const result = compare(
      synthesized(CDKTF),
      synthesized(CDKTN, (files) => delete files["stacks/account/cdk.tf.json"].resource.aws_kms_key.key_3C.provider),
    );
    expect(result.differences.map(describeDifference)).toEqual([
      'account  resource.aws_kms_key.key_3C.provider  cdktf: "aws.us-east-1"  cdktn: (absent)',
    ]);
  });

  it("allows reset_on_delete only on aws_api_gateway_account", () => {
    const withReset = (files: any) => (files["stacks/account/cdk.tf.json"].resource.aws_kms_key.key_3C.reset_on_delete = true);
    const result = compare(synthesized(CDKTF, withReset), synthesized(CDKTN));
    expect(result.differences.map(describeDifference)).toEqual(["account  resource.aws_kms_key.key_3C.reset_on_delete  cdktf: true  cdktn: (absent)"]);
  });

  it("fails on a file only one side wrote and on an asset whose bytes differ", () => {
    const result = compare(
      synthesized(CDKTF),
      synthesized(CDKTN, (files) => {
        files["stacks/account/assets/code/ABC/index.zip"] = "other bytes";
        files["stacks/extra/cdk.tf.json"] = {};
      }),
    );
    expect(result.differences.map(describeDifference)).toEqual([
      expect.stringMatching(/^account \(stacks\/account\/assets\/code\/ABC\/index\.zip\) {2}\(whole file\) {2}cdktf: "\(sha256 [0-9a-f]{16}\)" {2}cdktn: "\(sha256 [0-9a-f]{16}\)"$/),
      'extra  (whole file)  cdktf: (absent)  cdktn: "(file)"',
    ]);
  });

  it("compares JSON by value, not by formatting", () => {
    const compact = synthesized(CDKTF);
    const result = compareOutputs(
      output("formatted", compact),
      output("compact", Object.fromEntries(Object.entries(compact).map(([file, content]) => [file, typeof content === "string" ? content : JSON.stringify(content)]))),
    );
    expect(result.differences).toEqual([]);
  });

  it("writes JSON paths as a reader would look them up", () => {
    expect(formatPath(["//", "metadata", "version"])).toBe('["//"].metadata.version');
    expect(formatPath(["resource", "aws_kms_key", "billing-alarm_key_1A", "provider"])).toBe('resource.aws_kms_key["billing-alarm_key_1A"].provider');
    expect(formatPath(["resource", "aws_lb_listener", "https", "default_action", 0, "type"])).toBe("resource.aws_lb_listener.https.default_action[0].type");
  });
});
