import type { Body, Element } from "../rule";

/** The container definitions of a task definition, parsed; empty when they are not JSON yet (an unresolved value). */
export function containers(task: Element): Body[] {
  const definitions = task.body.container_definitions;
  if (typeof definitions !== "string") return [];
  try {
    const parsed = JSON.parse(definitions) as unknown;
    return Array.isArray(parsed) ? (parsed as Body[]) : [];
  } catch {
    return [];
  }
}

/** How a message names a container. */
export const containerName = (container: Body, index: number): string =>
  typeof container.name === "string" ? `container "${container.name}"` : `container #${index + 1}`;
