import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { customerKey } from "../../aws/customer-key";
import { standardTags } from "../../aws/tags";
import { parseComponentArgs } from "../../validation";
import { awsManagedPolicyArn, serviceTrustPolicy } from "../auto-scaling/iam-policies";
import { type EksClusterArgs, eksClusterArgsSchema } from "./args";
import {
  CLUSTER_ROLE_POLICY,
  CONTROL_PLANE_LOG_TYPES,
  clusterAdminAccessPolicyArn,
  controlPlaneLogGroupName,
  defaultClusterName,
} from "./control-plane";
import { endpointVpcConfig } from "./endpoint-access";
import { clusterKeyPolicy } from "./key-policy";
import { buildKubeconfig } from "./kubeconfig";
import { createNodeGroup } from "./node-group";

export type { EksClusterArgs } from "./args";

/**
 * An EKS cluster built from plain AWS resources: a private API endpoint (public only for listed
 * CIDRs), all control-plane logs in a KMS-encrypted log group with retention, Kubernetes secrets
 * encrypted with a customer key, access entries instead of the aws-auth ConfigMap (no implicit admin
 * for the creator), a cluster role with AmazonEKSClusterPolicy only, a managed node group on a
 * hardened launch template, and an OIDC provider for IAM roles for service accounts.
 */
export class EksCluster extends pulumi.ComponentResource {
  static readonly type = "stackline:compute:EksCluster";
  /** The cluster's name. */
  readonly clusterName: pulumi.Output<string>;
  /** The cluster's ARN. */
  readonly clusterArn: pulumi.Output<string>;
  /** The Kubernetes API endpoint (https://...). */
  readonly endpoint: pulumi.Output<string>;
  /** Base64 PEM of the cluster's certificate authority. */
  readonly certificateAuthorityData: pulumi.Output<string>;
  /** The IAM OIDC provider's ARN, for IRSA roles' trust policies. */
  readonly oidcProviderArn: pulumi.Output<string>;
  /** The cluster's OIDC issuer URL (https://oidc.eks...). */
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** A kubeconfig using `aws eks get-token` (secret): `new k8s.Provider("eks", { kubeconfig })`. */
  readonly kubeconfig: pulumi.Output<string>;
  /** The security group EKS created for the control plane and the nodes. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The node role's ARN. */
  readonly nodeRoleArn: pulumi.Output<string>;
  /** The managed node group's name. */
  readonly nodeGroupName: pulumi.Output<string>;
  /** The KMS key encrypting secrets and control-plane logs. */
  readonly kmsKeyArn: pulumi.Output<string>;
  /** The control-plane log group's name. */
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(EksCluster.type, name, eksClusterArgsSchema, args);
    super(EksCluster.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(EksCluster.type, name, parsed.tags);
    const clusterName = parsed.clusterName ?? defaultClusterName(pulumi.getStack(), name);
    const logGroupName = controlPlaneLogGroupName(clusterName);
    const { partition } = aws.getPartitionOutput({}, child);

    const clusterRole = new aws.iam.Role(
      `${name}-cluster-role`,
      {
        description: `Cluster role of the ${clusterName} EKS cluster`,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("eks.amazonaws.com")),
        tags,
      },
      child,
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-cluster-${CLUSTER_ROLE_POLICY}`,
      { role: clusterRole.name, policyArn: partition.apply((p) => awsManagedPolicyArn(p, CLUSTER_ROLE_POLICY)) },
      child,
    );

    const kmsKeyArn = parsed.kmsKeyArn
      ? pulumi.output(parsed.kmsKeyArn)
      : this.createKey(name, { clusterName, logGroupName, clusterRole, partition, tags });

    // Created before the cluster, or EKS creates it without retention or encryption.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      { name: logGroupName, retentionInDays: parsed.logRetentionDays, kmsKeyId: kmsKeyArn, tags },
      child,
    );

    const cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: clusterName,
        version: parsed.kubernetesVersion,
        roleArn: clusterRole.arn,
        vpcConfig: { subnetIds: parsed.subnetIds, ...endpointVpcConfig(parsed.endpointAccess) },
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        encryptionConfig: { provider: { keyArn: kmsKeyArn }, resources: ["secrets"] },
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        deletionProtection: parsed.deletionProtection,
        tags,
      },
      { parent: this, dependsOn: [logGroup, clusterPolicy] },
    );

    parsed.adminRoleArns.forEach((principalArn, index) => {
      const entry = new aws.eks.AccessEntry(
        `${name}-admin-${index}`,
        { clusterName: cluster.name, principalArn, type: "STANDARD", tags },
        child,
      );
      new aws.eks.AccessPolicyAssociation(
        `${name}-admin-${index}`,
        {
          clusterName: cluster.name,
          principalArn: entry.principalArn,
          policyArn: partition.apply(clusterAdminAccessPolicyArn),
          accessScope: { type: "cluster" },
        },
        child,
      );
    });

    const oidcIssuerUrl = cluster.identities.apply((identities) => {
      const issuer = identities[0]?.oidcs?.[0]?.issuer;
      if (!issuer) throw new Error(`EKS cluster ${clusterName} reported no OIDC issuer`);
      return issuer;
    });
    const oidcProvider = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: oidcIssuerUrl, clientIdLists: ["sts.amazonaws.com"], tags },
      child,
    );

    const { nodeGroup, role: nodeRole } = createNodeGroup({
      name,
      parent: this,
      cluster,
      subnetIds: parsed.subnetIds,
      partition,
      settings: parsed.nodeGroup,
      tags,
    });

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.apply((ca) => ca.data ?? "");
    this.oidcProviderArn = oidcProvider.arn;
    this.oidcIssuerUrl = oidcIssuerUrl;
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.nodeRoleArn = nodeRole.arn;
    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.kmsKeyArn = kmsKeyArn;
    this.logGroupName = logGroup.name;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.endpoint, this.certificateAuthorityData, cluster.region, parsed.kubeconfig.roleArn])
        .apply(([name, endpoint, certificateAuthorityData, region, roleArn]) =>
          buildKubeconfig({
            clusterName: name,
            endpoint,
            certificateAuthorityData,
            region,
            roleArn,
            profile: parsed.kubeconfig.profile,
          }),
        ),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      endpoint: this.endpoint,
      certificateAuthorityData: this.certificateAuthorityData,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      kubeconfig: this.kubeconfig,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      nodeRoleArn: this.nodeRoleArn,
      nodeGroupName: this.nodeGroupName,
      kmsKeyArn: this.kmsKeyArn,
      logGroupName: this.logGroupName,
    });
  }

  /** The cluster's customer key, rotation on, usable only by the cluster role and this log group. */
  private createKey(
    name: string,
    parts: {
      clusterName: string;
      logGroupName: string;
      clusterRole: aws.iam.Role;
      partition: pulumi.Output<string>;
      tags: Record<string, string>;
    },
  ): pulumi.Output<string> {
    const child = { parent: this };
    const { accountId } = aws.getCallerIdentityOutput({}, child);
    const { region } = aws.getRegionOutput({}, child);
    const policy = pulumi
      .all([parts.partition, accountId, region, parts.clusterRole.arn])
      .apply(([partition, accountId, region, clusterRoleArn]) =>
        JSON.stringify(
          clusterKeyPolicy({ partition, accountId, region, clusterRoleArn, logGroupName: parts.logGroupName }),
        ),
      );
    const key = customerKey(
      `${name}-key`,
      {
        description: `Secrets and control-plane logs of the ${parts.clusterName} EKS cluster`,
        policy,
        tags: parts.tags,
      },
      child,
    );
    new aws.kms.Alias(`${name}-key`, { name: `alias/eks/${parts.clusterName}`, targetKeyId: key.keyId }, child);
    return key.arn;
  }
}
