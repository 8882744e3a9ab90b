import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";
import type { PublicHostedZone } from "./public-hosted-zone";
import { validateProps } from "./validation";

/** An AWS endpoint an alias record can point at: a load balancer, an API Gateway domain, ... */
export interface AliasTarget {
  /** The endpoint's own DNS name. */
  readonly dnsName: string;
  /** The Route 53 zone id AWS publishes the endpoint's name in (not the hosted zone's). */
  readonly hostedZoneId: string;
}

export interface DnsAliasProps {
  readonly hostedZone: PublicHostedZone;
  /** The name clients use, in `hostedZone`, e.g. `app.example.com`. */
  readonly recordName: string;
  readonly target: AliasTarget;
}

/**
 * An `A` alias record from a name of the hosted zone to an AWS endpoint: resolved by Route 53 itself
 * (free queries, no TTL to wait out when the endpoint's addresses change) and health-aware.
 */
export class DnsAlias extends Construct {
  readonly record: Route53Record;
  /** `https://<recordName>`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: DnsAliasProps) {
    super(scope, id);
    const { hostedZone, recordName } = props;
    validateProps(this, props, (check) => hostedZone.checkName(check, "recordName", recordName));
    this.record = new Route53Record(this, "record", {
      zoneId: hostedZone.zoneId,
      name: recordName,
      type: "A",
      alias: { name: props.target.dnsName, zoneId: props.target.hostedZoneId, evaluateTargetHealth: true },
    });
    this.url = `https://${recordName}`;
  }
}
