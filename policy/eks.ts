import type * as aws from "@pulumi/aws";
import type { Policies } from "@pulumi/policy";
import { isSet, knownElements, peek, shown, UNKNOWN } from "./support/props";
import { validateTypes } from "./support/resources";

const CLUSTER = "aws:eks/cluster:Cluster";

/** Every EKS control plane log type. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const WORLD = ["0.0.0.0/0", "::/0"];

export const eksPolicies: Policies = [
  {
    name: "eks-private-endpoint",
    description:
      "EKS API endpoints are private (endpointPublicAccess false) or public only to named CIDRs, never 0.0.0.0/0.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.eks.ClusterArgs>([CLUSTER], (cluster, _args, report) => {
      const vpc = cluster.vpcConfig;
      if (vpc?.endpointPublicAccess === false) return;
      const cidrs = peek(() => vpc?.publicAccessCidrs);
      if (cidrs === UNKNOWN) return;
      const known = knownElements(() => cidrs);
      const open = known.length === 0 ? ["0.0.0.0/0 (the default)"] : known.filter((cidr) => WORLD.includes(cidr));
      if (open.length > 0)
        report(
          `The API endpoint is public to ${open.join(", ")}. Set vpcConfig.endpointPublicAccess false (with endpointPrivateAccess true), or publicAccessCidrs to your operators' ranges.`,
        );
    }),
  },
  {
    name: "eks-control-plane-logs",
    description: `EKS clusters send all control plane logs to CloudWatch (${EKS_LOG_TYPES.join(", ")}).`,
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.eks.ClusterArgs>([CLUSTER], (cluster, _args, report) => {
      const enabled = peek(() => cluster.enabledClusterLogTypes);
      if (enabled === UNKNOWN) return;
      const known = knownElements(() => enabled);
      const missing = EKS_LOG_TYPES.filter((type) => !known.includes(type));
      if (missing.length > 0)
        report(`enabledClusterLogTypes lacks ${missing.join(", ")}. Enable all of ${EKS_LOG_TYPES.join(", ")}.`);
    }),
  },
  {
    name: "eks-secrets-encryption",
    description: "EKS clusters encrypt Kubernetes secrets with a customer-managed KMS key (envelope encryption).",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.eks.ClusterArgs>([CLUSTER], (cluster, _args, report) => {
      const encryption = cluster.encryptionConfig;
      const resources = knownElements(() => encryption?.resources);
      if (!resources.includes("secrets") || !isSet(() => encryption?.provider?.keyArn))
        report(
          `encryptionConfig is ${shown(encryption)}. Set { resources: ["secrets"], provider: { keyArn: <KMS key ARN> } }.`,
        );
    }),
  },
  {
    name: "eks-authentication-mode",
    description:
      "EKS clusters grant access with access entries (authenticationMode API or API_AND_CONFIG_MAP), not only the aws-auth ConfigMap.",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.eks.ClusterArgs>([CLUSTER], (cluster, _args, report) => {
      const mode = cluster.accessConfig?.authenticationMode;
      if (mode !== "API" && mode !== "API_AND_CONFIG_MAP")
        report(
          `accessConfig.authenticationMode is ${mode === undefined ? "not set (CONFIG_MAP)" : shown(mode)}. Set "API" (or "API_AND_CONFIG_MAP" while migrating).`,
        );
    }),
  },
];
