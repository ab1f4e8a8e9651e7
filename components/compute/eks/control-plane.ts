/** Naming and policy facts of an EKS control plane, kept apart from the code that creates it. */

/** Every control-plane log type EKS can send to CloudWatch Logs; all are on. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The only managed policy the cluster role gets. */
export const CLUSTER_ROLE_POLICY = "AmazonEKSClusterPolicy";

/** Managed policies of the node role. The CNI policy is optional: see nodeRolePolicies. */
export const NODE_ROLE_POLICIES = {
  worker: "AmazonEKSWorkerNodePolicy",
  // The pull-only successor of AmazonEC2ContainerRegistryReadOnly, which the EKS user guide now names.
  registry: "AmazonEC2ContainerRegistryPullOnly",
  cni: "AmazonEKS_CNI_Policy",
} as const;

/**
 * The node role's managed policies. The VPC CNI's policy (ENI and IP management) is on the node role
 * only while the CNI has no role of its own; with one through IRSA or Pod Identity, leave it off.
 */
export function nodeRolePolicies(attachCniPolicy: boolean): string[] {
  const { worker, registry, cni } = NODE_ROLE_POLICIES;
  return attachCniPolicy ? [worker, registry, cni] : [worker, registry];
}

/** The EKS access policy granted to admin principals, cluster-wide. */
export function clusterAdminAccessPolicyArn(partition: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
}

/** The log group EKS writes control-plane logs to; it must exist under this name before the cluster. */
export function controlPlaneLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/** EKS cluster names: 1-100 characters, a letter or digit first, then letters, digits, '-' and '_'. */
export const CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/**
 * The cluster's name when none is given: `<stack>-<component name>`, so the same program deployed
 * as dev and prod in one account does not collide. Characters EKS refuses become '-'.
 */
export function defaultClusterName(stack: string, name: string): string {
  const cleaned = `${stack}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-").replace(/^[^0-9A-Za-z]+/, "");
  return cleaned.slice(0, 100);
}
