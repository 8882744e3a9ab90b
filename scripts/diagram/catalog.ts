/**
 * How each Terraform resource type is drawn: its title, colour group, position in the request
 * flow, and whether it is a node of its own or folds into a related resource. Types not listed
 * still appear (as their own node, in the "other" style), so nothing deployed is ever hidden.
 */

export type Category = "network" | "edge" | "compute" | "data" | "security" | "observability" | "integration" | "management" | "other";

/** Fill and border colours per category (AWS architecture icon palette, lightened for text). */
export const CATEGORY_STYLE: Readonly<Record<Category, { fill: string; border: string }>> = {
  network: { fill: "#ede7f6", border: "#8c4fff" },
  edge: { fill: "#e3f2fd", border: "#1e88e5" },
  compute: { fill: "#fff3e0", border: "#ed7100" },
  data: { fill: "#e8f5e9", border: "#3f8624" },
  security: { fill: "#ffebee", border: "#dd344c" },
  observability: { fill: "#fce4ec", border: "#e7157b" },
  integration: { fill: "#f3e5f5", border: "#b0084d" },
  management: { fill: "#eceff1", border: "#546e7a" },
  other: { fill: "#ffffff", border: "#9e9e9e" },
};

interface TypeInfo {
  readonly title: string;
  readonly category: Category;
  /**
   * Position in the request flow (0 = where traffic enters). Edges point from the lower to the
   * higher tier whatever the direction of the Terraform reference, so the picture reads
   * ALB → target group → service → table rather than following argument syntax.
   */
  readonly tier?: number;
}

const T = (title: string, category: Category, tier?: number): TypeInfo => (tier === undefined ? { title, category } : { title, category, tier });

export const TYPES: Readonly<Record<string, TypeInfo>> = {
  aws_vpc: T("VPC", "network", 7),
  aws_subnet: T("Subnet", "network", 7),
  aws_internet_gateway: T("Internet gateway", "network", 7),
  aws_nat_gateway: T("NAT gateway", "network", 7),
  aws_eip: T("Elastic IP", "network", 7),
  aws_route_table: T("Route table", "network", 7),
  aws_route: T("Route", "network", 7),
  aws_route_table_association: T("Route table association", "network", 7),
  aws_vpc_endpoint: T("VPC endpoint", "network", 7),
  aws_default_security_group: T("Default security group", "security", 7),
  aws_security_group: T("Security group", "security"),
  aws_vpc_security_group_ingress_rule: T("SG ingress rule", "security"),
  aws_vpc_security_group_egress_rule: T("SG egress rule", "security"),
  aws_flow_log: T("VPC flow log", "observability", 9),
  aws_wafv2_web_acl: T("WAF web ACL", "security", 0),
  aws_wafv2_web_acl_association: T("WAF association", "security", 0),
  aws_wafv2_web_acl_logging_configuration: T("WAF logging", "security", 0),
  aws_lb: T("Application Load Balancer", "edge", 1),
  aws_lb_listener: T("Listener", "edge", 1),
  aws_lb_listener_rule: T("Listener rule", "edge", 1),
  aws_lb_target_group: T("Target group", "edge", 2),
  aws_apigatewayv2_api: T("API Gateway HTTP API", "integration", 1),
  aws_apigatewayv2_integration: T("Integration", "integration", 1),
  aws_apigatewayv2_route: T("Route", "integration", 1),
  aws_apigatewayv2_stage: T("Stage", "integration", 1),
  aws_apigatewayv2_deployment: T("Deployment", "integration", 1),
  aws_api_gateway_rest_api: T("API Gateway REST API", "integration", 1),
  aws_api_gateway_resource: T("Resource", "integration", 1),
  aws_api_gateway_method: T("Method", "integration", 1),
  aws_api_gateway_integration: T("Integration", "integration", 1),
  aws_api_gateway_stage: T("Stage", "integration", 1),
  aws_api_gateway_deployment: T("Deployment", "integration", 1),
  aws_api_gateway_method_settings: T("Method settings", "integration", 1),
  aws_api_gateway_account: T("API Gateway account settings", "integration", 1),
  aws_lambda_function: T("Lambda function", "compute", 3),
  aws_lambda_permission: T("Lambda permission", "security", 3),
  aws_ecs_service: T("ECS service", "compute", 3),
  aws_ecs_task_definition: T("Task definition", "compute", 3),
  aws_ecs_cluster: T("ECS cluster", "compute", 4),
  aws_ecs_cluster_capacity_providers: T("Capacity providers", "compute", 4),
  aws_ecs_capacity_provider: T("Capacity provider", "compute", 5),
  aws_autoscaling_group: T("EC2 Auto Scaling group", "compute", 5),
  aws_launch_template: T("Launch template", "compute", 5),
  aws_appautoscaling_target: T("Service autoscaling", "compute", 3),
  aws_appautoscaling_policy: T("Scaling policy", "compute", 3),
  aws_ecr_repository: T("ECR repository", "compute", 6),
  aws_ecr_lifecycle_policy: T("ECR lifecycle policy", "compute", 6),
  aws_ecr_repository_policy: T("ECR repository policy", "security", 6),
  aws_dynamodb_table: T("DynamoDB table", "data", 6),
  aws_s3_bucket: T("S3 bucket", "data", 6),
  aws_kms_key: T("KMS key", "security", 8),
  aws_kms_alias: T("KMS alias", "security", 8),
  aws_iam_role: T("IAM role", "security"),
  aws_iam_role_policy: T("IAM inline policy", "security"),
  aws_iam_policy: T("IAM policy", "security"),
  aws_iam_role_policy_attachment: T("IAM policy attachment", "security"),
  aws_iam_instance_profile: T("Instance profile", "security"),
  aws_iam_openid_connect_provider: T("IAM OIDC provider", "security", 0),
  aws_cloudwatch_log_group: T("Log group", "observability", 9),
  aws_cloudwatch_log_metric_filter: T("Metric filter", "observability", 9),
  aws_cloudwatch_metric_alarm: T("CloudWatch alarms", "observability", 9),
  aws_cloudwatch_composite_alarm: T("Composite alarms", "observability", 9),
  aws_cloudwatch_dashboard: T("CloudWatch dashboard", "observability", 9),
  aws_cloudwatch_query_definition: T("Logs Insights queries", "observability", 9),
  aws_sns_topic: T("SNS topic", "integration", 10),
  aws_sns_topic_subscription: T("Subscription", "integration", 10),
  aws_sns_topic_policy: T("Topic policy", "security", 10),
  aws_cloudtrail: T("CloudTrail", "management", 9),
  aws_guardduty_detector: T("GuardDuty", "security", 9),
  aws_guardduty_detector_feature: T("GuardDuty feature", "security", 9),
  aws_securityhub_account: T("Security Hub", "security", 9),
  aws_securityhub_standards_subscription: T("Security Hub standards", "security", 9),
  aws_config_configuration_recorder: T("AWS Config recorder", "management", 9),
  aws_config_configuration_recorder_status: T("Recorder status", "management", 9),
  aws_config_delivery_channel: T("Config delivery channel", "management", 9),
  aws_config_config_rule: T("AWS Config rules", "management", 9),
  aws_accessanalyzer_analyzer: T("IAM Access Analyzer", "security", 9),
  aws_budgets_budget: T("Budgets", "management", 9),
  aws_ce_cost_allocation_tag: T("Cost allocation tags", "management", 9),
  aws_xray_sampling_rule: T("X-Ray sampling rules", "observability", 9),
};

/** Folds into the first resource it references of one of these types (searched in order). */
export const MERGE_INTO_REFERENCED: Readonly<Record<string, readonly string[]>> = {
  aws_kms_alias: ["aws_kms_key"],
  aws_iam_role_policy: ["aws_iam_role"],
  aws_iam_role_policy_attachment: ["aws_iam_role"],
  aws_route_table: ["aws_vpc"],
  aws_route: ["aws_route_table"],
  aws_route_table_association: ["aws_route_table"],
  aws_default_security_group: ["aws_vpc"],
  aws_vpc_security_group_ingress_rule: ["aws_security_group"],
  aws_vpc_security_group_egress_rule: ["aws_security_group"],
  aws_lb_listener: ["aws_lb"],
  aws_lb_listener_rule: ["aws_lb_listener"],
  aws_wafv2_web_acl_association: ["aws_wafv2_web_acl"],
  aws_wafv2_web_acl_logging_configuration: ["aws_wafv2_web_acl"],
  aws_appautoscaling_target: ["aws_ecs_service"],
  aws_appautoscaling_policy: ["aws_appautoscaling_target"],
  aws_ecs_cluster_capacity_providers: ["aws_ecs_cluster"],
  aws_ecs_capacity_provider: ["aws_autoscaling_group"],
  aws_lambda_permission: ["aws_lambda_function"],
  aws_apigatewayv2_integration: ["aws_apigatewayv2_api"],
  aws_apigatewayv2_route: ["aws_apigatewayv2_api"],
  aws_apigatewayv2_stage: ["aws_apigatewayv2_api"],
  aws_apigatewayv2_deployment: ["aws_apigatewayv2_api"],
  aws_api_gateway_resource: ["aws_api_gateway_rest_api"],
  aws_api_gateway_method: ["aws_api_gateway_rest_api"],
  aws_api_gateway_integration: ["aws_api_gateway_rest_api"],
  aws_api_gateway_stage: ["aws_api_gateway_rest_api"],
  aws_api_gateway_deployment: ["aws_api_gateway_rest_api"],
  aws_api_gateway_method_settings: ["aws_api_gateway_rest_api"],
  aws_api_gateway_method_response: ["aws_api_gateway_rest_api"],
  aws_api_gateway_integration_response: ["aws_api_gateway_rest_api"],
  aws_api_gateway_gateway_response: ["aws_api_gateway_rest_api"],
  aws_api_gateway_request_validator: ["aws_api_gateway_rest_api"],
  // The execution log group is named after the API's id; other log groups fold into their referrer.
  aws_cloudwatch_log_group: ["aws_api_gateway_rest_api"],
  aws_ecr_lifecycle_policy: ["aws_ecr_repository"],
  aws_ecr_repository_policy: ["aws_ecr_repository"],
  aws_sns_topic_subscription: ["aws_sns_topic"],
  aws_sns_topic_policy: ["aws_sns_topic"],
  aws_cloudwatch_log_metric_filter: ["aws_cloudwatch_log_group"],
  aws_guardduty_detector_feature: ["aws_guardduty_detector"],
  aws_config_configuration_recorder_status: ["aws_config_configuration_recorder"],
  aws_config_delivery_channel: ["aws_config_configuration_recorder"],
};

/**
 * Folds into the first resource (by id) of one of these types that references it: a role is part
 * of the function that assumes it, a launch template part of its Auto Scaling group.
 */
export const MERGE_INTO_REFERRER: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role: [
    "aws_lambda_function",
    "aws_ecs_task_definition",
    "aws_iam_instance_profile",
    "aws_flow_log",
    "aws_config_configuration_recorder",
    "aws_cloudtrail",
    "aws_api_gateway_account",
  ],
  aws_iam_policy: ["aws_iam_role_policy_attachment"],
  aws_iam_instance_profile: ["aws_launch_template"],
  aws_launch_template: ["aws_autoscaling_group"],
  aws_ecs_task_definition: ["aws_ecs_service"],
  aws_security_group: ["aws_lb", "aws_launch_template", "aws_lambda_function", "aws_ecs_service", "aws_vpc_endpoint"],
  aws_eip: ["aws_nat_gateway"],
  aws_cloudwatch_log_group: [
    "aws_lambda_function",
    "aws_flow_log",
    "aws_ecs_task_definition",
    "aws_apigatewayv2_stage",
    "aws_api_gateway_stage",
    "aws_wafv2_web_acl_logging_configuration",
    "aws_cloudtrail",
  ],
  aws_s3_bucket: ["aws_lb", "aws_cloudtrail", "aws_config_delivery_channel"],
};

/**
 * Types drawn as one node per stack with a count (many similar resources that matter as a set).
 * Alarms are grouped per stack and per resource they watch instead (see graph.ts).
 */
export const GROUP_PER_STACK = new Set([
  "aws_cloudwatch_query_definition",
  "aws_config_config_rule",
  "aws_budgets_budget",
  "aws_ce_cost_allocation_tag",
  "aws_securityhub_standards_subscription",
  "aws_xray_sampling_rule",
]);

export const ALARM_TYPES = new Set(["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"]);

/** References from these types are not drawn: a dashboard mentions everything it charts. */
export const NO_EDGES_FROM = new Set(["aws_cloudwatch_dashboard"]);

/** Edges to these types are drawn faint and do not shape the layout (every store uses a key). */
export const FAINT_EDGES_TO = new Set(["aws_kms_key"]);

export function typeInfo(type: string): TypeInfo {
  return TYPES[type] ?? { title: type.replace(/^aws_/, "").replace(/_/g, " "), category: "other" };
}
