import { describe, expect, it } from "vitest";
import { cidrContains, cidrsOverlap, parseCidr, type Cidr } from "../../config/cidr";

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`test fixture ${text} does not parse`);
  return parsed;
};

describe("parseCidr", () => {
  it("parses the network address as an unsigned 32-bit integer and the prefix length", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ network: 10 * 2 ** 24, prefixLength: 16 });
    expect(parseCidr("192.168.1.0/24")).toEqual({ network: 192 * 2 ** 24 + 168 * 2 ** 16 + 1 * 2 ** 8, prefixLength: 24 });
  });

  it("accepts the extremes /0 and /32", () => {
    expect(parseCidr("0.0.0.0/0")).toEqual({ network: 0, prefixLength: 0 });
    expect(parseCidr("255.255.255.255/32")).toEqual({ network: 2 ** 32 - 1, prefixLength: 32 });
  });

  it.each(["10.0.0.1/16", "10.0.0.128/24", "10.0.0.1/31"])("rejects %s, which has host bits set", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it.each(["10.0.0.0/33", "10.0.0.256/24", "256.0.0.0/8", "10.0.0/16", "10.0.0.0", "10.0.0.0/", " 10.0.0.0/16", "10.0.0.0/16 ", "a.b.c.d/8", ""])(
    "rejects the malformed %j",
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );
});

describe("cidrContains", () => {
  it("contains itself", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.0.0/16"))).toBe(true);
  });

  it("contains its subnets, including the first and last", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.0.0/24"))).toBe(true);
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.255.0/24"))).toBe(true);
  });

  it("does not contain a larger range that starts at the same address", () => {
    expect(cidrContains(cidr("10.0.0.0/24"), cidr("10.0.0.0/16"))).toBe(false);
    expect(cidrContains(cidr("10.0.128.0/17"), cidr("10.0.0.0/16"))).toBe(false);
  });

  it("does not contain a disjoint or adjacent range", () => {
    expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.1.0.0/24"))).toBe(false);
    expect(cidrContains(cidr("10.0.0.0/24"), cidr("10.0.1.0/24"))).toBe(false);
  });
});

describe("cidrsOverlap", () => {
  it("is true for equal and nested ranges, in either order", () => {
    expect(cidrsOverlap(cidr("10.0.0.0/16"), cidr("10.0.0.0/16"))).toBe(true);
    expect(cidrsOverlap(cidr("10.0.0.0/16"), cidr("10.0.128.0/20"))).toBe(true);
    expect(cidrsOverlap(cidr("10.0.128.0/20"), cidr("10.0.0.0/16"))).toBe(true);
  });

  it("is true when only the last address of one is the first of the other", () => {
    expect(cidrsOverlap(cidr("10.0.0.0/24"), cidr("10.0.0.255/32"))).toBe(true);
  });

  it("is false for adjacent and disjoint ranges, in either order", () => {
    expect(cidrsOverlap(cidr("10.0.0.0/24"), cidr("10.0.1.0/24"))).toBe(false);
    expect(cidrsOverlap(cidr("10.0.1.0/24"), cidr("10.0.0.0/24"))).toBe(false);
    expect(cidrsOverlap(cidr("10.10.0.0/16"), cidr("10.20.0.0/16"))).toBe(false);
  });

  it("sees 0.0.0.0/0 overlap everything", () => {
    expect(cidrsOverlap(cidr("0.0.0.0/0"), cidr("203.0.113.7/32"))).toBe(true);
  });
});
