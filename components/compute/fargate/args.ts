import { z } from "zod";
import { arn, idInput, inputOf } from "../../aws/inputs";
import { extraTagsSchema } from "../../aws/tags";
import { pinnedImage } from "../../kubernetes/workload/args";
import { expecting, idListOf, ipv4Cidr } from "../alb/input-schemas";
import { FARGATE_TASK_SIZES, isFargateTaskSize, memoryChoices } from "./task-size";

const port = z.number().int().min(1).max(65535);

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name like DATABASE_URL");

const absolutePath = z
  .string()
  .regex(/^(\/[A-Za-z0-9._-]+)+$/, "an absolute path without a trailing '/', like /tmp or /var/cache/app");

/** Security group rule descriptions: what EC2 accepts, so a typo fails here and not mid-deployment. */
const ruleDescription = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/,
    "a description of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
  );

const secretsManagerArn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const parameterArn = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/.+$/;
const s3BucketArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket ARN like arn:aws:s3:::my-bucket");
const efsArn = (kind: "file-system" | "access-point", example: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[a-z-]*:elasticfilesystem:[a-z0-9-]+:\\d{12}:${kind}/${example.split("-")[0]}-[a-f0-9]+$`),
      `an EFS ${kind} ARN like arn:aws:elasticfilesystem:eu-west-1:123456789012:${kind}/${example}`,
    );
const clusterArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]+$/,
    "an ECS cluster ARN like arn:aws:ecs:eu-west-1:123456789012:cluster/main",
  );

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** A value the container reads from Secrets Manager or SSM Parameter Store at start, never stored in the task definition. */
const containerSecret = z
  .object({
    /** Where the value lives. @default "secretsmanager" */
    store: z.enum(["secretsmanager", "ssm"]).default("secretsmanager"),
    /** The secret's complete ARN (with its 6-character suffix), or the parameter's ARN. */
    arn: expecting(inputOf(z.string().min(1)), "a Secrets Manager secret or SSM parameter ARN"),
    /** A key of a JSON secret to read instead of the whole secret (Secrets Manager only). @default the whole value */
    jsonKey: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, "a JSON key of letters, digits and _.-")
      .optional(),
  })
  .strict()
  .superRefine((secret, ctx) => {
    if (secret.store === "ssm" && secret.jsonKey !== undefined) {
      ctx.addIssue({ code: "custom", path: ["jsonKey"], message: "no jsonKey for an SSM parameter (store ssm)" });
    }
    if (typeof secret.arn !== "string") return;
    const pattern = secret.store === "ssm" ? parameterArn : secretsManagerArn;
    if (!pattern.test(secret.arn)) {
      ctx.addIssue({
        code: "custom",
        path: ["arn"],
        message:
          secret.store === "ssm"
            ? "an SSM parameter ARN like arn:aws:ssm:eu-west-1:123456789012:parameter/app/key"
            : "a Secrets Manager secret ARN like arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf",
      });
    }
  });

/** One destination the service may open connections to. */
const egressRule = z
  .object({
    /** Why the service talks to it; shown on the security group rule. */
    description: ruleDescription,
    port,
    /** @default "tcp" */
    protocol: z.enum(["tcp", "udp"]).default("tcp"),
    /** An IPv4 block. */
    cidr: ipv4Cidr.optional(),
    /** A security group (the destination's own group). */
    securityGroupId: idInput.optional(),
    /** A managed prefix list, for example the S3 gateway endpoint's. */
    prefixListId: idInput.optional(),
  })
  .strict()
  .refine(
    (rule) => [rule.cidr, rule.securityGroupId, rule.prefixListId].filter((d) => d !== undefined).length === 1,
    "exactly one of cidr, securityGroupId or prefixListId",
  );

/** The default egress: HTTPS, which the task needs to pull its image and reach CloudWatch Logs and Secrets Manager. */
export const DEFAULT_EGRESS = [
  {
    description: "HTTPS to AWS APIs (ECR, CloudWatch Logs, Secrets Manager) through NAT or VPC endpoints",
    port: 443,
    protocol: "tcp" as const,
    cidr: "0.0.0.0/0",
  },
];

/** The FargateService's fields; `fargateServiceArgsSchema` adds the checks that span fields. */
export const fargateServiceFieldsSchema = z
  .object({
    /** The VPC of the service and its target group. */
    vpcId: expecting(idInput, "a VPC id"),
    /** Private subnets the tasks run in; tasks never get a public IP. */
    subnetIds: idListOf(1, "at least 1 private subnet id"),
    /** The load balancer to serve behind: a LoadBalancer's `attachment`. */
    loadBalancer: z
      .object({
        securityGroupId: expecting(idInput, "the load balancer's security group id"),
        httpsListenerArn: expecting(idInput, "the load balancer's HTTPS listener ARN"),
        /** The load balancer's ARN suffix; needed only for `autoScaling.requestsPerTarget`. @default none */
        arnSuffix: idInput.optional(),
      })
      .strict(),
    /** The container image, pinned by tag (not `latest`) or digest. */
    image: pinnedImage,
    /** Name of the container in the task. @default "app" */
    containerName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/, "letters, digits, '_' and '-'")
      .default("app"),
    /** Port the container serves HTTP on; the target group and security groups use it. @default 8080 */
    containerPort: port.default(8080),
    /** Task CPU units (1024 = 1 vCPU). @default 256 */
    cpu: z
      .number()
      .int()
      .refine((cpu) => cpu in FARGATE_TASK_SIZES, `one of ${Object.keys(FARGATE_TASK_SIZES).join(", ")}`)
      .default(256),
    /** Task memory in MiB; must suit `cpu` (see FARGATE_TASK_SIZES). @default 512 */
    memory: z.number().int().default(512),
    /** CPU architecture of the image. @default "X86_64" */
    cpuArchitecture: z.enum(["X86_64", "ARM64"]).default("X86_64"),
    /** Numeric uid or uid:gid the container runs as; never root. @default "1000:1000" */
    user: z
      .string()
      .regex(/^[1-9]\d*(:[1-9]\d*)?$/, "a non-root numeric uid or uid:gid, like 1000:1000")
      .default("1000:1000"),
    /**
     * Paths given a writable, task-local volume; everything else is read-only (the root filesystem
     * is mounted read-only). @default ["/tmp"]
     */
    writablePaths: z
      .array(absolutePath)
      .refine((paths) => new Set(paths).size === paths.length, "paths without duplicates")
      .default(["/tmp"]),
    /** Plain, non-secret settings as environment variables. @default {} */
    environment: z.record(envName, z.string()).default({}),
    /** Secret environment variables, read by ECS from Secrets Manager or SSM at task start. @default {} */
    secrets: z.record(envName, containerSecret).default({}),
    /** KMS key that encrypts the secrets, when it is a customer managed key. @default none (AWS managed keys) */
    secretsKmsKeyArn: inputOf(arn).optional(),
    /** The container's CloudWatch log group. @default 90 days' retention, AWS-owned encryption */
    logs: z
      .object({
        /** Days CloudWatch keeps the logs. @default 90 */
        retentionDays: z
          .number()
          .refine((days) => LOG_RETENTION_DAYS.includes(days), `one of ${LOG_RETENTION_DAYS.join(", ")}`)
          .default(90),
        /** A KMS key to encrypt the logs with; its key policy must allow the logs service. @default a key created for this log group, usable only by CloudWatch Logs for it */
        kmsKeyArn: inputOf(arn).optional(),
      })
      .strict()
      .prefault({}),
    /** An existing ECS cluster to run in. @default none (the component creates a cluster) */
    clusterArn: inputOf(clusterArn).optional(),
    /** Container Insights level of the created cluster. @default "enhanced" */
    containerInsights: z.enum(["enhanced", "enabled", "disabled"]).default("enhanced"),
    /** The HTTPS listener rule forwarding to the service. @default priority 100, every path */
    listenerRule: z
      .object({
        /** Unique among the listener's rules; lower wins. @default 100 */
        priority: z.number().int().min(1).max(50000).default(100),
        /** @default ["/*"] */
        pathPatterns: z.array(z.string().min(1).max(128)).default(["/*"]),
        /** @default [] (any host) */
        hostHeaders: z.array(z.string().min(1).max(128)).default([]),
      })
      .strict()
      .refine((rule) => {
        const values = rule.pathPatterns.length + rule.hostHeaders.length;
        return values >= 1 && values <= 5;
      }, "1 to 5 path patterns and host headers in all (an ALB rule's limit)")
      .prefault({}),
    /** The target group's health check. @default GET /ready answering 200-399, every 15 s */
    healthCheck: z
      .object({
        /** @default "/ready" */
        path: z
          .string()
          .regex(/^\/\S*$/, "an HTTP path starting with '/'")
          .default("/ready"),
        /** HTTP codes that count as healthy. @default "200-399" */
        matcher: z
          .string()
          .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, "codes like 200, 200-399 or 200,204")
          .default("200-399"),
        /** @default 15 */
        intervalSeconds: z.number().int().min(5).max(300).default(15),
        /** @default 5 */
        timeoutSeconds: z.number().int().min(2).max(120).default(5),
        /** @default 2 */
        healthyThreshold: z.number().int().min(2).max(10).default(2),
        /** @default 3 */
        unhealthyThreshold: z.number().int().min(2).max(10).default(3),
        /** Seconds ECS ignores failing health checks after a task starts. @default 60 */
        gracePeriodSeconds: z.number().int().min(0).max(2147483647).default(60),
      })
      .strict()
      .refine((h) => h.timeoutSeconds < h.intervalSeconds, "timeoutSeconds below intervalSeconds")
      .prefault({}),
    /** Seconds the load balancer lets requests to a stopping task finish. @default 30 */
    deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(30),
    /** Rolling deployment limits and the circuit breaker. @default 100%/200%, roll back a failing deployment */
    deployment: z
      .object({
        /** @default 100 */
        minimumHealthyPercent: z.number().int().min(0).max(100).default(100),
        /** @default 200 */
        maximumPercent: z.number().int().min(100).max(200).default(200),
        /** Roll back to the last good deployment when the circuit breaker trips. @default true */
        rollback: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** Tasks and scaling. @default 2 to 4 tasks, tracking 60% CPU */
    autoScaling: z
      .object({
        /** @default 2 */
        minCapacity: z.number().int().min(1).default(2),
        /** @default 4 */
        maxCapacity: z.number().int().min(1).default(4),
        /** Average CPU the service scales to keep. @default 60 */
        cpuTargetPercent: z.number().int().min(10).max(90).default(60),
        /** Requests per task per minute to scale on too; needs `loadBalancer.arnSuffix`. @default none */
        requestsPerTarget: z.number().int().min(1).optional(),
        /** @default 300 */
        scaleInCooldownSeconds: z.number().int().min(0).default(300),
        /** @default 60 */
        scaleOutCooldownSeconds: z.number().int().min(0).default(60),
      })
      .strict()
      .refine((a) => a.maxCapacity >= a.minCapacity, {
        message: "maxCapacity at least minCapacity",
        path: ["maxCapacity"],
      })
      .prefault({}),
    /**
     * Client security groups to attach to the tasks, for example the data layer's database client
     * group; the server allows ingress from them. @default []
     */
    clientSecurityGroupIds: z.array(idInput).default([]),
    /** Where the tasks may open connections. @default HTTPS (443) anywhere, for ECR, logs and secrets */
    egress: z.array(egressRule).default(DEFAULT_EGRESS),
    /** Permissions of the application (the task role). @default none */
    grants: z
      .object({
        /** Buckets the application may list and read. @default [] */
        s3Read: z.array(inputOf(s3BucketArn)).default([]),
        /** Buckets the application may list, read, write and delete objects in. @default [] */
        s3ReadWrite: z.array(inputOf(s3BucketArn)).default([]),
      })
      .strict()
      .prefault({}),
    /** An EFS access point mounted into the container over TLS with IAM authorization. @default none */
    efs: z
      .object({
        fileSystemArn: expecting(inputOf(efsArn("file-system", "fs-0123abcd")), "an EFS file system ARN"),
        accessPointArn: expecting(inputOf(efsArn("access-point", "fsap-0123abcd")), "an EFS access point ARN"),
        containerPath: absolutePath,
        /** @default false */
        readOnly: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /** Extra tags for every taggable resource. @default {} */
    tags: extraTagsSchema,
  })
  .strict();

export const fargateServiceArgsSchema = fargateServiceFieldsSchema.superRefine((a, ctx) => {
  if (!isFargateTaskSize(a.cpu, a.memory) && a.cpu in FARGATE_TASK_SIZES) {
    ctx.addIssue({ code: "custom", path: ["memory"], message: `for cpu ${a.cpu}: ${memoryChoices(a.cpu)}` });
  }
  for (const name of Object.keys(a.secrets)) {
    if (name in a.environment) {
      ctx.addIssue({ code: "custom", path: ["environment", name], message: "a name not also given in secrets" });
    }
  }
  if (a.autoScaling.requestsPerTarget !== undefined && a.loadBalancer.arnSuffix === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["loadBalancer", "arnSuffix"],
      message: "the load balancer's arnSuffix, for autoScaling.requestsPerTarget",
    });
  }
  if (a.efs && a.writablePaths.includes(a.efs.containerPath)) {
    ctx.addIssue({ code: "custom", path: ["efs", "containerPath"], message: "a path not also in writablePaths" });
  }
});

export type FargateServiceArgs = z.input<typeof fargateServiceArgsSchema>;
export type ParsedFargateServiceArgs = z.output<typeof fargateServiceArgsSchema>;
