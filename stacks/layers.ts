/**
 * Every layer a stack can run, and the outputs of upstream layers it reads. The orchestrator derives
 * an environment's stack graph from these declarations and the stack config files present, without
 * loading any layer's program, and uses the read outputs to flag stale previews.
 */
export interface LayerDefinition {
  description: string;
  /**
   * Upstream layers of the same environment (deployed first) and the outputs read from each, through
   * StackReferences (`stacks/upstream.ts` allows no others).
   */
  reads: Readonly<Record<string, readonly string[]>>;
}

export const layers = {
  platform: {
    description: "Kubernetes namespaces with Pod Security, quotas, default limits and default-deny network policies",
    reads: {},
  },
  apps: {
    description: "Application workloads in the platform's namespaces, each with its service, policies and scaling",
    reads: { platform: ["namespaces"] },
  },
  network: {
    description: "VPC with public, private and isolated subnets, NAT, flow logs, endpoints, and the public DNS zone",
    reads: {},
  },
  data: {
    description: "PostgreSQL (RDS) and Redis/Valkey (ElastiCache), reachable only from their client security groups",
    reads: { network: ["vpcId", "isolatedSubnetIds"] },
  },
  storage: {
    description: "S3 buckets and an EFS file system, encrypted with customer keys and TLS-only",
    reads: { network: ["vpcId", "privateSubnetIds"] },
  },
  compute: {
    description: "ECS Fargate service behind an ALB, and optionally an EKS cluster and an EC2 Auto Scaling group",
    reads: {
      network: ["vpcId", "publicSubnetIds", "privateSubnetIds", "hostedZoneId", "domainName"],
      data: [
        "databaseClientSecurityGroupId",
        "databaseSecretArn",
        "databaseKmsKeyArn",
        "cacheClientSecurityGroupId",
        "cacheArn",
        "cacheUserArn",
      ],
      storage: [
        "assetsBucketArn",
        "assetsKmsKeyArn",
        "fileSystemClientSecurityGroupId",
        "fileSystemArn",
        "fileSystemAccessPointIds",
      ],
    },
  },
  edge: {
    description: "CloudFront over the static site bucket and the ALB, its us-east-1 certificate, and DNS records",
    reads: {
      network: ["hostedZoneId", "domainName"],
      compute: ["loadBalancerDnsName"],
    },
  },
} as const satisfies Record<string, LayerDefinition>;

export type LayerName = keyof typeof layers;

export function isLayerName(name: string): name is LayerName {
  return Object.hasOwn(layers, name);
}

/** Context every layer program receives: which stack it is and how to read its upstream layers. */
export interface LayerContext {
  stack: string;
  environment: string;
  layer: LayerName;
}

/** A layer's program: registers resources and returns the stack's outputs. */
export type LayerProgram = (context: LayerContext) => Promise<Record<string, unknown>>;
