/** The environments this repository deploys, by name. Add one here to add an environment. */
import { dev } from "./dev";
import { prod } from "./prod";
import type { EnvironmentInput } from "./schema";
import { staging } from "./staging";

export { accounts } from "./accounts";

/** As written; `validateEnvironments` (or `checkConfig`) checks them and applies the defaults. */
export const environments: Readonly<Record<string, EnvironmentInput>> = { dev, staging, prod };

export { checkConfig, ConfigError, validateEnvironments, type CheckedConfig } from "./validate";
export type * from "./schema";
