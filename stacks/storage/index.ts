import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../../components/storage/bucket";
import { SecureFileSystem } from "../../components/storage/file-system";
import { readConfig, StackConfigError } from "../config";
import type { LayerProgram } from "../layers";
import { upstreamStack } from "../upstream";
import { storageConfigSchema } from "./config";
import { networkInputs } from "./network-inputs";

/** Noncurrent versions in the log bucket only come from expired logs: a week to undo a mistake is enough. */
const LOG_NONCURRENT_DAYS = 7;

/**
 * The storage layer: an access-log bucket, the assets bucket logging into it, and an EFS file system
 * in the network's private subnets, reachable only through its client security group.
 */
const program: LayerProgram = async (context) => {
  const config = readConfig("stackline", storageConfigSchema);
  if (config.production && config.forceDestroy) {
    throw new StackConfigError(context.stack, [
      {
        key: "stackline:forceDestroy",
        expected: "false (a production bucket is never emptied by pulumi destroy)",
        found: "true",
      },
    ]);
  }
  const stateful: pulumi.ComponentResourceOptions = { protect: config.production };
  const common = { forceDestroy: config.forceDestroy, tags: config.tags };

  // The log bucket learns the assets bucket's ARN once that exists, to accept only its logs.
  const [assetsArn, resolveAssetsArn] = pulumi.deferredOutput<string>();
  // S3 cannot deliver access logs into an SSE-KMS bucket, and a log bucket logging into itself would
  // log its own deliveries without end: SSE-S3 and no access logs, for this bucket only.
  const logs = new SecureBucket(
    "access-logs",
    {
      ...common,
      bucketName: config.accessLogs.bucketName,
      accessLogs: false,
      encryption: "AES256",
      accessLogDelivery: { sourceBucketArns: [assetsArn] },
      lifecycle: {
        noncurrentVersionExpirationDays: LOG_NONCURRENT_DAYS,
        rules: [{ id: "expire-access-logs", expirationDays: config.accessLogs.retentionDays }],
      },
    },
    stateful,
  );
  const assets = new SecureBucket(
    "assets",
    {
      ...common,
      bucketName: config.assets.bucketName,
      accessLogs: { bucketName: logs.bucketName, prefix: "assets/" },
      lifecycle: config.assets.lifecycle,
      minimumTlsVersion: config.assets.minimumTlsVersion,
    },
    stateful,
  );
  resolveAssetsArn(assets.bucketArn);

  const { enabled, mountTargets, ...fileSystemSettings } = config.fileSystem;
  const fileSystem = enabled
    ? (() => {
        const network = networkInputs(
          upstreamStack(context, "network"),
          `${context.environment}-network`,
          mountTargets,
        );
        return new SecureFileSystem(
          "files",
          { ...fileSystemSettings, vpcId: network.vpcId, subnetIds: network.privateSubnetIds, tags: config.tags },
          stateful,
        );
      })()
    : undefined;

  return {
    assetsBucketName: assets.bucketName,
    assetsBucketArn: assets.bucketArn,
    assetsKmsKeyArn: assets.kmsKeyArn,
    accessLogsBucketName: logs.bucketName,
    fileSystemId: fileSystem?.fileSystemId,
    fileSystemArn: fileSystem?.fileSystemArn,
    fileSystemClientSecurityGroupId: fileSystem?.clientSecurityGroupId,
    fileSystemAccessPointIds: fileSystem?.accessPointIds,
  };
};

export default program;
