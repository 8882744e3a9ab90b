import { containerName, containers } from "./lib/containers";
import type { PolicyRule } from "./rule";

export const ecsContainerReadOnlyRoot: PolicyRule = {
  id: "ecs-container-read-only-root",
  description: "Every ECS container has a read-only root file system; it writes only to volumes it declares.",
  appliesTo: ["aws_ecs_task_definition"],
  check(task) {
    return containers(task).flatMap((container, i) =>
      container.readonlyRootFilesystem === true ? [] : [`${containerName(container, i)} can write its root file system; set readonlyRootFilesystem true`],
    );
  },
};
