import { bucketSettings } from "./lib/buckets";
import type { PolicyRule } from "./rule";

const SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const s3BucketPublicAccessBlocked: PolicyRule = {
  id: "s3-bucket-public-access-blocked",
  description: "Every S3 bucket has a public access block with all four settings on.",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const blocks = bucketSettings(bucket, stack, "aws_s3_bucket_public_access_block");
    if (blocks.length === 0) return [`has no public access block; add one with ${SETTINGS.join(", ")} true`];
    const off = SETTINGS.filter((setting) => !blocks.some((block) => block.body[setting] === true));
    return off.length === 0 ? [] : [`its public access block leaves ${off.join(", ")} off; set ${off.length === 1 ? "it" : "them"} true`];
  },
};
