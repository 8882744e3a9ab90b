import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, type App } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../config";
import { PolicyChecks, PolicyViolations, suppressRule } from "../../rules";
import { logGroupRetention } from "../../rules/log-group-retention";
import { synthesizeApp } from "../../stacks/synthesize";

const temp = mkdtempSync(join(tmpdir(), "synthesize-test-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A directory holding an earlier synth's output, which a failed synth must leave as it was. */
function earlierOutput(): { dir: string; outdir: string } {
  const dir = mkdtempSync(join(temp, "run-"));
  const outdir = join(dir, "out");
  mkdirSync(join(outdir, "stacks", "old"), { recursive: true });
  writeFileSync(join(outdir, "stacks", "old", "cdk.tf.json"), "{}");
  return { dir, outdir };
}

/** Two stacks of one log group each, held to log-group-retention; `retention` per stack. */
const logStacks = (retention: Record<string, number | undefined>, edit: (stack: TerraformStack) => void = () => {}) => (app: App) => {
  for (const [id, retentionInDays] of Object.entries(retention)) {
    const stack = new TerraformStack(app, id);
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new CloudwatchLogGroup(stack, "logs", { name: `/acme/${id}`, retentionInDays });
    edit(stack);
    PolicyChecks.of(app).apply(stack, [logGroupRetention]);
  }
  return [];
};

describe("synthesizeApp", () => {
  it("refuses a rule violation, naming every stack, resource and rule, and writes nothing", () => {
    const { dir, outdir } = earlierOutput();
    let refused: unknown;
    try {
      synthesizeApp(outdir, logStacks({ "logs-dev": undefined, "logs-prod": 0, "logs-ok": 30 }));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(PolicyViolations);
    expect((refused as PolicyViolations).message).toBe(
      [
        "Policy rules refuse the synthesized stacks (2 violations):",
        "  - logs-dev: logs (aws_cloudwatch_log_group): keeps its events forever (retention_in_days unset); set a retention in days [rule log-group-retention]",
        "  - logs-prod: logs (aws_cloudwatch_log_group): keeps its events forever (retention_in_days 0); set a retention in days [rule log-group-retention]",
        "Fix the resource, or exempt it where it is built with suppressRule(construct, rule, reason) (rules/suppress.ts), the reason naming the compensating control.",
      ].join("\n"),
    );
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["old"]);
  });

  it("refuses the problems the build reports before synthesizing anything", () => {
    const { dir, outdir } = earlierOutput();
    expect(() => synthesizeApp(outdir, () => ["dev.network.vpcCidr: \"10.0.0.0/33\" is not a valid IPv4 CIDR"])).toThrow(ConfigError);
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["old"]);
  });

  it("replaces the output when every stack passes, and returns what suppressions exempted", () => {
    const { dir, outdir } = earlierOutput();
    const reason = "an archive kept for the auditors, who read it through the audit role";
    const suppressed = synthesizeApp(
      outdir,
      logStacks({ archive: undefined, app: 30 }, (stack) => {
        if (stack.node.id === "archive") suppressRule(stack, "log-group-retention", reason);
      }),
    );
    expect(suppressed.map((finding) => [finding.stack, finding.path, finding.rule, finding.suppressedBy?.reason])).toEqual([["archive", "logs", "log-group-retention", reason]]);
    expect(readdirSync(dir)).toEqual(["out"]);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["app", "archive"]);
    expect(JSON.parse(readFileSync(join(outdir, "stacks", "app", "cdk.tf.json"), "utf8")).resource.aws_cloudwatch_log_group).toBeDefined();
  });

  it("leaves an empty directory of each dropped stack for the cdktf CLI to delete, when asked", () => {
    const { outdir } = earlierOutput();
    synthesizeApp(outdir, logStacks({ app: 30 }), { leaveRemovedStackDirectories: true });
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["app", "old"]);
    expect(readdirSync(join(outdir, "stacks", "old"))).toEqual([]);
  });
});
