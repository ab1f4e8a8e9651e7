import type * as aws from "@pulumi/aws";
import type { Policies, ReportViolation } from "@pulumi/policy";
import { parseJson, shown } from "./support/props";
import { validateTypes } from "./support/resources";

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";

/** The fields of an ECS container definition these policies read. */
interface Container {
  name?: string;
  readonlyRootFilesystem?: boolean;
  privileged?: boolean;
  user?: string;
}

/** The containers of a task definition (`containerDefinitions` is JSON text); [] when unreadable. */
export function containersOf(definitions: unknown): Container[] {
  const parsed = parseJson(definitions);
  return Array.isArray(parsed) ? parsed.filter((c): c is Container => typeof c === "object" && c !== null) : [];
}

/** True when a container's `user` runs it as root: unset, "root" or uid 0, with or without a group. */
export function runsAsRoot(user: unknown): boolean {
  if (typeof user !== "string" || user.trim() === "") return true;
  const name = user.split(":")[0]?.trim();
  return name === "root" || name === "0";
}

/** A policy judging each container of every task definition. */
function containerCheck(check: (container: Container, report: (problem: string) => void) => void) {
  return validateTypes<aws.ecs.TaskDefinitionArgs>([TASK_DEFINITION], (task, _args, report: ReportViolation) => {
    for (const container of containersOf(task.containerDefinitions)) {
      check(container, (problem) => report(`Container ${shown(container.name)} ${problem}`));
    }
  });
}

export const ecsPolicies: Policies = [
  {
    name: "ecs-container-read-only-root",
    description: "ECS containers run with a read-only root filesystem (readonlyRootFilesystem true).",
    enforcementLevel: "mandatory",
    validateResource: containerCheck((container, report) => {
      if (container.readonlyRootFilesystem !== true)
        report(
          `has readonlyRootFilesystem ${shown(container.readonlyRootFilesystem)} (must be true; mount a volume for paths it writes).`,
        );
    }),
  },
  {
    name: "ecs-container-not-privileged",
    description: "ECS containers are not privileged.",
    enforcementLevel: "mandatory",
    validateResource: containerCheck((container, report) => {
      if (container.privileged === true) report("is privileged (remove privileged: true).");
    }),
  },
  {
    name: "ecs-container-non-root-user",
    description: "ECS containers run as a non-root user (user set to a uid or name other than 0/root).",
    enforcementLevel: "mandatory",
    validateResource: containerCheck((container, report) => {
      if (runsAsRoot(container.user))
        report(`runs as root (user ${shown(container.user)}). Set user to a non-root uid, for example "1000:1000".`);
    }),
  },
  {
    name: "ecs-service-no-public-ip",
    description: "ECS services do not give their tasks public IP addresses.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.ecs.ServiceArgs>([SERVICE], (service, _args, report) => {
      if (service.networkConfiguration?.assignPublicIp === true)
        report(
          "networkConfiguration.assignPublicIp is true. Run tasks in private subnets (assignPublicIp false) behind a load balancer.",
        );
    }),
  },
  {
    name: "ecs-service-circuit-breaker",
    description:
      "ECS services roll back failed deployments by themselves (deploymentCircuitBreaker enable and rollback).",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.ecs.ServiceArgs>([SERVICE], (service, args, report) => {
      const controller = service.deploymentController?.type;
      if (controller !== undefined && controller !== "ECS")
        args.notApplicable(`deployments are run by the ${controller} controller`);
      const breaker = service.deploymentCircuitBreaker;
      if (breaker?.enable !== true || breaker.rollback !== true)
        report(
          `deploymentCircuitBreaker is ${shown(breaker)}. Set { enable: true, rollback: true } so a failing deployment rolls back.`,
        );
    }),
  },
];
