import { Fn, Op, TerraformLocal, TerraformOutput, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { Alb } from "../modules/compute/alb";
import { Certificate } from "../modules/compute/certificate";
import { DnsAlias } from "../modules/core/dns-alias";
import { DynamoTable } from "../modules/core/dynamo-table";
import { EcrRepository } from "../modules/compute/ecr-repository";
import { EcsCluster } from "../modules/compute/ecs-cluster";
import { EcsService } from "../modules/compute/ecs-service";
import { KmsKey } from "../modules/core/kms-key";
import { PublicHostedZone } from "../modules/core/public-hosted-zone";
import { WafWebAcl } from "../modules/compute/waf-web-acl";
import { suppressRule } from "../rules";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";
import type { NetworkStack } from "./network-stack";

export interface PlatformStackProps extends EnvironmentStackProps {
  /** The environment's network layer; its VPC and subnets arrive as cross-stack references. */
  readonly network: NetworkStack;
}

/**
 * `platform-<env>`: the backend microservice. ECR repository → ECS service on an EC2 cluster
 * that scales itself → behind an ALB with WAF → reading and writing its DynamoDB table.
 */
export class PlatformStack extends EnvironmentStack {
  readonly repository: EcrRepository;
  readonly cluster: EcsCluster;
  readonly alb: Alb;
  readonly service: EcsService;
  readonly table: DynamoTable;
  readonly waf: WafWebAcl;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "platform", props);
    const { env, naming } = this;
    const config = env.platform;
    const vpc = props.network.vpc;

    // CI pushes the commit's image and deploys it with `-var image_tag=<commit sha>`, so Terraform
    // stays the only writer of the task definition and never reverts a deploy. Without a tag (a new
    // environment, before its first image) the service runs no task and the plan says why.
    const imageTag = new TerraformVariable(this, "image_tag", {
      type: "string",
      default: "",
      description: "Tag of the backend image in the ECR repository to run (tags are immutable); empty: no image yet, the service runs 0 tasks.",
      validation: [
        {
          condition: `\${var.image_tag == "" || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))}`,
          errorMessage: "image_tag must be empty or an ECR image tag: 1-128 of A-Z a-z 0-9 _ . -, not starting with . or -.",
        },
      ],
    });
    // (cdktf renders a literal 0 or "" operand as `undefined`: compare with 1.)
    const hasImage = Op.gte(Fn.lengthOf(imageTag.stringValue), 1);
    // The task definition needs some reference while there is no image; no task runs it.
    const runningTag = new TerraformLocal(this, "backend_image_tag", Fn.conditional(hasImage, imageTag.stringValue, "no-image-yet"));

    const key = new KmsKey(this, "key", {
      alias: naming.name("platform"),
      description: `Encrypts the images, table and logs of ${naming.name()}'s container platform`,
      accountId: env.accountId,
      serviceStatements: [KmsKey.cloudWatchLogsStatement(env.region, env.accountId)],
    });

    this.repository = new EcrRepository(this, "repository", {
      repositoryName: naming.name("backend"),
      kmsKey: key,
      ...this.fromConfig({ keepImages: "platform.ecrKeepImages" }),
      // Outside protection a destroy takes the images with it instead of failing on them.
      enableForceDelete: !this.destroyProtected,
    });

    this.table = new DynamoTable(this, "items-table", {
      tableName: naming.name("backend-items"),
      partitionKey: { name: "id", type: "S" },
      kmsKey: key,
      enableDeletionProtection: this.deletionProtection(config.tableDeletionProtection),
    });

    const publicInstances = config.instanceSubnets === "public";
    this.cluster = new EcsCluster(this, "cluster", {
      clusterName: naming.name(),
      vpcId: vpc.vpc.id,
      subnetIds: (publicInstances ? vpc.publicSubnets : vpc.privateSubnets).map((subnet) => subnet.id),
      enablePublicIp: publicInstances,
      accountId: env.accountId,
      region: env.region,
      ...this.fromConfig({
        instanceType: "compute.instanceType",
        minCapacity: "compute.minCapacity",
        desiredCapacity: "compute.desiredCapacity",
        maxCapacity: "compute.maxCapacity",
        // The environment's tags, so per-environment budgets and cost allocation see the EC2 cost.
        tags: "tags",
      }),
      enableManagedTerminationProtection: config.managedTerminationProtection,
    });

    // With a domain: the certificate is made and validated in its zone, unless one is given.
    const zone = config.domain && new PublicHostedZone(this, "zone", { zoneName: config.domain.hostedZone });
    const certificateArn =
      config.certificateArn ??
      (zone && new Certificate(this, "certificate", { hostedZone: zone, ...this.fromConfig({ domainName: "platform.domain.recordName" }) }).arn);

    this.alb = new Alb(this, "alb", {
      name: naming.name(),
      vpcId: vpc.vpc.id,
      subnetIds: vpc.publicSubnets.map((subnet) => subnet.id),
      accountId: env.accountId,
      region: env.region,
      targetPort: config.containerPort,
      certificateArn,
      enableDeletionProtection: this.deletionProtection(config.albDeletionProtection),
      accessLogRetentionDays: config.logRetentionDays,
    });
    suppressRule(
      this.alb,
      "security-group-no-public-ingress",
      "the internet-facing load balancer opens only its listener ports (80, and 443 with a certificate); the platform's WAF web ACL filters every request, and the instances admit only the load balancer's group",
    );
    suppressRule(
      this.alb.logBucket,
      "s3-bucket-kms-encrypted",
      "ELB delivers access logs only to SSE-S3 (AES256) buckets; the bucket is otherwise locked down: public access blocked, TLS-only, owner-enforced, writable only by the region's ELB log delivery principal",
    );
    const record =
      zone &&
      new DnsAlias(this, "alb-record", {
        hostedZone: zone,
        ...this.fromConfig({ recordName: "platform.domain.recordName" }),
        target: { dnsName: this.alb.dnsName, hostedZoneId: this.alb.loadBalancer.zoneId },
      });
    this.cluster.allowFrom("alb", this.alb.securityGroup.id, "Load balancer to the dynamic host ports of tasks");
    this.alb.allowTo("instances", this.cluster.instanceSecurityGroup.id);

    this.waf = new WafWebAcl(this, "waf", {
      name: naming.name(),
      resourceArn: this.alb.loadBalancer.arn,
      ...this.fromConfig({ rateLimitPer5Minutes: "platform.wafRateLimitPer5Minutes" }),
      kmsKey: key,
      logRetentionDays: config.logRetentionDays,
      logging: config.wafLogging,
    });

    this.service = new EcsService(this, "service", {
      serviceName: naming.name("backend"),
      cluster: this.cluster,
      image: `${this.repository.url}:${runningTag.asString}`,
      runsWhen: hasImage,
      accountId: env.accountId,
      region: env.region,
      kmsKey: key,
      loadBalancer: {
        targetGroupArn: this.alb.targetGroup.arn,
        requestCountResourceLabel: this.alb.requestCountResourceLabel,
        listener: this.alb.listener,
      },
      ...this.fromConfig({
        containerPort: "platform.containerPort",
        cpu: "platform.taskCpu",
        memoryMiB: "platform.taskMemoryMiB",
        minCount: "platform.minTaskCount",
        desiredCount: "platform.desiredTaskCount",
        maxCount: "platform.maxTaskCount",
        cpuTargetPercent: "platform.cpuTargetPercent",
        requestsPerTargetPerMinute: "platform.requestsPerTargetPerMinute",
        healthCheckGracePeriodSeconds: "platform.healthCheckGracePeriodSeconds",
      }),
      logRetentionDays: config.logRetentionDays,
      environment: { TABLE_NAME: this.table.name, AWS_REGION: env.region },
    });
    this.repository.grantPull(this.service.execution);
    // The backend lists items (a bounded Scan) and stores new ones; nothing else.
    this.table.grant(this.service, "items-table", ["dynamodb:Scan", "dynamodb:PutItem"]);

    const outputs: Record<string, { value: string; description: string }> = {
      alb_dns_name: { value: this.alb.dnsName, description: "DNS name of the load balancer: curl http://<alb_dns_name>/" },
      ecr_repository_url: { value: this.repository.url, description: "ECR repository to push backend images to." },
      cluster_name: { value: this.cluster.name, description: "ECS cluster running the backend." },
      service_name: { value: this.service.name, description: "ECS service of the backend." },
      table_name: { value: this.table.name, description: "DynamoDB table the backend reads and writes." },
    };
    if (record) outputs.url = { value: record.url, description: "The backend's public URL (alias record to the load balancer, HTTPS)." };
    for (const [id, output] of Object.entries(outputs)) new TerraformOutput(this, id, output);
    new TerraformOutput(this, "deployed_image_tag", { value: imageTag.stringValue, description: "Tag of the backend image the service runs; empty: none yet (0 tasks)." });
    // A plan without an image says so (a check block warns; it never blocks the apply).
    this.addOverride("check.backend_image.assert", [
      {
        condition: `\${var.image_tag != ""}`,
        error_message: `No backend image is deployed: the service ${naming.name("backend")} runs 0 tasks. Push an image to the repository ${naming.name("backend")} and deploy with \`npm run deploy -- ${env.name} --image-tag <tag>\` (the pipeline does both on every merge).`,
      },
    ]);
  }
}
