import type { PolicyRule } from "./rule";

export const logGroupKms: PolicyRule = {
  id: "log-group-kms",
  description: "Every CloudWatch log group is encrypted with a KMS key of ours, so reading the logs also needs the key.",
  appliesTo: ["aws_cloudwatch_log_group"],
  check(group) {
    const key = group.body.kms_key_id;
    return typeof key === "string" && key.trim() !== "" ? [] : ["has no kms_key_id; encrypt it with a KMS key whose policy lets CloudWatch Logs use it"];
  },
};
