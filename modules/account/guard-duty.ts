import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { Construct } from "constructs";
import { validateProps } from "../core/validation";

export interface GuardDutyProps {
  /**
   * Id of the detector that already exists in this account and region (GuardDuty allows one per
   * region, and AWS Organizations or a console click may have made it). It is adopted through a
   * Terraform `import` block on the next apply instead of failing with "detector already exists".
   * @default - a new detector is created
   */
  readonly adoptDetectorId?: string;
  /**
   * S3 Protection: analyses S3 data events for suspicious access to any bucket of the account.
   * @default true
   */
  readonly enableS3Protection?: boolean;
  /**
   * Runtime Monitoring with the agent GuardDuty manages on EC2 instances and ECS (Fargate and EC2),
   * billed per vCPU monitored. Only turn it on where it can work: GuardDuty installs the EC2 agent
   * through SSM associations, so every instance must be SSM-managed (its role allowed what
   * `AmazonSSMManagedInstanceCore` allows), and GuardDuty creates a VPC endpoint and security group
   * in each VPC outside Terraform, which then blocks deleting the VPC.
   * @default false - off: the feature is explicitly disabled, agents included
   */
  readonly enableRuntimeMonitoring?: boolean;
  /**
   * How often updated findings are exported to EventBridge and Security Hub.
   * @default "FIFTEEN_MINUTES"
   */
  readonly findingPublishingFrequency?: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS";
}

/**
 * A GuardDuty detector with S3 Protection (and Runtime Monitoring, off unless asked) as detector
 * features (the `datasources` block is deprecated), or an existing detector adopted by import.
 */
export class GuardDuty extends Construct {
  readonly detector: GuarddutyDetector;
  readonly detectorId: string;

  constructor(scope: Construct, id: string, props: GuardDutyProps = {}) {
    super(scope, id);
    const adopt = props.adoptDetectorId;
    validateProps(this, props, (check) =>
      check.check(adopt === undefined || /^[0-9a-f]{32}$/.test(adopt), "adoptDetectorId", adopt, "is not a GuardDuty detector id (32 lower-case hex characters)"),
    );

    this.detector = new GuarddutyDetector(this, "detector", {
      enable: true,
      findingPublishingFrequency: props.findingPublishingFrequency ?? "FIFTEEN_MINUTES",
    });
    if (props.adoptDetectorId !== undefined) this.detector.importFrom(props.adoptDetectorId);
    this.detectorId = this.detector.id;

    new GuarddutyDetectorFeature(this, "s3-protection", {
      detectorId: this.detectorId,
      name: "S3_DATA_EVENTS",
      status: (props.enableS3Protection ?? true) ? "ENABLED" : "DISABLED",
    });
    // Explicitly DISABLED rather than left out: removing the resource would leave a detector that had
    // the feature on unchanged.
    const runtime = props.enableRuntimeMonitoring ?? false;
    new GuarddutyDetectorFeature(this, "runtime-monitoring", {
      detectorId: this.detectorId,
      name: "RUNTIME_MONITORING",
      status: runtime ? "ENABLED" : "DISABLED",
      // The agent is what monitors; without managed agents the feature watches nothing.
      additionalConfiguration: ["ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"].map((name) => ({
        name,
        status: runtime ? "ENABLED" : "DISABLED",
      })),
    });
  }
}
