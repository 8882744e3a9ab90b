import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { beforeAll, describe, expect, it } from "vitest";
import { type EnvironmentConfig } from "../../config";
import { buildStacks } from "../../stacks/app";
import { QA_REGION, withQaInNewRegion } from "../support/environments";
import { accounts, environments, inAccount, resource, shippedApp, synthApp, type SynthesizedApp, testApp } from "../support/synth";

const ACCOUNT = "123456789012";
const PROD_ACCOUNT = "210987654321";

/** prod in its own account with its own state bucket; dev and staging stay in the shared one. */
const multiAccount: Record<string, EnvironmentConfig> = { ...environments, prod: inAccount(environments.prod!, PROD_ACCOUNT) };
const PROD_BUCKET = multiAccount.prod!.state.bucket;

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
    const ids = [...synthApp(withQaInNewRegion(), accounts).json.keys()];
    expect(ids).toEqual(expect.arrayContaining(["network-qa", "platform-qa", "serverless-qa", "observability-qa", `account-${QA_REGION}`]));
    expect(ids.filter((id) => id.startsWith("bootstrap"))).toEqual(["bootstrap"]);
  });

  it("builds only the selected environments' stacks, with the bootstrap of their account", () => {
    const app = testApp();
    const stacks = buildStacks(app, [environments.dev!], Object.values(environments));
    expect(stacks.bootstrap.map((stack) => stack.node.id)).toEqual(["bootstrap"]);
    expect(stacks.network.map((stack) => stack.node.id)).toEqual(["network-dev"]);
    const others = app.node.children.map((stack) => stack.node.id).filter((id) => id !== "bootstrap");
    for (const id of others) expect(id).toMatch(/-dev$/);
  });

  describe("multi-account", () => {
    let app: SynthesizedApp;
    beforeAll(() => {
      app = synthApp(multiAccount);
    });

    it("builds a bootstrap-<account> stack per account", () => {
      const ids = [...app.json.keys()];
      expect(ids.filter((id) => id.startsWith("bootstrap"))).toEqual([`bootstrap-${ACCOUNT}`, `bootstrap-${PROD_ACCOUNT}`]);
      expect(ids).toEqual(expect.arrayContaining(names.map((name) => `network-${name}`)));
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
