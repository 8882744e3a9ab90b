import { describe, expect, it } from "vitest";
import { buildDiagram, toDot, type Diagram } from "../../scripts/diagram/graph";
import { renderSvg } from "../../scripts/diagram/render";
import { environments, type SynthOutput } from "../../scripts/lib/synth-output";
import { fixtureOutput, shippedOutput } from "./fixtures";

function diagramOf(output: SynthOutput, env: string): Diagram {
  const stacks = environments(output).get(env);
  if (!stacks) throw new Error(`no environment ${env}`);
  return buildDiagram(output, env, stacks);
}

/** The node a resource of `type` (optionally with `name` in its label) is drawn in. */
function node(d: Diagram, type: string, label = ""): string {
  const found = d.nodes.find((n) => n.kinds.has(type) && n.label.includes(label));
  if (!found) throw new Error(`no node holds ${type} ${label}`);
  return found.id;
}

function hasEdge(d: Diagram, from: string, to: string): boolean {
  return d.edges.some((e) => e.from === from && e.to === to);
}

describe("architecture diagram", () => {
  const shipped = shippedOutput();

  for (const env of ["dev", "staging", "prod"]) {
    it(`${env}: every deployed resource kind appears in the DOT`, () => {
      const d = diagramOf(shipped, env);
      const dot = toDot(d);
      const deployed = new Set(environments(shipped).get(env)?.flatMap((s) => s.resources.map((r) => r.type)));
      expect(deployed.size).toBeGreaterThan(40);
      for (const kind of deployed) expect(dot, kind).toContain(`${kind} ×`);
      const drawn = d.nodes.reduce((n, x) => n + [...x.kinds.values()].reduce((a, b) => a + b, 0), 0);
      expect(drawn).toBe([...d.resourceKinds.values()].reduce((a, b) => a + b, 0));
    });
  }

  it("draws ALB → target group → ECS service → table, and the service on its cluster and instances", () => {
    const d = diagramOf(shipped, "dev");
    const alb = node(d, "aws_lb");
    const tg = node(d, "aws_lb_target_group");
    const service = node(d, "aws_ecs_service");
    expect(hasEdge(d, alb, tg)).toBe(true);
    expect(hasEdge(d, tg, service)).toBe(true);
    expect(hasEdge(d, service, node(d, "aws_dynamodb_table", "backend"))).toBe(true);
    expect(hasEdge(d, service, node(d, "aws_ecs_cluster"))).toBe(true);
    expect(hasEdge(d, node(d, "aws_ecs_cluster"), node(d, "aws_autoscaling_group"))).toBe(true);
    expect(hasEdge(d, node(d, "aws_wafv2_web_acl"), alb)).toBe(true);
  });

  it("draws API → each function → table", () => {
    const d = diagramOf(shipped, "dev");
    const api = node(d, "aws_api_gateway_rest_api");
    const table = node(d, "aws_dynamodb_table", "tips");
    const functions = d.nodes.filter((n) => n.type === "aws_lambda_function");
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      expect(hasEdge(d, api, fn.id)).toBe(true);
      expect(hasEdge(d, fn.id, table)).toBe(true);
    }
  });

  it("resolves remote-state references to the network stack's subnets and VPC as cross-stack edges", () => {
    const d = diagramOf(shipped, "prod");
    const asg = node(d, "aws_autoscaling_group");
    const toPrivate = d.edges.find((e) => e.from === asg && e.toCluster?.endsWith("#private"));
    expect(toPrivate).toEqual(expect.objectContaining({ crossStack: true }));
    expect(d.edges.some((e) => e.from === node(d, "aws_lb") && e.toCluster?.endsWith("#public") && e.crossStack)).toBe(true);
  });

  it("groups subnets by tier inside the VPC and puts NAT gateways in the public tier", () => {
    const d = diagramOf(shipped, "prod");
    const subnets = d.nodes.filter((n) => n.type === "aws_subnet");
    expect(subnets).toHaveLength(6);
    for (const s of subnets) expect(s.clusters).toHaveLength(2);
    const nats = d.nodes.filter((n) => n.type === "aws_nat_gateway");
    expect(nats).toHaveLength(3);
    for (const n of nats) expect(n.clusters[1]).toMatch(/#public$/);
    const dot = toDot(d);
    expect(dot).toContain('label="public subnets"');
    expect(dot).toContain('label="private subnets"');
  });

  describe("with the observability, account and REST API stacks (fixture)", () => {
    const output = fixtureOutput();
    const d = diagramOf(output, "dev");

    it("includes account-level stacks and represents every resource kind", () => {
      expect(d.stacks).toEqual(["observability-dev", "serverless-dev", "account-111111111111"]);
      const dot = toDot(d);
      for (const r of output.stacks.flatMap((s) => s.resources)) expect(dot, r.type).toContain(`${r.type} ×`);
    });

    it("collapses a component's alarms into one counted node that points at the topic", () => {
      const alarms = d.nodes.filter((n) => n.kinds.has("aws_cloudwatch_metric_alarm"));
      const fnAlarms = alarms.find((n) => n.stack === "observability-dev");
      expect(fnAlarms?.label).toBe("CloudWatch alarms ×3");
      expect(hasEdge(d, fnAlarms?.id ?? "", node(d, "aws_sns_topic", "acme-dev-alarms"))).toBe(true);
      expect(hasEdge(d, node(d, "aws_lambda_function"), fnAlarms?.id ?? "")).toBe(true);
      expect(d.edges.find((e) => e.to === fnAlarms?.id)?.crossStack).toBe(true);
      expect(hasEdge(d, alarms.find((n) => n.stack.startsWith("account"))?.id ?? "", node(d, "aws_sns_topic", "acme-billing"))).toBe(true);
    });

    it("draws REST API → function → table with methods, stage and permission folded in", () => {
      const api = node(d, "aws_api_gateway_rest_api");
      const fn = node(d, "aws_lambda_function");
      expect(hasEdge(d, api, fn)).toBe(true);
      expect(hasEdge(d, fn, node(d, "aws_dynamodb_table"))).toBe(true);
      const apiNode = d.nodes.find((n) => n.id === api);
      expect([...(apiNode?.kinds.keys() ?? [])]).toEqual([
        "aws_api_gateway_deployment",
        "aws_api_gateway_integration",
        "aws_api_gateway_method",
        "aws_api_gateway_resource",
        "aws_api_gateway_rest_api",
        "aws_api_gateway_stage",
      ]);
    });

    it("counts Config rules and query definitions as one node each, and links deploy roles to the OIDC provider", () => {
      expect(d.nodes.find((n) => n.type === "aws_config_config_rule")?.label).toBe("AWS Config rules ×3");
      expect(d.nodes.find((n) => n.type === "aws_cloudwatch_query_definition")?.label).toBe("Logs Insights queries ×2");
      expect(hasEdge(d, node(d, "aws_iam_openid_connect_provider"), node(d, "aws_iam_role", "acme-dev-deploy"))).toBe(true);
    });
  });

  it("is deterministic: the same input gives byte-identical DOT and SVG", async () => {
    const first = toDot(diagramOf(shippedOutput(), "dev"));
    const second = toDot(diagramOf(shippedOutput(), "dev"));
    expect(second).toBe(first);
    const svg = await renderSvg(first);
    expect(await renderSvg(second)).toBe(svg);
    expect(svg).toContain("<svg");
  });
});
