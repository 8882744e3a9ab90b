import type { App } from "cdktf";
import type { EnvironmentConfig } from "../config";
import { BootstrapStack, bootstrapStackId } from "./bootstrap-stack";
import { NetworkStack } from "./network-stack";
import { ObservabilityStack } from "./observability-stack";
import { PlatformStack } from "./platform-stack";
import { ServerlessStack } from "./serverless-stack";

export interface PlatformStacks {
  readonly bootstrap: BootstrapStack[];
  readonly network: NetworkStack[];
  readonly platform: PlatformStack[];
  readonly serverless: ServerlessStack[];
  readonly observability: ObservabilityStack[];
}

/**
 * Adds every stack of the `selected` environments to `app`: one bootstrap stack per account
 * they deploy into, then each environment's layers. `all` is the whole validated config, so
 * stack ids do not depend on which environments were selected.
 */
export function buildStacks(
  app: App,
  selected: readonly EnvironmentConfig[],
  all: readonly EnvironmentConfig[] = selected,
): PlatformStacks {
  const allAccounts = all.map((env) => env.accountId);
  const accounts = [...new Set(selected.map((env) => env.accountId))];
  const bootstrap = accounts.map(
    (accountId) =>
      new BootstrapStack(app, bootstrapStackId(accountId, allAccounts), {
        environments: all.filter((env) => env.accountId === accountId),
      }),
  );
  const network = selected.map((env) => new NetworkStack(app, { env }));
  const platform = network.map((networkStack) => new PlatformStack(app, { env: networkStack.env, network: networkStack }));
  const serverless = selected.map((env) => new ServerlessStack(app, { env }));
  const observability = platform.map(
    (platformStack, index) =>
      new ObservabilityStack(app, { env: platformStack.env, platform: platformStack, serverless: serverless[index] as ServerlessStack }),
  );
  return { bootstrap, network, platform, serverless, observability };
}
