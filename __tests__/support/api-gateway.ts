import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { expect } from "vitest";
import { deref, type StackJson } from "./synth";

/**
 * `METHOD /path` of an API Gateway method, integration or permission body: its HTTP method (its
 * own, or that of the method it references) and the resource chain it sits on.
 */
export function routeKeyOf(json: StackJson, body: Record<string, unknown>): string {
  let method = body.http_method;
  if (String(method).startsWith("${")) {
    const found = deref(json, method);
    expect(found.type).toBe(ApiGatewayMethod.tfResourceType);
    method = found.body.http_method;
  }
  const segments: string[] = [];
  let resourceId = String(body.resource_id);
  while (!resourceId.endsWith(".root_resource_id}")) {
    const found = deref(json, resourceId);
    expect(found.type).toBe(ApiGatewayResource.tfResourceType);
    segments.unshift(String(found.body.path_part));
    resourceId = String(found.body.parent_id);
  }
  return `${String(method)} /${segments.join("/")}`;
}
