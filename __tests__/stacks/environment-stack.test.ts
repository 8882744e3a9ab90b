/**
 * What every environment layer gets from its base class: state, provider pin, tags. Rules every
 * stack keeps (encrypted state, one account per provider, default tags) are policy rules (rules/);
 * these tests pin the values each environment's config gives them.
 */
import { describe, expect, it } from "vitest";
import { type EnvironmentConfig } from "../../config";
import { stateKey, stateKmsAliasArn } from "../../stacks/environment-stack";
import { NetworkStack } from "../../stacks/network-stack";
import { environments, shippedApp, type StackJson, synthStack, testApp, variant } from "../support/synth";

const all = Object.values(environments);

/** Every per-environment stack (`<layer>-<env>`) of the shipped app, with its layer and environment. */
const stacks: [string, string, EnvironmentConfig, StackJson][] = (() => {
  const app = shippedApp();
  const perAccount = new Set([...app.stacks.bootstrap, ...app.stacks.account, ...app.stacks.accountRegions].map((stack) => stack.node.id));
  return [...app.json.entries()]
    .filter(([id]) => !perAccount.has(id))
    .map(([id, json]) => {
      // Environment names are lower-case letters and digits, so the last hyphen separates them.
      const cut = id.lastIndexOf("-");
      const env = environments[id.slice(cut + 1)];
      if (!env) throw new Error(`stack ${id} is not named <layer>-<env>`);
      return [id, id.slice(0, cut), env, json];
    });
})();

describe("EnvironmentStack", () => {
  it("covers the network stack of every environment", () => {
    expect(stacks.map(([id]) => id)).toEqual(expect.arrayContaining(all.map((env) => `network-${env.name}`)));
  });

  describe.each(stacks)("%s", (_id, layer, env, json) => {
    it(`keeps state in S3 only, under ${env.name}/${layer}.tfstate, encrypted with the state key and locked in DynamoDB`, () => {
      expect(json.terraform?.backend).toEqual({
        s3: {
          bucket: env.state.bucket,
          key: `${env.name}/${layer}.tfstate`,
          region: env.state.region,
          encrypt: true,
          dynamodb_table: env.state.lockTable,
          kms_key_id: `arn:aws:kms:${env.state.region}:${env.accountId}:alias/${env.state.kmsKeyAlias}`,
          allowed_account_ids: [env.accountId],
          ...(env.state.useLockfile ? { use_lockfile: true } : {}),
        },
      });
    });

    it("pins its one provider to the environment's account and region, tagging with the environment's tags", () => {
      expect(json.provider?.aws).toEqual([
        expect.objectContaining({ region: env.region, allowed_account_ids: [env.accountId], default_tags: [{ tags: { ...env.tags } }] }),
      ]);
    });
  });

  it("never shares a state key between two stacks", () => {
    const keys = [...shippedApp().json.values()].flatMap((json) => {
      const s3 = json.terraform?.backend?.s3;
      return s3 ? [`${String(s3.bucket)}/${String(s3.key)}`] : [];
    });
    // The environment stacks plus the account stacks (account/<id>.tfstate, account/<id>/<region>.tfstate).
    expect(keys).toHaveLength(stacks.length + shippedApp().stacks.account.length + shippedApp().stacks.accountRegions.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("adds use_lockfile to the S3 backend when state.useLockfile is true", () => {
    const env = variant(all[0]!, (e) => (e.state.useLockfile = true));
    expect(synthStack(new NetworkStack(testApp(), { env })).terraform?.backend?.s3).toEqual(expect.objectContaining({ use_lockfile: true, encrypt: true }));
  });

  describe("stateKey", () => {
    it("is <keyPrefix>/<layer>.tfstate", () => {
      expect(stateKey(variant(all[0]!, (env) => (env.state.keyPrefix = "team-a/dev")), "network")).toBe("team-a/dev/network.tfstate");
    });
  });

  describe("stateKmsAliasArn", () => {
    it("points at the alias in the state region of the environment's account", () => {
      const env = variant(all[0]!, (e) => {
        e.accountId = "210987654321";
        e.state.region = "eu-central-1";
      });
      expect(stateKmsAliasArn(env)).toBe(`arn:aws:kms:eu-central-1:210987654321:alias/${env.state.kmsKeyAlias}`);
    });
  });
});
