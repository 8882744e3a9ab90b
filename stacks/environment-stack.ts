import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { preventDestroyOfStatefulResources } from "../modules/core/destroy-protection";
import { Naming } from "../modules/core/naming";

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

    const backend = new S3Backend(this, {
      bucket: env.state.bucket,
      key: stateKey(env, layer),
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
  }

  /** AWS-side deletion protection as configured, lifted by the decommission switch. */
  protected deletionProtection(configured: boolean): boolean {
    return configured && !this.env.decommission;
  }
}
