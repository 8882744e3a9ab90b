import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { describe, expect, it } from "vitest";
import { KmsKey } from "../../modules/core/kms-key";
import { kmsKeyRotation } from "../../rules/kms-key-rotation";
import { checkRules } from "../support/rules";

describe("kms-key-rotation", () => {
  it("passes a KmsKey, which rotates", () => {
    expect(checkRules(kmsKeyRotation, (scope) => new KmsKey(scope, "key", { alias: "acme", description: "d", accountId: "123456789012" })).violations).toEqual([]);
  });

  it("fails a key that does not rotate", () => {
    expect(checkRules(kmsKeyRotation, (scope) => new KmsKeyResource(scope, "static", { description: "d" })).violations).toEqual([
      "stack: static (aws_kms_key): does not rotate its key material; set enable_key_rotation true [rule kms-key-rotation]",
    ]);
  });
});
