import type { Element, StackElements } from "../rule";

/**
 * The elements of `type` (public access block, bucket policy, encryption configuration...) that
 * configure `bucket`: their `bucket` argument refers to it by id or name, or names it literally.
 */
export function bucketSettings(bucket: Element, stack: StackElements, type: string): Element[] {
  const names = new Set<unknown>([bucket.ref("id"), bucket.ref("bucket"), bucket.body.bucket].filter((name) => name !== undefined));
  return stack.ofType(type).filter((setting) => names.has(setting.body.bucket));
}

/** The ARNs a policy may use for the bucket: the reference, and the literal ARN when the name is known. */
export function bucketArns(bucket: Element): string[] {
  const name = bucket.body.bucket;
  return [bucket.ref("arn"), ...(typeof name === "string" ? [`arn:aws:s3:::${name}`] : [])];
}
