import { ApiGatewayAccount as ApiGatewayAccountResource } from "@cdktf/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { policyDocument } from "../core/iam";

export interface ApiGatewayAccountProps {
  /** Prefix of the role name. */
  readonly name: string;
  /**
   * Name of the role (IAM names are global: the setting of each region needs its own role).
   * @default `${name}-apigateway-logs`
   */
  readonly roleName?: string;
}

/**
 * API Gateway's account-wide settings (one per account and region): the role REST API stages
 * write their access and execution logs with. Every environment's REST API needs it before its
 * stage can log, so it lives in the account stack; destroying it resets the setting.
 */
export class ApiGatewayAccount extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName ?? `${props.name}-apigateway-logs`,
      // API Gateway assumes this role for every API of the account and region, so there is no
      // single source ARN to pin it to.
      assumeRolePolicy: policyDocument([
        { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    });
    // AWS's managed policy for exactly this role: create log groups and streams, put events.
    const attachment = new IamRolePolicyAttachment(this, "push-to-logs", {
      role: this.role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
    const settings = new ApiGatewayAccountResource(this, "settings", {
      cloudwatchRoleArn: this.role.arn,
      // API Gateway checks the role's permissions when it is set.
      dependsOn: [attachment],
    });
    // hashicorp/aws 5.x resets the setting on destroy only when asked; 6.x always does and removed
    // `reset_on_delete`, so the argument is set where the provider binding has it (cdktf or cdktn).
    if ("resetOnDelete" in settings) settings.resetOnDelete = true;
  }
}
