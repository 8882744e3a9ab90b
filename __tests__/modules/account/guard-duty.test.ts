import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { describe, expect, it } from "vitest";
import { GuardDuty, type GuardDutyProps } from "../../../modules/account/guard-duty";
import { problemsOf, referenceTo, resource, resources, type StackJson, synthConstruct } from "../../support/synth";

const synthGuardDuty = (props: GuardDutyProps = {}): StackJson => synthConstruct((scope) => new GuardDuty(scope, "guard-duty", props));
const feature = (json: StackJson, name: string) => resources(json, GuarddutyDetectorFeature).find((body) => body.name === name);

describe("GuardDuty", () => {
  describe("defaults", () => {
    const json = synthGuardDuty();

    it("creates an enabled detector publishing findings every 15 minutes, without an import", () => {
      expect(resource(json, GuarddutyDetector)).toEqual(expect.objectContaining({ enable: true, finding_publishing_frequency: "FIFTEEN_MINUTES" }));
      expect((json as Record<string, unknown>).import).toBeUndefined();
    });

    it("turns on S3 protection as a detector feature", () => {
      expect(feature(json, "S3_DATA_EVENTS")).toEqual(
        expect.objectContaining({ detector_id: referenceTo(json, GuarddutyDetector), status: "ENABLED" }),
      );
    });

    it("switches runtime monitoring and its agent management explicitly off: the EC2 agent needs SSM-managed instances", () => {
      expect(feature(json, "RUNTIME_MONITORING")).toEqual(
        expect.objectContaining({
          detector_id: referenceTo(json, GuarddutyDetector),
          status: "DISABLED",
          additional_configuration: [
            { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "DISABLED" },
            { name: "EC2_AGENT_MANAGEMENT", status: "DISABLED" },
          ],
        }),
      );
    });
  });

  it("disables S3 protection with enableS3Protection: false", () => {
    expect(feature(synthGuardDuty({ enableS3Protection: false }), "S3_DATA_EVENTS")?.status).toBe("DISABLED");
  });

  it("turns runtime monitoring and its managed agents on with enableRuntimeMonitoring: true", () => {
    const runtime = feature(synthGuardDuty({ enableRuntimeMonitoring: true }), "RUNTIME_MONITORING");
    expect(runtime?.status).toBe("ENABLED");
    expect(runtime?.additional_configuration).toEqual([
      { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" },
      { name: "EC2_AGENT_MANAGEMENT", status: "ENABLED" },
    ]);
  });

  it("adopts an existing detector through a Terraform import block", () => {
    const id = "12abc34d567e8fa901bc2d34e56789f0";
    const json = synthGuardDuty({ adoptDetectorId: id }) as StackJson & { import?: { to: string; id: string }[] };
    expect(json.import).toEqual([{ to: expect.stringMatching(/^aws_guardduty_detector\.[^.]+$/), id }]);
    expect(`\${${json.import![0]!.to}.id}`).toBe(referenceTo(json, GuarddutyDetector));
  });

  it("fails when adoptDetectorId is not a detector id", () => {
    expect(problemsOf((scope) => new GuardDuty(scope, "guard-duty", { adoptDetectorId: "not-a-detector" }))).toEqual([
      'adoptDetectorId: "not-a-detector" is not a GuardDuty detector id (32 lower-case hex characters)',
    ]);
  });
});
