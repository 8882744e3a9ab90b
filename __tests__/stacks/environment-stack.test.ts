import { describe, expect, it } from "vitest";
import { type EnvironmentConfig } from "../../config";
import { stateKey, stateKmsAliasArn } from "../../stacks/environment-stack";
import { environments, shippedApp, type StackJson, synthApp, type SynthesizedApp, variant } from "../support/synth";

const all = Object.values(environments);

/** Every per-environment stack (`<layer>-<env>`) of an app, with its layer and environment. */
function environmentStacks(app: SynthesizedApp): [string, string, EnvironmentConfig, StackJson][] {
  const perAccount = new Set([...app.stacks.bootstrap, ...app.stacks.account].map((stack) => stack.node.id));
  return [...app.json.entries()]
    .filter(([id]) => !perAccount.has(id))
    .map(([id, json]) => {
      // Environment names are lower-case letters and digits, so the last hyphen separates them.
      const cut = id.lastIndexOf("-");
      const env = environments[id.slice(cut + 1)];
      if (!env) throw new Error(`stack ${id} is not named <layer>-<env>`);
      return [id, id.slice(0, cut), env, json];
    });
}

const stacks = environmentStacks(shippedApp());

describe("EnvironmentStack", () => {
  it("covers the network stack of every environment", () => {
    expect(stacks.map(([id]) => id)).toEqual(expect.arrayContaining(all.map((env) => `network-${env.name}`)));
  });

  describe.each(stacks)("%s", (_id, layer, env, json) => {
    it(`keeps state in S3 under ${env.name}/${layer}.tfstate, encrypted with the state key and locked in DynamoDB`, () => {
      expect(json.terraform?.backend?.s3).toEqual(
        expect.objectContaining({
          bucket: env.state.bucket,
          key: `${env.name}/${layer}.tfstate`,
          region: env.state.region,
          encrypt: true,
          dynamodb_table: env.state.lockTable,
          kms_key_id: `arn:aws:kms:${env.state.region}:${env.accountId}:alias/${env.state.kmsKeyAlias}`,
          allowed_account_ids: [env.accountId],
        }),
      );
    });

    it("has no other backend", () => {
      expect(Object.keys(json.terraform?.backend ?? {})).toEqual(["s3"]);
    });

    it("pins the provider to the environment's account and region", () => {
      const providers = json.provider?.aws ?? [];
      expect(providers).toHaveLength(1);
      expect(providers[0]).toEqual(expect.objectContaining({ region: env.region, allowed_account_ids: [env.accountId] }));
    });

    it("tags every resource through default_tags", () => {
      const [provider] = json.provider?.aws ?? [];
      expect(provider?.default_tags).toEqual([
        {
          tags: expect.objectContaining({
            Project: "acme",
            Environment: env.name,
            Owner: "platform-team",
            CostCenter: "cc-1234",
            ManagedBy: "cdktf",
          }),
        },
      ]);
    });

    it("leaves use_lockfile out while state.useLockfile is false", () => {
      expect(env.state.useLockfile).toBe(false);
      expect(json.terraform?.backend?.s3).not.toHaveProperty("use_lockfile");
    });
  });

  it("never shares a state key between two stacks", () => {
    const keys = [...shippedApp().json.values()].flatMap((json) => {
      const s3 = json.terraform?.backend?.s3;
      return s3 ? [`${String(s3.bucket)}/${String(s3.key)}`] : [];
    });
    // The environment stacks plus the account stack (account/<id>.tfstate).
    expect(keys).toHaveLength(stacks.length + shippedApp().stacks.account.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("adds use_lockfile to the S3 backend only of the environments with state.useLockfile true", () => {
    const app = synthApp({ ...environments, staging: variant(environments.staging!, (env) => (env.state.useLockfile = true)) });
    for (const [id, , env, json] of environmentStacks(app)) {
      if (env.name === "staging") {
        expect(json.terraform?.backend?.s3, id).toEqual(expect.objectContaining({ use_lockfile: true, encrypt: true }));
      } else {
        expect(json.terraform?.backend?.s3, id).not.toHaveProperty("use_lockfile");
      }
    }
  });

  describe("stateKey", () => {
    it("is <keyPrefix>/<layer>.tfstate", () => {
      expect(stateKey(variant(environments.dev!, (env) => (env.state.keyPrefix = "team-a/dev")), "network")).toBe(
        "team-a/dev/network.tfstate",
      );
    });
  });

  describe("stateKmsAliasArn", () => {
    it("points at the alias in the state region of the environment's account", () => {
      const env = variant(environments.dev!, (e) => {
        e.accountId = "210987654321";
        e.state.region = "eu-central-1";
      });
      expect(stateKmsAliasArn(env)).toBe("arn:aws:kms:eu-central-1:210987654321:alias/acme-tfstate");
    });
  });
});
