import { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";
import { describe, expect, it } from "vitest";
import { CostAllocationTags } from "../../../modules/account/cost-allocation-tags";
import { resources, synthConstruct } from "../../support/synth";

describe("CostAllocationTags", () => {
  it("activates each tag key", () => {
    const json = synthConstruct((scope) => new CostAllocationTags(scope, "tags", { tagKeys: ["Project", "Environment", "CostCenter"] }));
    const tags = resources(json, CeCostAllocationTag);
    expect(tags.map((tag) => tag.tag_key).sort()).toEqual(["CostCenter", "Environment", "Project"]);
    for (const tag of tags) expect(tag.status).toBe("Active");
  });
});
