import { DataResource } from "cdktf";
import { Construct } from "constructs";
import { validateProps } from "../core/validation";

export interface GuardDutyEndpointCleanupProps {
  /** The VPC to clean before it and its subnets are deleted. */
  readonly vpcId: string;
  /** Its subnets: the cleanup runs before any of them is deleted. */
  readonly subnetIds: readonly string[];
  readonly region: string;
  /**
   * How long the cleanup waits for the endpoint's network interfaces to go before giving up.
   * @default 300
   */
  readonly timeoutSeconds?: number;
}

/**
 * The cleanup script: removes what GuardDuty Runtime Monitoring (automated agent) created in the VPC
 * outside any state, exactly as hashicorp/terraform-provider-aws#46953 does in provider 6.x: the
 * `com.amazonaws.<region>.guardduty-data` interface endpoint, then, once its network interfaces are
 * gone, the `GuardDutyManagedSecurityGroup-<vpc id>` security group. Nothing else is touched.
 * Terraform interpolates `${`, so the script uses plain `$NAME` only.
 */
const CLEANUP_SCRIPT = [
  "set -euo pipefail",
  'if ! command -v aws >/dev/null; then echo "GuardDuty cleanup of $VPC_ID needs the aws CLI on PATH: GuardDuty Runtime Monitoring may have created a VPC endpoint and a security group there that block deleting the subnets and the VPC (hashicorp/terraform-provider-aws#46747)" >&2; exit 1; fi',
  'service="com.amazonaws.$REGION.guardduty-data"',
  "live_endpoints() { aws ec2 describe-vpc-endpoints --region \"$REGION\" --filters \"Name=vpc-id,Values=$VPC_ID\" \"Name=service-name,Values=$service\" --query 'VpcEndpoints[?State!=`deleted`].VpcEndpointId' --output text; }",
  "endpoints=$(live_endpoints)",
  'if [ -n "$endpoints" ]; then',
  '  echo "deleting GuardDuty\'s VPC endpoint in $VPC_ID: $endpoints"',
  '  aws ec2 delete-vpc-endpoints --region "$REGION" --vpc-endpoint-ids $endpoints >/dev/null',
  "fi",
  'deadline=$((SECONDS + TIMEOUT_SECONDS))',
  // Subnets and the group stay in use until the endpoint's network interfaces are released.
  'while [ -n "$(live_endpoints)" ]; do',
  '  if [ "$SECONDS" -ge "$deadline" ]; then echo "GuardDuty\'s VPC endpoint in $VPC_ID still exists after $TIMEOUT_SECONDS s" >&2; exit 1; fi',
  "  sleep 5",
  "done",
  "groups=$(aws ec2 describe-security-groups --region \"$REGION\" --filters \"Name=vpc-id,Values=$VPC_ID\" \"Name=group-name,Values=GuardDutyManagedSecurityGroup-$VPC_ID\" --query 'SecurityGroups[].GroupId' --output text)",
  "for group in $groups; do",
  '  until aws ec2 delete-security-group --region "$REGION" --group-id "$group" >/dev/null; do',
  '    if [ "$SECONDS" -ge "$deadline" ]; then echo "could not delete $group in $VPC_ID within $TIMEOUT_SECONDS s" >&2; exit 1; fi',
  "    sleep 5",
  "  done",
  '  echo "deleted GuardDuty\'s security group $group"',
  "done",
].join("\n");

/**
 * Removes, when the VPC is destroyed, the VPC endpoint and security group that GuardDuty Runtime
 * Monitoring's automated agent creates in every VPC with monitored instances. They are in no
 * Terraform state, and until hashicorp/aws 6.x (#46953) the provider does not remove them, so
 * deleting the subnets and then the VPC fails with `DependencyViolation` (#46747).
 *
 * A `terraform_data` resource depending on the VPC and its subnets runs the cleanup as a
 * destroy-time `local-exec` provisioner, so it runs after everything in the VPC that Terraform
 * manages is gone and before the subnets are deleted. It needs the aws CLI where `destroy` runs
 * and the same credentials as Terraform; it does nothing when there is nothing to remove.
 *
 * It never makes a destroy fail that would succeed without it (`on_failure = continue`): when it
 * cannot run (no aws CLI, no permission) Terraform prints why and goes on, and the subnets and VPC
 * are deleted if GuardDuty created nothing there, or fail with `DependencyViolation` right after
 * that message if it did.
 */
export class GuardDutyEndpointCleanup extends Construct {
  readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: GuardDutyEndpointCleanupProps) {
    super(scope, id);
    const timeoutSeconds = props.timeoutSeconds ?? 300;
    validateProps(this, props, (check) => check.integer("timeoutSeconds", timeoutSeconds, 30));
    this.resource = new DataResource(this, "cleanup", {
      // Destroy-time provisioners may read only `self`: everything they need is in the input.
      input: { vpc_id: props.vpcId, subnet_ids: props.subnetIds, region: props.region, timeout_seconds: timeoutSeconds },
      provisioners: [
        {
          type: "local-exec",
          when: "destroy",
          interpreter: ["bash", "-c"],
          command: CLEANUP_SCRIPT,
          environment: {
            VPC_ID: "${self.input.vpc_id}",
            REGION: "${self.input.region}",
            TIMEOUT_SECONDS: "${self.input.timeout_seconds}",
          },
        },
      ],
    });
    // cdktf's provisioner type has no on_failure.
    this.resource.addOverride("provisioner.0.local-exec.on_failure", "continue");
  }
}
