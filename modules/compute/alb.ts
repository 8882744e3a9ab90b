import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { DYNAMIC_PORT_RANGE } from "./ecs-cluster";
import type { PolicyStatement } from "../core/iam";
import { SecureBucket } from "../core/secure-bucket";

/**
 * Accounts that deliver ALB access logs in regions opened before August 2022. Newer regions use
 * the `logdelivery.elasticloadbalancing.amazonaws.com` service principal instead.
 * Source: Elastic Load Balancing user guide, "Enable access logs for your Application Load Balancer".
 */
const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-south-1": "635631232127",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** TLS 1.3 with TLS 1.2 fallback, forward-secret ciphers only. */
export const MODERN_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface AlbProps {
  /** Prefix of the load balancer, target group, security group and log bucket names. */
  readonly name: string;
  readonly vpcId: string;
  /** Public subnets, at least two AZs. */
  readonly subnetIds: string[];
  readonly accountId: string;
  readonly region: string;
  /** Port the targets' containers listen on (the target group's port; ECS maps the host port). */
  readonly targetPort: number;
  /**
   * ACM certificate: HTTPS on 443 with a modern TLS policy, and HTTP 80 redirecting to it.
   * @default - plain HTTP on 80 only (for development)
   */
  readonly certificateArn?: string;
  /**
   * Refuse deletion through the API (and so through Terraform) until turned off.
   * @default true
   */
  readonly enableDeletionProtection?: boolean;
  /**
   * Path the target group health check requests.
   * @default "/"
   */
  readonly healthCheckPath?: string;
  /**
   * Days access logs are kept in their bucket.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
}

/**
 * An internet-facing Application Load Balancer in public subnets: its own security group (80/443
 * from anywhere, out only to the targets `allowTo` names), invalid header fields dropped, access
 * logs to a locked-down bucket, and an instance target group checked on `/`.
 */
export class Alb extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly securityGroup: SecurityGroup;
  readonly logBucket: SecureBucket;
  /** The listener that forwards to the target group (HTTPS when a certificate is set). */
  readonly listener: LbListener;

  constructor(scope: Construct, id: string, props: AlbProps) {
    super(scope, id);
    const https = props.certificateArn !== undefined;
    const ports = https ? [80, 443] : [80];

    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${props.name}-alb`,
      description: `Load balancer ${props.name}: HTTP(S) from the internet, out to targets only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-alb` },
    });
    for (const port of ports) {
      new VpcSecurityGroupIngressRule(this, `ingress-${port}`, {
        securityGroupId: this.securityGroup.id,
        description: port === 443 ? "HTTPS from the internet" : "HTTP from the internet",
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
      });
    }

    // Load balancer access logs support SSE-S3 only, not KMS keys.
    const logDeliveryPrincipal = ELB_LOG_DELIVERY_ACCOUNTS[props.region];
    const logObjects = `arn:aws:s3:::${props.name}-alb-logs-${props.accountId}/alb/AWSLogs/${props.accountId}/*`;
    const delivery: PolicyStatement = logDeliveryPrincipal
      ? { Sid: "AlbLogDelivery", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${logDeliveryPrincipal}:root` }, Action: "s3:PutObject", Resource: logObjects }
      : { Sid: "AlbLogDelivery", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: logObjects };
    this.logBucket = new SecureBucket(this, "access-logs", {
      bucketName: `${props.name}-alb-logs-${props.accountId}`,
      noncurrentVersionExpirationDays: 30,
      expirationDays: props.accessLogRetentionDays ?? 365,
      // Logs go with a load balancer that may be deleted; they would otherwise block its destroy.
      enableForceDestroy: !(props.enableDeletionProtection ?? true),
      policyStatements: [delivery],
    });

    this.loadBalancer = new Lb(this, "alb", {
      name: props.name,
      loadBalancerType: "application",
      internal: false,
      subnets: props.subnetIds,
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: props.enableDeletionProtection ?? true,
      idleTimeout: 60,
      accessLogs: { bucket: this.logBucket.name, prefix: "alb", enabled: true },
      // Enabling access logs fails unless ELB may already write to the bucket.
      dependsOn: [this.logBucket.policy],
    });

    this.targetGroup = new LbTargetGroup(this, "targets", {
      name: `${props.name}-tg`,
      vpcId: props.vpcId,
      port: props.targetPort,
      protocol: "HTTP",
      targetType: "instance",
      // Short enough for quick deploys, long enough for in-flight requests to finish.
      deregistrationDelay: "30",
      healthCheck: {
        path: props.healthCheckPath ?? "/",
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });

    const forward = [{ type: "forward", targetGroupArn: this.targetGroup.arn }];
    if (https) {
      new LbListener(this, "http-redirect", {
        loadBalancerArn: this.loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
      });
      this.listener = new LbListener(this, "https", {
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: MODERN_TLS_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: forward,
      });
    } else {
      this.listener = new LbListener(this, "http", {
        loadBalancerArn: this.loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: forward,
      });
    }
  }

  /** Lets the load balancer reach `targetSecurityGroupId` on the dynamic host ports of bridge-mode tasks. */
  allowTo(id: string, targetSecurityGroupId: string): void {
    new VpcSecurityGroupEgressRule(this, `egress-${id}`, {
      securityGroupId: this.securityGroup.id,
      description: "To targets on the dynamic host ports of bridge-mode tasks",
      ipProtocol: "tcp",
      fromPort: DYNAMIC_PORT_RANGE.fromPort,
      toPort: DYNAMIC_PORT_RANGE.toPort,
      referencedSecurityGroupId: targetSecurityGroupId,
    });
  }

  get dnsName(): string {
    return this.loadBalancer.dnsName;
  }

  /** `app/<name>/<id>/targetgroup/<name>/<id>`: the resource label of ALBRequestCountPerTarget. */
  get requestCountResourceLabel(): string {
    return `${this.loadBalancer.arnSuffix}/${this.targetGroup.arnSuffix}`;
  }
}
