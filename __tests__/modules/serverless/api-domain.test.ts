import { ApiGatewayBasePathMapping } from "@cdktf/provider-aws/lib/api-gateway-base-path-mapping";
import { ApiGatewayDomainName } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import type { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { KmsKey } from "../../../modules/core/kms-key";
import { ApiDomain } from "../../../modules/serverless/api-domain";
import { RestApi } from "../../../modules/serverless/rest-api";
import { problemsOf, referenceTo, resource, synthConstruct } from "../../support/synth";

const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/3f1c2a9e-8b7d-4c65-9a21-0e5f4d3c2b1a";

function addDomain(scope: Construct, basePath?: string): ApiDomain {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-api", description: "api", accountId: "123456789012" });
  const api = new RestApi(scope, "api", { name: "acme-test-api", description: "test", kmsKey, throttlingRateLimit: 1, throttlingBurstLimit: 1 });
  return new ApiDomain(scope, "domain", { api, domainName: "api.example.com", certificateArn: CERTIFICATE, basePath });
}

function synthDomain(basePath?: string) {
  let url = "";
  const json = synthConstruct((scope) => {
    url = addDomain(scope, basePath).url;
  });
  return { json, url };
}

describe("ApiDomain", () => {
  it("is a regional custom domain with its regional certificate and TLS 1.2 at least", () => {
    expect(resource(synthDomain().json, ApiGatewayDomainName)).toEqual(
      expect.objectContaining({
        domain_name: "api.example.com",
        endpoint_configuration: { types: ["REGIONAL"] },
        regional_certificate_arn: CERTIFICATE,
        security_policy: "TLS_1_2",
      }),
    );
  });

  it("maps the API's stage at the domain's root by default", () => {
    const { json, url } = synthDomain();
    const mapping = resource(json, ApiGatewayBasePathMapping);
    expect(mapping).toEqual(
      expect.objectContaining({
        api_id: referenceTo(json, ApiGatewayRestApi),
        stage_name: referenceTo(json, ApiGatewayStage, "stage_name"),
        domain_name: referenceTo(json, ApiGatewayDomainName, "domain_name"),
      }),
    );
    expect(mapping).not.toHaveProperty("base_path");
    expect(url).toBe("https://api.example.com");
  });

  it("maps it under basePath when given", () => {
    const { json, url } = synthDomain("tips/v1");
    expect(resource(json, ApiGatewayBasePathMapping).base_path).toBe("tips/v1");
    expect(url).toBe("https://api.example.com/tips/v1");
  });

  it.each(["/tips", "tips/", "ti ps"])("fails for the base path %j", (basePath) => {
    expect(problemsOf((scope) => addDomain(scope, basePath))).toEqual([`basePath: ${JSON.stringify(basePath)} must be empty or path segments of A-Z a-z 0-9 _ . - without leading or trailing /`]);
  });
});
