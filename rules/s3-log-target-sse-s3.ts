import { bucketNames, defaultEncryptionAlgorithms } from "./lib/buckets";
import { asList, show, type Body, type Element, type PolicyRule, type StackElements } from "./rule";

/** The log deliveries of `stack` that write to `bucket`, as a message names them. */
function deliveriesTo(bucket: Element, stack: StackElements): string[] {
  const names = bucketNames(bucket);
  const serverAccessLogs = stack.ofType("aws_s3_bucket_logging").filter((logging) => names.has(logging.body.target_bucket));
  const loadBalancerLogs = stack
    .ofType("aws_lb")
    .filter((lb) => asList(lb.body.access_logs).some((logs) => names.has((logs as Body).bucket) && (logs as Body).enabled !== false));
  return [
    ...(serverAccessLogs.length > 0 ? ["S3 server access logs"] : []),
    ...(loadBalancerLogs.length > 0 ? ["load balancer access logs"] : []),
  ];
}

/**
 * The other side of s3-bucket-kms-encrypted's exemptions: a bucket that exists to receive logs
 * AWS delivers must stay SSE-S3, or the logs stop arriving without an error anywhere. Giving it a
 * KMS key is the obvious way to silence the KMS rule, and the wrong one.
 */
export const s3LogTargetSseS3: PolicyRule = {
  id: "s3-log-target-sse-s3",
  description:
    "A bucket that receives S3 server access logs or load balancer access logs encrypts by default with SSE-S3 (AES256), the only default encryption AWS documents for either delivery: logs it cannot write are lost without an error.",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const deliveries = deliveriesTo(bucket, stack);
    if (deliveries.length === 0) return [];
    const algorithms = defaultEncryptionAlgorithms(bucket, stack);
    const other = algorithms.filter((algorithm) => algorithm !== "AES256");
    if (algorithms.length > 0 && other.length === 0) return [];
    const receives = deliveries.join(" and ");
    return algorithms.length === 0
      ? [`receives ${receives} but has no default encryption configuration; add one with sse_algorithm "AES256"`]
      : [`receives ${receives} but encrypts by default with ${other.map(show).join(", ")}; AWS documents SSE-S3 as the only default encryption for these logs: use "AES256"`];
  },
};
