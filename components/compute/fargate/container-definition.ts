/** A secret as the task definition names it: the variable and where ECS reads it from. */
export interface ResolvedSecret {
  name: string;
  store: "secretsmanager" | "ssm";
  arn: string;
  jsonKey?: string;
}

export interface ContainerSpec {
  name: string;
  image: string;
  port: number;
  user: string;
  environment: Record<string, string>;
  secrets: ResolvedSecret[];
  writablePaths: string[];
  efs?: { containerPath: string; readOnly: boolean };
  logGroupName: string;
  region: string;
}

/** The task volume backing a writable path: `/var/cache/app` -> `writable-var-cache-app`. */
export function writableVolumeName(path: string): string {
  return `writable${path.replace(/[^A-Za-z0-9]+/g, "-")}`.replace(/-+$/, "");
}

export const EFS_VOLUME_NAME = "efs";

/** What ECS's `valueFrom` takes: the ARN, and for a key of a JSON secret `<arn>:<key>::`. */
export function secretValueFrom(secret: ResolvedSecret): string {
  return secret.jsonKey === undefined ? secret.arn : `${secret.arn}:${secret.jsonKey}::`;
}

/**
 * The container's definition: read-only root filesystem, a non-root user, no privileges and no
 * Linux capabilities, writable paths on task-local volumes, secrets read by ECS at start (never
 * plain values), and logs to CloudWatch.
 */
export function containerDefinition(spec: ContainerSpec) {
  const sortedEnvironment = Object.entries(spec.environment).sort(([a], [b]) => a.localeCompare(b));
  return {
    name: spec.name,
    image: spec.image,
    essential: true,
    readonlyRootFilesystem: true,
    user: spec.user,
    privileged: false,
    linuxParameters: { capabilities: { add: [], drop: ["ALL"] }, initProcessEnabled: true },
    portMappings: [{ containerPort: spec.port, protocol: "tcp" }],
    environment: sortedEnvironment.map(([name, value]) => ({ name, value })),
    secrets: spec.secrets.map((secret) => ({ name: secret.name, valueFrom: secretValueFrom(secret) })),
    mountPoints: [
      ...spec.writablePaths.map((path) => ({
        sourceVolume: writableVolumeName(path),
        containerPath: path,
        readOnly: false,
      })),
      ...(spec.efs
        ? [{ sourceVolume: EFS_VOLUME_NAME, containerPath: spec.efs.containerPath, readOnly: spec.efs.readOnly }]
        : []),
    ],
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": spec.logGroupName,
        "awslogs-region": spec.region,
        "awslogs-stream-prefix": spec.name,
      },
    },
  };
}
