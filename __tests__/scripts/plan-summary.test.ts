import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isStateful, summarize, toMarkdown, toText } from "../../scripts/plan-summary/summarize";

const change = (address: string, actions: string[], extra: Record<string, unknown> = {}) => ({
  address,
  type: address.split(".")[0] ?? "",
  change: { actions, ...extra },
});

/** Shapes as `terraform show -json` prints them: create, update, replace and delete of a table. */
const plans = {
  create: { resource_changes: [change("aws_dynamodb_table.items", ["create"]), change("aws_iam_role.fn", ["create"])] },
  update: { resource_changes: [change("aws_dynamodb_table.items", ["update"]), change("aws_lambda_function.fn", ["no-op"])] },
  replace: { resource_changes: [change("aws_dynamodb_table.items", ["delete", "create"], { replace_paths: [["hash_key"]] })] },
  delete: { resource_changes: [change("aws_dynamodb_table.items", ["delete"]), change("aws_iam_role.fn", ["delete"])] },
};

describe("plan summary", () => {
  it("counts creates without flagging them", () => {
    const s = summarize("serverless-dev", plans.create);
    expect(s.counts).toEqual({ create: 2, update: 0, delete: 0, replace: 0 });
    expect(s.dangerous).toEqual([]);
  });

  it("counts in-place updates and ignores no-ops", () => {
    const s = summarize("serverless-dev", plans.update);
    expect(s.counts).toEqual({ create: 0, update: 1, delete: 0, replace: 0 });
    expect(s.dangerous).toEqual([]);
  });

  it("reports delete-then-create as a replacement of a stateful resource, with its reason", () => {
    const s = summarize("platform-prod", plans.replace);
    expect(s.counts).toEqual({ create: 0, update: 0, delete: 0, replace: 1 });
    expect(s.dangerous).toEqual([expect.objectContaining({ address: "aws_dynamodb_table.items", action: "replace", replaceReasons: ["hash_key"] })]);
    const md = toMarkdown([s]);
    expect(md).toContain("[!CAUTION]");
    expect(md).toContain("**REPLACE** `aws_dynamodb_table.items` (forced by hash_key)");
    expect(md).toContain("| platform-prod :warning: | 0 | 0 | 0 | **1** |");
  });

  it("flags the destroy of a table loudly but not of a role", () => {
    const s = summarize("platform-prod", plans.delete);
    expect(s.counts.delete).toBe(2);
    expect(s.dangerous.map((c) => c.address)).toEqual(["aws_dynamodb_table.items"]);
    expect(toText([s])).toContain("!! -   aws_dynamodb_table.items  <-- STATEFUL: data loss risk");
    expect(toText([s])).toMatch(/^ {5}- {3}aws_iam_role\.fn$/m);
  });

  it("counts data-source reads as nothing", () => {
    const s = summarize("x", { resource_changes: [{ ...change("data.aws_region.r", ["read"]), mode: "data" }] });
    expect(s.changes).toEqual([]);
  });

  it("treats tables, buckets, keys, repositories, log groups, databases and file systems as stateful", () => {
    for (const type of ["aws_dynamodb_table", "aws_s3_bucket", "aws_kms_key", "aws_ecr_repository", "aws_cloudwatch_log_group", "aws_db_instance", "aws_efs_file_system"]) {
      expect(isStateful(type)).toBe(true);
    }
    expect(isStateful("aws_iam_role")).toBe(false);
  });

  it("has no caution block when nothing stateful is at risk", () => {
    expect(toMarkdown([summarize("a", plans.create), summarize("b", plans.update)])).not.toContain("CAUTION");
  });
});

describe("plan summary of real terraform output", () => {
  // `terraform show -json` of serverless-dev's offline plan (VALIDATE_PLAN_JSON_DIR of npm run
  // validate), trimmed to the fields the summary reads.
  const real = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures/plan-serverless-dev.json"), "utf8")) as {
    resource_changes: { address: string; type: string; change: { actions: string[] } }[];
  };

  it("counts a first apply as all adds", () => {
    expect(summarize("serverless-dev", real).counts).toEqual({ create: 30, update: 0, delete: 0, replace: 0 });
  });

  it("flags the same table once its change becomes a replacement", () => {
    const replaced = {
      resource_changes: real.resource_changes.map((rc) =>
        rc.type === "aws_dynamodb_table" ? { ...rc, change: { actions: ["create", "delete"], replace_paths: [["name"]] } } : rc,
      ),
    };
    const s = summarize("serverless-dev", replaced);
    expect(s.counts).toEqual({ create: 29, update: 0, delete: 0, replace: 1 });
    expect(s.dangerous.map((c) => c.address)).toEqual(["aws_dynamodb_table.tips-table_B99644D2"]);
  });
});
