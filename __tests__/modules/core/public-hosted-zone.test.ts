import { describe, expect, it } from "vitest";
import { PublicHostedZone } from "../../../modules/core/public-hosted-zone";
import { synthConstruct } from "../../support/synth";

describe("PublicHostedZone", () => {
  it("looks up the public zone of that name (never a private one)", () => {
    const json = synthConstruct((scope) => new PublicHostedZone(scope, "zone", { zoneName: "example.com" }));
    expect(Object.values(json.data?.aws_route53_zone ?? {})).toEqual([expect.objectContaining({ name: "example.com", private_zone: false })]);
  });

  it("knows which names it holds", () => {
    synthConstruct((scope) => {
      const zone = new PublicHostedZone(scope, "zone", { zoneName: "example.com" });
      expect([zone.contains("example.com"), zone.contains("app.example.com"), zone.contains("notexample.com"), zone.contains("example.org")]).toEqual([
        true,
        true,
        false,
        false,
      ]);
    });
  });
});
