import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import type { KmsKey } from "./kms-key";

export interface DynamoAttribute {
  readonly name: string;
  /** `S` string, `N` number, `B` binary. */
  readonly type: "S" | "N" | "B";
}

export interface DynamoTableProps {
  readonly tableName: string;
  readonly partitionKey: DynamoAttribute;
  /**
   * @default - no sort key
   */
  readonly sortKey?: DynamoAttribute;
  /** Customer-managed key for encryption at rest. */
  readonly kmsKey: KmsKey;
  /**
   * Continuous backups, restorable to any second of the last 35 days.
   * @default true
   */
  readonly enablePointInTimeRecovery?: boolean;
  /**
   * Refuse `DeleteTable` until this is turned off, whoever asks.
   * @default true
   */
  readonly enableDeletionProtection?: boolean;
}

/** An on-demand DynamoDB table, KMS-encrypted, with PITR and deletion protection by default. */
export class DynamoTable extends Construct {
  readonly table: DynamodbTable;
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: DynamoTableProps) {
    super(scope, id);
    const attributes = [props.partitionKey, ...(props.sortKey ? [props.sortKey] : [])];
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      // On-demand: no capacity to size, nothing paid while idle.
      billingMode: "PAY_PER_REQUEST",
      hashKey: props.partitionKey.name,
      rangeKey: props.sortKey?.name,
      attribute: attributes.map(({ name, type }) => ({ name, type })),
      pointInTimeRecovery: { enabled: props.enablePointInTimeRecovery ?? true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKey.arn },
      deletionProtectionEnabled: props.enableDeletionProtection ?? true,
    });
    this.name = this.table.name;
    this.arn = this.table.arn;
  }
}
