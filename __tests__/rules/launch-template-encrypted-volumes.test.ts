import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { describe, expect, it } from "vitest";
import { launchTemplateEncryptedVolumes } from "../../rules/launch-template-encrypted-volumes";
import { checkRules } from "../support/rules";

describe("launch-template-encrypted-volumes", () => {
  it("passes encrypted volumes", () => {
    const results = checkRules(launchTemplateEncryptedVolumes, (scope) =>
      new LaunchTemplate(scope, "template", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 30 } }] }),
    );
    expect(results.violations).toEqual([]);
  });

  it("fails a volume that is not encrypted", () => {
    const results = checkRules(launchTemplateEncryptedVolumes, (scope) =>
      new LaunchTemplate(scope, "template", {
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { encrypted: "true" } },
          { deviceName: "/dev/xvdb", ebs: { volumeSize: 100 } },
        ],
      }),
    );
    expect(results.violations).toEqual([
      "stack: template (aws_launch_template): block_device_mappings[1] (/dev/xvdb) is not encrypted; set ebs.encrypted true [rule launch-template-encrypted-volumes]",
    ]);
  });
});
