import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Construct } from "constructs";
import type { PropChecks } from "./validation";

export interface PublicHostedZoneProps {
  /**
   * Name of an existing public hosted zone of the account, e.g. `example.com` (lower-case, no
   * trailing dot: the environment's config checks the format).
   */
  readonly zoneName: string;
}

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
    // Public only: a private zone of the same name would answer inside a VPC, never for ACM or clients.
    this.zone = new DataAwsRoute53Zone(this, "zone", { name: props.zoneName, privateZone: false });
    this.zoneId = this.zone.zoneId;
    this.zoneName = props.zoneName;
  }

  /** Whether `name` is the zone's own name or a name below it. */
  contains(name: string): boolean {
    return name === this.zoneName || name.endsWith(`.${this.zoneName}`);
  }

  /**
   * Records a problem of `prop` unless `name` is in the zone: the one wording of the rule for every
   * construct that puts a name into the zone (a certificate's, an alias record's).
   */
  checkName(check: PropChecks, prop: string, name: string): boolean {
    return check.check(this.contains(name), prop, name, `is not in the hosted zone ${this.zoneName}; use the zone's name or a name ending in .${this.zoneName}`);
  }
}
