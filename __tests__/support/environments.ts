/**
 * Configurations a user would write next to the shipped ones, for tests that prove a new
 * environment (or region) works by config alone.
 */
import { cidrsOverlap, parseCidr, type Cidr } from "../../config/cidr";
import { availabilityZonesOf, KNOWN_REGIONS } from "../../config/regions";
import type { EnvironmentConfig } from "../../config";
import { accounts, environments, synthApp, type SynthesizedApp, variant } from "./synth";

const shipped = Object.values(environments);
const usedRegions = new Set(shipped.map((env) => env.region));

/** docs/environments.md, "Add an environment", adds qa in eu-central-1; another region if the shipped environments already use that one. */
export const QA_REGION = usedRegions.has("eu-central-1") ? KNOWN_REGIONS.find((region) => !usedRegions.has(region))! : "eu-central-1";

/** The first 10.x.0.0/16 that overlaps no shipped VPC. */
const QA_SECOND_OCTET = Array.from({ length: 256 }, (_, octet) => octet).find((octet) =>
  shipped.every((env) => !cidrsOverlap(parseCidr(`10.${octet}.0.0/16`) as Cidr, parseCidr(env.network.vpcCidr) as Cidr)),
)!;

/**
 * The shipped environments plus `qa` in `QA_REGION`, in the first environment's account: a copy of
 * that environment with the fields a region and an environment name make it change, as
 * docs/environments.md, "Add an environment", tells a user, sending its flow logs to the region's
 * log archive.
 */
export function withQaInNewRegion(edit: (qa: any) => void = () => {}): Record<string, EnvironmentConfig> {
  const net = `10.${QA_SECOND_OCTET}`;
  const qa = variant(shipped[0]!, (env) => {
    env.name = "qa";
    env.tags.Environment = "qa";
    env.region = QA_REGION;
    env.network.vpcCidr = `${net}.0.0/16`;
    env.network.availabilityZones = availabilityZonesOf(QA_REGION).slice(0, 2);
    env.network.publicSubnetCidrs = [`${net}.0.0/24`, `${net}.1.0/24`];
    env.network.privateSubnetCidrs = [`${net}.16.0/20`, `${net}.32.0/20`];
    env.network.flowLogDestination = "s3";
    env.network.flowLogRetentionDays = 90;
    env.state.keyPrefix = "qa";
    env.alerting.emails = ["platform-alerts+qa@example.com"];
    // A new environment starts on plain HTTP, as dev does; its own names come with its own domain.
    delete env.platform.certificateArn;
    delete env.platform.domain;
    delete env.serverless.domain;
    env.platform.requireHttps = false;
    edit(env);
  });
  return { ...environments, qa };
}

let qaApp: SynthesizedApp | undefined;

/** The shipped environments and accounts plus `withQaInNewRegion()`'s qa, synthesized once per worker. */
export function qaInNewRegionApp(): SynthesizedApp {
  qaApp ??= synthApp(withQaInNewRegion(), accounts);
  return qaApp;
}
