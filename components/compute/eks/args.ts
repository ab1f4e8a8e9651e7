import { z } from "zod";
import { arn, idInput, inputOf } from "../../aws/inputs";
import { extraTagsSchema } from "../../aws/tags";
import { labelMap } from "../../kubernetes/labels";
import { capacitySchema } from "../auto-scaling/capacity";
import { iamRoleArn, idListOrOutput } from "../auto-scaling/inputs";
import { CLUSTER_NAME_PATTERN, LOG_RETENTION_DAYS } from "./control-plane";
import { endpointAccessSchema } from "./endpoint-access";

/** The Kubernetes version a new cluster gets. */
export const DEFAULT_KUBERNETES_VERSION = "1.34";

const taintSchema = z
  .object({
    key: z.string().min(1).max(63),
    /** @default none */
    value: z.string().min(1).max(63).optional(),
    effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
  })
  .strict();

export const nodeGroupSchema = z
  .object({
    /** EC2 instance types the node group may launch. @default ["t3.large"] */
    instanceTypes: z
      .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, "an EC2 instance type like t3.large"))
      .min(1)
      .default(["t3.large"]),
    /** The EKS-optimized Amazon Linux 2023 AMI family. @default "AL2023_x86_64_STANDARD" */
    amiType: z.enum(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD"]).default("AL2023_x86_64_STANDARD"),
    /** On-demand or Spot capacity. @default "ON_DEMAND" */
    capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
    /** Node counts. @default { minSize: 2, desiredSize: minSize, maxSize: 4 } */
    scaling: capacitySchema({ minSize: 2, maxSize: 4 }),
    /** Size of each node's encrypted gp3 root volume, in GiB. @default 50 */
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
    /**
     * A customer KMS key for the root volumes. Its key policy must let the Auto Scaling
     * service-linked role use it. @default the account's aws/ebs key (volumes are encrypted either way)
     */
    diskKmsKeyArn: inputOf(arn).optional(),
    /** Kubernetes labels on every node. @default {} */
    labels: labelMap.default({}),
    /** Kubernetes taints on every node. @default [] */
    taints: z.array(taintSchema).max(50).default([]),
    /**
     * Attach AmazonEKS_CNI_Policy to the node role. Turn off once the VPC CNI (aws-node) has its own
     * role through IRSA or Pod Identity, so pods on the node cannot use the CNI's permissions. @default true
     */
    attachCniPolicy: z.boolean().default(true),
    /**
     * Security groups added to the nodes beside the cluster security group, for example a database's
     * client group. @default []
     */
    extraSecurityGroupIds: z.array(idInput).default([]),
    /** Nodes replaced at a time during an update. @default 1 */
    maxUnavailable: z.number().int().min(1).max(100).default(1),
  })
  .strict();

export const eksClusterArgsSchema = z
  .object({
    /** Private subnets, in at least two Availability Zones, for the control plane's ENIs and the nodes. */
    subnetIds: idListOrOutput,
    /**
     * IAM roles given cluster-admin through EKS access entries (AmazonEKSClusterAdminPolicy). The
     * identity that creates the cluster gets no implicit admin, so at least one is required.
     */
    adminRoleArns: z.array(inputOf(iamRoleArn)).min(1),
    /** The EKS cluster's name; the control-plane log group is named after it. @default "<stack>-<name>" */
    clusterName: z
      .string()
      .regex(
        CLUSTER_NAME_PATTERN,
        "an EKS cluster name: letters, digits, '-' and '_', at most 100, a letter or digit first",
      )
      .optional(),
    /** Kubernetes minor version. @default "1.34" */
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}$/, "a Kubernetes minor version like 1.34")
      .default(DEFAULT_KUBERNETES_VERSION),
    /** Who may reach the Kubernetes API. @default private endpoint only */
    endpointAccess: endpointAccessSchema,
    /**
     * A customer KMS key for secrets encryption and the control-plane log group. Its key policy must
     * let the cluster role and CloudWatch Logs use it. @default a key created here, rotation on
     */
    kmsKeyArn: inputOf(arn).optional(),
    /** Days to keep control-plane logs. @default 90 */
    logRetentionDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(90),
    /** The managed node group. @default 2 to 4 t3.large nodes, on demand */
    nodeGroup: nodeGroupSchema.prefault({}),
    /** How the exported kubeconfig gets credentials. @default the caller's default AWS credentials */
    kubeconfig: z
      .object({
        /** A role `aws eks get-token` assumes (one of adminRoleArns, typically). @default none */
        roleArn: inputOf(iamRoleArn).optional(),
        /** An AWS CLI profile, set as AWS_PROFILE. @default none */
        profile: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** Refuse to delete the cluster until this is turned off. @default false */
    deletionProtection: z.boolean().default(false),
    /** Extra tags for every taggable resource. @default {} */
    tags: extraTagsSchema,
  })
  .strict();

export type EksClusterArgs = z.input<typeof eksClusterArgsSchema>;
export type ParsedEksClusterArgs = z.output<typeof eksClusterArgsSchema>;
export type ParsedNodeGroup = z.output<typeof nodeGroupSchema>;
