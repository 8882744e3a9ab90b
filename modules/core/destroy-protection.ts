import { Aspects, TerraformResource, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Resource types that hold what a destroy cannot give back: data (tables, buckets), the keys that
 * decrypt it, images, the load balancer whose DNS name clients and records point at, and the VPC
 * every other layer runs in (a network layer whose flow logs go to the account's log archive holds
 * nothing else: its destroy would delete NAT gateways and routes under a running environment).
 */
export const STATEFUL_RESOURCE_TYPES = [
  "aws_dynamodb_table",
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_ecr_repository",
  "aws_lb",
  "aws_vpc",
] as const;

/** Sets `lifecycle.prevent_destroy` on every stateful resource it visits. */
class PreventDestroy implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    if (!(STATEFUL_RESOURCE_TYPES as readonly string[]).includes(node.terraformResourceType)) return;
    node.lifecycle = { ...node.lifecycle, preventDestroy: true };
  }
}

/**
 * Makes Terraform refuse any plan that would destroy a stateful resource of `scope` (see
 * {@link STATEFUL_RESOURCE_TYPES}), the ones added later included: the plan fails, naming each,
 * before anything is deleted, whatever the order a destroy would take.
 */
export function preventDestroyOfStatefulResources(scope: IConstruct): void {
  Aspects.of(scope).add(new PreventDestroy());
}
