import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { DnsAlias } from "../../../modules/core/dns-alias";
import { PublicHostedZone } from "../../../modules/core/public-hosted-zone";
import { problemsOf, resource, synthConstruct } from "../../support/synth";

const addAlias = (scope: Construct, recordName: string): void => {
  const hostedZone = new PublicHostedZone(scope, "zone", { zoneName: "example.com" });
  new DnsAlias(scope, "alias", { hostedZone, recordName, target: { dnsName: "lb-1.eu-west-1.elb.amazonaws.com", hostedZoneId: "Z32O12XQLNTSW2" } });
};
const synthAlias = (recordName: string) => synthConstruct((scope) => addAlias(scope, recordName));

describe("DnsAlias", () => {
  it("makes an A alias record in the zone to the endpoint, evaluating its health", () => {
    expect(resource(synthAlias("app.example.com"), Route53Record)).toEqual(
      expect.objectContaining({
        zone_id: expect.stringMatching(/^\$\{data\.aws_route53_zone\.[^.]+\.zone_id\}$/),
        name: "app.example.com",
        type: "A",
        alias: { name: "lb-1.eu-west-1.elb.amazonaws.com", zone_id: "Z32O12XQLNTSW2", evaluate_target_health: true },
      }),
    );
  });

  it("fails for a name outside the zone", () => {
    expect(problemsOf((scope) => addAlias(scope, "app.example.org"))).toEqual([
      `recordName: "app.example.org" is not in the hosted zone example.com; use the zone's name or a name ending in .example.com`,
    ]);
  });
});
