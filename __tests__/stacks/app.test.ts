import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { beforeAll, describe, expect, it } from "vitest";
import { type EnvironmentConfig } from "../../config";
import { PolicyChecks } from "../../rules";
import { buildStacks } from "../../stacks/app";
import { bootstrapStackId } from "../../stacks/bootstrap-stack";
import { QA_REGION, qaInNewRegionApp } from "../support/environments";
import { accounts, environments, inAccount, resource, resources, shippedApp, synthApp, type SynthesizedApp, testApp } from "../support/synth";

const ACCOUNT = "123456789012";
const PROD_ACCOUNT = "210987654321";

/** prod in its own account with its own state bucket; dev and staging stay in the shared one. */
const multiAccount: Record<string, EnvironmentConfig> = { ...environments, prod: inAccount(environments.prod!, PROD_ACCOUNT) };
const PROD_BUCKET = multiAccount.prod!.state.bucket;
const multiAccountAccounts = { ...accounts, [PROD_ACCOUNT]: { ...accounts[ACCOUNT]!, accountId: PROD_ACCOUNT } };

describe("buildStacks", () => {
  const names = Object.keys(environments);

  it("builds one bootstrap stack, then network-<env> and the other layers per environment, and one account stack", () => {
    const ids = [...shippedApp().json.keys()];
    expect(ids[0]).toBe("bootstrap");
    expect(ids.at(-1)).toBe("account");
    expect(ids).toEqual(expect.arrayContaining(names.map((name) => `network-${name}`)));
    for (const id of ids.slice(1, -1)) expect(id).toMatch(new RegExp(`^[a-z][a-z0-9-]*-(${names.join("|")})$`));
  });

  it("adds an environment in another region by config alone: its layers, and the account's regional baseline there", () => {
    const ids = [...qaInNewRegionApp().json.keys()];
    expect(ids).toEqual(expect.arrayContaining(["network-qa", "platform-qa", "serverless-qa", "observability-qa", `account-${QA_REGION}`]));
    expect(ids.filter((id) => id.startsWith("bootstrap"))).toEqual(["bootstrap"]);
  });

  it("orders a multi-stack cdktf deploy: bootstrap, then the account baselines, then each environment's layers", () => {
    const all = Object.values(multiAccount);
    const stacks = buildStacks(testApp(), all, all, { ...accounts, [PROD_ACCOUNT]: { ...Object.values(accounts)[0]!, accountId: PROD_ACCOUNT } });
    const allIds = all.map((env) => env.accountId);
    const ids = (list: readonly { node: { id: string } }[]) => list.map((stack) => stack.node.id).sort();
    const baselines = (accountId: string) => [...stacks.account, ...stacks.accountRegions].filter((stack) => stack.accountId === accountId);
    for (const baseline of [...stacks.account, ...stacks.accountRegions]) {
      expect(ids(baseline.dependencies), baseline.node.id).toEqual([bootstrapStackId(baseline.accountId, allIds)]);
    }
    for (const layer of [...stacks.network, ...stacks.platform, ...stacks.serverless, ...stacks.observability]) {
      const accountLevel = ids(layer.dependencies).filter((id) => /^(bootstrap|account)/.test(id));
      expect(accountLevel, layer.node.id).toEqual([bootstrapStackId(layer.env.accountId, allIds), ...ids(baselines(layer.env.accountId))].sort());
    }
  });

  it("never lets two stacks share a state object, a further region's baseline included", () => {
    const keys = [...qaInNewRegionApp().json.values()].flatMap((json) => {
      const s3 = json.terraform?.backend?.s3;
      return s3 ? [`${String(s3.bucket)}/${String(s3.key)}`] : [];
    });
    expect(keys).toHaveLength(qaInNewRegionApp().json.size - qaInNewRegionApp().stacks.bootstrap.length);
    expect(new Set(keys).size).toBe(keys.length);
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

    it("are exempted only where a construct says why: no role of an environment goes without its boundary", () => {
      const exempted = new Map<string, Set<string>>();
      for (const { stack, suppressedBy } of checks.suppressed) {
        const place = `${suppressedBy!.rule} at ${suppressedBy!.path.slice(stack.length + 1) || "the stack"}`;
        exempted.set(place, (exempted.get(place) ?? new Set()).add(stack));
      }
      expect(Object.fromEntries([...exempted].map(([place, ids]) => [place, [...ids].sort()]))).toEqual({
        "iam-no-wildcard-resource at github-deploy": stacks.account.map((stack) => stack.node.id).sort(),
        "security-group-no-public-ingress at alb": stacks.platform.map((stack) => stack.node.id).sort(),
        "s3-bucket-kms-encrypted at alb/access-logs": stacks.platform.map((stack) => stack.node.id).sort(),
        "s3-bucket-kms-encrypted at log-archive/bucket": stacks.account.map((stack) => stack.node.id).sort(),
      });
    });

    it("hold a further region's baseline to every rule, its log archive exempted from SSE-KMS like the home region's", () => {
      const qaChecks = PolicyChecks.of(qaInNewRegionApp().stacks.bootstrap[0]!);
      expect(qaChecks.problems()).toEqual([]);
      const regional = qaInNewRegionApp().stacks.accountRegions.map((stack) => stack.node.id);
      expect(regional).toEqual([`account-${QA_REGION}`]);
      const exempted = qaChecks.suppressed.filter((finding) => regional.includes(finding.stack));
      expect(exempted.map((finding) => `${finding.rule} at ${finding.suppressedBy!.path.slice(finding.stack.length + 1)}`)).toEqual([
        "s3-bucket-kms-encrypted at log-archive/bucket",
      ]);
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
      expect(ids).toEqual(expect.arrayContaining(names.map((name) => `network-${name}`)));
    });

    it("keeps the prod account's state in its own bucket, its account stack covering only prod", () => {
      const prodAccount = app.json.get(`account-${PROD_ACCOUNT}`)!;
      expect(prodAccount.terraform?.backend?.s3).toEqual(
        expect.objectContaining({ bucket: PROD_BUCKET, key: `account/${PROD_ACCOUNT}.tfstate`, allowed_account_ids: [PROD_ACCOUNT] }),
      );
      expect(resources(prodAccount, BudgetsBudget).map((budget) => budget.name)).toEqual(["acme-prod-monthly"]);
      const prodBaseline = `${environments.prod!.project}-${PROD_ACCOUNT}`;
      const region = accounts[ACCOUNT]!.region;
      expect(resources(prodAccount, S3Bucket).map((bucket) => bucket.bucket)).toEqual([`${prodBaseline}-audit-${region}`, `${prodBaseline}-logs-${region}`]);
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
