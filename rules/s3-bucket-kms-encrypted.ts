import { defaultEncryptionAlgorithms } from "./lib/buckets";
import { show, type PolicyRule } from "./rule";

const KMS = ["aws:kms", "aws:kms:dsse"];

export const s3BucketKmsEncrypted: PolicyRule = {
  id: "s3-bucket-kms-encrypted",
  description: "Every S3 bucket encrypts new objects with a KMS key by default (SSE-KMS), so reading them also needs the key.",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const algorithms = defaultEncryptionAlgorithms(bucket, stack);
    if (algorithms.length === 0) return ['has no default encryption configuration; add one with sse_algorithm "aws:kms" and a KMS key'];
    const other = algorithms.filter((algorithm) => !KMS.includes(String(algorithm)));
    return other.length === 0 ? [] : [`encrypts by default with ${other.map(show).join(", ")}; use "aws:kms" with a KMS key`];
  },
};
