import { show, type PolicyRule } from "./rule";

export const logGroupRetention: PolicyRule = {
  id: "log-group-retention",
  description: "Every CloudWatch log group expires its events (retention_in_days set and not 0): logs kept forever cost money and outlive their use.",
  appliesTo: ["aws_cloudwatch_log_group"],
  check(group) {
    const days = group.body.retention_in_days;
    return typeof days === "number" && days > 0 ? [] : [`keeps its events forever (retention_in_days ${show(days)}); set a retention in days`];
  },
};
