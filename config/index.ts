/** The environments this repository deploys, by name. Add one here to add an environment. */
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";
import type { EnvironmentConfig } from "./types";

export { accounts } from "./accounts";

export const environments: Readonly<Record<string, EnvironmentConfig>> = { dev, staging, prod };

export { ConfigError, validateEnvironments } from "./validate";
export type * from "./types";
