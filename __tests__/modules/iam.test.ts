import { describe, expect, it } from "vitest";
import { denyInsecureTransport, policyDocument, serviceTrustPolicy } from "../../modules/iam";

describe("policyDocument", () => {
  it("renders a 2012-10-17 policy with the statements in order", () => {
    const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" } as const;
    expect(JSON.parse(policyDocument([statement, { ...statement, Effect: "Deny" }]))).toEqual({
      Version: "2012-10-17",
      Statement: [statement, { ...statement, Effect: "Deny" }],
    });
  });
});

describe("serviceTrustPolicy", () => {
  it("lets one service assume the role on behalf of one account", () => {
    expect(JSON.parse(serviceTrustPolicy("ecs-tasks.amazonaws.com", "123456789012")).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });

  it("also pins the source ARN when given", () => {
    const [statement] = JSON.parse(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", "123456789012", "arn:aws:ec2:*")).Statement;
    expect(statement.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:ec2:*" },
    });
  });
});

describe("denyInsecureTransport", () => {
  it("denies every S3 action on the bucket and its objects without TLS", () => {
    expect(denyInsecureTransport("arn:aws:s3:::b")).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });
});
