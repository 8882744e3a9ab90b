import { asList, show, type PolicyRule } from "./rule";

const ACCOUNT_ID = /^\d{12}$/;

export const providerPinsAccount: PolicyRule = {
  id: "provider-pins-account",
  description: "Every AWS provider is pinned to one account (allowed_account_ids), the same for every provider of the stack, so a plan with the wrong credentials stops at once.",
  appliesTo: ["provider.aws"],
  check(provider, stack) {
    const accounts = asList(provider.body.allowed_account_ids);
    if (accounts.length !== 1 || !ACCOUNT_ID.test(String(accounts[0]))) {
      return [`allows accounts ${show(provider.body.allowed_account_ids)}; set allowed_account_ids to the one account it deploys into`];
    }
    const others = stack
      .ofType("provider.aws")
      .flatMap((other) => asList(other.body.allowed_account_ids))
      .filter((account) => account !== accounts[0]);
    return others.length === 0 ? [] : [`is pinned to ${String(accounts[0])}, another provider of the stack to ${[...new Set(others)].map(String).join(", ")}; one stack deploys into one account`];
  },
};
