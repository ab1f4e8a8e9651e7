import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancer } from "../../components/compute/alb";
import { AutoScalingGroup } from "../../components/compute/auto-scaling/auto-scaling-group";
import { EksCluster } from "../../components/compute/eks/eks-cluster";
import { FargateService } from "../../components/compute/fargate";
import { AliasRecord } from "../../components/dns/alias-record";
import { Certificate } from "../../components/dns/certificate";
import { recordFqdn } from "../../components/dns/domain-name";
import { readConfig, StackConfigError } from "../config";
import type { LayerProgram } from "../layers";
import { LOAD_BALANCER_LOG_PREFIX, loadBalancerLogBucket } from "./access-log-bucket";
import { computeConfigSchema } from "./config";
import { accessPointArn, appAccessPolicy, roleNameFromArn } from "./permissions";
import { computeUpstreamInputs } from "./upstream-inputs";

/**
 * The compute layer: an internet-facing ALB (HTTPS only, a certificate for api.<domain> and
 * origin.<domain>, access logs to a bucket made here) in front of an ECS Fargate service in the
 * private subnets, which reaches the database, the cache and the file system through their client
 * security groups; optionally an EKS cluster and an Auto Scaling group of workers.
 */
const program: LayerProgram = async (context) => {
  const config = readConfig("stackline", computeConfigSchema);
  const { fileSystem: mount, ...serviceSettings } = config.service;
  const { network, data, storage } = await computeUpstreamInputs(context, { fileSystem: mount !== undefined });

  const accessPointId = mount && storage.fileSystem?.accessPointIds[mount.accessPoint];
  if (mount && storage.fileSystem && accessPointId === undefined) {
    const known = Object.keys(storage.fileSystem.accessPointIds);
    throw new StackConfigError(context.stack, [
      {
        key: "stackline:service.fileSystem.accessPoint",
        expected: `an access point of stack '${context.environment}-storage' (${known.join(", ") || "it has none"})`,
        found: JSON.stringify(mount.accessPoint),
      },
    ]);
  }

  const tags = config.tags;
  const apiName = recordFqdn(config.apiSubdomain, network.domainName);
  const originName = recordFqdn(config.originSubdomain, network.domainName);

  // In the stack's region (the load balancer's), for both names clients and CloudFront use.
  const certificate = new Certificate("api", {
    domainName: apiName,
    subjectAlternativeNames: [originName],
    zoneId: network.hostedZoneId,
    tags,
  });

  const logs = loadBalancerLogBucket(config, { protect: config.production });
  const loadBalancer = new LoadBalancer(
    "public",
    {
      vpcId: network.vpcId,
      subnetIds: network.publicSubnetIds,
      certificateArn: certificate.certificateArn,
      accessLogs: { bucket: logs.bucketName, prefix: LOAD_BALANCER_LOG_PREFIX },
      ...config.loadBalancer,
      tags,
    },
    // ELB checks that it may write into the bucket when access logs are turned on: policy first.
    { dependsOn: [logs] },
  );

  const fileSystem = storage.fileSystem;
  const service = new FargateService("api", {
    ...serviceSettings,
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    loadBalancer: loadBalancer.attachment,
    secrets: {
      DATABASE_USERNAME: { arn: data.databaseSecretArn, jsonKey: "username" },
      DATABASE_PASSWORD: { arn: data.databaseSecretArn, jsonKey: "password" },
    },
    secretsKmsKeyArn: data.databaseKmsKeyArn,
    clientSecurityGroupIds: [
      data.databaseClientSecurityGroupId,
      data.cacheClientSecurityGroupId,
      ...(fileSystem ? [fileSystem.clientSecurityGroupId] : []),
    ],
    grants: { s3Read: [storage.assetsBucketArn] },
    efs:
      mount && fileSystem && accessPointId
        ? {
            fileSystemArn: fileSystem.fileSystemArn,
            accessPointArn: accessPointArn(fileSystem.fileSystemArn, accessPointId),
            containerPath: mount.containerPath,
            readOnly: mount.readOnly,
          }
        : undefined,
    tags,
  });

  // What FargateService's grants cannot say: the cache's IAM sign-in and the assets key.
  new aws.iam.RolePolicy("api-app-access", {
    role: service.taskRoleArn.apply(roleNameFromArn),
    policy: JSON.stringify(
      appAccessPolicy({
        cacheArn: data.cacheArn,
        cacheUserArn: data.cacheUserArn,
        assetsBucketArn: storage.assetsBucketArn,
        assetsKmsKeyArn: storage.assetsKmsKeyArn,
      }),
    ),
  });

  // The load balancer is dual-stack only if asked: an A record, no AAAA.
  new AliasRecord("api", {
    zoneId: network.hostedZoneId,
    name: apiName,
    target: { dnsName: loadBalancer.dnsName, hostedZoneId: loadBalancer.zoneId },
    ipv6: false,
  });

  const outputs: Record<string, unknown> = {
    loadBalancerDnsName: loadBalancer.dnsName,
    loadBalancerZoneId: loadBalancer.zoneId,
    loadBalancerArn: loadBalancer.loadBalancerArn,
    serviceSecurityGroupId: service.securityGroupId,
    clusterName: service.clusterName,
    serviceName: service.serviceName,
    taskRoleArn: service.taskRoleArn,
    certificateArn: certificate.certificateArn,
    accessLogsBucketName: logs.bucketName,
    apiUrl: `https://${apiName}`,
  };

  if (config.eks) {
    const { deletionProtection, ...eksSettings } = config.eks;
    const cluster = new EksCluster("eks", {
      ...eksSettings,
      subnetIds: network.privateSubnetIds,
      deletionProtection: deletionProtection ?? config.production,
      tags,
    });
    Object.assign(outputs, {
      eksClusterName: cluster.clusterName,
      eksClusterEndpoint: cluster.endpoint,
      eksClusterSecurityGroupId: cluster.clusterSecurityGroupId,
      eksOidcProviderArn: cluster.oidcProviderArn,
      eksNodeRoleArn: cluster.nodeRoleArn,
      // Secret already (EksCluster marks it); said again so an export can never lose it.
      eksKubeconfig: pulumi.secret(cluster.kubeconfig),
    });
  }

  if (config.workers) {
    const workers = new AutoScalingGroup("workers", {
      ...config.workers,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      tags,
    });
    Object.assign(outputs, {
      workersAutoScalingGroupName: workers.autoScalingGroupName,
      workersSecurityGroupId: workers.securityGroupId,
      workersInstanceRoleArn: workers.instanceRoleArn,
    });
  }

  return outputs;
};

export default program;
