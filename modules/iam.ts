/**
 * IAM policy documents as typed objects, rendered to JSON at synth time. ARNs of resources in
 * the same stack appear as `${...}` references inside the JSON string, so no data source is
 * needed (keeps `plan` offline) and tests can `JSON.parse` every policy.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string | string[]> | "*";
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** Renders statements as a policy document string for `policy` / `assume_role_policy` arguments. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy letting one AWS service assume a role, limited to calls on behalf of `accountId`. */
export function serviceTrustPolicy(service: string, accountId: string, sourceArnLike?: string): string {
  const condition: Record<string, Record<string, string>> = { StringEquals: { "aws:SourceAccount": accountId } };
  if (sourceArnLike) condition.ArnLike = { "aws:SourceArn": sourceArnLike };
  return policyDocument([
    { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: condition },
  ]);
}

/** Denies every S3 request to `bucketArn` and its objects that does not arrive over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
