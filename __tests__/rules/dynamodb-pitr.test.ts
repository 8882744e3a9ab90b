import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { describe, expect, it } from "vitest";
import { dynamodbPitr } from "../../rules/dynamodb-pitr";
import { checkRules } from "../support/rules";

const table = { hashKey: "id", attribute: [{ name: "id", type: "S" }], billingMode: "PAY_PER_REQUEST" };

describe("dynamodb-pitr", () => {
  it("passes a table with point-in-time recovery", () => {
    const results = checkRules(dynamodbPitr, (scope) => new DynamodbTable(scope, "table", { ...table, name: "t", pointInTimeRecovery: { enabled: true } }));
    expect(results.violations).toEqual([]);
  });

  it("fails a table without it", () => {
    expect(checkRules(dynamodbPitr, (scope) => new DynamodbTable(scope, "table", { ...table, name: "t" })).violations).toEqual([
      "stack: table (aws_dynamodb_table): has point-in-time recovery off; set point_in_time_recovery.enabled true [rule dynamodb-pitr]",
    ]);
  });
});
