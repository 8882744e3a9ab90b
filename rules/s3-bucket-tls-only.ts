import { bucketArns, bucketSettings } from "./lib/buckets";
import { asList, type Body, type PolicyRule } from "./rule";

const deniesPlainHttp = (statement: Body, arns: readonly string[]): boolean => {
  const resources = asList(statement.Resource);
  const condition = (statement.Condition as { Bool?: Record<string, unknown> } | undefined)?.Bool?.["aws:SecureTransport"];
  return (
    statement.Effect === "Deny" &&
    (statement.Principal === "*" || (statement.Principal as { AWS?: unknown } | undefined)?.AWS === "*") &&
    asList(statement.Action).includes("s3:*") &&
    arns.some((arn) => resources.includes(arn) && resources.includes(`${arn}/*`)) &&
    String(condition) === "false"
  );
};

export const s3BucketTlsOnly: PolicyRule = {
  id: "s3-bucket-tls-only",
  description: "Every S3 bucket has a bucket policy that denies every request to it and its objects not sent over TLS.",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const policies = bucketSettings(bucket, stack, "aws_s3_bucket_policy");
    if (policies.length === 0) return ["has no bucket policy; attach one that denies s3:* on the bucket and its objects when aws:SecureTransport is false"];
    const arns = bucketArns(bucket);
    const statements = policies.flatMap((policy) => {
      try {
        return asList((JSON.parse(String(policy.body.policy)) as { Statement?: unknown }).Statement) as Body[];
      } catch {
        return [];
      }
    });
    return statements.some((statement) => deniesPlainHttp(statement, arns))
      ? []
      : ["its bucket policy allows requests without TLS; add a Deny of s3:* on the bucket and its objects when aws:SecureTransport is false"];
  },
};
