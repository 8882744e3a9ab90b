import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { preventDestroyOfStatefulResources } from "../modules/core/destroy-protection";
import { Naming, WORKLOAD_BOUNDARY } from "../modules/core/naming";
import { PermissionsBoundary } from "../modules/core/permissions-boundary";
import { fromConfig, type SettingPath } from "./config-props";

/** The layers an environment is split into; each is its own stack and its own state object. */
export type Layer = "network" | "platform" | "serverless" | "observability";

export interface EnvironmentStackProps {
  readonly env: EnvironmentConfig;
}

/** S3 state key of one layer of one environment: `<keyPrefix>/<layer>.tfstate`. */
export function stateKey(env: EnvironmentConfig, layer: Layer): string {
  return `${env.state.keyPrefix}/${layer}.tfstate`;
}

/** ARN of the state key's alias; the alias is created by the bootstrap stack. */
export function stateKmsAliasArn(env: Pick<EnvironmentConfig, "accountId" | "state">): string {
  return `arn:aws:kms:${env.state.region}:${env.accountId}:alias/${env.state.kmsKeyAlias}`;
}

/**
 * The S3 backend of a stack whose state sits in the account's state bucket under `key`: encrypted
 * with the state key, locked through the lock table (and S3's lock file when config asks for it),
 * and pinned to the account.
 */
export function addStateBackend(stack: TerraformStack, env: Pick<EnvironmentConfig, "accountId" | "state">, key: string): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: env.state.bucket,
    key,
    region: env.state.region,
    encrypt: true,
    kmsKeyId: stateKmsAliasArn(env),
    dynamodbTable: env.state.lockTable,
    allowedAccountIds: [env.accountId],
  });
  if (env.state.useLockfile) {
    // cdktf 0.21's S3BackendConfig predates Terraform 1.10's S3-native locking.
    backend.addOverride("use_lockfile", true);
  }
  return backend;
}

/**
 * Base of every per-environment stack (`<layer>-<env>`): an AWS provider pinned to the
 * environment's account with its default tags, and an S3 backend with its own state key.
 */
export abstract class EnvironmentStack extends TerraformStack {
  readonly env: EnvironmentConfig;
  readonly naming: Naming;
  /**
   * Whether a destroy plan of this layer fails while it holds a stateful resource:
   * `preventDestroy`, unless the decommission switch is on.
   */
  readonly destroyProtected: boolean;

  constructor(scope: Construct, layer: Layer, props: EnvironmentStackProps) {
    const { env } = props;
    super(scope, `${layer}-${env.name}`);
    this.env = env;
    this.naming = new Naming(env.project, env.name);
    this.destroyProtected = env.preventDestroy && !env.decommission;
    if (this.destroyProtected) preventDestroyOfStatefulResources(this);

    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [env.accountId],
      defaultTags: [{ tags: { ...env.tags } }],
    });

    addStateBackend(this, env, stateKey(env, layer));

    // Every role this stack creates is held by the environment's boundary (created by the account
    // stack): the deploy role may only create roles that carry it.
    Aspects.of(this).add(new PermissionsBoundary(`arn:aws:iam::${env.accountId}:policy/${this.naming.name(WORKLOAD_BOUNDARY)}`));
  }

  /** Construct props read from this environment's settings, labelled `<env>.<path>` (see `fromConfig`). */
  protected fromConfig<const M extends Record<string, SettingPath<EnvironmentConfig>>>(settings: M) {
    return fromConfig(this.env, this.env.name, settings);
  }

  /** AWS-side deletion protection as configured, lifted by the decommission switch. */
  protected deletionProtection(configured: boolean): boolean {
    return configured && !this.env.decommission;
  }
}
