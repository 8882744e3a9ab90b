import type { App } from "cdktf";
import type { AccountConfig, CheckedConfig, EnvironmentConfig } from "../config";
import { propProblems } from "../modules/core/validation";
import { AccountRegionStack, accountRegionStackId } from "./account-region-stack";
import { AccountStack, accountStackId } from "./account-stack";
import { BootstrapStack, bootstrapStackId } from "./bootstrap-stack";
import { NetworkStack } from "./network-stack";
import { ObservabilityStack } from "./observability-stack";
import { PlatformStack } from "./platform-stack";
import { baselineRegions } from "./regional-baseline";
import { ServerlessStack } from "./serverless-stack";

export interface PlatformStacks {
  readonly bootstrap: BootstrapStack[];
  readonly network: NetworkStack[];
  readonly platform: PlatformStack[];
  readonly serverless: ServerlessStack[];
  readonly observability: ObservabilityStack[];
  readonly account: AccountStack[];
  /** The regional baseline of every further region an account's environments use. */
  readonly accountRegions: AccountRegionStack[];
}

/**
 * Adds every stack of the `selected` environments to `app`: one bootstrap stack per account
 * they deploy into, then each environment's layers. `all` is the whole validated config, so
 * stack ids do not depend on which environments were selected. With `accounts`, also one account
 * stack (security baseline, billing guards; the regional parts of its home region) per account of
 * the selected environments, and one regional stack per further region its environments use.
 */
export function buildStacks(
  app: App,
  selected: readonly EnvironmentConfig[],
  all: readonly EnvironmentConfig[] = selected,
  accounts?: Readonly<Record<string, AccountConfig>>,
): PlatformStacks {
  const allAccounts = all.map((env) => env.accountId);
  const selectedAccounts = [...new Set(selected.map((env) => env.accountId))];
  const bootstrap = selectedAccounts.map(
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
  const account: AccountStack[] = [];
  const accountRegions: AccountRegionStack[] = [];
  for (const accountId of accounts === undefined ? [] : selectedAccounts) {
    const config = accounts?.[accountId];
    if (!config) throw new Error(`account ${accountId} has no entry in the accounts configuration`);
    const ofAccount = all.filter((env) => env.accountId === accountId);
    account.push(new AccountStack(app, accountStackId(accountId, allAccounts), { account: config, environments: ofAccount }));
    for (const region of baselineRegions(config, ofAccount).filter((candidate) => candidate !== config.region)) {
      accountRegions.push(
        new AccountRegionStack(app, accountRegionStackId(accountId, region, allAccounts), { account: config, region, environments: ofAccount }),
      );
    }
  }
  return { bootstrap, network, platform, serverless, observability, account, accountRegions };
}

/**
 * Builds the stacks of a checked configuration into `app` and returns every problem of the run:
 * the configuration's, then what the constructs report about their own props, of every
 * environment (those not selected are built into `spare`, which is never synthesized). A setting
 * the configuration already refused is not reported again by a construct, and while the
 * configuration has problems, only construct problems about settings are added (one about a
 * prop no setting fed is an echo of a refused setting, or shows once the configuration is clean).
 * Nothing is built when the configuration cannot be (a value of the wrong type, an unknown
 * environment selected, ...).
 */
export function buildCheckedApp(app: App, checked: CheckedConfig, spare: () => App): string[] {
  const problems = [...checked.problems];
  if (!checked.build) return problems;
  const { selected, all, accounts } = checked.build;
  buildStacks(app, selected, all, accounts);
  let everyEnvironment = app;
  if (selected.length < all.length) {
    everyEnvironment = spare();
    buildStacks(everyEnvironment, all, all, accounts);
  }
  const refused = new Set(problems.map(settingOf));
  const constructs = propProblems(everyEnvironment, problems.length > 0);
  problems.push(...constructs.filter((problem) => !refused.has(settingOf(problem))));
  return problems;
}

/** `dev.compute.instanceType` of `dev.compute.instanceType: "x" is not ...`. */
const settingOf = (problem: string): string => problem.slice(0, problem.indexOf(": "));
