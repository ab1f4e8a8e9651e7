import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The statement ids this module adds to a bucket's policy and to its key's policy. */
export const S3_ORIGIN_SIDS = {
  bucketRead: "AllowCloudFrontDistributionRead",
  keyDecrypt: "AllowCloudFrontDistributionDecrypt",
} as const;

const CLOUDFRONT = { Service: "cloudfront.amazonaws.com" };

/**
 * The bucket policy statement that lets one CloudFront distribution, and no other, read the bucket's
 * objects through origin access control: the service principal narrowed by `AWS:SourceArn`. It names no
 * Resource, so SecureBucket applies it to the bucket's objects (`<bucketArn>/*`). Without
 * `s3:ListBucket` a missing object answers 403 rather than 404, which hides what the bucket holds.
 */
export function s3OriginReadStatement(distributionArn: pulumi.Input<string>): aws.iam.PolicyStatement {
  return {
    Sid: S3_ORIGIN_SIDS.bucketRead,
    Effect: "Allow",
    Principal: CLOUDFRONT,
    Action: ["s3:GetObject"],
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}

/**
 * The key policy statement that lets the same distribution decrypt objects of a bucket encrypted with
 * a customer managed key (SSE-KMS). In a key policy the implied Resource is the key itself.
 */
export function s3OriginKmsDecryptStatement(distributionArn: pulumi.Input<string>): aws.iam.PolicyStatement {
  return {
    Sid: S3_ORIGIN_SIDS.keyDecrypt,
    Effect: "Allow",
    Principal: CLOUDFRONT,
    Action: ["kms:Decrypt"],
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}

/** What a SecureBucket takes to serve a distribution that does not exist yet, and how to complete it. */
export interface DeferredS3OriginGrants {
  /** For SecureBucket's `policyStatements`. */
  policyStatements: aws.iam.PolicyStatement[];
  /** For SecureBucket's `kmsKeyPolicyStatements` (the bucket's own SSE-KMS key). */
  kmsKeyPolicyStatements: aws.iam.PolicyStatement[];
  /** Completes the grants with the distribution's ARN; call it exactly once. */
  bind(distribution: { distributionArn: pulumi.Output<string> }): void;
}

/**
 * The bucket comes first (the distribution needs its domain name) but its policy needs the
 * distribution's ARN: the statements hold a deferred Output that `bind` resolves once the distribution
 * exists, so the bucket policy and key policy are written after it, scoped to exactly that ARN.
 */
export function deferredS3OriginGrants(): DeferredS3OriginGrants {
  const [distributionArn, resolve] = pulumi.deferredOutput<string>();
  return {
    policyStatements: [s3OriginReadStatement(distributionArn)],
    kmsKeyPolicyStatements: [s3OriginKmsDecryptStatement(distributionArn)],
    bind: (distribution) => resolve(distribution.distributionArn),
  };
}
