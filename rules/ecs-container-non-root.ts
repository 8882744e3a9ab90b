import { containerName, containers } from "./lib/containers";
import { show, type PolicyRule } from "./rule";

const ROOT = /^(root|0)(:|$)/;

export const ecsContainerNonRoot: PolicyRule = {
  id: "ecs-container-non-root",
  description: "Every ECS container names a user that is not root; without one it runs as the image's user, root unless the image says otherwise.",
  appliesTo: ["aws_ecs_task_definition"],
  check(task) {
    return containers(task).flatMap((container, i) =>
      typeof container.user === "string" && container.user !== "" && !ROOT.test(container.user)
        ? []
        : [`${containerName(container, i)} runs as ${container.user === undefined ? "the image's user" : show(container.user)}; set user to an unprivileged uid:gid`],
    );
  },
};
