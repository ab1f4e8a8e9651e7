import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { awsManagedPolicyArn, serviceTrustPolicy } from "../auto-scaling/iam-policies";
import { encryptedRootVolume, IMDSV2_ONLY, launchTagSpecifications } from "../auto-scaling/launch-template-hardening";
import type { ParsedNodeGroup } from "./args";
import { nodeRolePolicies } from "./control-plane";

/** The Amazon Linux 2023 EKS AMIs' root device. */
const AL2023_ROOT_DEVICE = "/dev/xvda";

export interface NodeGroupInputs {
  /** The owning component's name, prefixing child names. */
  name: string;
  parent: pulumi.Resource;
  cluster: aws.eks.Cluster;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  partition: pulumi.Output<string>;
  settings: ParsedNodeGroup;
  tags: Record<string, string>;
}

/**
 * The node role (worker, registry pull and, unless turned off, CNI policies), a launch template
 * enforcing IMDSv2 with a hop limit of 1 and an encrypted gp3 root volume, and the managed node
 * group in the private subnets using it.
 */
export function createNodeGroup(inputs: NodeGroupInputs): { nodeGroup: aws.eks.NodeGroup; role: aws.iam.Role } {
  const { name, settings, tags, cluster } = inputs;
  const child = { parent: inputs.parent };

  const role = new aws.iam.Role(
    `${name}-node-role`,
    {
      description: `Node role of the ${name} EKS cluster`,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
      tags,
    },
    child,
  );
  const attachments = nodeRolePolicies(settings.attachCniPolicy).map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-node-${policy}`,
        { role: role.name, policyArn: inputs.partition.apply((p) => awsManagedPolicyArn(p, policy)) },
        child,
      ),
  );

  const launchTemplate = new aws.ec2.LaunchTemplate(
    `${name}-nodes`,
    {
      description: `Launch template of the ${name} EKS node group`,
      metadataOptions: IMDSV2_ONLY,
      blockDeviceMappings: [
        encryptedRootVolume({
          deviceName: AL2023_ROOT_DEVICE,
          sizeGiB: settings.diskSizeGiB,
          kmsKeyArn: settings.diskKmsKeyArn,
        }),
      ],
      // Naming security groups here replaces the cluster security group EKS would add, so add it back.
      vpcSecurityGroupIds: [cluster.vpcConfig.clusterSecurityGroupId, ...settings.extraSecurityGroupIds],
      tagSpecifications: launchTagSpecifications(tags, ["instance", "volume", "network-interface"]),
      updateDefaultVersion: true,
      tags,
    },
    child,
  );

  const nodeGroup = new aws.eks.NodeGroup(
    `${name}-nodes`,
    {
      clusterName: cluster.name,
      version: cluster.version,
      nodeRoleArn: role.arn,
      subnetIds: inputs.subnetIds,
      instanceTypes: settings.instanceTypes,
      amiType: settings.amiType,
      capacityType: settings.capacityType,
      scalingConfig: {
        minSize: settings.scaling.minSize,
        desiredSize: settings.scaling.desiredSize,
        maxSize: settings.scaling.maxSize,
      },
      // A concrete version, so a template change rolls the nodes.
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      labels: settings.labels,
      taints: settings.taints,
      updateConfig: { maxUnavailable: settings.maxUnavailable },
      tags,
    },
    // Nodes need their policies to join the cluster and pull the CNI's images.
    { parent: inputs.parent, dependsOn: attachments },
  );
  return { nodeGroup, role };
}
