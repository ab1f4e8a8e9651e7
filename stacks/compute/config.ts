import { z } from "zod";
import { extraTagsSchema } from "../../components/aws/tags";
import { loadBalancerArgsSchema } from "../../components/compute/alb/args";
import { autoScalingGroupArgsSchema } from "../../components/compute/auto-scaling/args";
import { eksClusterArgsSchema, nodeGroupSchema } from "../../components/compute/eks/args";
import { fargateServiceFieldsSchema } from "../../components/compute/fargate/args";
import { FARGATE_TASK_SIZES, isFargateTaskSize, memoryChoices } from "../../components/compute/fargate/task-size";
import { s3BucketName } from "../../components/storage/bucket";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

/** A name under the network layer's domain, like `api` or `api.eu` (not the apex: the edge layer's site may be there). */
const subdomain = z
  .string()
  .regex(new RegExp(`^${LABEL}(\\.${LABEL})*$`), "a name under the domain like api or api.eu");

const lb = loadBalancerArgsSchema.shape;
const eks = eksClusterArgsSchema.shape;
const asg = autoScalingGroupArgsSchema.shape;

/** An access point of the storage layer's file system, mounted into the service's container. */
const fileSystemMount = z
  .object({
    /** The access point's name in the storage layer (`stackline:fileSystem.accessPoints[].name` there). */
    accessPoint: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "an access point name like app"),
    /** Where the container sees it. */
    containerPath: z.string().regex(/^(\/[A-Za-z0-9._-]+)+$/, "an absolute path like /data"),
    /** Mount it read-only (the task role then gets ClientMount only, no ClientWrite). @default false */
    readOnly: z.boolean().default(false),
  })
  .strict();

/** The API service on Fargate: the FargateService's own fields, and the file system to mount. */
const serviceSchema = fargateServiceFieldsSchema
  .pick({
    image: true,
    containerPort: true,
    cpu: true,
    memory: true,
    cpuArchitecture: true,
    user: true,
    writablePaths: true,
    environment: true,
    logs: true,
    containerInsights: true,
    healthCheck: true,
    deregistrationDelaySeconds: true,
    deployment: true,
    autoScaling: true,
  })
  .extend({
    /**
     * Mount an access point of the storage layer's EFS file system, and attach its client security
     * group (the only way the tasks can reach NFS). @default none (no file system access)
     */
    fileSystem: fileSystemMount.optional(),
  })
  .strict()
  .superRefine((service, ctx) => {
    if (service.cpu in FARGATE_TASK_SIZES && !isFargateTaskSize(service.cpu, service.memory)) {
      ctx.addIssue({
        code: "custom",
        path: ["memory"],
        message: `for cpu ${service.cpu}: ${memoryChoices(service.cpu)}`,
      });
    }
    if (service.fileSystem && service.writablePaths.includes(service.fileSystem.containerPath)) {
      ctx.addIssue({
        code: "custom",
        path: ["fileSystem", "containerPath"],
        message: "a path not also in writablePaths",
      });
    }
  });

/** The optional EKS cluster, in the private subnets. */
const eksSchema = z
  .object({
    /** Roles given cluster-admin through access entries; at least one (the creator gets none). */
    adminRoleArns: eks.adminRoleArns,
    kubernetesVersion: eks.kubernetesVersion,
    endpointAccess: eks.endpointAccess,
    logRetentionDays: eks.logRetentionDays,
    /** The managed node group. @default 2 to 4 t3.large nodes, on demand */
    nodeGroup: nodeGroupSchema.omit({ extraSecurityGroupIds: true }).strict().prefault({}),
    kubeconfig: eks.kubeconfig,
    /** Refuse to delete the cluster through the API. @default stackline:production */
    deletionProtection: z.boolean().optional(),
  })
  .strict();

/** The optional EC2 Auto Scaling group of workers, in the private subnets, with no ingress. */
const workersSchema = z
  .object({
    instanceType: asg.instanceType,
    capacity: asg.capacity,
    amiId: asg.amiId,
    amiParameter: asg.amiParameter,
    rootVolume: asg.rootVolume,
    egress: asg.egress,
    userData: asg.userData,
  })
  .strict()
  .superRefine((workers, ctx) => {
    if (workers.amiId !== undefined && workers.amiParameter !== undefined) {
      ctx.addIssue({ code: "custom", path: ["amiParameter"], message: "at most one of amiId and amiParameter" });
    }
  });

/** The compute layer's stack config (`stackline:*` keys), checked with the components' own field schemas. */
export const computeConfigSchema = z
  .object({
    /**
     * A production environment: Pulumi `protect` on the load balancer's log bucket (kept, with its
     * logs, on destroy) and deletion protection on the EKS cluster. @default false
     */
    production: z.boolean().default(false),
    /** The API's name under the network layer's domain: the certificate covers it and it points at the load balancer. @default "api" */
    apiSubdomain: subdomain.default("api"),
    /**
     * The name CloudFront reaches the load balancer by (the edge layer's `stackline:apiOriginSubdomain`,
     * a CNAME it makes): the load balancer's certificate covers it too. @default "origin"
     */
    originSubdomain: subdomain.default("origin"),
    /** The internet-facing Application Load Balancer. @default HTTPS only, TLS 1.3 policy, deletion protection on */
    loadBalancer: z
      .object({
        deletionProtection: lb.deletionProtection,
        sslPolicy: lb.sslPolicy,
        idleTimeoutSeconds: lb.idleTimeoutSeconds,
        webAclArn: lb.webAclArn,
        ingressCidrs: lb.ingressCidrs,
      })
      .strict()
      .prefault({}),
    /** The load balancer's access-log bucket (SSE-S3, made here). */
    accessLogs: z
      .object({
        /** Its globally unique name. @default auto-named "alb-logs-<random>" */
        bucketName: s3BucketName.optional(),
        /** Days an access log is kept. @default 90 */
        retentionDays: z.number().int().min(1).max(3650).default(90),
      })
      .strict()
      .prefault({}),
    /** The API service on ECS Fargate (required: at least its image). */
    service: serviceSchema,
    /** An EKS cluster; none unless this key is set. @default none */
    eks: eksSchema.optional(),
    /** An EC2 Auto Scaling group of workers; none unless this key is set. @default none */
    workers: workersSchema.optional(),
    /** Extra tags on every taggable resource (a team, a cost centre). @default {} */
    tags: extraTagsSchema,
  })
  .strict()
  .refine((config) => config.originSubdomain !== config.apiSubdomain, {
    message: "a name other than apiSubdomain (CloudFront's origin name and the API's name are two records)",
    path: ["originSubdomain"],
  });

export type ComputeConfig = z.output<typeof computeConfigSchema>;
