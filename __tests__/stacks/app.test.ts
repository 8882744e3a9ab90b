import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { beforeAll, describe, expect, it } from "vitest";
import { type EnvironmentConfig } from "../../config";
import { PolicyChecks } from "../../rules";
import { buildStacks } from "../../stacks/app";
import { accounts, environments, inAccount, resource, resources, shippedApp, synthApp, type SynthesizedApp, testApp } from "../support/synth";

const ACCOUNT = "123456789012";
const PROD_ACCOUNT = "210987654321";

/** prod in its own account with its own state bucket; dev and staging stay in the shared one. */
const multiAccount: Record<string, EnvironmentConfig> = { ...environments, prod: inAccount(environments.prod!, PROD_ACCOUNT) };
const PROD_BUCKET = multiAccount.prod!.state.bucket;
const multiAccountAccounts = { ...accounts, [PROD_ACCOUNT]: { ...accounts[ACCOUNT]!, accountId: PROD_ACCOUNT } };

describe("buildStacks", () => {
  it("builds one bootstrap stack, then network-<env> and the other layers per environment, and one account stack", () => {
    const ids = [...shippedApp().json.keys()];
    expect(ids[0]).toBe("bootstrap");
    expect(ids.at(-1)).toBe("account");
    expect(ids).toEqual(expect.arrayContaining(["network-dev", "network-staging", "network-prod"]));
    const envOf = (id: string) => id.slice(id.indexOf("-") + 1);
    for (const id of ids.slice(1, -1)) expect(Object.keys(environments)).toContain(envOf(id));
  });

  it("builds only the selected environments' stacks, with the bootstrap of their account", () => {
    const app = testApp();
    const stacks = buildStacks(app, [environments.dev!], Object.values(environments));
    expect(stacks.bootstrap.map((stack) => stack.node.id)).toEqual(["bootstrap"]);
    expect(stacks.network.map((stack) => stack.node.id)).toEqual(["network-dev"]);
    const others = app.node.children.map((stack) => stack.node.id).filter((id) => id !== "bootstrap");
    for (const id of others) expect(id).toMatch(/-dev$/);
  });

  describe("policy rules", () => {
    const { stacks } = shippedApp();
    const checks = PolicyChecks.of(stacks.bootstrap[0]!);

    it("find no violation in any stack of the shipped app, account and bootstrap roles included (no boundary rule there)", () => {
      expect(checks.problems()).toEqual([]);
    });

    it("are exempted only where a construct says why, the boundary in the environments' layers until it ships", () => {
      const layers = [...stacks.network, ...stacks.platform, ...stacks.serverless].map((stack) => stack.node.id).sort();
      const exempted = new Map<string, Set<string>>();
      for (const { stack, suppressedBy } of checks.suppressed) {
        const place = `${suppressedBy!.rule} at ${suppressedBy!.path.slice(stack.length + 1) || "the stack"}`;
        exempted.set(place, (exempted.get(place) ?? new Set()).add(stack));
      }
      expect(Object.fromEntries([...exempted].map(([place, ids]) => [place, [...ids].sort()]))).toEqual({
        "iam-role-permissions-boundary at the stack": layers,
        "security-group-no-public-ingress at alb": stacks.platform.map((stack) => stack.node.id).sort(),
        "s3-bucket-kms-encrypted at alb/access-logs": stacks.platform.map((stack) => stack.node.id).sort(),
      });
    });
  });

  describe("multi-account", () => {
    let app: SynthesizedApp;
    beforeAll(() => {
      app = synthApp(multiAccount, multiAccountAccounts);
    });

    it("builds a bootstrap-<account> and an account-<account> stack per account", () => {
      const ids = [...app.json.keys()];
      expect(ids.filter((id) => id.startsWith("bootstrap"))).toEqual([`bootstrap-${ACCOUNT}`, `bootstrap-${PROD_ACCOUNT}`]);
      expect(ids.filter((id) => id.startsWith("account"))).toEqual([`account-${ACCOUNT}`, `account-${PROD_ACCOUNT}`]);
      expect(ids).toEqual(expect.arrayContaining(["network-dev", "network-staging", "network-prod"]));
    });

    it("keeps the prod account's state in its own bucket, its account stack covering only prod", () => {
      const prodAccount = app.json.get(`account-${PROD_ACCOUNT}`)!;
      expect(prodAccount.terraform?.backend?.s3).toEqual(
        expect.objectContaining({ bucket: PROD_BUCKET, key: `account/${PROD_ACCOUNT}.tfstate`, allowed_account_ids: [PROD_ACCOUNT] }),
      );
      expect(resources(prodAccount, BudgetsBudget).map((budget) => budget.name)).toEqual(["acme-prod-monthly"]);
      expect(resources(prodAccount, S3Bucket).map((bucket) => bucket.bucket)).toEqual([`${environments.prod!.project}-${PROD_ACCOUNT}-audit-${accounts[ACCOUNT]!.region}`]);
    });

    it("gives each account's bootstrap stack its own bucket, provider account and local state file", () => {
      for (const [account, bucket] of [
        [ACCOUNT, environments.dev!.state.bucket],
        [PROD_ACCOUNT, PROD_BUCKET],
      ] as const) {
        const json = app.json.get(`bootstrap-${account}`)!;
        expect(resource(json, S3Bucket)).toEqual(expect.objectContaining({ bucket }));
        expect(json.provider?.aws?.[0]).toEqual(expect.objectContaining({ allowed_account_ids: [account] }));
        expect(json.terraform?.backend?.local).toEqual({ path: `../../../terraform.bootstrap-${account}.tfstate` });
      }
    });

    it("points prod's backend at prod's bucket and key alias in prod's account", () => {
      expect(app.json.get("network-prod")?.terraform?.backend?.s3).toEqual(
        expect.objectContaining({
          bucket: PROD_BUCKET,
          key: "prod/network.tfstate",
          kms_key_id: `arn:aws:kms:${multiAccount.prod!.state.region}:${PROD_ACCOUNT}:alias/${multiAccount.prod!.state.kmsKeyAlias}`,
          allowed_account_ids: [PROD_ACCOUNT],
        }),
      );
    });

    it("names the bootstrap stack by account even when only one account is selected", () => {
      const stacks = buildStacks(testApp(), [multiAccount.dev!], Object.values(multiAccount));
      expect(stacks.bootstrap.map((stack) => stack.node.id)).toEqual([`bootstrap-${ACCOUNT}`]);
    });
  });
});
