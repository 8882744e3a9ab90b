import { describe, expect, it } from "vitest";
import { ecsContainerNotPrivileged } from "../../rules/ecs-container-not-privileged";
import { checkRules } from "../support/rules";
import { taskDefinition } from "../support/task-definition";

describe("ecs-container-not-privileged", () => {
  it("passes containers that are not privileged, said or left out", () => {
    const results = checkRules(ecsContainerNotPrivileged, (scope) => taskDefinition(scope, [{ name: "app", privileged: false }, { name: "sidecar" }]));
    expect(results.violations).toEqual([]);
  });

  it("fails a privileged container", () => {
    const results = checkRules(ecsContainerNotPrivileged, (scope) => taskDefinition(scope, [{ name: "app" }, { name: "agent", privileged: true }]));
    expect(results.violations).toEqual([
      'stack: task (aws_ecs_task_definition): container "agent" runs privileged; remove privileged [rule ecs-container-not-privileged]',
    ]);
  });
});
