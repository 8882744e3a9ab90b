import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { beforeAll, describe, expect, it } from "vitest";
import { Alb, MODERN_TLS_POLICY, type AlbProps } from "../../../modules/compute/alb";
import { referenceTo, resource, resources, statements, synthConstruct, type StackJson } from "../../support/synth";

type Body = Record<string, unknown>;

const ACCOUNT = "123456789012";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000001";
const LOG_BUCKET = `acme-test-alb-logs-${ACCOUNT}`;
const LOG_OBJECTS = `arn:aws:s3:::${LOG_BUCKET}/alb/AWSLogs/${ACCOUNT}/*`;

const BASE: AlbProps = {
  name: "acme-test",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  accountId: ACCOUNT,
  region: "eu-west-1",
  targetPort: 8080,
};

/** A load balancer; with `allowTo` it may reach that security group. */
const synthAlb = (props: Partial<AlbProps> = {}, allowTo?: string): StackJson =>
  synthConstruct((scope) => {
    const alb = new Alb(scope, "alb", { ...BASE, ...props });
    if (allowTo) alb.allowTo("instances", allowTo);
  });

const deliveryStatement = (json: StackJson): Body | undefined =>
  statements(resource(json, S3BucketPolicy).policy).find((statement) => statement.Sid === "AlbLogDelivery");

/** Listeners by port. */
const listeners = (json: StackJson): Record<number, Body> =>
  Object.fromEntries(resources(json, LbListener).map((listener) => [listener.port as number, listener]));

describe("Alb", () => {
  describe("defaults (no certificate)", () => {
    let json: StackJson;
    let lb: Body;
    beforeAll(() => {
      json = synthAlb();
      lb = resource(json, Lb);
    });

    it("is an internet-facing application load balancer in the given subnets", () => {
      expect(lb).toEqual(
        expect.objectContaining({
          name: "acme-test",
          load_balancer_type: "application",
          internal: false,
          subnets: ["subnet-a", "subnet-b"],
          security_groups: [referenceTo(json, SecurityGroup)],
        }),
      );
    });

    it("drops invalid header fields and uses the strictest desync mitigation", () => {
      expect(lb).toEqual(expect.objectContaining({ drop_invalid_header_fields: true, desync_mitigation_mode: "strictest" }));
    });

    it("turns deletion protection on", () => {
      expect(lb.enable_deletion_protection).toBe(true);
    });

    it("writes access logs to its log bucket under alb/", () => {
      expect(lb.access_logs).toEqual({ bucket: referenceTo(json, S3Bucket, "bucket"), prefix: "alb", enabled: true });
      expect(resource(json, S3Bucket)).toEqual(expect.objectContaining({ bucket: LOG_BUCKET }));
    });

    describe("log bucket", () => {
      it("encrypts with SSE-S3 (AES256), the only encryption load balancer logs support", () => {
        expect(resource(json, S3BucketServerSideEncryptionConfigurationA).rule).toEqual([
          { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
        ]);
      });

      it("lets eu-west-1's Elastic Load Balancing account (156460612806) write only this account's log objects", () => {
        expect(deliveryStatement(json)).toEqual({
          Sid: "AlbLogDelivery",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::156460612806:root" },
          Action: "s3:PutObject",
          Resource: LOG_OBJECTS,
        });
      });

      it("keeps TLS-only access and adds no deny of non-KMS uploads (ELB writes SSE-S3)", () => {
        const sids = statements(resource(json, S3BucketPolicy).policy).map((statement) => statement.Sid);
        expect(sids).toEqual(["DenyInsecureTransport", "AlbLogDelivery"]);
      });

      it("expires logs after 365 days and noncurrent versions after 30", () => {
        expect(resource(json, S3BucketLifecycleConfiguration).rule).toEqual([
          expect.objectContaining({ expiration: [{ days: 365 }], noncurrent_version_expiration: [{ noncurrent_days: 30 }] }),
        ]);
      });
    });

    describe("security group", () => {
      it("belongs to the VPC", () => {
        expect(resource(json, SecurityGroup)).toEqual(expect.objectContaining({ name: "acme-test-alb", vpc_id: "vpc-1" }));
      });

      it("admits only HTTP (80) from anywhere without a certificate", () => {
        expect(resources(json, VpcSecurityGroupIngressRule)).toEqual([
          expect.objectContaining({
            security_group_id: referenceTo(json, SecurityGroup),
            ip_protocol: "tcp",
            from_port: 80,
            to_port: 80,
            cidr_ipv4: "0.0.0.0/0",
          }),
        ]);
        expect(resource(json, SecurityGroup).ingress).toBeUndefined();
      });

      it("allows no egress until allowTo names a target", () => {
        expect(resources(json, VpcSecurityGroupEgressRule)).toEqual([]);
        expect(resource(json, SecurityGroup).egress).toBeUndefined();
      });
    });

    it("has an HTTP instance target group on the target port, checked on / expecting 200", () => {
      expect(resource(json, LbTargetGroup)).toEqual(
        expect.objectContaining({
          name: "acme-test-tg",
          vpc_id: "vpc-1",
          port: 8080,
          protocol: "HTTP",
          target_type: "instance",
          health_check: expect.objectContaining({ path: "/", matcher: "200" }),
        }),
      );
    });

    it("has one HTTP listener on 80 forwarding to the target group", () => {
      expect(resources(json, LbListener)).toEqual([
        expect.objectContaining({
          load_balancer_arn: referenceTo(json, Lb, "arn"),
          port: 80,
          protocol: "HTTP",
          default_action: [{ type: "forward", target_group_arn: referenceTo(json, LbTargetGroup, "arn") }],
        }),
      ]);
      expect(resource(json, LbListener).ssl_policy).toBeUndefined();
    });
  });

  describe("with a certificate", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthAlb({ certificateArn: CERTIFICATE });
    });

    it("admits HTTP (80) and HTTPS (443) from anywhere, nothing else", () => {
      const rules = resources(json, VpcSecurityGroupIngressRule);
      expect(rules.map((rule) => [rule.from_port, rule.to_port, rule.cidr_ipv4]).sort()).toEqual([
        [443, 443, "0.0.0.0/0"],
        [80, 80, "0.0.0.0/0"],
      ]);
    });

    it("has exactly two listeners, on 80 and 443", () => {
      expect(Object.keys(listeners(json)).sort()).toEqual(["443", "80"]);
    });

    it("redirects HTTP to HTTPS permanently (301)", () => {
      expect(listeners(json)[80]).toEqual(
        expect.objectContaining({
          protocol: "HTTP",
          default_action: [expect.objectContaining({ type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } })],
        }),
      );
    });

    it("serves HTTPS with the certificate and the TLS 1.3 policy, forwarding to the target group", () => {
      expect(MODERN_TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
      expect(listeners(json)[443]).toEqual(
        expect.objectContaining({
          load_balancer_arn: referenceTo(json, Lb, "arn"),
          protocol: "HTTPS",
          ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
          certificate_arn: CERTIFICATE,
          default_action: [{ type: "forward", target_group_arn: referenceTo(json, LbTargetGroup, "arn") }],
        }),
      );
    });
  });

  describe("options", () => {
    it("turns deletion protection off with enableDeletionProtection: false", () => {
      expect(resource(synthAlb({ enableDeletionProtection: false }), Lb).enable_deletion_protection).toBe(false);
    });

    it("checks healthCheckPath", () => {
      expect(resource(synthAlb({ healthCheckPath: "/healthz" }), LbTargetGroup).health_check).toEqual(
        expect.objectContaining({ path: "/healthz", matcher: "200" }),
      );
    });

    it("expires access logs after accessLogRetentionDays", () => {
      expect(resource(synthAlb({ accessLogRetentionDays: 90 }), S3BucketLifecycleConfiguration).rule).toEqual([
        expect.objectContaining({ expiration: [{ days: 90 }] }),
      ]);
    });

    it("lets the log delivery service principal write in a region opened after August 2022", () => {
      expect(deliveryStatement(synthAlb({ region: "ap-southeast-5" }))).toEqual({
        Sid: "AlbLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: LOG_OBJECTS,
      });
    });

    describe("allowTo", () => {
      const TARGET = "sg-0123456789abcdef0";
      let json: StackJson;
      beforeAll(() => {
        json = synthAlb({}, TARGET);
      });

      it("allows egress only to the target security group on the dynamic host ports", () => {
        expect(resources(json, VpcSecurityGroupEgressRule)).toEqual([
          expect.objectContaining({
            security_group_id: referenceTo(json, SecurityGroup),
            ip_protocol: "tcp",
            from_port: 32768,
            to_port: 65535,
            referenced_security_group_id: TARGET,
          }),
        ]);
        expect(resource(json, VpcSecurityGroupEgressRule).cidr_ipv4).toBeUndefined();
      });
    });
  });
});
