/**
 * Commercial AWS regions and the availability-zone letters each one offers, so a typo in a
 * region or AZ fails validation instead of failing half-way through an apply.
 * Source: AWS "Regions and Zones" documentation (AZ letters as exposed to most accounts).
 */
export const REGION_AZ_LETTERS: Readonly<Record<string, string>> = {
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-west-1": "abc",
  "us-west-2": "abcd",
  "ca-central-1": "abd",
  "ca-west-1": "abc",
  "eu-central-1": "abc",
  "eu-central-2": "abc",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "eu-north-1": "abc",
  "eu-south-1": "abc",
  "eu-south-2": "abc",
  "ap-south-1": "abc",
  "ap-south-2": "abc",
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ap-northeast-3": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-southeast-3": "abc",
  "ap-southeast-4": "abc",
  "ap-east-1": "abc",
  "sa-east-1": "abc",
  "me-south-1": "abc",
  "me-central-1": "abc",
  "af-south-1": "abc",
  "il-central-1": "abc",
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_AZ_LETTERS).sort();

/** Availability zone names that exist in `region`, e.g. `eu-west-1a`. Empty for unknown regions. */
export function availabilityZonesOf(region: string): string[] {
  const letters = REGION_AZ_LETTERS[region] ?? "";
  return [...letters].map((letter) => `${region}${letter}`);
}
