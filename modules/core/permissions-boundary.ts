import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { TerraformResource, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Sets a permissions boundary on every IAM role in the scope it is applied to (as an Aspect), so
 * no role a stack creates, today or added later, can be granted more than the boundary allows.
 * A role that names its own boundary keeps it.
 */
export class PermissionsBoundary implements IAspect {
  constructor(private readonly policyArn: string) {}

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node) || node.terraformResourceType !== "aws_iam_role") return;
    const role = node as IamRole;
    if (role.permissionsBoundaryInput === undefined) role.permissionsBoundary = this.policyArn;
  }
}
