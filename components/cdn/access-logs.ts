import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { idInput } from "../aws/inputs";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../dns/certificate";

/** CloudFront's log delivery is configured in us-east-1, whatever the stack's region and the bucket's. */
export const CLOUDFRONT_LOG_DELIVERY_REGION = CLOUDFRONT_CERTIFICATE_REGION;

/** The statement ids this module adds to a log bucket's policy and to its key's policy. */
export const LOG_DELIVERY_SIDS = {
  write: "AllowCloudFrontLogDeliveryWrite",
  aclCheck: "AllowCloudFrontLogDeliveryAclCheck",
  key: "AllowCloudFrontLogDeliveryEncrypt",
} as const;

export const accessLogsSchema = z
  .object({
    /**
     * The bucket receiving the logs, by ARN. Its policy must carry `cloudFrontLogDeliveryStatements`
     * (and its key's policy `cloudFrontLogDeliveryKeyStatement` when it uses SSE-KMS).
     */
    bucketArn: idInput,
    /** File format of the logs. @default "w3c" (the fields and layout of the legacy standard logs) */
    outputFormat: z.enum(["w3c", "json", "plain", "parquet"]).default("w3c"),
    /**
     * Key path under `AWSLogs/<account>/CloudFront/`, with CloudFront's variables. @default
     * "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}"
     */
    suffixPath: z
      .string()
      .max(256)
      .regex(/^[A-Za-z0-9{}/_-]*$/, "a key path like {DistributionId}/{yyyy}/{MM}/{dd}")
      .default("{DistributionId}/{yyyy}/{MM}/{dd}/{HH}"),
  })
  .strict();

export type AccessLogs = z.output<typeof accessLogsSchema>;

const LOG_DELIVERY = { Service: "delivery.logs.amazonaws.com" };

/** Only this account's CloudFront delivery sources (in us-east-1) may use the grant. */
function deliverySources(accountId: pulumi.Input<string>, partition: pulumi.Input<string>) {
  return pulumi.interpolate`arn:${partition}:logs:${CLOUDFRONT_LOG_DELIVERY_REGION}:${accountId}:delivery-source:*`;
}

/**
 * The log bucket's policy statements that let CloudWatch's log delivery write this account's
 * CloudFront logs (delivery sources in us-east-1) under `AWSLogs/<account>/`, and check the bucket's
 * ownership before it does. Standard logging v2 needs no bucket ACLs, so the log bucket keeps ACLs
 * disabled (legacy standard logging requires them and cannot write into a SecureBucket).
 */
export function cloudFrontLogDeliveryStatements(
  bucketArn: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
  partition: pulumi.Input<string> = "aws",
): aws.iam.PolicyStatement[] {
  const sources = deliverySources(accountId, partition);
  return [
    {
      Sid: LOG_DELIVERY_SIDS.write,
      Effect: "Allow",
      Principal: LOG_DELIVERY,
      Action: ["s3:PutObject"],
      Resource: pulumi.interpolate`${bucketArn}/AWSLogs/${accountId}/*`,
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
        ArnLike: { "aws:SourceArn": sources },
      },
    },
    {
      Sid: LOG_DELIVERY_SIDS.aclCheck,
      Effect: "Allow",
      Principal: LOG_DELIVERY,
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: bucketArn,
      Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sources } },
    },
  ];
}

/** The key policy statement that lets log delivery encrypt log files with the log bucket's KMS key. */
export function cloudFrontLogDeliveryKeyStatement(
  accountId: pulumi.Input<string>,
  partition: pulumi.Input<string> = "aws",
): aws.iam.PolicyStatement {
  return {
    Sid: LOG_DELIVERY_SIDS.key,
    Effect: "Allow",
    Principal: LOG_DELIVERY,
    // GenerateDataKey to encrypt each file; Decrypt because S3 needs it for multipart uploads.
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ArnLike: { "aws:SourceArn": deliverySources(accountId, partition) },
    },
  };
}

/**
 * Standard logging (v2) of one distribution to S3: a delivery source for its access logs, a delivery
 * destination for the bucket, and the delivery between them, all in us-east-1.
 */
export function accessLogDelivery(
  name: string,
  distributionArn: pulumi.Input<string>,
  logs: AccessLogs,
  tags: Record<string, string>,
  parent: pulumi.Resource,
) {
  const region = CLOUDFRONT_LOG_DELIVERY_REGION;
  const source = new aws.cloudwatch.LogDeliverySource(
    `${name}-logs`,
    { logType: "ACCESS_LOGS", resourceArn: distributionArn, region, tags },
    { parent },
  );
  const destination = new aws.cloudwatch.LogDeliveryDestination(
    `${name}-logs`,
    {
      deliveryDestinationConfiguration: { destinationResourceArn: logs.bucketArn },
      outputFormat: logs.outputFormat,
      region,
      tags,
    },
    { parent },
  );
  return new aws.cloudwatch.LogDelivery(
    `${name}-logs`,
    {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      s3DeliveryConfigurations: [{ suffixPath: logs.suffixPath, enableHiveCompatiblePath: false }],
      region,
      tags,
    },
    { parent },
  );
}
