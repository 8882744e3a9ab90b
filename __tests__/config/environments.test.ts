import { describe, expect, it } from "vitest";
import { environments } from "../../config";
import { cidrsOverlap, parseCidr } from "../../config/cidr";
import { REQUIRED_TAGS } from "../../config/schema";

const all = Object.entries(environments);

describe("environments", () => {
  it("keeps dev cheap (no NAT gateway) and prod highly available (a NAT gateway per AZ across 3 AZs)", () => {
    // The shipped template's promise; an environment a user adds chooses for itself.
    expect(environments.dev?.network.natStrategy).toBe("none");
    expect(environments.prod?.network.natStrategy).toBe("per-az");
    expect(new Set(environments.prod?.network.availabilityZones).size).toBe(3);
  });

  it("gives every environment a VPC range disjoint from the others", () => {
    const ranges = all.map(([key, env]) => [key, parseCidr(env.network.vpcCidr)] as const);
    for (const [, range] of ranges) expect(range).toBeDefined();
    for (const [i, [key, range]] of ranges.entries()) {
      for (const [otherKey, other] of ranges.slice(i + 1)) {
        expect(cidrsOverlap(range!, other!), `${key} and ${otherKey} overlap`).toBe(false);
      }
    }
  });

  it.each(all)("tags %s with the five required keys", (key, env) => {
    expect(REQUIRED_TAGS).toEqual(["Project", "Environment", "Owner", "CostCenter", "ManagedBy"]);
    for (const tag of REQUIRED_TAGS) expect(env.tags[tag], `${key} tags.${tag}`).toMatch(/\S/);
    expect(env.tags).toEqual(
      expect.objectContaining({ Project: env.project, Environment: key, ManagedBy: "cdktf" }),
    );
  });

  it.each(all)("keeps %s state under its own key prefix", (key, env) => {
    expect(env.state.keyPrefix).toBe(key);
  });
});
