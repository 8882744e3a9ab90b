/**
 * Configurations a user would write next to the shipped ones, for tests that prove a new
 * environment (or region) works by config alone.
 */
import { environments, type EnvironmentConfig } from "../../config";
import { variant } from "./synth";

export const QA_REGION = "eu-central-1";

/**
 * The shipped environments plus `qa` in eu-central-1, in the shared account: a copy of dev with the
 * fields a region and an environment name make it change, as README "Add an environment" tells a user.
 */
export function withQaInEuCentral1(edit: (qa: any) => void = () => {}): Record<string, EnvironmentConfig> {
  const qa = variant(environments.dev!, (env) => {
    env.name = "qa";
    env.tags.Environment = "qa";
    env.region = QA_REGION;
    env.network.vpcCidr = "10.40.0.0/16";
    env.network.availabilityZones = [`${QA_REGION}a`, `${QA_REGION}b`];
    env.network.publicSubnetCidrs = ["10.40.0.0/24", "10.40.1.0/24"];
    env.network.privateSubnetCidrs = ["10.40.16.0/20", "10.40.32.0/20"];
    env.network.flowLogDestination = "s3";
    env.network.flowLogRetentionDays = 90;
    env.state.keyPrefix = "qa";
    env.alerting.emails = ["platform-alerts+qa@example.com"];
    edit(env);
  });
  return { ...environments, qa };
}
