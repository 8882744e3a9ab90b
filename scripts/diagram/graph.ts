/**
 * Turns one environment's synthesized stacks into a readable graph: helper resources fold into
 * the resource they serve, alarms collapse per watched resource, subnets group by tier inside
 * their VPC, and Terraform references (cross-stack ones included) become edges. Everything is
 * sorted, so the same input always gives byte-identical DOT.
 */
import type { SynthOutput, TfResource, TfStack } from "../lib/synth-output";
import {
  ALARM_TYPES,
  CATEGORY_STYLE,
  FAINT_EDGES_TO,
  GROUP_PER_STACK,
  MERGE_INTO_REFERENCED,
  MERGE_INTO_REFERRER,
  NO_EDGES_FROM,
  typeInfo,
} from "./catalog";

export interface DiagramNode {
  readonly id: string;
  readonly stack: string;
  /** Terraform type of the resource the node stands for (the first member for groups). */
  readonly type: string;
  readonly label: string;
  /** Every resource type folded into this node, with how many of each. */
  readonly kinds: ReadonlyMap<string, number>;
  /** Cluster path inside the stack, outermost first (e.g. VPC, then subnet tier). */
  readonly clusters: readonly string[];
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly crossStack: boolean;
  readonly faint: boolean;
  /** Cluster the edge ends at (a subnet tier), drawn with Graphviz `lhead`. */
  readonly toCluster?: string;
}

export interface Diagram {
  readonly environment: string;
  readonly stacks: readonly string[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Every resource type deployed in the environment, with its count. */
  readonly resourceKinds: ReadonlyMap<string, number>;
}

const NAME_KEYS = ["name", "function_name", "bucket", "cluster_name", "cidr_block", "description"];

function literalName(resource: TfResource): string | undefined {
  for (const key of NAME_KEYS) {
    const value = resource.body[key];
    if (typeof value === "string" && !value.includes("${") && value.length <= 48) return value;
  }
  const tags = resource.body.tags;
  if (tags && typeof tags === "object" && typeof (tags as Record<string, unknown>).Name === "string") {
    return (tags as Record<string, string>).Name;
  }
  return undefined;
}

/** Subnet tier from the construct path or Name tag (`public`, `private`, ...), else by public IPs. */
function subnetTier(subnet: TfResource): string {
  const meta = JSON.stringify(subnet.body["//"] ?? "") + JSON.stringify(subnet.body.tags ?? "");
  for (const tier of ["public", "private", "isolated", "database", "intra"]) if (meta.includes(tier)) return tier;
  return subnet.body.map_public_ip_on_launch === true ? "public" : "private";
}

export function buildDiagram(output: SynthOutput, environment: string, stacks: readonly TfStack[]): Diagram {
  const inScope = new Set(stacks.map((s) => s.name));
  const resources = stacks.flatMap((s) => s.resources);
  const refs = output.references.filter((r) => inScope.has(r.from.split("/")[0] ?? "") && inScope.has(r.to.split("/")[0] ?? ""));
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  for (const ref of refs) {
    if (!outgoing.get(ref.from)?.includes(ref.to)) outgoing.set(ref.from, [...(outgoing.get(ref.from) ?? []), ref.to]);
    if (!incoming.get(ref.to)?.includes(ref.from)) incoming.set(ref.to, [...(incoming.get(ref.to) ?? []), ref.from]);
  }
  const typeOf = (id: string): string => output.resources.get(id)?.type ?? "";

  // owner(id): the resource id a resource is drawn as. Memoised; a cycle leaves a resource as itself.
  const owners = new Map<string, string>();
  const owner = (id: string, visiting = new Set<string>()): string => {
    const known = owners.get(id);
    if (known) return known;
    if (visiting.has(id)) return id;
    visiting.add(id);
    const type = typeOf(id);
    let target: string | undefined;
    for (const parentType of parentTypes(type)) {
      target = (outgoing.get(id) ?? []).find((to) => typeOf(to) === parentType);
      if (target) break;
    }
    if (!target) {
      for (const referrerType of MERGE_INTO_REFERRER[type] ?? []) {
        target = [...(incoming.get(id) ?? [])].sort().find((from) => typeOf(from) === referrerType);
        if (target) break;
      }
    }
    const result = target ? owner(target, visiting) : id;
    owners.set(id, result);
    return result;
  };

  // Alarms are grouped by the first non-alarm, non-topic node they watch.
  const nodeKey = (resource: TfResource): string => {
    if (GROUP_PER_STACK.has(resource.type)) return `${resource.stack}/${resource.type}`;
    if (ALARM_TYPES.has(resource.type)) {
      const watched = (outgoing.get(resource.id) ?? [])
        .filter((to) => !ALARM_TYPES.has(typeOf(to)) && typeOf(to) !== "aws_sns_topic")
        .map((to) => owner(to))
        .sort()[0];
      return `${resource.stack}/alarms:${watched ?? "stack"}`;
    }
    return owner(resource.id);
  };

  const members = new Map<string, TfResource[]>();
  for (const resource of resources) {
    const key = nodeKey(resource);
    members.set(key, [...(members.get(key) ?? []), resource]);
  }
  const keyOf = new Map<string, string>();
  for (const [key, list] of members) for (const r of list) keyOf.set(r.id, key);

  // Clusters: the VPC, and inside it one cluster per subnet tier holding the subnets and the
  // NAT gateways placed in them.
  const vpcLabel = new Map<string, string>();
  const tierOfSubnetNode = new Map<string, string>();
  for (const resource of resources) {
    if (resource.type === "aws_vpc") {
      const cidr = typeof resource.body.cidr_block === "string" ? ` ${resource.body.cidr_block}` : "";
      vpcLabel.set(resource.id, `VPC${cidr}`);
    }
  }
  const vpcOf = (id: string): string | undefined => (outgoing.get(id) ?? []).map((to) => owner(to)).find((to) => vpcLabel.has(to));
  const clustersOf = new Map<string, string[]>();
  for (const resource of resources) {
    if (resource.type !== "aws_subnet") continue;
    const vpc = vpcOf(resource.id);
    if (!vpc) continue;
    const tier = `${vpc}#${subnetTier(resource)}`;
    tierOfSubnetNode.set(keyOf.get(resource.id) ?? resource.id, tier);
    clustersOf.set(keyOf.get(resource.id) ?? resource.id, [vpc, tier]);
  }
  // A node is drawn as the resource everything else folded into; groups by their first member.
  const headOf = (key: string, list: readonly TfResource[]): TfResource | undefined => list.find((r) => r.id === key) ?? list[0];
  for (const [key, list] of members) {
    if (clustersOf.has(key)) continue;
    const head = headOf(key, list);
    if (!head) continue;
    if (head.type === "aws_vpc") {
      clustersOf.set(key, [head.id]);
      continue;
    }
    if (head.type === "aws_nat_gateway") {
      const subnet = (outgoing.get(head.id) ?? []).find((to) => tierOfSubnetNode.has(keyOf.get(to) ?? ""));
      const tier = subnet ? tierOfSubnetNode.get(keyOf.get(subnet) ?? "") : undefined;
      if (tier) {
        clustersOf.set(key, [tier.split("#")[0] ?? "", tier]);
        continue;
      }
    }
    // Same-stack resources attached to the VPC (gateways, endpoints, flow log) sit inside it.
    const vpc = list.map((r) => vpcOf(r.id)).find((v) => v !== undefined && v.startsWith(`${head.stack}/`));
    clustersOf.set(key, vpc ? [vpc] : []);
  }

  const nodes: DiagramNode[] = [];
  for (const key of [...members.keys()].sort()) {
    const list = members.get(key) ?? [];
    const head = headOf(key, list);
    if (!head) continue;
    const kinds = new Map<string, number>();
    for (const r of list) kinds.set(r.type, (kinds.get(r.type) ?? 0) + 1);
    const sortedKinds = new Map([...kinds.entries()].sort(([a], [b]) => a.localeCompare(b)));
    nodes.push({
      id: key,
      stack: head.stack,
      type: head.type,
      label: nodeLabel(head, list, key),
      kinds: sortedKinds,
      clusters: clustersOf.get(key) ?? [],
    });
  }

  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const edges = new Map<string, DiagramEdge>();
  for (const ref of refs) {
    const fromType = typeOf(ref.from);
    if (NO_EDGES_FROM.has(fromType)) continue;
    let a = keyOf.get(ref.from);
    let b = keyOf.get(ref.to);
    if (!a || !b || a === b) continue;
    const na = nodeById.get(a);
    const nb = nodeById.get(b);
    if (!na || !nb) continue;
    // Containment already shows "in this VPC / subnet": no edge from a member to its VPC.
    if (nb.type === "aws_vpc" && na.clusters.includes(nb.id)) continue;
    if (na.type === "aws_vpc" && nb.clusters.includes(na.id)) continue;
    const faint = FAINT_EDGES_TO.has(nb.type) || FAINT_EDGES_TO.has(na.type);
    const tierA = typeInfo(na.type).tier ?? 5;
    const tierB = typeInfo(nb.type).tier ?? 5;
    if (tierB < tierA) [a, b] = [b, a];
    const to = nodeById.get(b);
    const from = nodeById.get(a);
    if (!to || !from) continue;
    // Several subnets of one tier: one edge to the tier's cluster.
    const toCluster = tierOfSubnetNode.get(b);
    if (toCluster && from.clusters.includes(toCluster)) continue;
    const target = toCluster ? (nodes.find((n) => tierOfSubnetNode.get(n.id) === toCluster)?.id ?? b) : b;
    const key = `${a}>${toCluster ?? target}`;
    const reverse = `${target}>${a}`;
    if (edges.has(key) || edges.has(reverse)) continue;
    const edge: DiagramEdge = toCluster
      ? { from: a, to: target, crossStack: ref.crossStack, faint, toCluster }
      : { from: a, to: target, crossStack: ref.crossStack, faint };
    edges.set(key, edge);
  }

  const resourceKinds = new Map<string, number>();
  for (const r of resources) resourceKinds.set(r.type, (resourceKinds.get(r.type) ?? 0) + 1);
  return {
    environment,
    stacks: stacks.map((s) => s.name),
    nodes,
    edges: [...edges.values()].sort((x, y) => (x.from === y.from ? x.to.localeCompare(y.to) : x.from.localeCompare(y.from))),
    resourceKinds: new Map([...resourceKinds.entries()].sort(([x], [y]) => x.localeCompare(y))),
  };
}

function nodeLabel(head: TfResource, list: readonly TfResource[], key: string): string {
  const info = typeInfo(head.type);
  const sameType = list.filter((r) => r.type === head.type).length;
  if (GROUP_PER_STACK.has(head.type) || key.includes("/alarms:")) {
    return `${info.title} ×${sameType}`;
  }
  const name = literalName(head);
  const helpers = list.length - 1;
  const lines = [info.title];
  if (name) lines.push(name);
  // The full list is in the tooltip; the label only says how much is folded in.
  if (helpers > 0) lines.push(`+${helpers} attached`);
  return lines.join("\n");
}

/** S3 bucket configuration resources (`aws_s3_bucket_versioning`, ...) all belong to their bucket. */
function parentTypes(type: string): readonly string[] {
  return MERGE_INTO_REFERENCED[type] ?? (type.startsWith("aws_s3_bucket_") ? ["aws_s3_bucket"] : []);
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function clusterId(path: string): string {
  return `cluster_${path.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** Graphviz DOT of a diagram, clusters per stack, VPC and subnet tier. */
export function toDot(diagram: Diagram): string {
  const lines: string[] = [];
  lines.push(`digraph ${quote(`architecture-${diagram.environment}`)} {`);
  lines.push(`  graph [rankdir=LR, compound=true, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.6, newrank=true, label=${quote(`${diagram.environment}: ${diagram.nodes.length} components drawn from ${[...diagram.resourceKinds.values()].reduce((a, b) => a + b, 0)} resources in ${diagram.stacks.length} stacks (generated from cdktf.out by npm run diagram)`)}, labelloc=t];`);
  lines.push(`  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.12,0.06"];`);
  lines.push(`  edge [color="#455a64", arrowsize=0.6];`);

  interface Tree { nodes: DiagramNode[]; children: Map<string, Tree> }
  for (const stack of diagram.stacks) {
    const stackNodes = diagram.nodes.filter((n) => n.stack === stack);
    if (stackNodes.length === 0) continue;
    const root: Tree = { nodes: [], children: new Map() };
    for (const node of stackNodes) {
      let tree = root;
      for (const path of node.clusters) {
        const child = tree.children.get(path) ?? { nodes: [], children: new Map() };
        tree.children.set(path, child);
        tree = child;
      }
      tree.nodes.push(node);
    }
    const emit = (tree: Tree, indent: string): void => {
      for (const node of tree.nodes) {
        const style = CATEGORY_STYLE[typeInfo(node.type).category];
        const tooltip = [...node.kinds.entries()].map(([k, n]) => `${k} ×${n}`).join(", ");
        lines.push(`${indent}${quote(node.id)} [label=${quote(node.label)}, fillcolor=${quote(style.fill)}, color=${quote(style.border)}, tooltip=${quote(tooltip)}];`);
      }
      for (const [path, child] of [...tree.children.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const label = path.includes("#") ? `${path.split("#")[1]} subnets` : (diagram.nodes.find((n) => n.id === path)?.label.split("\n")[0] ?? "VPC");
        lines.push(`${indent}subgraph ${clusterId(path)} {`);
        lines.push(`${indent}  label=${quote(path.includes("#") ? label : `VPC (${stack})`)}; style="rounded,dashed"; color="#8c4fff";`);
        emit(child, `${indent}  `);
        lines.push(`${indent}}`);
      }
    };
    lines.push(`  subgraph ${clusterId(`stack_${stack}`)} {`);
    lines.push(`    label=${quote(`stack ${stack}`)}; style="rounded"; color="#90a4ae"; fontsize=13;`);
    emit(root, "    ");
    lines.push("  }");
  }
  for (const edge of diagram.edges) {
    const attrs: string[] = [];
    if (edge.toCluster) attrs.push(`lhead=${clusterId(edge.toCluster)}`);
    if (edge.faint) attrs.push(`color="#b0bec5"`, "style=dotted", "constraint=false");
    else if (edge.crossStack) attrs.push(`color="#6a1b9a"`, "style=dashed", "penwidth=1.3");
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
