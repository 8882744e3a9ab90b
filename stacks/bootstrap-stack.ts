import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import { preventDestroyOfStatefulResources } from "../modules/core/destroy-protection";
import { DynamoTable } from "../modules/core/dynamo-table";
import { KmsKey } from "../modules/core/kms-key";
import { SecureBucket } from "../modules/core/secure-bucket";

export interface BootstrapStackProps {
  /** Environments whose state this account's bucket holds; all share account, bucket, table and key. */
  readonly environments: readonly EnvironmentConfig[];
}

/** Stack id of the bootstrap stack of `accountId`: `bootstrap`, or `bootstrap-<account>` when several accounts are configured. */
export function bootstrapStackId(accountId: string, allAccountIds: readonly string[]): string {
  return new Set(allAccountIds).size > 1 ? `bootstrap-${accountId}` : "bootstrap";
}

/**
 * The state bucket, lock table and their KMS key of one account. It keeps its own state in a
 * local file (it creates the bucket every other stack needs); apply it once per account.
 */
export class BootstrapStack extends TerraformStack {
  readonly bucket: SecureBucket;
  readonly lockTable: DynamoTable;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const first = props.environments[0];
    if (!first) throw new Error(`BootstrapStack ${id} needs at least one environment`);
    const { state, accountId, project, tags } = first;

    new AwsProvider(this, "aws", {
      region: state.region,
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: { ...tags, Environment: "shared" } }],
    });
    // Relative to cdktf.out/stacks/<id>: the state file sits in the project root, outside the
    // synthesized output (which `synth` replaces) and out of git (.gitignore). It is named by
    // account, not stack id, so adding a second account (which renames the stack) keeps it.
    new LocalBackend(this, { path: `../../../terraform.bootstrap-${accountId}.tfstate` });
    // Every environment's state lives here: bucket, lock table and key outlive any environment.
    preventDestroyOfStatefulResources(this);

    const key = new KmsKey(this, "state-key", {
      alias: state.kmsKeyAlias,
      description: `Encrypts the Terraform state bucket and lock table of ${project} in ${accountId}`,
      accountId,
    });
    this.bucket = new SecureBucket(this, "state-bucket", {
      bucketName: state.bucket,
      kmsKey: key,
      // Old state versions are the undo button for a bad apply; a year of them costs cents.
      noncurrentVersionExpirationDays: 365,
    });
    this.lockTable = new DynamoTable(this, "lock-table", {
      tableName: state.lockTable,
      partitionKey: { name: "LockID", type: "S" },
      kmsKey: key,
    });

    const envNames = props.environments.map((env) => env.name).join(", ");
    new TerraformOutput(this, "state_bucket", {
      value: this.bucket.name,
      description: `S3 bucket holding the Terraform state of: ${envNames}.`,
    });
    new TerraformOutput(this, "lock_table", {
      value: this.lockTable.name,
      description: "DynamoDB table holding Terraform state locks.",
    });
    new TerraformOutput(this, "state_kms_key_arn", {
      value: key.arn,
      description: "KMS key encrypting the state objects and locks.",
    });
  }
}
