import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { arn } from "../aws/inputs";
import { extraTagsSchema, standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import { bucketLifecycleSchema, lifecycleRules } from "./bucket-lifecycle";
import { bucketPolicyDocument, RESERVED_BUCKET_SIDS } from "./bucket-policy";
import { customerManagedKey } from "./customer-key";
import { objectOrFalse, outputOr } from "./input-schemas";
import { RESERVED_KEY_SIDS } from "./key-policy";
import { policyStatementsInput, type ResolvedStatement } from "./statements";

/** Dots are refused: they break TLS certificate matching for virtual-hosted-style URLs. */
export const s3BucketName = z
  .string()
  .regex(
    /^(?!xn--|sthree-)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    "an S3 bucket name: 3-63 lower-case letters, digits and '-', starting and ending with a letter or digit",
  )
  .refine((name) => !name.endsWith("-s3alias") && !name.endsWith("--ol-s3"), {
    message: "a bucket name not ending in '-s3alias' or '--ol-s3' (reserved by S3)",
  });

const logPrefix = z
  .string()
  .max(512)
  .regex(/^$|^[^/].*\/$/, "a key prefix ending in '/', like 'assets/' (or '')");

const accessLogsTarget = z
  .object({
    /** Name of the bucket that receives the logs (a SecureBucket with `accessLogDelivery`, typically). */
    bucketName: outputOr(z.string().min(3)),
    /** Key prefix of this bucket's logs in the log bucket. @default "<resource name>/" */
    prefix: logPrefix.optional(),
  })
  .strict();

export const secureBucketArgsSchema = z
  .object({
    /** The bucket's globally unique name. @default Pulumi's auto-name (the resource name plus a random suffix) */
    bucketName: s3BucketName.optional(),
    /**
     * Where S3 server access logs of this bucket go. Required: give `false` to turn logging off on
     * purpose, which only makes sense for the log bucket itself (a log bucket logging into itself would
     * log its own log deliveries, forever). No default, so a bucket is never unlogged by omission.
     */
    accessLogs: objectOrFalse(
      accessLogsTarget,
      "an access log target { bucketName, prefix }, or false to turn access logging off on purpose",
    ),
    /**
     * Default encryption. `aws:kms` uses a customer managed key with S3 Bucket Keys. `AES256` (SSE-S3) is
     * only for buckets receiving S3 server access logs, which S3 cannot deliver into SSE-KMS buckets.
     * @default "aws:kms"
     */
    encryption: z.enum(["aws:kms", "AES256"]).default("aws:kms"),
    /** An existing customer managed KMS key to encrypt with. @default a new key, with yearly rotation */
    kmsKeyArn: outputOr(arn).optional(),
    /**
     * Extra statements for the created key's policy, for example letting a CloudFront distribution
     * decrypt (`kms:Decrypt` for `cloudfront.amazonaws.com` with `AWS:SourceArn`). A statement without
     * Resource gets `"*"` (in a key policy: this key). @default []
     */
    kmsKeyPolicyStatements: policyStatementsInput(RESERVED_KEY_SIDS).optional(),
    /** Keep every version of every object (undo for overwrites and deletes). @default true */
    versioning: z.boolean().default(true),
    /** Lifecycle rules: defaults abort incomplete uploads after 7 days and expire noncurrent versions after 90. @default {} */
    lifecycle: bucketLifecycleSchema.prefault({}),
    /**
     * Deny requests over TLS older than this (`s3:TlsVersion`), or `false` to accept any TLS version.
     * Plain HTTP is always denied. @default "1.2"
     */
    minimumTlsVersion: z
      .union([z.enum(["1.2", "1.3"]), z.literal(false)], { error: 'one of "1.2", "1.3", or false' })
      .default("1.2"),
    /**
     * Statements merged into the bucket's one policy, after its own deny statements. A statement
     * without Resource applies to the bucket's objects (`<bucketArn>/*`). May hold Outputs, including
     * ones resolved later through `pulumi.deferredOutput` (a CloudFront distribution's ARN). @default []
     */
    policyStatements: policyStatementsInput(RESERVED_BUCKET_SIDS).optional(),
    /**
     * Make this bucket a destination of S3 server access logs: the S3 logging service may write under
     * `prefix`, only for buckets of this account (and of `sourceBucketArns`, when given). Needs
     * `encryption: "AES256"`. @default not a log destination
     */
    accessLogDelivery: z
      .object({
        /** Only under this key prefix. @default "" (anywhere) */
        prefix: logPrefix.default(""),
        /** Only logs of these buckets. @default [] (any bucket of this account) */
        sourceBucketArns: z.array(outputOr(arn)).default([]),
      })
      .strict()
      .optional(),
    /** Let `pulumi destroy` delete the bucket with its objects. Never in production. @default false */
    forceDestroy: z.boolean().default(false),
    /** Extra tags for the bucket and its key. @default {} */
    tags: extraTagsSchema,
  })
  .strict()
  .superRefine((args, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message, input: args[path as keyof typeof args] });
    if (args.encryption === "AES256" && args.kmsKeyArn !== undefined) {
      problem("kmsKeyArn", "nothing (a KMS key is used only with encryption 'aws:kms')");
    }
    if (args.kmsKeyPolicyStatements !== undefined && (args.kmsKeyArn !== undefined || args.encryption === "AES256")) {
      problem(
        "kmsKeyPolicyStatements",
        "nothing (statements go into the key the bucket creates; with kmsKeyArn or AES256 none is created)",
      );
    }
    if (args.accessLogDelivery !== undefined && args.encryption !== "AES256") {
      problem("encryption", '"AES256" (S3 delivers server access logs only into buckets encrypted with SSE-S3)');
    }
  });

export type SecureBucketArgs = z.input<typeof secureBucketArgsSchema>;

/**
 * A private S3 bucket: all public access blocked, ACLs disabled (BucketOwnerEnforced), default
 * SSE-KMS encryption with a customer managed key and S3 Bucket Keys, versioning, access logging,
 * lifecycle rules, and one bucket policy that denies plain HTTP, old TLS and uploads asking for
 * another encryption, followed by the caller's statements.
 */
export class SecureBucket extends pulumi.ComponentResource {
  static readonly type = "stackline:storage:Bucket";
  /** The bucket's name. */
  readonly bucketName: pulumi.Output<string>;
  /** The bucket's ARN. */
  readonly bucketArn: pulumi.Output<string>;
  /** `<bucket>.s3.<region>.amazonaws.com`, for CloudFront's S3 origin. */
  readonly bucketRegionalDomainName: pulumi.Output<string>;
  /** The KMS key encrypting the bucket; undefined with `encryption: "AES256"`. */
  readonly kmsKeyArn: pulumi.Output<string | undefined>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(SecureBucket.type, name, secureBucketArgsSchema, args);
    super(SecureBucket.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(SecureBucket.type, name, parsed.tags);

    const bucket = new aws.s3.Bucket(
      name,
      { bucket: parsed.bucketName, forceDestroy: parsed.forceDestroy, tags },
      child,
    );
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );

    let kmsKeyArn: pulumi.Output<string> | undefined;
    if (parsed.encryption === "aws:kms") {
      kmsKeyArn = parsed.kmsKeyArn
        ? pulumi.output(parsed.kmsKeyArn)
        : customerManagedKey(`${name}-key`, {
            description: `Encrypts the objects of the S3 bucket ${name} (${pulumi.getStack()})`,
            statements: parsed.kmsKeyPolicyStatements ?? [],
            tags,
            parent: this,
          }).arn;
    }
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          kmsKeyArn
            ? {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn },
                bucketKeyEnabled: true,
              }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      child,
    );

    const versioning = parsed.versioning
      ? new aws.s3.BucketVersioning(
          `${name}-versioning`,
          { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
          child,
        )
      : undefined;

    if (parsed.accessLogs !== false) {
      new aws.s3.BucketLogging(
        `${name}-access-logs`,
        {
          bucket: bucket.id,
          targetBucket: parsed.accessLogs.bucketName,
          targetPrefix: parsed.accessLogs.prefix ?? `${name}/`,
        },
        child,
      );
    }

    const rules = lifecycleRules(parsed.lifecycle, parsed.versioning);
    if (rules.length > 0) {
      // Noncurrent-version rules act on versions: configure them once versioning is on.
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        { bucket: bucket.id, rules },
        { parent: this, dependsOn: versioning ? [versioning] : [] },
      );
    }

    const delivery = parsed.accessLogDelivery;
    const accountId = delivery ? aws.getCallerIdentityOutput({}, child).accountId : pulumi.output("");
    const policy = pulumi
      .all([
        bucket.arn,
        kmsKeyArn ?? pulumi.output(""),
        accountId,
        pulumi.output(delivery?.sourceBucketArns ?? []),
        pulumi.output(parsed.policyStatements ?? []),
      ])
      .apply(([bucketArn, keyArn, account, sourceBucketArns, statements]) =>
        JSON.stringify(
          bucketPolicyDocument({
            bucketArn,
            encryption: keyArn ? { algorithm: "aws:kms", kmsKeyArn: keyArn } : { algorithm: "AES256" },
            minimumTlsVersion: parsed.minimumTlsVersion,
            accessLogDelivery: delivery && { accountId: account, prefix: delivery.prefix, sourceBucketArns },
            callerStatements: statements as ResolvedStatement[],
          }),
        ),
      );
    // With BlockPublicPolicy being set up concurrently, PutBucketPolicy can fail; wait for the block.
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy },
      { parent: this, dependsOn: [publicAccessBlock] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
    this.kmsKeyArn = kmsKeyArn ?? pulumi.output(undefined);
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      bucketRegionalDomainName: this.bucketRegionalDomainName,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
