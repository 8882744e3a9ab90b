import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Aspects, TerraformResource, TerraformStack, Testing, type IAspect } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { serviceTrustPolicy } from "../../modules/core/iam";
import { describeSuppressions, PolicyChecks, suppressRule } from "../../rules";
import { iamRolePermissionsBoundary } from "../../rules/iam-role-permissions-boundary";
import { logGroupRetention } from "../../rules/log-group-retention";
import { checkRules } from "../support/rules";
import { testApp } from "../support/synth";

const REASON = "kept forever on purpose: an archive the compliance team reads";

/** What an Aspect added by a stack before the rules does to every role: set a boundary. */
class SetBoundary implements IAspect {
  visit(node: IConstruct): void {
    if (TerraformResource.isTerraformResource(node) && node.terraformResourceType === "aws_iam_role") {
      (node as IamRole).permissionsBoundary = "arn:aws:iam::123456789012:policy/boundary";
    }
  }
}

describe("PolicyChecks", () => {
  it("checks each element after the Aspects added before the rules", () => {
    const results = checkRules(iamRolePermissionsBoundary, (scope) => {
      new IamRole(scope, "role", { assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", "123456789012") });
      Aspects.of(scope).add(new SetBoundary());
    });
    expect(results.violations).toEqual([]);
  });

  it("fails the app's synth with every violation of every stack, each reported once", () => {
    const app = testApp();
    const checks = PolicyChecks.of(app);
    for (const id of ["one", "two"]) {
      const stack = new TerraformStack(app, id);
      new CloudwatchLogGroup(stack, "logs", { name: `/acme/${id}` });
      checks.apply(stack, [logGroupRetention]);
      // Twice, as tests and `cdktf synth` may: the findings do not double.
      Testing.synth(stack);
      Testing.synth(stack);
    }
    expect(app.node.validate()).toEqual([
      "one: logs (aws_cloudwatch_log_group): keeps its events forever (retention_in_days unset); set a retention in days [rule log-group-retention]",
      "two: logs (aws_cloudwatch_log_group): keeps its events forever (retention_in_days unset); set a retention in days [rule log-group-retention]",
    ]);
  });
});

describe("suppressRule", () => {
  it("exempts the construct and everything below it, and lists what it hid", () => {
    const results = checkRules(logGroupRetention, (scope) => {
      const archive = new Construct(scope, "archive");
      new CloudwatchLogGroup(archive, "logs", { name: "/acme/archive" });
      suppressRule(archive, "log-group-retention", REASON);
      new CloudwatchLogGroup(scope, "app-logs", { name: "/acme/app" });
    });
    expect(results.violations).toEqual([
      "stack: app-logs (aws_cloudwatch_log_group): keeps its events forever (retention_in_days unset); set a retention in days [rule log-group-retention]",
    ]);
    expect(results.suppressed).toEqual([
      "stack: archive/logs (aws_cloudwatch_log_group): keeps its events forever (retention_in_days unset); set a retention in days [rule log-group-retention]",
    ]);
  });

  it("groups the suppressions in effect by rule, place and reason, naming the stacks", () => {
    const app = testApp();
    const checks = PolicyChecks.of(app);
    for (const id of ["logs-dev", "logs-prod"]) {
      const stack = new TerraformStack(app, id);
      const archive = new Construct(stack, "archive");
      new CloudwatchLogGroup(archive, "a", { name: `/acme/${id}/a` });
      new CloudwatchLogGroup(archive, "b", { name: `/acme/${id}/b` });
      suppressRule(archive, "log-group-retention", REASON);
      checks.apply(stack, [logGroupRetention]);
      Testing.synth(stack);
    }
    expect(describeSuppressions(checks.suppressed)).toEqual([`log-group-retention at archive in logs-dev, logs-prod (4 findings): ${REASON}`]);
  });

  it("reports a suppression of a rule no stack applies", () => {
    const results = checkRules(logGroupRetention, (scope) => suppressRule(scope, "log-group-retentoin", REASON));
    expect(results.problems).toEqual(['stack: suppresses "log-group-retentoin", which is not a rule applied to any stack; known: log-group-retention']);
  });

  it("fails without a reason that can name a control, and when the rule is suppressed twice on one construct", () => {
    const stack = new TerraformStack(testApp(), "stack");
    expect(() => suppressRule(stack, "log-group-retention", "legacy")).toThrow(
      'suppressRule(stack, "log-group-retention"): reason "legacy" must say why the exemption is safe (the compensating control), in 20 characters or more',
    );
    suppressRule(stack, "log-group-retention", REASON);
    expect(() => suppressRule(stack, "log-group-retention", REASON)).toThrow('suppressRule(stack, "log-group-retention"): the rule is already suppressed here');
  });
});
