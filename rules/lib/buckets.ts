import { asList, type Body, type Element, type StackElements } from "../rule";

/**
 * The elements of `type` (public access block, bucket policy, encryption configuration...) that
 * configure `bucket`: their `bucket` argument refers to it by id or name, or names it literally.
 */
export function bucketSettings(bucket: Element, stack: StackElements, type: string): Element[] {
  const names = bucketNames(bucket);
  return stack.ofType(type).filter((setting) => names.has(setting.body.bucket));
}

/** The ways another element names `bucket`: a reference to its id or name, or the name itself. */
export function bucketNames(bucket: Element): Set<unknown> {
  return new Set<unknown>([bucket.ref("id"), bucket.ref("bucket"), bucket.body.bucket].filter((name) => name !== undefined));
}

/** The ARNs a policy may use for the bucket: the reference, and the literal ARN when the name is known. */
export function bucketArns(bucket: Element): string[] {
  const name = bucket.body.bucket;
  return [bucket.ref("arn"), ...(typeof name === "string" ? [`arn:aws:s3:::${name}`] : [])];
}

/** The `sse_algorithm` of every default encryption rule configured for `bucket`; empty when it has none. */
export function defaultEncryptionAlgorithms(bucket: Element, stack: StackElements): unknown[] {
  return bucketSettings(bucket, stack, "aws_s3_bucket_server_side_encryption_configuration").flatMap((configuration) =>
    asList(configuration.body.rule).map((rule) => ((rule as Body).apply_server_side_encryption_by_default as Body | undefined)?.sse_algorithm),
  );
}
