import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Token } from "cdktf";
import { Construct } from "constructs";

export interface PublicHostedZoneProps {
  /** Name of an existing public hosted zone of the account, e.g. `example.com` (no trailing dot). */
  readonly zoneName: string;
}

const ZONE_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A public Route 53 hosted zone that already exists in the account (a domain is registered and
 * delegated once, outside any environment), found by name at plan time.
 */
export class PublicHostedZone extends Construct {
  readonly zone: DataAwsRoute53Zone;
  readonly zoneId: string;
  readonly zoneName: string;

  constructor(scope: Construct, id: string, props: PublicHostedZoneProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.zoneName) && !ZONE_NAME.test(props.zoneName)) {
      throw new Error(`zoneName (${props.zoneName}) must be a DNS name of lower-case labels, e.g. example.com, without a trailing dot`);
    }
    // Public only: a private zone of the same name would answer inside a VPC, never for ACM or clients.
    this.zone = new DataAwsRoute53Zone(this, "zone", { name: props.zoneName, privateZone: false });
    this.zoneId = this.zone.zoneId;
    this.zoneName = props.zoneName;
  }

  /** Whether `name` is the zone's own name or a name below it. */
  contains(name: string): boolean {
    return name === this.zoneName || name.endsWith(`.${this.zoneName}`);
  }
}
