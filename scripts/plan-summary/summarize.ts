/**
 * Short, reviewable summary of `terraform show -json <planfile>` output: counts per stack,
 * replacements called out, and loud flags on destroying or replacing resources that hold data.
 */

/** Types whose destruction loses data (or, for keys, makes data unreadable). */
export const STATEFUL_TYPES = ["aws_dynamodb_table", "aws_s3_bucket", "aws_kms_key", "aws_ecr_repository", "aws_cloudwatch_log_group"];
export const STATEFUL_PREFIXES = ["aws_db_", "aws_efs_", "aws_rds_"];

export function isStateful(type: string): boolean {
  return STATEFUL_TYPES.includes(type) || STATEFUL_PREFIXES.some((p) => type.startsWith(p));
}

export type Action = "create" | "update" | "delete" | "replace" | "read" | "no-op";

export interface Change {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** Attributes that force the replacement (`replace_paths`), when Terraform reports them. */
  readonly replaceReasons: readonly string[];
  readonly stateful: boolean;
}

export interface StackSummary {
  readonly stack: string;
  readonly counts: Readonly<Record<"create" | "update" | "delete" | "replace", number>>;
  readonly changes: readonly Change[];
  readonly dangerous: readonly Change[];
}

interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly mode?: string;
    readonly change: { readonly actions: readonly string[]; readonly replace_paths?: readonly unknown[] };
  }[];
}

function actionOf(actions: readonly string[]): Action {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  const first = actions[0];
  return first === "create" || first === "update" || first === "delete" || first === "read" ? first : "no-op";
}

export function summarize(stack: string, plan: PlanJson): StackSummary {
  const counts = { create: 0, update: 0, delete: 0, replace: 0 };
  const changes: Change[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const action = actionOf(rc.change.actions);
    if (action === "no-op" || action === "read") continue;
    counts[action]++;
    changes.push({
      address: rc.address,
      type: rc.type,
      action,
      replaceReasons: (rc.change.replace_paths ?? []).map((p) => (Array.isArray(p) ? p.join(".") : String(p))),
      stateful: isStateful(rc.type),
    });
  }
  changes.sort((a, b) => a.address.localeCompare(b.address));
  const dangerous = changes.filter((c) => c.stateful && (c.action === "delete" || c.action === "replace"));
  return { stack, counts, changes, dangerous };
}

const ICON: Record<Action, string> = { create: "+", update: "~", delete: "-", replace: "-/+", read: "<=", "no-op": " " };

/** Markdown for a PR comment: a table of counts, then danger, then replacements and deletions. */
export function toMarkdown(summaries: readonly StackSummary[]): string {
  const out: string[] = ["## Terraform plan summary", ""];
  const dangerous = summaries.flatMap((s) => s.dangerous.map((c) => ({ stack: s.stack, c })));
  if (dangerous.length > 0) {
    out.push(`> [!CAUTION]`, `> **${dangerous.length} stateful resource(s) would be destroyed or replaced. Data may be lost.**`);
    for (const { stack, c } of dangerous) out.push(`> - \`${stack}\`: **${c.action.toUpperCase()}** \`${c.address}\`${c.replaceReasons.length ? ` (forced by ${c.replaceReasons.join(", ")})` : ""}`);
    out.push("");
  }
  out.push("| Stack | Add | Change | Destroy | Replace |", "|---|---:|---:|---:|---:|");
  for (const s of summaries) {
    const flag = s.dangerous.length > 0 ? " :warning:" : "";
    out.push(`| ${s.stack}${flag} | ${s.counts.create} | ${s.counts.update} | ${s.counts.delete} | ${s.counts.replace ? `**${s.counts.replace}**` : 0} |`);
  }
  for (const s of summaries) {
    const notable = s.changes.filter((c) => c.action === "replace" || c.action === "delete");
    if (notable.length === 0) continue;
    out.push("", `### ${s.stack}: replacements and destroys`, "");
    for (const c of notable) {
      out.push(`- \`${ICON[c.action]}\` ${c.action === "replace" ? "**replace**" : "destroy"} \`${c.address}\`${c.stateful ? " — **stateful**" : ""}${c.replaceReasons.length ? ` (forced by ${c.replaceReasons.join(", ")})` : ""}`);
    }
  }
  return `${out.join("\n")}\n`;
}

export function toText(summaries: readonly StackSummary[]): string {
  const out: string[] = [];
  for (const s of summaries) {
    out.push(`${s.stack.padEnd(22)} +${s.counts.create} ~${s.counts.update} -${s.counts.delete} -/+${s.counts.replace}`);
    for (const c of s.changes.filter((x) => x.action === "replace" || x.action === "delete")) {
      out.push(`  ${c.stateful ? "!! " : "   "}${ICON[c.action].padEnd(3)} ${c.address}${c.stateful ? "  <-- STATEFUL: data loss risk" : ""}`);
    }
  }
  return `${out.join("\n")}\n`;
}
