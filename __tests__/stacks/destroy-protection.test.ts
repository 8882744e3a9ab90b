import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../config";
import { STATEFUL_RESOURCE_TYPES } from "../../modules/core/destroy-protection";
import { accounts, allResources, environments, resource, resources, shippedApp, synthApp, variant, type StackJson } from "../support/synth";

type Body = Record<string, unknown>;
const LAYERS = ["network", "platform", "serverless", "observability"] as const;
/** Each hook synthesizes every stack of an app, the account stacks included. */
const SYNTH_TIMEOUT_MS = 120_000;
const isStateful = (type: string): boolean => (STATEFUL_RESOURCE_TYPES as readonly string[]).includes(type);
const preventsDestroy = (body: Body): boolean => (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true;

/** `[type, body]` of every stateful resource of a stack. */
const stateful = (json: StackJson): [string, Body][] => allResources(json).filter(([type]) => isStateful(type));

/** What a destroy of `env` meets, checked against its config for every layer. */
function expectEnvironment(json: ReadonlyMap<string, StackJson>, env: EnvironmentConfig): void {
  const protectedEnv = env.preventDestroy && !env.decommission;
  for (const layer of LAYERS) {
    const stack = json.get(`${layer}-${env.name}`)!;
    const found = stateful(stack);
    // Each layer is destroyed on its own, observability first: every one of them must refuse.
    expect(found.length, `${layer}-${env.name} holds a stateful resource`).toBeGreaterThan(0);
    for (const [type, body] of found) {
      expect(preventsDestroy(body), `${layer}-${env.name} ${type} ${String(body.name ?? body.bucket ?? "")}`).toBe(protectedEnv);
    }
  }
  const platform = json.get(`platform-${env.name}`)!;
  const serverless = json.get(`serverless-${env.name}`)!;
  expect(resource(platform, EcrRepository).force_delete).toBe(!protectedEnv);
  expect(resource(platform, DynamodbTable).deletion_protection_enabled).toBe(env.platform.tableDeletionProtection && !env.decommission);
  expect(resource(serverless, DynamodbTable).deletion_protection_enabled).toBe(env.serverless.tableDeletionProtection && !env.decommission);
  expect(resource(platform, Lb).enable_deletion_protection).toBe(env.platform.albDeletionProtection && !env.decommission);
  // The access logs go with a load balancer that may be deleted.
  expect(resource(platform, S3Bucket).force_destroy).toBe(!(env.platform.albDeletionProtection && !env.decommission));
}

/** Bootstrap and account stacks: state and audit records outlive every environment. */
function expectAccountStacksProtected(json: ReadonlyMap<string, StackJson>): void {
  const shared = [...json.keys()].filter((id) => /^(bootstrap|account)(-|$)/.test(id));
  expect(shared.length).toBeGreaterThanOrEqual(2);
  for (const id of shared) {
    const found = stateful(json.get(id)!);
    expect(found.length, id).toBeGreaterThan(0);
    for (const [type, body] of found) expect(preventsDestroy(body), `${id} ${type}`).toBe(true);
  }
}

describe("destroy protection", () => {
  describe("shipped environments", () => {
    let json: ReadonlyMap<string, StackJson>;
    beforeAll(() => {
      json = shippedApp().json;
    }, SYNTH_TIMEOUT_MS);

    it.each(Object.values(environments).map((env) => [env.name, env] as const))(
      "%s: stateful resources refuse destroy exactly when preventDestroy is on",
      (_name, env) => expectEnvironment(json, env),
    );

    it("protects at least one shipped environment, and leaves at least one to destroy completely", () => {
      const envs = Object.values(environments);
      expect(envs.some((env) => env.preventDestroy && !env.decommission)).toBe(true);
      expect(envs.some((env) => !env.preventDestroy)).toBe(true);
    });

    it("protects the state and audit stores of every account, whatever the environments say", () => {
      expectAccountStacksProtected(json);
    });
  });

  describe("the decommission switch", () => {
    const protectedEnvs = Object.values(environments).filter((env) => env.preventDestroy);
    let json: ReadonlyMap<string, StackJson>;
    beforeAll(() => {
      const config = Object.fromEntries(
        Object.entries(environments).map(([name, env]) => [name, env.preventDestroy ? variant(env, (copy) => (copy.decommission = true)) : env]),
      );
      json = synthApp(config, accounts).json;
    }, SYNTH_TIMEOUT_MS);

    it.each(protectedEnvs.map((env) => [env.name, env] as const))(
      "%s: lifts prevent_destroy and AWS-side deletion protection, lets ECR and log buckets go with their contents",
      (_name, env) => {
        const decommissioned = variant(env, (copy) => (copy.decommission = true));
        expectEnvironment(json, decommissioned);
        for (const layer of LAYERS) {
          expect(stateful(json.get(`${layer}-${env.name}`)!).filter(([, body]) => preventsDestroy(body))).toEqual([]);
        }
        const platform = json.get(`platform-${env.name}`)!;
        expect(resources(platform, DynamodbTable).map((table) => table.deletion_protection_enabled)).toEqual([false]);
        expect(resource(platform, Lb).enable_deletion_protection).toBe(false);
      },
    );

    it("leaves the account and bootstrap stacks protected", () => {
      expectAccountStacksProtected(json);
    });
  });
});
