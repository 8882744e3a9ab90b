import { describe, expect, it } from "vitest";
import instanceTypes from "../../config/instance-types.json";
import { availabilityZonesOf, KNOWN_REGIONS } from "../../config/regions";

describe("availabilityZonesOf", () => {
  it("lists the zones of a region by letter", () => {
    expect(availabilityZonesOf("eu-west-1")).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
  });

  it("skips the letters a region does not expose", () => {
    expect(availabilityZonesOf("ap-northeast-1")).toEqual(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
  });

  it("is empty for an unknown region", () => {
    expect(availabilityZonesOf("mars-1")).toEqual([]);
  });
});

describe("KNOWN_REGIONS", () => {
  it("is sorted, so validation messages are stable", () => {
    expect(KNOWN_REGIONS).toEqual([...KNOWN_REGIONS].sort());
    expect(KNOWN_REGIONS).toContain("eu-west-1");
  });
});

describe("instance-types.json", () => {
  it("lists the instance types of every region config accepts, with its source and date", () => {
    const regions: Record<string, Record<string, string[]>> = instanceTypes.regions;
    for (const region of KNOWN_REGIONS) expect(Object.keys(regions[region] ?? {}).length, region).toBeGreaterThan(0);
    expect(instanceTypes.source).toMatch(/DescribeInstanceTypeOfferings.*moto \d/);
    expect(instanceTypes.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
