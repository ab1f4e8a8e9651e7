import { assertUniqueSids, type ResolvedStatement, withDefaultResource } from "./statements";

/** The ids of the statements a SecureBucket writes itself; callers' statements may not reuse them. */
export const BUCKET_POLICY_SIDS = {
  denyInsecureTransport: "DenyInsecureTransport",
  denyOutdatedTls: "DenyOutdatedTls",
  denyOtherEncryption: "DenyOtherEncryption",
  denyOtherKmsKeys: "DenyOtherKmsKeys",
  denyKmsWithoutKeyId: "DenyKmsUploadsWithoutKeyId",
  allowAccessLogDelivery: "AllowS3ServerAccessLogs",
} as const;

export const RESERVED_BUCKET_SIDS: readonly string[] = Object.values(BUCKET_POLICY_SIDS);

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: ResolvedStatement[];
}

/** Everything a bucket policy is made from, once known (resolved Outputs). */
export interface BucketPolicyPlan {
  bucketArn: string;
  /** Default encryption the bucket applies; uploads asking for anything else are denied. */
  encryption: { algorithm: "aws:kms"; kmsKeyArn: string } | { algorithm: "AES256" };
  /** Requests over an older TLS version are denied; false allows any TLS version (TLS itself stays required). */
  minimumTlsVersion: "1.2" | "1.3" | false;
  /** When this bucket receives S3 server access logs: from which account and buckets, under which prefix. */
  accessLogDelivery?: { accountId: string; prefix: string; sourceBucketArns: string[] };
  /** The caller's statements; one without Resource applies to the bucket's objects (`<bucketArn>/*`). */
  callerStatements: ResolvedStatement[];
}

/**
 * The one policy document of a bucket: its own deny statements first, then log delivery, then the
 * caller's statements, so a caller's grant can never be written without the guards around it.
 *
 * Encryption guards use `StringNotEqualsIfExists`: with default bucket encryption most clients send
 * no encryption header and S3 applies the bucket's key, so a deny on a *missing* header would refuse
 * every correctly encrypted upload. Only a header asking for something else is denied. An `aws:kms`
 * header without a key id is denied too, because S3 would then use the AWS managed key (`aws/s3`),
 * not the bucket's: send no header, or send the key's full ARN.
 */
export function bucketPolicyDocument(plan: BucketPolicyPlan): PolicyDocument {
  const bucket = plan.bucketArn;
  const objects = `${bucket}/*`;
  const everyone = "*";
  const statements: ResolvedStatement[] = [
    {
      Sid: BUCKET_POLICY_SIDS.denyInsecureTransport,
      Effect: "Deny",
      Principal: everyone,
      Action: "s3:*",
      Resource: [bucket, objects],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ];
  if (plan.minimumTlsVersion !== false) {
    statements.push({
      Sid: BUCKET_POLICY_SIDS.denyOutdatedTls,
      Effect: "Deny",
      Principal: everyone,
      Action: "s3:*",
      Resource: [bucket, objects],
      Condition: { NumericLessThan: { "s3:TlsVersion": Number(plan.minimumTlsVersion) } },
    });
  }
  statements.push({
    Sid: BUCKET_POLICY_SIDS.denyOtherEncryption,
    Effect: "Deny",
    Principal: everyone,
    Action: "s3:PutObject",
    Resource: objects,
    Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": plan.encryption.algorithm } },
  });
  if (plan.encryption.algorithm === "aws:kms") {
    statements.push(
      {
        Sid: BUCKET_POLICY_SIDS.denyOtherKmsKeys,
        Effect: "Deny",
        Principal: everyone,
        Action: "s3:PutObject",
        Resource: objects,
        Condition: {
          StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": plan.encryption.kmsKeyArn },
        },
      },
      {
        Sid: BUCKET_POLICY_SIDS.denyKmsWithoutKeyId,
        Effect: "Deny",
        Principal: everyone,
        Action: "s3:PutObject",
        Resource: objects,
        Condition: {
          StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
          Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
        },
      },
    );
  }
  if (plan.accessLogDelivery) {
    const { accountId, prefix, sourceBucketArns } = plan.accessLogDelivery;
    statements.push({
      Sid: BUCKET_POLICY_SIDS.allowAccessLogDelivery,
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucket}/${prefix}*`,
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ...(sourceBucketArns.length > 0 ? { ArnLike: { "aws:SourceArn": sourceBucketArns } } : {}),
      },
    });
  }
  statements.push(...plan.callerStatements.map((statement) => withDefaultResource(statement, objects)));
  assertUniqueSids(statements, `Bucket policy of ${bucket}`);
  return { Version: "2012-10-17", Statement: statements };
}
