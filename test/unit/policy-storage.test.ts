import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { deniesInsecureTransport } from "../../policy/storage";
import { describeRules } from "./support/policy-harness";

const kmsMasterKeyId = "arn:aws:kms:eu-west-1:1:key/k";
const denyInsecure = (arn: pulumi.Input<string>) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [arn, pulumi.interpolate`${arn}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

type Omit = "publicAccessBlock" | "encryption" | "policy" | "ownership" | "versioning";

/** A bucket with every companion the storage rules ask for, except those named in `without`. */
function secureBucket(
  name: string,
  options: { without?: Omit[]; algorithm?: string; flags?: Record<string, boolean>; owner?: string } = {},
) {
  const without = new Set(options.without);
  const bucket = new aws.s3.Bucket(name, {});
  if (!without.has("publicAccessBlock"))
    new aws.s3.BucketPublicAccessBlock(name, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      ...options.flags,
    });
  if (!without.has("encryption"))
    new aws.s3.BucketServerSideEncryptionConfiguration(name, {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: options.algorithm ?? "aws:kms",
            ...(options.algorithm === "AES256" ? {} : { kmsMasterKeyId }),
          },
          bucketKeyEnabled: true,
        },
      ],
    });
  if (!without.has("policy"))
    new aws.s3.BucketPolicy(name, {
      bucket: bucket.id,
      policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [denyInsecure(bucket.arn)] }),
    });
  if (!without.has("ownership"))
    new aws.s3.BucketOwnershipControls(name, {
      bucket: bucket.id,
      rule: { objectOwnership: options.owner ?? "BucketOwnerEnforced" },
    });
  if (!without.has("versioning"))
    new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  return bucket;
}

describe("deniesInsecureTransport", () => {
  const statement = {
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: ["s3:*"],
    Condition: { Bool: { "aws:SecureTransport": false } },
  };
  it("finds the statement in its usual spellings", () => {
    expect(deniesInsecureTransport({ Statement: [statement] })).toBe(true);
    expect(deniesInsecureTransport({ Statement: { ...statement, Principal: "*", Action: "*" } })).toBe(true);
  });
  it("refuses statements that allow, name other principals or cover some actions only", () => {
    expect(deniesInsecureTransport({ Statement: [{ ...statement, Effect: "Allow" }] })).toBe(false);
    expect(deniesInsecureTransport({ Statement: [{ ...statement, Principal: { AWS: "arn:aws:iam::1:root" } }] })).toBe(
      false,
    );
    expect(deniesInsecureTransport({ Statement: [{ ...statement, Action: "s3:GetObject" }] })).toBe(false);
    expect(deniesInsecureTransport(undefined)).toBe(false);
  });
});

describeRules([
  {
    policy: "s3-public-access-block",
    level: "mandatory",
    bad: [
      {
        name: "a bucket without public access block",
        program: () => secureBucket("open", { without: ["publicAccessBlock"] }),
        blames: "open",
        message: /has no public access block/,
      },
      {
        name: "a block leaving public policies allowed",
        program: () => secureBucket("partial", { flags: { blockPublicPolicy: false } }),
        blames: "partial",
        message: /with blockPublicPolicy not true/,
      },
      {
        name: "a bucket whose block is another bucket's, during a first preview",
        preview: true,
        program: () => {
          secureBucket("blocked");
          new aws.s3.Bucket("unblocked", {});
        },
        blames: "unblocked",
      },
    ],
    good: [
      { name: "a block with all four flags", program: () => secureBucket("private") },
      { name: "the same during a first preview", preview: true, program: () => secureBucket("private") },
      {
        name: "a block naming the bucket by its literal name",
        program: () => {
          new aws.s3.Bucket("named", { bucket: "stackline-named" });
          new aws.s3.BucketPublicAccessBlock("named", {
            bucket: "stackline-named",
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          });
        },
      },
    ],
  },
  {
    policy: "s3-kms-encryption",
    level: "mandatory",
    bad: [
      {
        name: "no default encryption configured",
        program: () => secureBucket("default", { without: ["encryption"] }),
        blames: "default",
        message: /default encryption not configured/,
      },
      {
        name: "SSE-S3 on a bucket that receives no load balancer logs",
        program: () => secureBucket("s3-managed", { algorithm: "AES256" }),
        blames: "s3-managed",
        message: /\["AES256"\]/,
      },
    ],
    good: [
      {
        name: "SSE-KMS; SSE-S3 on load balancer and S3 server access log buckets; inline SSE-KMS",
        program: () => {
          secureBucket("assets");
          const logs = secureBucket("alb-logs", { algorithm: "AES256" });
          new aws.lb.LoadBalancer("web", { accessLogs: { bucket: logs.bucket, enabled: true } });
          const accessLogs = secureBucket("access-logs", { algorithm: "AES256" });
          new aws.s3.BucketLogging("assets", {
            bucket: "assets",
            targetBucket: accessLogs.id,
            targetPrefix: "assets/",
          });
          new aws.s3.Bucket("inline", {
            serverSideEncryptionConfiguration: {
              rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId } },
            },
          });
        },
      },
    ],
  },
  {
    policy: "s3-deny-insecure-transport",
    level: "mandatory",
    bad: [
      {
        name: "no bucket policy",
        program: () => secureBucket("nopolicy", { without: ["policy"] }),
        blames: "nopolicy",
        message: /has no bucket policy without a statement denying insecure transport/,
      },
      {
        name: "a policy without the deny statement",
        program: () => {
          const bucket = secureBucket("lenient", { without: ["policy"] });
          new aws.s3.BucketPolicy("lenient", {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject" },
              ],
            }),
          });
        },
        blames: "lenient",
        message: /has a bucket policy without/,
      },
    ],
    good: [
      { name: "a BucketPolicy denying insecure transport", program: () => secureBucket("strict") },
      {
        name: "an inline policy document object",
        program: () =>
          new aws.s3.Bucket("inline", {
            policy: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Deny",
                  Principal: "*",
                  Action: "s3:*",
                  Resource: ["arn:aws:s3:::inline", "arn:aws:s3:::inline/*"],
                  Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
              ],
            },
          }),
      },
    ],
  },
  {
    policy: "s3-bucket-owner-enforced",
    level: "mandatory",
    bad: [
      {
        name: "no ownership controls",
        program: () => secureBucket("undeclared", { without: ["ownership"] }),
        blames: "undeclared",
        message: /object ownership not declared/,
      },
      {
        name: "ObjectWriter ownership",
        program: () => secureBucket("writer", { owner: "ObjectWriter" }),
        blames: "writer",
        message: /\["ObjectWriter"\]/,
      },
    ],
    good: [{ name: "BucketOwnerEnforced", program: () => secureBucket("enforced") }],
  },
  {
    policy: "s3-versioning",
    level: "advisory",
    bad: [
      {
        name: "no versioning",
        program: () => secureBucket("flat", { without: ["versioning"] }),
        blames: "flat",
        message: /versioning off/,
      },
    ],
    good: [{ name: "versioning enabled", program: () => secureBucket("versioned") }],
  },
  {
    policy: "s3-no-acls",
    level: "mandatory",
    bad: [
      {
        name: "a BucketAcl",
        program: () => new aws.s3.BucketAcl("acl", { bucket: "b", acl: "private" }),
        blames: "acl",
        message: /A bucket ACL \(acl "private"\) is refused/,
      },
      {
        name: "a public-read bucket",
        program: () => new aws.s3.Bucket("website", { acl: "public-read" }),
        blames: "website",
        message: /acl is "public-read"/,
      },
      {
        name: "a public object",
        program: () =>
          new aws.s3.BucketObjectv2("index", { bucket: "b", key: "index.html", content: "hi", acl: "public-read" }),
        blames: "index",
      },
    ],
    good: [
      {
        name: "buckets and objects without ACLs",
        program: () => {
          const bucket = secureBucket("assets");
          new aws.s3.BucketObjectv2("index", { bucket: bucket.id, key: "index.html", content: "hi" });
        },
      },
    ],
  },
  {
    policy: "efs-encrypted-kms",
    level: "mandatory",
    bad: [
      {
        name: "an unencrypted file system",
        program: () => new aws.efs.FileSystem("plain", {}),
        blames: "plain",
        message: /encrypted is not set and kmsKeyId is not set/,
      },
      {
        name: "encrypted with the AWS-managed key",
        program: () => new aws.efs.FileSystem("managed", { encrypted: true }),
        blames: "managed",
      },
    ],
    good: [
      {
        name: "encrypted with a customer key",
        program: () => new aws.efs.FileSystem("sealed", { encrypted: true, kmsKeyId: kmsMasterKeyId }),
      },
    ],
  },
]);
