import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import type { TipTable } from "../../../../lambdas/tips/lib/repository";
import { useMotoDynamo } from "../../support/moto";

const db = useMotoDynamo();
let repository: typeof import("../../../../lambdas/tips/lib/repository");
let table: TipTable;

const TAKEN = "11111111-1111-4111-8111-111111111111";
const FREE = "22222222-2222-4222-8222-222222222222";

beforeAll(async () => {
  repository = await import("../../../../lambdas/tips/lib/repository");
  table = repository.tipTableFromEnv();
  await repository.createTip(table, { author: "first", text: "original", tags: [] }, { newId: () => TAKEN });
});

const read = async (id: string) =>
  (await DynamoDBDocumentClient.from(db.client).send(new GetCommand({ TableName: db.tableName, Key: { id } }))).Item;

describe("tips repository", () => {
  describe("createTip", () => {
    it("never overwrites a tip: when the id is taken it stores under a second new id", async () => {
      const ids = [TAKEN, FREE];
      const tip = await repository.createTip(table, { author: "second", text: "new", tags: ["x"] }, { newId: () => ids.shift() as string });
      expect(tip.id).toBe(FREE);
      expect(await read(TAKEN)).toEqual(expect.objectContaining({ author: "first", text: "original" }));
      expect(await read(FREE)).toEqual(expect.objectContaining({ author: "second", text: "new", tags: ["x"] }));
    });

    it("gives up with TipIdCollisionError when the second id is taken too", async () => {
      await expect(
        repository.createTip(table, { author: "third", text: "lost", tags: [] }, { newId: () => TAKEN }),
      ).rejects.toThrow(new repository.TipIdCollisionError(`2 generated tip ids were already taken in table ${db.tableName}`));
      expect(await read(TAKEN)).toEqual(expect.objectContaining({ author: "first" }));
    });
  });

  describe("tipTableFromEnv", () => {
    it("reads TABLE_NAME and defaults the index to by-created-at", () => {
      expect(repository.tipTableFromEnv({ TABLE_NAME: "t" })).toEqual({ tableName: "t", indexName: "by-created-at" });
    });

    it("takes the index from GSI_NAME", () => {
      expect(repository.tipTableFromEnv({ TABLE_NAME: "t", GSI_NAME: "idx" })).toEqual({ tableName: "t", indexName: "idx" });
    });

    it("fails when TABLE_NAME is missing or blank", () => {
      for (const env of [{}, { TABLE_NAME: " " }]) {
        expect(() => repository.tipTableFromEnv(env)).toThrow(
          "environment variable TABLE_NAME is not set: the function cannot find its table",
        );
      }
    });
  });
});
