import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../../components/storage/bucket";
import type { ComputeConfig } from "./config";
import { elbLogDeliveryStatement } from "./elb-log-delivery";

/** Where the load balancer writes in the log bucket: `<prefix>/AWSLogs/<account>/...`. */
export const LOAD_BALANCER_LOG_PREFIX = "alb";

/** Noncurrent versions in a log bucket only come from expired logs: a week to undo a mistake is enough. */
const LOG_NONCURRENT_DAYS = 7;

/**
 * The load balancer's access-log bucket, as the ALB requires it: SSE-S3 (ELB cannot write into SSE-KMS
 * buckets), and a policy letting Elastic Load Balancing write this account's logs under the load
 * balancer's prefix only. Everything else SecureBucket gives every bucket stays: public access
 * blocked, ACLs off, TLS only, versioning. It keeps no access logs of its own: logging a log bucket
 * only moves the question to another bucket.
 */
export function loadBalancerLogBucket(config: ComputeConfig, opts: pulumi.ComponentResourceOptions): SecureBucket {
  const [bucketArn, resolveBucketArn] = pulumi.deferredOutput<string>();
  const statements = pulumi
    .all([
      bucketArn,
      aws.getCallerIdentityOutput().accountId,
      aws.getRegionOutput().region,
      aws.getPartitionOutput().partition,
    ])
    .apply(([arn, accountId, region, partition]) => [
      elbLogDeliveryStatement({ bucketArn: arn, prefix: LOAD_BALANCER_LOG_PREFIX, accountId, region, partition }),
    ]);
  const bucket = new SecureBucket(
    "alb-logs",
    {
      bucketName: config.accessLogs.bucketName,
      accessLogs: false,
      encryption: "AES256",
      policyStatements: statements,
      lifecycle: {
        noncurrentVersionExpirationDays: LOG_NONCURRENT_DAYS,
        rules: [{ id: "expire-alb-logs", expirationDays: config.accessLogs.retentionDays }],
      },
      forceDestroy: !config.production,
      tags: config.tags,
    },
    opts,
  );
  resolveBucketArn(bucket.bucketArn);
  return bucket;
}
