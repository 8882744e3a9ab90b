import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { attachPolicy, type Grantable } from "./iam";
import type { KmsKey } from "./kms-key";

export interface DynamoAttribute {
  readonly name: string;
  /** `S` string, `N` number, `B` binary. */
  readonly type: "S" | "N" | "B";
}

export interface GlobalSecondaryIndex {
  readonly indexName: string;
  readonly partitionKey: DynamoAttribute;
  /**
   * @default - no sort key
   */
  readonly sortKey?: DynamoAttribute;
}

/** Data-plane actions a grant may give; each grant names exactly the ones a caller needs. */
export type DynamoDataAction =
  | "dynamodb:GetItem"
  | "dynamodb:BatchGetItem"
  | "dynamodb:Query"
  | "dynamodb:Scan"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:BatchWriteItem"
  | "dynamodb:ConditionCheckItem";

const WRITE_ACTIONS: readonly DynamoDataAction[] = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];

export interface DynamoTableProps {
  readonly tableName: string;
  readonly partitionKey: DynamoAttribute;
  /**
   * @default - no sort key
   */
  readonly sortKey?: DynamoAttribute;
  /**
   * Global secondary indexes, all projecting every attribute.
   * @default - none
   */
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
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
  private readonly kmsKey: KmsKey;

  constructor(scope: Construct, id: string, props: DynamoTableProps) {
    super(scope, id);
    this.kmsKey = props.kmsKey;
    const indexes = props.globalSecondaryIndexes ?? [];
    const keys = [props.partitionKey, props.sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
    // Every key attribute is declared once, whichever key or index uses it.
    const byName = new Map<string, DynamoAttribute>();
    for (const key of keys) {
      if (!key) continue;
      const seen = byName.get(key.name);
      if (seen && seen.type !== key.type) {
        throw new Error(`attribute ${key.name} is declared as both ${seen.type} and ${key.type}; a key attribute has one type`);
      }
      byName.set(key.name, key);
    }
    const attributes = [...byName.values()];
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      // On-demand: no capacity to size, nothing paid while idle.
      billingMode: "PAY_PER_REQUEST",
      hashKey: props.partitionKey.name,
      rangeKey: props.sortKey?.name,
      attribute: attributes.map(({ name, type }) => ({ name, type })),
      globalSecondaryIndex: indexes.map((index) => ({
        name: index.indexName,
        hashKey: index.partitionKey.name,
        rangeKey: index.sortKey?.name,
        projectionType: "ALL",
      })),
      pointInTimeRecovery: { enabled: props.enablePointInTimeRecovery ?? true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKey.arn },
      deletionProtectionEnabled: props.enableDeletionProtection ?? true,
    });
    this.name = this.table.name;
    this.arn = this.table.arn;
  }

  /**
   * Lets `grantee` call exactly `actions` on this table (Query also on its indexes), plus the KMS actions
   * DynamoDB needs on the table key on the caller's behalf: `kms:Decrypt` for every grant, and
   * `kms:Encrypt` and `kms:GenerateDataKey` when a write action is granted; only via DynamoDB.
   */
  grant(grantee: Grantable, name: string, actions: readonly DynamoDataAction[]): void {
    if (actions.length === 0) throw new Error(`grant ${name} on table ${this.node.id} names no action`);
    const writes = actions.some((action) => WRITE_ACTIONS.includes(action));
    // Only Query reads indexes here; every other action is scoped to the table itself.
    const itemActions = actions.filter((action) => action !== "dynamodb:Query");
    attachPolicy(grantee, name, [
      ...(itemActions.length > 0
        ? [{ Sid: "TableItems", Effect: "Allow" as const, Action: itemActions, Resource: this.arn }]
        : []),
      ...(actions.includes("dynamodb:Query")
        ? [{ Sid: "TableQuery", Effect: "Allow" as const, Action: "dynamodb:Query", Resource: [this.arn, `${this.arn}/index/*`] }]
        : []),
      {
        Sid: "TableKey",
        Effect: "Allow",
        Action: writes ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
        Resource: this.kmsKey.arn,
        // KMS keys are regional, so DynamoDB of the key's own region is the only one that can use it.
        Condition: { StringLike: { "kms:ViaService": "dynamodb.*.amazonaws.com" } },
      },
    ]);
  }
}
