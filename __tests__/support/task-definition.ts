import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { Construct } from "constructs";

/** A task definition `task` of `containers` (name and the settings a test is about), for the container rules. */
export function taskDefinition(scope: Construct, containers: readonly Record<string, unknown>[]): EcsTaskDefinition {
  return new EcsTaskDefinition(scope, "task", {
    family: "app",
    containerDefinitions: JSON.stringify(containers.map((container) => ({ image: "public.ecr.aws/docker/library/busybox:1", memory: 64, ...container }))),
  });
}
