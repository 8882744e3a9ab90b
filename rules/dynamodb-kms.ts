import type { Body, PolicyRule } from "./rule";

export const dynamodbKms: PolicyRule = {
  id: "dynamodb-kms",
  description: "Every DynamoDB table is encrypted with a KMS key of ours, not the AWS-owned default key.",
  appliesTo: ["aws_dynamodb_table"],
  check(table) {
    const encryption = table.body.server_side_encryption as Body | undefined;
    return encryption?.enabled === true && typeof encryption.kms_key_arn === "string"
      ? []
      : ["is encrypted with the AWS-owned key; set server_side_encryption with enabled true and kms_key_arn"];
  },
};
