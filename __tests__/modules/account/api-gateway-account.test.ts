import { ApiGatewayAccount as ApiGatewayAccountResource } from "@cdktf/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { describe, expect, it } from "vitest";
import { ApiGatewayAccount } from "../../../modules/account/api-gateway-account";
import { referenceTo, resource, statements, synthConstruct } from "../../support/synth";

describe("ApiGatewayAccount", () => {
  const json = synthConstruct((scope) => new ApiGatewayAccount(scope, "api-gateway", { name: "acme-123456789012" }));

  it("sets the account's CloudWatch role, resetting it on destroy, once the role can log", () => {
    const settings = resource(json, ApiGatewayAccountResource);
    expect(settings).toEqual(expect.objectContaining({ cloudwatch_role_arn: referenceTo(json, IamRole, "arn"), reset_on_delete: true }));
    expect(settings.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]);
  });

  it("gives the role only to API Gateway, with AWS's push-to-CloudWatch-Logs policy", () => {
    const role = resource(json, IamRole);
    expect(role.name).toBe("acme-123456789012-apigateway-logs");
    expect(statements(role.assume_role_policy)).toEqual([
      { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(resource(json, IamRolePolicyAttachment).policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
  });

  it("names the role roleName when given, so each region's setting has its own", () => {
    const regional = synthConstruct((scope) => new ApiGatewayAccount(scope, "api-gateway", { name: "acme-123456789012", roleName: "acme-123456789012-apigw-logs-eu-central-1" }));
    expect(resource(regional, IamRole).name).toBe("acme-123456789012-apigw-logs-eu-central-1");
  });
});
