import { describe, expect, it } from "vitest";
import { ecsContainerReadOnlyRoot } from "../../rules/ecs-container-read-only-root";
import { checkRules } from "../support/rules";
import { taskDefinition } from "../support/task-definition";

describe("ecs-container-read-only-root", () => {
  it("passes containers with a read-only root file system", () => {
    const results = checkRules(ecsContainerReadOnlyRoot, (scope) => taskDefinition(scope, [{ name: "app", readonlyRootFilesystem: true }]));
    expect(results.violations).toEqual([]);
  });

  it("fails a container that can write its root file system, said or left out", () => {
    const results = checkRules(ecsContainerReadOnlyRoot, (scope) =>
      taskDefinition(scope, [{ name: "app", readonlyRootFilesystem: false }, { name: "sidecar" }]),
    );
    expect(results.violations).toEqual([
      'stack: task (aws_ecs_task_definition): container "app" can write its root file system; set readonlyRootFilesystem true [rule ecs-container-read-only-root]',
      'stack: task (aws_ecs_task_definition): container "sidecar" can write its root file system; set readonlyRootFilesystem true [rule ecs-container-read-only-root]',
    ]);
  });
});
