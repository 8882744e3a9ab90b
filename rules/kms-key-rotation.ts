import type { PolicyRule } from "./rule";

export const kmsKeyRotation: PolicyRule = {
  id: "kms-key-rotation",
  description: "Every KMS key rotates its key material yearly (enable_key_rotation).",
  appliesTo: ["aws_kms_key"],
  check(key) {
    return key.body.enable_key_rotation === true ? [] : ["does not rotate its key material; set enable_key_rotation true"];
  },
};
