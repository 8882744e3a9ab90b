import { describe, expect, it } from "vitest";
import { ecsContainerNonRoot } from "../../rules/ecs-container-non-root";
import { checkRules } from "../support/rules";
import { taskDefinition } from "../support/task-definition";

describe("ecs-container-non-root", () => {
  it("passes containers with an unprivileged user", () => {
    const results = checkRules(ecsContainerNonRoot, (scope) => taskDefinition(scope, [{ name: "app", user: "1000:1000" }, { name: "daemon", user: "xray" }]));
    expect(results.violations).toEqual([]);
  });

  it("fails root by name or uid, and a container that names no user", () => {
    const results = checkRules(ecsContainerNonRoot, (scope) =>
      taskDefinition(scope, [{ name: "by-name", user: "root" }, { name: "by-uid", user: "0:1000" }, { name: "unset" }]),
    );
    expect(results.violations).toEqual([
      'stack: task (aws_ecs_task_definition): container "by-name" runs as "root"; set user to an unprivileged uid:gid [rule ecs-container-non-root]',
      'stack: task (aws_ecs_task_definition): container "by-uid" runs as "0:1000"; set user to an unprivileged uid:gid [rule ecs-container-non-root]',
      "stack: task (aws_ecs_task_definition): container \"unset\" runs as the image's user; set user to an unprivileged uid:gid [rule ecs-container-non-root]",
    ]);
  });
});
