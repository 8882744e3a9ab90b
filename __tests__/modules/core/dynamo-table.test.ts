import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { DynamoTable, type DynamoDataAction, type DynamoTableProps } from "../../../modules/core/dynamo-table";
import { serviceTrustPolicy, type Grantable } from "../../../modules/core/iam";
import { KmsKey } from "../../../modules/core/kms-key";
import { entries, reference, referenceTo, resource, resources, statements, synthConstruct, testApp, type StackJson } from "../../support/synth";

const synthTable = (props: Partial<Omit<DynamoTableProps, "kmsKey">> = {}): StackJson =>
  synthConstruct((scope) => {
    const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-table", description: "table", accountId: "123456789012" });
    new DynamoTable(scope, "table", { tableName: "acme-test-tips", partitionKey: { name: "pk", type: "S" }, kmsKey, ...props });
  });

/** A construct with a role, the smallest thing a table can grant to. */
class Grantee extends Construct implements Grantable {
  readonly role: IamRole;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new IamRole(this, "role", { name: id, assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", "123456789012") });
  }
}

const WRITE_ACTIONS: DynamoDataAction[] = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];
const READ_ACTIONS: DynamoDataAction[] = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"];

/** A table granted to one grantee per entry of `grants` (grantee id → actions). */
const synthGrants = (grants: Record<string, readonly DynamoDataAction[]>): StackJson =>
  synthConstruct((scope) => {
    const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-table", description: "table", accountId: "123456789012" });
    const table = new DynamoTable(scope, "table", { tableName: "acme-test-tips", partitionKey: { name: "pk", type: "S" }, kmsKey });
    for (const [id, actions] of Object.entries(grants)) table.grant(new Grantee(scope, id), "tips-table", actions);
  });

/** The inline policy attached to the role named `roleName`. */
function policyOf(json: StackJson, roleName: string): Record<string, unknown> {
  const [roleId] = entries(json, IamRole).find(([, role]) => role.name === roleName)!;
  const attached = resources(json, IamRolePolicy).filter((policy) => policy.role === reference(IamRole, roleId));
  expect(attached, `policies of ${roleName}`).toHaveLength(1);
  return attached[0]!;
}

describe("DynamoTable", () => {
  describe("defaults", () => {
    let json: StackJson;
    let table: Record<string, unknown>;
    beforeAll(() => {
      json = synthTable();
      table = resource(json, DynamodbTable);
    });

    it("is an on-demand table keyed by the partition key only", () => {
      expect(table).toEqual(
        expect.objectContaining({
          name: "acme-test-tips",
          billing_mode: "PAY_PER_REQUEST",
          hash_key: "pk",
          attribute: [{ name: "pk", type: "S" }],
        }),
      );
      expect(table.range_key).toBeUndefined();
    });

    it("turns on point-in-time recovery", () => {
      expect(table).toEqual(expect.objectContaining({ point_in_time_recovery: { enabled: true } }));
    });

    it("encrypts with the given KMS key", () => {
      expect(table).toEqual(
        expect.objectContaining({
          server_side_encryption: { enabled: true, kms_key_arn: referenceTo(json, KmsKeyResource, "arn") },
        }),
      );
    });

    it("turns on deletion protection", () => {
      expect(table).toEqual(expect.objectContaining({ deletion_protection_enabled: true }));
    });
  });

  it("adds the sort key as range key and attribute", () => {
    const table = resource(synthTable({ sortKey: { name: "createdAt", type: "N" } }), DynamodbTable);
    expect(table).toEqual(
      expect.objectContaining({
        hash_key: "pk",
        range_key: "createdAt",
        attribute: [
          { name: "pk", type: "S" },
          { name: "createdAt", type: "N" },
        ],
      }),
    );
  });

  it("turns point-in-time recovery off with enablePointInTimeRecovery: false", () => {
    expect(resource(synthTable({ enablePointInTimeRecovery: false }), DynamodbTable)).toEqual(
      expect.objectContaining({ point_in_time_recovery: { enabled: false } }),
    );
  });

  it("turns deletion protection off with enableDeletionProtection: false", () => {
    expect(resource(synthTable({ enableDeletionProtection: false }), DynamodbTable)).toEqual(
      expect.objectContaining({ deletion_protection_enabled: false }),
    );
  });

  describe("global secondary indexes", () => {
    it("has none by default", () => {
      const table = resource(synthTable(), DynamodbTable);
      expect(table.global_secondary_index ?? []).toEqual([]);
    });

    it("adds each index, projecting every attribute", () => {
      const table = resource(
        synthTable({
          sortKey: { name: "createdAt", type: "S" },
          globalSecondaryIndexes: [
            { indexName: "by-created-at", partitionKey: { name: "listPartition", type: "S" }, sortKey: { name: "createdAt", type: "S" } },
            { indexName: "by-author", partitionKey: { name: "author", type: "S" } },
          ],
        }),
        DynamodbTable,
      );
      expect(table).toEqual(
        expect.objectContaining({
          hash_key: "pk",
          range_key: "createdAt",
          global_secondary_index: [
            { name: "by-created-at", hash_key: "listPartition", range_key: "createdAt", projection_type: "ALL" },
            { name: "by-author", hash_key: "author", projection_type: "ALL" },
          ],
        }),
      );
    });

    it("declares every key attribute once, whichever key or index uses it", () => {
      const table = resource(
        synthTable({
          sortKey: { name: "createdAt", type: "S" },
          globalSecondaryIndexes: [
            { indexName: "by-created-at", partitionKey: { name: "listPartition", type: "S" }, sortKey: { name: "createdAt", type: "S" } },
            { indexName: "by-pk-and-score", partitionKey: { name: "pk", type: "S" }, sortKey: { name: "score", type: "N" } },
          ],
        }),
        DynamodbTable,
      );
      expect(table).toEqual(
        expect.objectContaining({
          attribute: [
            { name: "pk", type: "S" },
            { name: "createdAt", type: "S" },
            { name: "listPartition", type: "S" },
            { name: "score", type: "N" },
          ],
        }),
      );
    });
  });

  describe("grant", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthGrants({ reader: ["dynamodb:GetItem", "dynamodb:Query"], writer: ["dynamodb:PutItem"] });
    });

    it("attaches one inline policy, named by the grant, to the grantee's role", () => {
      expect(resources(json, IamRolePolicy)).toHaveLength(2);
      expect(policyOf(json, "reader")).toEqual(expect.objectContaining({ name: "tips-table" }));
      expect(policyOf(json, "writer")).toEqual(expect.objectContaining({ name: "tips-table" }));
    });

    it("allows exactly the granted item actions on the table, and Query on the table and its indexes", () => {
      const arn = referenceTo(json, DynamodbTable, "arn");
      expect(statements(policyOf(json, "reader").policy).slice(0, -1)).toEqual([
        { Sid: "TableItems", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: arn },
        { Sid: "TableQuery", Effect: "Allow", Action: "dynamodb:Query", Resource: [arn, `${arn}/index/*`] },
      ]);
      expect(statements(policyOf(json, "writer").policy).slice(0, -1)).toEqual([
        { Sid: "TableItems", Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: arn },
      ]);
    });

    it("gives a Query-only grant no item actions", () => {
      const arn = referenceTo(json, DynamodbTable, "arn");
      const only = statements(resource(synthGrants({ lister: ["dynamodb:Query"] }), IamRolePolicy).policy);
      expect(only.map((statement) => statement.Sid)).toEqual(["TableQuery", "TableKey"]);
      expect(only[0]).toEqual(expect.objectContaining({ Action: "dynamodb:Query", Resource: [arn, `${arn}/index/*`] }));
    });

    it("lets a reader only decrypt with the table key, and only through DynamoDB", () => {
      expect(statements(policyOf(json, "reader").policy).at(-1)).toEqual({
        Sid: "TableKey",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: referenceTo(json, KmsKeyResource, "arn"),
        Condition: { StringLike: { "kms:ViaService": "dynamodb.*.amazonaws.com" } },
      });
    });

    it("lets a writer also encrypt and generate data keys with the table key, only through DynamoDB", () => {
      expect(statements(policyOf(json, "writer").policy).at(-1)).toEqual({
        Sid: "TableKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: referenceTo(json, KmsKeyResource, "arn"),
        Condition: { StringLike: { "kms:ViaService": "dynamodb.*.amazonaws.com" } },
      });
    });

    it.each(WRITE_ACTIONS)("counts %s as a write (encrypt and generate data keys)", (action) => {
      const granted = statements(resource(synthGrants({ grantee: [action] }), IamRolePolicy).policy);
      expect(granted.flatMap((statement) => statement.Action).filter((a) => String(a).startsWith("dynamodb:"))).toEqual([action]);
      expect(granted.at(-1)?.Action).toEqual(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]);
    });

    it.each(READ_ACTIONS)("counts %s as a read (decrypt only)", (action) => {
      const granted = statements(resource(synthGrants({ grantee: [action] }), IamRolePolicy).policy);
      expect(granted.flatMap((statement) => statement.Action).filter((a) => String(a).startsWith("dynamodb:"))).toEqual([action]);
      expect(granted.at(-1)?.Action).toEqual(["kms:Decrypt"]);
    });

    it("gives no table-wide or account-wide wildcard", () => {
      for (const statement of [...statements(policyOf(json, "reader").policy), ...statements(policyOf(json, "writer").policy)]) {
        expect([statement.Action].flat()).not.toContain("*");
        expect([statement.Action].flat()).not.toContain("dynamodb:*");
        expect([statement.Resource].flat()).not.toContain("*");
      }
    });

    it("fails when a grant names no action", () => {
      const stack = new TerraformStack(testApp(), "stack");
      const kmsKey = new KmsKey(stack, "key", { alias: "acme-test-table", description: "table", accountId: "123456789012" });
      const table = new DynamoTable(stack, "table", { tableName: "acme-test-tips", partitionKey: { name: "pk", type: "S" }, kmsKey });
      expect(() => table.grant(new Grantee(stack, "reader"), "tips-table", [])).toThrow("grant tips-table on table table names no action");
    });
  });
});
