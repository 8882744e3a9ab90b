import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { describe, expect, it } from "vitest";
import { DynamoTable } from "../../modules/core/dynamo-table";
import { KmsKey } from "../../modules/core/kms-key";
import { dynamodbKms } from "../../rules/dynamodb-kms";
import { checkRules } from "../support/rules";

describe("dynamodb-kms", () => {
  it("passes a DynamoTable, encrypted with its key", () => {
    const results = checkRules(dynamodbKms, (scope) => {
      const kmsKey = new KmsKey(scope, "key", { alias: "acme", description: "d", accountId: "123456789012" });
      new DynamoTable(scope, "table", { tableName: "acme-items", partitionKey: { name: "id", type: "S" }, kmsKey });
    });
    expect(results.violations).toEqual([]);
  });

  it("fails a table on the AWS-owned key", () => {
    const results = checkRules(dynamodbKms, (scope) => new DynamodbTable(scope, "table", { name: "t", hashKey: "id", attribute: [{ name: "id", type: "S" }] }));
    expect(results.violations).toEqual([
      "stack: table (aws_dynamodb_table): is encrypted with the AWS-owned key; set server_side_encryption with enabled true and kms_key_arn [rule dynamodb-kms]",
    ]);
  });
});
