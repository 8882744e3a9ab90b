import { ApiGatewayBasePathMapping } from "@cdktf/provider-aws/lib/api-gateway-base-path-mapping";
import { ApiGatewayDomainName } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
import { Construct } from "constructs";
import { validateProps } from "../core/validation";
import type { AliasTarget } from "../core/dns-alias";
import type { RestApi } from "./rest-api";

export interface ApiDomainProps {
  /** The API whose stage the domain serves. */
  readonly api: RestApi;
  /** The custom name, e.g. `api.example.com`. */
  readonly domainName: string;
  /** An issued ACM certificate for `domainName` in the API's region (regional endpoints need that). */
  readonly certificateArn: string;
  /**
   * Path under the domain the stage is served at; empty serves it at the root
   * (`https://api.example.com/tips`).
   * @default "" (the root)
   */
  readonly basePath?: string;
}

const BASE_PATH = /^$|^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;

/**
 * A regional custom domain of a REST API: TLS 1.2 at least, the API's stage mapped at a base path.
 * Point an alias record at `aliasTarget` to make it reachable.
 */
export class ApiDomain extends Construct {
  readonly domain: ApiGatewayDomainName;
  readonly mapping: ApiGatewayBasePathMapping;
  /** What an alias record must point at. */
  readonly aliasTarget: AliasTarget;
  /** `https://<domainName>[/<basePath>]`: the base URL clients call. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    const basePath = props.basePath ?? "";
    validateProps(this, props, (check) =>
      check.check(BASE_PATH.test(basePath), "basePath", basePath, "must be empty or path segments of A-Z a-z 0-9 _ . - without leading or trailing /"),
    );
    this.domain = new ApiGatewayDomainName(this, "domain", {
      domainName: props.domainName,
      // Regional: the certificate stays in the environment's region, and no CloudFront sits in front.
      endpointConfiguration: { types: ["REGIONAL"] },
      regionalCertificateArn: props.certificateArn,
      securityPolicy: "TLS_1_2",
    });
    this.mapping = new ApiGatewayBasePathMapping(this, "mapping", {
      apiId: props.api.api.id,
      stageName: props.api.stage.stageName,
      domainName: this.domain.domainName,
      basePath: basePath === "" ? undefined : basePath,
    });
    this.aliasTarget = { dnsName: this.domain.regionalDomainName, hostedZoneId: this.domain.regionalZoneId };
    this.url = `https://${props.domainName}${basePath === "" ? "" : `/${basePath}`}`;
  }
}
