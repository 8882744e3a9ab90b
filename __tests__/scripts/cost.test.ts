import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assumptionsFor, drivers, estimateStack, pricesFor, round } from "../../scripts/cost/estimate";
import { estimate, replaceCostTable, toMarkdown, toText } from "../../scripts/cost/report";
import { REPO_ROOT } from "../../scripts/lib/tool-versions";
import { parseStacks } from "../../scripts/lib/synth-output";
import { KNOWN_REGIONS } from "../../config/regions";
import { accounts, environments } from "../support/synth";
import { fixtureAssumptions, fixtureOutput, fixturePrices, fixtureStacks, shippedOutput, shippedPrices } from "./fixtures";

const byComponent = (items: readonly { component: string; monthlyUsd: number }[]) => Object.fromEntries(items.map((i) => [i.component, i.monthlyUsd]));

describe("cost estimate", () => {
  const output = fixtureOutput();
  const result = estimate(output, fixturePrices(), fixtureAssumptions(), {});
  const group = (name: string) => {
    const found = result.groups.find((g) => g.name === name);
    if (!found) throw new Error(`no group ${name}`);
    return found;
  };
  const stack = (name: string) => {
    const found = result.groups.flatMap((g) => g.stacks).find((s) => s.stack === name);
    if (!found) throw new Error(`no stack ${name}`);
    return found;
  };

  it("prices a REST API, arm64 Lambda, on-demand table with PITR, logs and X-Ray from fixed inputs", () => {
    expect(byComponent(stack("serverless-dev").items)).toEqual({
      "API Gateway REST API requests": 7, // 2 M × $3.50
      "Lambda acme-dev-list": 3.07, // 2 M × $0.20 + 2e6 × 0.1 s × 1 GB × $0.0000133334
      "DynamoDB acme-dev-tips requests": 1.27, // 4 M × $0.1413 + 1 M × $0.7068
      "DynamoDB acme-dev-tips storage + PITR": 5.09, // 10 GB × ($0.283 + $0.226)
      "Logs /aws/lambda/acme-dev-list": 0.6, // 1 GB × $0.57 + 1 GB kept 30 days × $0.03
      "X-Ray traces (API)": 1, // 2 M × 10 % × $5
    });
    expect(stack("serverless-dev").monthlyUsd).toBe(18.03);
  });

  it("counts an anomaly-detection alarm as 3 metrics and a 10 s alarm as high resolution", () => {
    expect(stack("observability-dev").items.map((i) => [i.component, i.monthlyUsd])).toEqual([
      ["CloudWatch dashboard", 3],
      ["CloudWatch custom metric (metric filter)", 0.3],
      ["CloudWatch alarm", 0.1], // errors
      ["CloudWatch alarm (high-res)", 0.3], // fast: 10 s period
      ["CloudWatch alarm (anomaly detection)", 0.3], // latency: 3 metrics × $0.10
      ["SNS acme-dev-alarms", 0],
    ]);
    expect(stack("observability-dev").monthlyUsd).toBe(4);
  });

  it("prices the account baseline: first trail free, data events, Config, GuardDuty (with runtime monitoring), Security Hub", () => {
    expect(byComponent(stack("account-111111111111").items)).toEqual({
      "CloudTrail data management events": 0, // the first trail (by id) is free
      "CloudTrail data events": 2, // 2 M × $1.00
      "CloudTrail org management events": 20, // 1 M × $20.00 on a second trail
      "AWS Config items recorded (continuous)": 3, // 1000 × $0.003
      "AWS Config items recorded (continuous, high-churn types)": 4.5, // 10 resources × 5 changes × 30 days × $0.003
      "AWS Config rule evaluations": 0.1, // per rule: 100 × $0.001
      "GuardDuty (account baseline)": 14, // 1 M events × $4 + 10 GB × $1
      "GuardDuty Runtime Monitoring": 0, // no instances in the fixture's account (see the shipped app below)
      "Security Hub checks (account baseline)": 5,
      "S3 acme-trail": 0.23,
      "CloudWatch alarm": 0.1,
      "SNS acme-billing": 0,
    });
    expect(group("shared (account 111111111111)").monthlyUsd).toBe(49.13);
  });

  it("keeps account-level stacks out of environment totals", () => {
    expect(group("dev").stacks.map((s) => s.stack)).toEqual(["observability-dev", "serverless-dev"]);
    expect(group("dev").monthlyUsd).toBe(22.03);
  });

  it("warns when an estimate exceeds the budget synthesized for the environment", () => {
    expect(group("dev")).toEqual(expect.objectContaining({ budgetUsd: 10, budgetSource: "aws_budgets_budget" }));
    expect(result.warnings).toEqual(["dev: estimate $22.03/month exceeds its budget of $10.00/month"]);
    expect(toText(result)).toContain("WARNING: dev: estimate $22.03/month exceeds its budget of $10.00/month");
    expect(toMarkdown(result)).toContain("OVER BUDGET");
  });

  it("reads budgets from cdktf.out only: without a synthesized budget an environment has none", () => {
    const stacks = fixtureStacks();
    delete stacks["account-111111111111"];
    const without = estimate(parseStacks(stacks), fixturePrices(), fixtureAssumptions(), {});
    expect(without.groups[0]).toEqual(expect.not.objectContaining({ budgetUsd: expect.anything() }));
    expect(toText(without)).toContain("[no budget]");
    expect(without.warnings).toEqual([]);
  });

  it("lists environments by budget, smallest first", () => {
    const shipped = estimate(shippedOutput(), shippedPrices(), fixtureAssumptions(), {});
    const budgets = shipped.groups.filter((g) => !g.shared).map((g) => g.budgetUsd ?? Number.POSITIVE_INFINITY);
    expect(budgets).toEqual([...budgets].sort((x, y) => x - y));
  });

  it("applies overrides on top of per-environment assumptions", () => {
    const a = assumptionsFor({ default: fixtureAssumptions().default, environments: { dev: { apiRequestsMillionPerMonth: 5 } } }, "dev", { lambdaAverageDurationMs: 50 });
    expect(a).toEqual(expect.objectContaining({ apiRequestsMillionPerMonth: 5, lambdaAverageDurationMs: 50, dynamodbStorageGb: 10 }));
  });

  it("reports a stack of a region without prices, estimates the others, and does not fail", () => {
    expect(() => pricesFor(fixturePrices(), "ap-south-1")).toThrow(
      'no prices for region "ap-south-1" in the price file (have: eu-west-1, us-east-1); add the region\'s on-demand prices to scripts/cost/prices.json',
    );
    const stacks = fixtureStacks();
    const provider = (stacks["serverless-dev"]?.provider as { aws: { region: string }[] }).aws[0];
    if (provider) provider.region = "ap-south-1";
    const partial = estimate(parseStacks(stacks), fixturePrices(), fixtureAssumptions(), {});
    const unpriced = partial.groups.flatMap((g) => g.stacks).find((s) => s.stack === "serverless-dev");
    expect(unpriced).toEqual(expect.objectContaining({ monthlyUsd: 0, items: [], unpriced: expect.stringContaining('no prices for region "ap-south-1"') }));
    expect(partial.unpriced).toEqual([expect.stringMatching(/^serverless-dev \(ap-south-1\): not estimated, no prices for region "ap-south-1"/)]);
    // Not a budget warning: `--strict` fails on warnings only.
    expect(partial.warnings).toEqual([]);
    expect(toText(partial)).toContain("NOT ESTIMATED: serverless-dev (ap-south-1)");
    expect(toMarkdown(partial)).toContain("**Not estimated:** serverless-dev (ap-south-1)");
    expect(partial.groups.flatMap((g) => g.stacks).find((s) => s.stack === "observability-dev")?.monthlyUsd).toBe(4);
  });

  it("covers every region config accepts: each is priced or its stacks are reported, never a failure", () => {
    const priced = Object.keys(shippedPrices().regions);
    for (const region of KNOWN_REGIONS) {
      const stacks = fixtureStacks();
      for (const stack of Object.values(stacks)) for (const provider of (stack.provider as { aws: { region: string }[] }).aws) provider.region = region;
      const result = estimate(parseStacks(stacks), shippedPrices(), fixtureAssumptions(), {});
      expect(result.unpriced.length === 0, region).toBe(priced.includes(region));
    }
  });

  it("prices HTTP APIs at the HTTP rate, by region", () => {
    const http = parseStacks({
      "api-dev": {
        provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { Environment: "dev" } }] }] },
        resource: { aws_apigatewayv2_api: { api: { name: "a", protocol_type: "HTTP" } } },
      },
    });
    const [s] = http.stacks;
    if (!s) throw new Error("no stack");
    expect(estimateStack(http, s, [s], fixturePrices(), fixtureAssumptions().default).items).toEqual([
      expect.objectContaining({ component: "API Gateway HTTP API requests", monthlyUsd: 2 }), // 2 M × $1.00 in us-east-1
    ]);
  });

  it("prices a resource on an aliased provider in that provider's region", () => {
    const aliased = parseStacks({
      "edge-dev": {
        provider: { aws: [{ region: "eu-west-1", default_tags: [{ tags: { Environment: "dev" } }] }, { alias: "us_east_1", region: "us-east-1" }] },
        resource: {
          aws_apigatewayv2_api: {
            here: { name: "a", protocol_type: "HTTP" },
            there: { name: "b", protocol_type: "HTTP", provider: "aws.us_east_1" },
          },
        },
      },
    });
    const [s] = aliased.stacks;
    if (!s) throw new Error("no stack");
    expect(estimateStack(aliased, s, [s], fixturePrices(), fixtureAssumptions().default).items.map((i) => i.monthlyUsd)).toEqual([2.22, 2]); // 2 M × $1.11, 2 M × $1.00
  });

  describe("logging settings", () => {
    const a = fixtureAssumptions().default;
    const provider = (env: string) => ({ aws: [{ region: "eu-west-1", default_tags: [{ tags: { Environment: env } }] }] });
    const itemsOf = (input: Record<string, Record<string, unknown>>, name: string) => {
      const output = parseStacks(input);
      const stack = output.stacks.find((candidate) => candidate.name === name)!;
      return byComponent(estimateStack(output, stack, output.stacks, fixturePrices(), a).items);
    };

    it("scales flow log volume by traffic type and aggregation", () => {
      const flowLogs = (trafficType: string, interval: number) =>
        itemsOf(
          {
            "network-dev": {
              provider: provider("dev"),
              resource: {
                aws_cloudwatch_log_group: { logs: { name: "/aws/vpc/acme-dev/flow-logs", retention_in_days: 30 } },
                aws_flow_log: { flow: { traffic_type: trafficType, max_aggregation_interval: interval, log_destination_type: "cloud-watch-logs", log_destination: "${aws_cloudwatch_log_group.logs.arn}" } },
              },
            },
          },
          "network-dev",
        );
      // 1 GB × $0.57 + 1 GB stored a month × $0.03
      expect(flowLogs("ALL", 60)).toEqual({ "VPC flow logs /aws/vpc/acme-dev/flow-logs (ALL, 60 s)": 0.6 });
      // × 10 % rejected × 50 % at 10 minutes
      expect(flowLogs("REJECT", 600)).toEqual({ "VPC flow logs /aws/vpc/acme-dev/flow-logs (REJECT, 600 s)": 0.03 });
    });

    it("prices flow logs sent to S3 at the S3 delivery price, stored as the archive's lifecycle rule keeps them", () => {
      const items = itemsOf(
        {
          "network-prod": {
            provider: provider("prod"),
            resource: { aws_flow_log: { flow: { traffic_type: "ALL", max_aggregation_interval: 60, log_destination_type: "s3", log_destination: "arn:aws:s3:::logs/vpc-flow-logs/prod/" } } },
          },
          account: {
            provider: { aws: [{ region: "eu-west-1" }] },
            resource: {
              aws_s3_bucket: { archive: { bucket: "logs" } },
              aws_s3_bucket_lifecycle_configuration: {
                lifecycle: {
                  bucket: "${aws_s3_bucket.archive.id}",
                  rule: [
                    { id: "noncurrent", filter: [{ prefix: "" }] },
                    { id: "prod", filter: [{ prefix: "vpc-flow-logs/prod/" }], expiration: [{ days: 731 }], transition: [{ days: 30, storage_class: "GLACIER_IR" }] },
                  ],
                },
              },
            },
          },
        },
        "network-prod",
      );
      // 1 GB × $0.285 + 1 GB a month in S3 × $0.023 + 11.17 GB (a year's steady state) in Glacier IR × $0.004
      expect(items).toEqual({ "VPC flow logs → S3 (ALL, 60 s, 731 days)": 0.35 });
    });

    it("prices WAF logs by the requests of what the ACL protects, a fraction of them with the blocked-and-counted filter", () => {
      const waf = (filtered: boolean, onApi: boolean) =>
        itemsOf(
          {
            "serverless-dev": {
              provider: provider("dev"),
              resource: {
                aws_api_gateway_stage: { stage: { stage_name: "v1" } },
                aws_lb: { alb: { name: "a", internal: true } },
                aws_wafv2_web_acl: { acl: { name: "acl", rule: [] } },
                aws_wafv2_web_acl_association: { assoc: { web_acl_arn: "${aws_wafv2_web_acl.acl.arn}", resource_arn: onApi ? "${aws_api_gateway_stage.stage.arn}" : "${aws_lb.alb.arn}" } },
                aws_cloudwatch_log_group: { logs: { name: "aws-waf-logs-acl", retention_in_days: 30 } },
                aws_wafv2_web_acl_logging_configuration: {
                  logging: {
                    resource_arn: "${aws_wafv2_web_acl.acl.arn}",
                    log_destination_configs: ["${aws_cloudwatch_log_group.logs.arn}"],
                    ...(filtered ? { logging_filter: { default_behavior: "DROP" } } : {}),
                  },
                },
              },
            },
          },
          "serverless-dev",
        );
      // API: 2 M requests × 2 KB = 4 GB × ($0.57 + a month stored × $0.03); 5 % kept by the filter
      expect(waf(false, true)).toEqual(expect.objectContaining({ "WAF logs aws-waf-logs-acl (every request)": 2.4, "WAF requests acl": 1.2 }));
      expect(waf(true, true)).toEqual(expect.objectContaining({ "WAF logs aws-waf-logs-acl (blocked and counted requests)": 0.12 }));
      // ALB: 1 M requests
      expect(waf(false, false)).toEqual(expect.objectContaining({ "WAF logs aws-waf-logs-acl (every request)": 1.2, "WAF requests acl": 0.6 }));
    });

    it("prices high-churn Config types at one periodic item a day when recorded daily", () => {
      const recorder = (recordingMode?: Record<string, unknown>) =>
        itemsOf({ account: { provider: { aws: [{ region: "eu-west-1" }] }, resource: { aws_config_configuration_recorder: { r: { name: "r", ...(recordingMode ? { recording_mode: recordingMode } : {}) } } } } }, "account");
      expect(recorder()).toEqual({ "AWS Config items recorded (continuous)": 3, "AWS Config items recorded (continuous, high-churn types)": 4.5 });
      // 10 resources × 30 days × $0.012
      expect(recorder({ recording_frequency: "CONTINUOUS", recording_mode_override: { recording_frequency: "DAILY", resource_types: ["AWS::EC2::Instance"] } })).toEqual({
        "AWS Config items recorded (continuous)": 3,
        "AWS Config items recorded (daily: 1 high-churn types)": 3.6,
      });
    });
  });

  it("counts X-Ray traces of an ECS service that runs the X-Ray daemon sidecar", () => {
    const sidecar = parseStacks({
      "platform-dev": {
        provider: { aws: [{ region: "eu-west-1", default_tags: [{ tags: { Environment: "dev" } }] }] },
        resource: {
          aws_ecs_task_definition: {
            task: { family: "backend", container_definitions: '[{"name":"app"},{"name":"xray-daemon","image":"public.ecr.aws/xray/aws-xray-daemon:3.3.12"}]' },
          },
        },
      },
    });
    const [s] = sidecar.stacks;
    if (!s) throw new Error("no stack");
    expect(estimateStack(sidecar, s, [s], fixturePrices(), fixtureAssumptions().default).items).toEqual([
      expect.objectContaining({ component: "X-Ray traces (ECS service)", monthlyUsd: 0.5 }), // 1 M ALB requests × 10 % × $5
    ]);
  });

  describe("on the shipped app", () => {
    const shipped = estimate(shippedOutput(), shippedPrices(), fixtureAssumptions(), {});
    const items = (stackName: string) => shipped.groups.flatMap((g) => g.stacks).find((s) => s.stack === stackName)?.items ?? [];

    const envs = Object.values(environments);
    const regional = (env: (typeof envs)[number]) => pricesFor(shippedPrices(), env.region);
    const hours = shippedPrices().hoursPerMonth;

    it.each(envs.map((env) => [env.name, env] as const))("prices %s's ASG desired capacity × instance type, root volumes and public IPs", (name, env) => {
      const { compute, platform, project } = env;
      const p = regional(env);
      const found = byComponent(items(`platform-${name}`));
      expect(found[`EC2 ${compute.instanceType} (ASG ${project}-${name}-instances)`]).toBe(round(compute.desiredCapacity * hours * p.ec2InstanceHour[compute.instanceType]!));
      expect(found["EBS gp3 root volumes"]).toBe(round(compute.desiredCapacity * 30 * p.ebsGbMonth.gp3!));
      expect(found["ALB hours"]).toBe(round(hours * p.albHour));
      const publicIps = platform.instanceSubnets === "public" ? round(compute.desiredCapacity * hours * p.publicIpv4Hour) : undefined;
      expect(found["Public IPv4 (instances)"]).toBe(publicIps);
    });

    it.each(envs.map((env) => [env.name, env] as const))("prices %s's NAT gateways, each with its Elastic IP", (name, env) => {
      const count = { none: 0, single: 1, "per-az": env.network.availabilityZones.length }[env.network.natStrategy];
      const nat = items(`network-${name}`).filter((i) => i.component === "NAT gateway hours");
      expect(nat.map((i) => i.monthlyUsd)).toEqual(Array(count).fill(round(hours * regional(env).natGatewayHour)));
      expect(items(`network-${name}`).filter((i) => i.component === "Public IPv4 (Elastic IP)")).toHaveLength(count);
    });

    it("bills no GuardDuty Runtime Monitoring: it is off", () => {
      expect(byComponent(items("account"))).not.toHaveProperty("GuardDuty Runtime Monitoring");
    });

    it("shows each logging setting's monthly figure: flow logs, WAF logs and Config recording", () => {
      const all = shipped.groups.flatMap((g) => g.stacks).flatMap((s) => s.items.map((i) => ({ ...i, stack: s.stack })));
      for (const env of Object.values(environments)) {
        const flow = all.filter((i) => i.stack === `network-${env.name}` && i.kind === "VPC flow logs");
        expect(flow, env.name).toHaveLength(1);
        expect(flow[0]!.component).toContain(`${env.network.flowLogTrafficType}, ${env.network.flowLogAggregationSeconds} s`);
        expect(all.filter((i) => i.stack.endsWith(`-${env.name}`) && i.kind === "WAF logs"), env.name).toHaveLength(2);
      }
      expect(all.filter((i) => i.stack === "account" && i.component.startsWith("AWS Config items recorded")).map((i) => i.component)).toEqual([
        "AWS Config items recorded (continuous)",
        `AWS Config items recorded (daily: ${accounts[Object.values(environments)[0]!.accountId]!.awsConfig.dailyResourceTypes.length} high-churn types)`,
      ]);
    });

    it("names the three biggest drivers of every environment, the biggest first", () => {
      for (const g of shipped.groups.filter((x) => !x.shared)) {
        const costs = drivers(g).map((driver) => driver.monthlyUsd);
        expect(costs, g.name).toHaveLength(3);
        expect(costs, g.name).toEqual([...costs].sort((a, b) => b - a));
      }
    });
  });
});

describe("cost table page", () => {
  const page = ["# Costs", "", "before", "<!-- cost-estimate:start -->", "| old |", "<!-- cost-estimate:end -->", "after", ""].join("\n");

  it("replaces only what lies between the markers", () => {
    expect(replaceCostTable(page, "| new |\n")).toBe(["# Costs", "", "before", "<!-- cost-estimate:start -->", "| new |", "<!-- cost-estimate:end -->", "after", ""].join("\n"));
  });

  it("leaves a page without both markers alone", () => {
    expect(replaceCostTable("# Costs\n", "| new |\n")).toBeUndefined();
    expect(replaceCostTable("<!-- cost-estimate:end -->\n<!-- cost-estimate:start -->\n", "| new |\n")).toBeUndefined();
  });

  it("docs/costs.md, the page npm run cost writes by default and CI compares, carries the markers", () => {
    expect(replaceCostTable(readFileSync(join(REPO_ROOT, "docs/costs.md"), "utf8"), "| new |\n")).toBeDefined();
  });
});
