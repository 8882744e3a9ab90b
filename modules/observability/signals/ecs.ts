import { type ComponentSignals, metric, ONE_MINUTE, type Signal, single } from "./signal";

export interface EcsServiceSignalInput {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
}

/**
 * One ECS service: CPU and memory (AWS/ECS), and running tasks below desired (Container Insights,
 * the only source of the desired count as a metric).
 */
export function ecsServiceSignals(component: string, input: EcsServiceSignalInput): ComponentSignals {
  const dims = { ClusterName: input.clusterName, ServiceName: input.serviceName };
  const utilisation = (name: "cpu" | "memory", metricName: string, threshold: number, check: string): Signal => ({
    name,
    description: `Average ${name} of the service's tasks is above ${threshold}% for 15 minutes although autoscaling should hold it far lower. Check first: ${check}`,
    panel: "saturation",
    query: single(metric("AWS/ECS", metricName, dims, "Average", `${name === "cpu" ? "CPU" : "Memory"} %`)),
    comparison: "GreaterThanThreshold",
    threshold,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: "missing",
  });
  return {
    component,
    title: "ECS service",
    graphs: [],
    signals: [
      utilisation("cpu", "CPUUtilization", input.cpuPercent, "whether the service is at its maximum task count (scaling activities), and request volume."),
      utilisation("memory", "MemoryUtilization", input.memoryPercent, "memory growth per task (a leak restarts tasks when it reaches the limit) and the task memory setting."),
      {
        name: "running-tasks",
        description:
          "Fewer tasks run than the service wants, for 10 minutes. Check first: ECS service events (placement failures: no instance with enough CPU/memory; image pull errors; failing health checks) and the capacity provider's reservation.",
        panel: "saturation",
        query: {
          kind: "math",
          expression: "desired - running",
          label: "Tasks missing (desired - running)",
          metrics: {
            desired: metric("ECS/ContainerInsights", "DesiredTaskCount", dims, "Maximum", "Desired tasks", ONE_MINUTE),
            running: metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Minimum", "Running tasks", ONE_MINUTE),
          },
        },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 10,
        datapointsToAlarm: 10,
        // Container Insights reports every minute while the service exists: silence means the
        // service or its telemetry is gone, which on-call must see.
        treatMissingData: "breaching",
      },
    ],
  };
}

export interface ClusterCapacitySignalInput {
  readonly clusterName: string;
  readonly capacityProviderName: string;
  readonly autoScalingGroupName: string;
  readonly reservationPercent: number;
}

/** The cluster's EC2 capacity: instances in service versus wanted, and tasks waiting for instances. */
export function clusterCapacitySignals(component: string, input: ClusterCapacitySignalInput): ComponentSignals {
  const asg = { AutoScalingGroupName: input.autoScalingGroupName };
  return {
    component,
    title: "Cluster capacity",
    graphs: [],
    signals: [
      {
        name: "in-service-instances",
        description:
          "The Auto Scaling group has fewer instances in service than it wants, for 15 minutes: launches fail or instances die. Check first: the group's activity history (capacity errors, launch template), then EC2 status checks.",
        panel: "saturation",
        query: {
          kind: "math",
          expression: "desired - in_service",
          label: "Instances missing (desired - in service)",
          metrics: {
            desired: metric("AWS/AutoScaling", "GroupDesiredCapacity", asg, "Maximum", "Desired instances", ONE_MINUTE),
            in_service: metric("AWS/AutoScaling", "GroupInServiceInstances", asg, "Minimum", "In-service instances", ONE_MINUTE),
          },
        },
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 15,
        datapointsToAlarm: 15,
        // Group metrics are collected every minute once enabled: silence means collection stopped.
        treatMissingData: "breaching",
      },
      {
        name: "capacity-reservation",
        description: `ECS managed scaling needs more than ${input.reservationPercent}% of the instances it has, for 15 minutes: tasks wait for capacity. Check first: whether the group is at its maximum size, and the Auto Scaling activity history.`,
        panel: "saturation",
        query: single(
          metric(
            "AWS/ECS/ManagedScaling",
            "CapacityProviderReservation",
            { ClusterName: input.clusterName, CapacityProviderName: input.capacityProviderName },
            "Maximum",
            "Capacity provider reservation %",
            ONE_MINUTE,
          ),
        ),
        comparison: "GreaterThanThreshold",
        threshold: input.reservationPercent,
        evaluationPeriods: 15,
        datapointsToAlarm: 15,
        treatMissingData: "missing",
      },
    ],
  };
}
