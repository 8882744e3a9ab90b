import { describe, expect, it } from "vitest";
import { assumptionsFor, drivers, estimateStack, pricesFor, round } from "../../scripts/cost/estimate";
import { estimate, toMarkdown, toText } from "../../scripts/cost/report";
import { parseStacks } from "../../scripts/lib/synth-output";
import { environments } from "../support/synth";
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
      "AWS Config items recorded": 3, // 1000 × $0.003
      "AWS Config rule evaluations": 0.1, // per rule: 100 × $0.001
      "GuardDuty (account baseline)": 14, // 1 M events × $4 + 10 GB × $1
      "GuardDuty Runtime Monitoring": 0, // no instances in the fixture's account (see the shipped app below)
      "Security Hub checks (account baseline)": 5,
      "S3 acme-trail": 0.23,
      "CloudWatch alarm": 0.1,
      "SNS acme-billing": 0,
    });
    expect(group("shared (account 111111111111)").monthlyUsd).toBe(44.63);
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

  it("fails clearly for a region without prices", () => {
    expect(() => pricesFor(fixturePrices(), "ap-south-1")).toThrow(
      'no prices for region "ap-south-1" in the price file (have: eu-west-1, us-east-1); add the region\'s on-demand prices to scripts/cost/prices.json',
    );
    const stacks = fixtureStacks();
    const provider = (stacks["serverless-dev"]?.provider as { aws: { region: string }[] }).aws[0];
    if (provider) provider.region = "ap-south-1";
    expect(() => estimate(parseStacks(stacks), fixturePrices(), fixtureAssumptions(), {})).toThrow(/no prices for region "ap-south-1"/);
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

    it("bills GuardDuty Runtime Monitoring for the vCPUs of every environment's instances in the account", () => {
      const region = pricesFor(shippedPrices(), environments[Object.keys(environments)[0]!]!.region);
      const vcpus = Object.values(environments).reduce((sum, env) => sum + env.compute.desiredCapacity * region.ec2InstanceVcpus[env.compute.instanceType]!, 0);
      expect(byComponent(items("account"))["GuardDuty Runtime Monitoring"]).toBe(vcpus * region.guarddutyRuntimeVcpuMonth);
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
