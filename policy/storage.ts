import type * as aws from "@pulumi/aws";
import type { Policies, PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { asList, isSet, knownElements, parseJson, peek, shown, UNKNOWN } from "./support/props";
import { described, referrers, resourcesOf, validateAnyOf, validateTypes } from "./support/resources";

/** Buckets under the v7 name and the deprecated BucketV2 alias; companions likewise. */
const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const PUBLIC_ACCESS_BLOCKS = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
const ENCRYPTION_CONFIGS = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const VERSIONINGS = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
const BUCKET_POLICIES = ["aws:s3/bucketPolicy:BucketPolicy"];
const OWNERSHIP_CONTROLS = ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"];
const BUCKET_ACLS = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];
const OBJECTS = ["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"];
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const BUCKET_LOGGINGS = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
const EFS = "aws:efs/fileSystem:FileSystem";

/** A bucket's companions name it by its name, which is also its id. */
const BUCKET_IDENTIFIERS = ["id", "bucket"];
const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];

/** The stack's resources of `types` configuring `bucket` through their `bucket` property. */
function companions(args: StackValidationArgs, types: readonly string[], bucket: PolicyResource) {
  return referrers(args, types, { property: "bucket" }, bucket, BUCKET_IDENTIFIERS);
}

/**
 * True when the bucket receives logs whose delivery supports SSE-S3 only: load balancer access,
 * connection or health-check logs, and S3 server access logs (aws.s3.BucketLogging, or another
 * bucket's inline `logging`).
 */
function isSseS3OnlyLogDestination(args: StackValidationArgs, bucket: PolicyResource): boolean {
  const logsOf = (types: readonly string[], property: string, read?: (props: Record<string, unknown>) => unknown) =>
    referrers(args, types, { property, ...(read ? { value: read } : {}) }, bucket, BUCKET_IDENTIFIERS).length > 0;
  const nested = (property: string, field: string) => (props: Record<string, unknown>) =>
    (props[property] as Record<string, unknown> | undefined)?.[field];
  return (
    ["accessLogs", "connectionLogs", "healthCheckLogs"].some((property) =>
      logsOf(LOAD_BALANCERS, property, nested(property, "bucket")),
    ) ||
    logsOf(BUCKET_LOGGINGS, "targetBucket") ||
    logsOf(BUCKETS, "logging", nested("logging", "targetBucket"))
  );
}

/** A bucket's inline (deprecated) default encryption. */
interface InlineEncryption {
  rule?: { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } };
}

/** The default encryption algorithms a bucket is given, inline or by companion resources; UNKNOWN when not known yet. */
function encryptionAlgorithms(args: StackValidationArgs, bucket: PolicyResource): string[] | typeof UNKNOWN {
  const inline = peek(
    () =>
      (bucket.props.serverSideEncryptionConfiguration as InlineEncryption | undefined)?.rule
        ?.applyServerSideEncryptionByDefault?.sseAlgorithm,
  );
  const algorithms: string[] = typeof inline === "string" ? [inline] : [];
  for (const config of companions(args, ENCRYPTION_CONFIGS, bucket)) {
    const rules = peek(
      () => config.props.rules as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }[],
    );
    if (rules === UNKNOWN || inline === UNKNOWN) return UNKNOWN;
    for (const rule of knownElements(() => rules)) {
      const algorithm = rule.applyServerSideEncryptionByDefault?.sseAlgorithm;
      if (typeof algorithm === "string") algorithms.push(algorithm);
    }
  }
  return algorithms;
}

/** The bucket policy documents of a bucket (inline and BucketPolicy resources); UNKNOWN when one is not known yet. */
function policyDocuments(args: StackValidationArgs, bucket: PolicyResource): unknown[] | typeof UNKNOWN {
  const documents = [
    peek(() => bucket.props.policy),
    ...companions(args, BUCKET_POLICIES, bucket).map((p) => peek(() => p.props.policy)),
  ];
  if (documents.includes(UNKNOWN)) return UNKNOWN;
  return documents.filter((document) => document !== undefined && document !== "").map(parseJson);
}

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** True when a policy document denies every S3 action to everyone over plain HTTP (aws:SecureTransport false). */
export function deniesInsecureTransport(document: unknown): boolean {
  const statements = asList((document as { Statement?: Statement | Statement[] } | undefined)?.Statement);
  return statements.some((statement) => {
    if (statement.Effect !== "Deny") return false;
    const principal = statement.Principal;
    const everyone =
      principal === "*" || asList((principal as { AWS?: string | string[] } | undefined)?.AWS).includes("*");
    const actions = asList(statement.Action);
    const allActions = actions.includes("s3:*") || actions.includes("*");
    const secure = asList(statement.Condition?.Bool?.["aws:SecureTransport"] as string | boolean | undefined);
    return everyone && allActions && secure.some((value) => String(value) === "false");
  });
}

function eachBucket(
  args: StackValidationArgs,
  check: (bucket: PolicyResource) => string | undefined,
  report: (message: string, urn?: string) => void,
) {
  for (const bucket of resourcesOf(args, BUCKETS)) {
    const problem = check(bucket);
    if (problem) report(`${described(bucket)} ${problem}`, bucket.urn);
  }
}

export const storagePolicies: Policies = [
  {
    name: "s3-public-access-block",
    description: "Every S3 bucket has a public access block (aws.s3.BucketPublicAccessBlock) with all four flags true.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) =>
      eachBucket(
        args,
        (bucket) => {
          const blocks = companions(args, PUBLIC_ACCESS_BLOCKS, bucket);
          if (blocks.length === 0)
            return "has no public access block. Add an aws.s3.BucketPublicAccessBlock for it with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true.";
          const off = PUBLIC_ACCESS_FLAGS.filter((flag) =>
            blocks.every((block) => {
              const value = peek(() => block.props[flag]);
              return value !== UNKNOWN && value !== true;
            }),
          );
          return off.length > 0
            ? `has a public access block with ${off.join(", ")} not true (all four must be).`
            : undefined;
        },
        report,
      ),
  },
  {
    name: "s3-kms-encryption",
    description:
      "S3 buckets encrypt objects with SSE-KMS by default; buckets receiving load balancer logs or S3 server access logs may use SSE-S3, the only encryption those deliveries support.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) =>
      eachBucket(
        args,
        (bucket) => {
          const algorithms = encryptionAlgorithms(args, bucket);
          if (algorithms === UNKNOWN) return undefined;
          const logBucket = isSseS3OnlyLogDestination(args, bucket);
          const allowed = logBucket ? [...KMS_ALGORITHMS, "AES256"] : KMS_ALGORITHMS;
          if (algorithms.length > 0 && algorithms.every((algorithm) => allowed.includes(algorithm))) return undefined;
          return `has default encryption ${algorithms.length === 0 ? "not configured" : shown(algorithms)}. Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and a kmsMasterKeyId${logBucket ? ' (or "AES256", as it receives load balancer or S3 server access logs)' : ""}.`;
        },
        report,
      ),
  },
  {
    name: "s3-deny-insecure-transport",
    description: "S3 bucket policies deny every request made over plain HTTP (aws:SecureTransport false).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) =>
      eachBucket(
        args,
        (bucket) => {
          const documents = policyDocuments(args, bucket);
          if (documents === UNKNOWN || documents.some(deniesInsecureTransport)) return undefined;
          return `has ${documents.length === 0 ? "no bucket policy" : "a bucket policy"} without a statement denying insecure transport. Add { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN + "/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }.`;
        },
        report,
      ),
  },
  {
    name: "s3-bucket-owner-enforced",
    description: "S3 buckets disable ACLs: object ownership is BucketOwnerEnforced (aws.s3.BucketOwnershipControls).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) =>
      eachBucket(
        args,
        (bucket) => {
          const owners = companions(args, OWNERSHIP_CONTROLS, bucket).map((c) =>
            peek(() => (c.props.rule as { objectOwnership?: string } | undefined)?.objectOwnership),
          );
          if (owners.some((owner) => owner === UNKNOWN || owner === "BucketOwnerEnforced")) return undefined;
          return `has object ownership ${owners.length === 0 ? "not declared" : shown(owners)}. Add an aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced".`;
        },
        report,
      ),
  },
  {
    name: "s3-versioning",
    description: "S3 buckets keep object versions, so overwritten or deleted objects can be recovered.",
    enforcementLevel: "advisory",
    validateStack: (args, report) =>
      eachBucket(
        args,
        (bucket) => {
          const inline = peek(() => (bucket.props.versioning as { enabled?: boolean } | undefined)?.enabled);
          const statuses = companions(args, VERSIONINGS, bucket).map((v) =>
            peek(() => (v.props.versioningConfiguration as { status?: string } | undefined)?.status),
          );
          if (inline === true || inline === UNKNOWN || statuses.some((s) => s === "Enabled" || s === UNKNOWN))
            return undefined;
          return 'has versioning off. Add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" (and a lifecycle rule expiring old versions).';
        },
        report,
      ),
  },
  {
    name: "s3-no-acls",
    description:
      "No S3 ACLs: no aws.s3.BucketAcl, no ACL or grants on a bucket, no public canned ACL on an object. Access is granted by bucket policies.",
    enforcementLevel: "mandatory",
    validateResource: validateAnyOf(
      validateTypes<aws.s3.BucketAclArgs>(BUCKET_ACLS, (acl, _args, report) => {
        report(
          `A bucket ACL (acl ${shown(acl.acl)}) is refused: ACLs are disabled under BucketOwnerEnforced. Grant access with a bucket policy.`,
        );
      }),
      validateTypes<aws.s3.BucketArgs>(BUCKETS, (bucket, _args, report) => {
        const acl = peek(() => bucket.acl);
        if (acl !== UNKNOWN && acl !== undefined && acl !== "private")
          report(`acl is ${shown(acl)}. Remove it; grant access with a bucket policy.`);
        if (isSet(() => bucket.grants)) report("grants are set. Remove them; grant access with a bucket policy.");
      }),
      validateTypes<aws.s3.BucketObjectArgs>(OBJECTS, (object, _args, report) => {
        const acl = peek(() => object.acl);
        if (typeof acl === "string" && PUBLIC_CANNED_ACLS.includes(acl))
          report(
            `acl is ${shown(acl)}, which makes the object public. Remove it; serve it through CloudFront with OAC.`,
          );
      }),
    ),
  },
  {
    name: "efs-encrypted-kms",
    description: "EFS file systems are encrypted at rest with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.efs.FileSystemArgs>([EFS], (fs, _args, report) => {
      if (fs.encrypted !== true || !isSet(() => fs.kmsKeyId))
        report(
          `encrypted is ${shown(fs.encrypted)} and kmsKeyId is ${isSet(() => fs.kmsKeyId) ? "set" : "not set"}. Set encrypted true and kmsKeyId to a KMS key ARN.`,
        );
    }),
  },
];
