import type { Body, PolicyRule } from "./rule";

export const dynamodbPitr: PolicyRule = {
  id: "dynamodb-pitr",
  description: "Every DynamoDB table has point-in-time recovery on, so a bad write or delete can be undone.",
  appliesTo: ["aws_dynamodb_table"],
  check(table) {
    return (table.body.point_in_time_recovery as Body | undefined)?.enabled === true ? [] : ["has point-in-time recovery off; set point_in_time_recovery.enabled true"];
  },
};
