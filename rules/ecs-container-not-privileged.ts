import { containerName, containers } from "./lib/containers";
import type { PolicyRule } from "./rule";

export const ecsContainerNotPrivileged: PolicyRule = {
  id: "ecs-container-not-privileged",
  description: "No ECS container runs privileged (root on the host).",
  appliesTo: ["aws_ecs_task_definition"],
  check(task) {
    return containers(task).flatMap((container, i) => (container.privileged === true ? [`${containerName(container, i)} runs privileged; remove privileged`] : []));
  },
};
