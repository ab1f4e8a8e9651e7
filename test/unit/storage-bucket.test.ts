import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { SecureBucket } from "../../components/storage/bucket";
import { ComponentArgsError } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue, type RegisteredResource } from "./support/pulumi-mocks";

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The registered policy JSON, parsed. */
function policyOf(resource: RegisteredResource | undefined): PolicyStatement[] {
  expect(resource).toBeDefined();
  const document = JSON.parse(String(resource?.inputs.policy)) as { Version: string; Statement: PolicyStatement[] };
  expect(document.Version).toBe("2012-10-17");
  return document.Statement;
}

const bySid = (statements: PolicyStatement[], sid: string) => statements.find((s) => s.Sid === sid);

/**
 * What the engine receives beyond inputs (dependencies), recorded at the mock monitor: the shared
 * mocks pass only inputs to newResource.
 */
function recordDependencies(): Map<string, string[]> {
  const dependencies = new Map<string, string[]>();
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: { getName(): string; getDependenciesList(): string[] }, callback: unknown): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    dependencies.set(req.getName(), req.getDependenciesList());
    return original(req, callback);
  };
  return dependencies;
}

describe("SecureBucket", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-storage", { "aws:region": "eu-west-1" });
  });

  it("is private, KMS-encrypted, versioned, logged and TLS-only by default", async () => {
    const dependencies = recordDependencies();
    const bucket = new SecureBucket("assets", { accessLogs: { bucketName: "company-logs" } });
    expect(await outputValue(bucket.bucketName)).toBe("assets-a1b2c3d");
    expect(await outputValue(bucket.bucketArn)).toBe("arn:aws:s3:::assets-a1b2c3d");
    expect(await outputValue(bucket.bucketRegionalDomainName)).toBe("assets-a1b2c3d.s3.eu-west-1.amazonaws.com");
    expect(await outputValue(bucket.kmsKeyArn)).toBe("arn:aws:kms:eu-west-1:123456789012:key/key-assets-key");
    await engine.settle();

    expect(engine.resources.map((r) => r.type).sort()).toEqual([
      "aws:kms/key:Key",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketLogging:BucketLogging",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketVersioning:BucketVersioning",
      "stackline:storage:Bucket",
    ]);
    const [s3] = engine.ofType("aws:s3/bucket:Bucket");
    expect(s3?.inputs).toMatchObject({ forceDestroy: false, tags: { "stackline:component": "storage:Bucket/assets" } });
    expect(s3?.inputs.bucket).toBeUndefined();
    expect(engine.ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0]?.inputs).toEqual({
      bucket: "assets-a1b2c3d",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(engine.ofType("aws:s3/bucketOwnershipControls:BucketOwnershipControls")[0]?.inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    const [key] = engine.ofType("aws:kms/key:Key");
    expect(key?.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(policyOf(key).map((s) => s.Sid)).toEqual(["AllowAccountToManageKeyThroughIam"]);
    expect(
      engine.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0]?.inputs
        .rules,
    ).toEqual([
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/key-assets-key",
        },
        bucketKeyEnabled: true,
      },
    ]);
    expect(engine.ofType("aws:s3/bucketVersioning:BucketVersioning")[0]?.inputs.versioningConfiguration).toEqual({
      status: "Enabled",
    });
    expect(engine.ofType("aws:s3/bucketLogging:BucketLogging")[0]?.inputs).toEqual({
      bucket: "assets-a1b2c3d",
      targetBucket: "company-logs",
      targetPrefix: "assets/",
    });
    expect(engine.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0]?.inputs.rules).toEqual([
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: { prefix: "" },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: { prefix: "" },
        noncurrentVersionExpiration: { noncurrentDays: 90 },
      },
    ]);

    const policy = policyOf(engine.ofType("aws:s3/bucketPolicy:BucketPolicy")[0]);
    expect(policy.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "DenyOutdatedTls",
      "DenyOtherEncryption",
      "DenyOtherKmsKeys",
      "DenyKmsUploadsWithoutKeyId",
    ]);
    expect(policy.every((s) => s.Effect === "Deny" && s.Principal === "*")).toBe(true);
    expect(bySid(policy, "DenyInsecureTransport")).toMatchObject({
      Action: "s3:*",
      Resource: ["arn:aws:s3:::assets-a1b2c3d", "arn:aws:s3:::assets-a1b2c3d/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(bySid(policy, "DenyOutdatedTls")?.Condition).toEqual({ NumericLessThan: { "s3:TlsVersion": 1.2 } });
    expect(bySid(policy, "DenyOtherEncryption")).toMatchObject({
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::assets-a1b2c3d/*",
      Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
    });
    expect(bySid(policy, "DenyOtherKmsKeys")?.Condition).toEqual({
      StringNotEqualsIfExists: {
        "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:123456789012:key/key-assets-key",
      },
    });

    // The policy is written only once the public access block exists (S3 rejects it otherwise).
    expect(dependencies.get("assets-policy")).toContainEqual(expect.stringContaining("assets-public-access"));
    expect(dependencies.get("assets-lifecycle")).toContainEqual(expect.stringContaining("assets-versioning"));
    // Every child is parented to the component.
    const children = engine.resources.filter((r) => r.type !== "stackline:storage:Bucket");
    expect(children.every((r) => r.name.startsWith("assets"))).toBe(true);
  });

  it("merges a CloudFront grant resolved later (deferredOutput) into the one bucket and key policy", async () => {
    // --- example start (README.md): the distribution is created after the bucket ---
    const [distributionArn, resolveDistributionArn] = pulumi.deferredOutput<string>();
    const cloudFrontOnly = { StringEquals: { "AWS:SourceArn": distributionArn } };
    const site = new SecureBucket("site", {
      accessLogs: { bucketName: "company-logs", prefix: "site/" },
      policyStatements: [
        {
          Sid: "AllowCloudFrontRead",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Condition: cloudFrontOnly,
        },
      ],
      kmsKeyPolicyStatements: [
        {
          Sid: "AllowCloudFrontDecrypt",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "kms:Decrypt",
          Condition: cloudFrontOnly,
        },
      ],
    });
    // Stands in for the distribution: it needs the bucket's domain name, so it comes after the bucket.
    const origin = new aws.cloudfront.OriginAccessControl("site-oac", {
      name: site.bucketRegionalDomainName,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    resolveDistributionArn(pulumi.interpolate`arn:aws:cloudfront::123456789012:distribution/${origin.id}`);
    // --- example end ---
    await engine.settle();

    const policy = policyOf(engine.ofType("aws:s3/bucketPolicy:BucketPolicy")[0]);
    expect(policy.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "DenyOutdatedTls",
      "DenyOtherEncryption",
      "DenyOtherKmsKeys",
      "DenyKmsUploadsWithoutKeyId",
      "AllowCloudFrontRead",
    ]);
    expect(bySid(policy, "AllowCloudFrontRead")).toEqual({
      Sid: "AllowCloudFrontRead",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::site-a1b2c3d/*",
      Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/oac-site-oac" } },
    });
    const keyPolicy = policyOf(engine.ofType("aws:kms/key:Key")[0]);
    expect(keyPolicy.map((s) => s.Sid)).toEqual(["AllowAccountToManageKeyThroughIam", "AllowCloudFrontDecrypt"]);
    expect(bySid(keyPolicy, "AllowAccountToManageKeyThroughIam")?.Principal).toEqual({
      AWS: "arn:aws:iam::123456789012:root",
    });
    expect(bySid(keyPolicy, "AllowCloudFrontDecrypt")).toMatchObject({
      Resource: "*",
      Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/oac-site-oac" } },
    });
    expect(engine.ofType("aws:s3/bucketLogging:BucketLogging")[0]?.inputs.targetPrefix).toBe("site/");
  });

  it("takes an existing key, a name, other lifecycle rules, no TLS floor, no versioning, forceDestroy", async () => {
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
    const bucket = new SecureBucket("exports", {
      bucketName: "acme-dev-exports",
      accessLogs: { bucketName: "company-logs" },
      kmsKeyArn: keyArn,
      versioning: false,
      minimumTlsVersion: false,
      forceDestroy: true,
      lifecycle: {
        abortIncompleteMultipartUploadDays: false,
        rules: [
          {
            id: "expire-reports",
            prefix: "reports/",
            expirationDays: 30,
            transitions: [{ days: 7, storageClass: "STANDARD_IA" }],
          },
        ],
      },
      tags: { team: "data" },
    });
    expect(await outputValue(bucket.kmsKeyArn)).toBe(keyArn);
    await engine.settle();
    expect(engine.ofType("aws:kms/key:Key")).toHaveLength(0);
    expect(engine.ofType("aws:s3/bucketVersioning:BucketVersioning")).toHaveLength(0);
    expect(engine.ofType("aws:s3/bucket:Bucket")[0]?.inputs).toMatchObject({
      bucket: "acme-dev-exports",
      forceDestroy: true,
      tags: { team: "data" },
    });
    const [encryption] = engine.ofType(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    expect(encryption?.inputs.rules).toEqual([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
        bucketKeyEnabled: true,
      },
    ]);
    // Without versioning there are no noncurrent versions to expire; the abort rule was turned off.
    expect(engine.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0]?.inputs.rules).toEqual([
      {
        id: "expire-reports",
        status: "Enabled",
        filter: { prefix: "reports/" },
        expiration: { days: 30 },
        transitions: [{ days: 7, storageClass: "STANDARD_IA" }],
      },
    ]);
    const policy = policyOf(engine.ofType("aws:s3/bucketPolicy:BucketPolicy")[0]);
    expect(policy.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "DenyOtherEncryption",
      "DenyOtherKmsKeys",
      "DenyKmsUploadsWithoutKeyId",
    ]);
    expect(bySid(policy, "DenyOtherKmsKeys")?.Condition?.StringNotEqualsIfExists).toEqual({
      "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn,
    });
  });

  it("replaces a default lifecycle rule given under the same id", async () => {
    new SecureBucket("media", {
      accessLogs: { bucketName: "company-logs" },
      lifecycle: { rules: [{ id: "expire-noncurrent-versions", noncurrentVersionExpirationDays: 7 }] },
    });
    await engine.settle();
    const rules = engine.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0]?.inputs
      .rules as { id: string; noncurrentVersionExpiration?: unknown }[];
    expect(rules.map((r) => r.id)).toEqual(["abort-incomplete-multipart-uploads", "expire-noncurrent-versions"]);
    expect(rules[1]?.noncurrentVersionExpiration).toEqual({ noncurrentDays: 7 });
  });

  it("as a log destination: SSE-S3, no access logs of its own, S3 log delivery allowed for named buckets", async () => {
    const bucket = new SecureBucket("logs", {
      accessLogs: false,
      encryption: "AES256",
      accessLogDelivery: { sourceBucketArns: [pulumi.output("arn:aws:s3:::assets-a1b2c3d")] },
      lifecycle: { rules: [{ id: "expire-logs", expirationDays: 365 }] },
    });
    expect(await outputValue(bucket.kmsKeyArn)).toBeUndefined();
    await engine.settle();
    expect(engine.ofType("aws:kms/key:Key")).toHaveLength(0);
    expect(engine.ofType("aws:s3/bucketLogging:BucketLogging")).toHaveLength(0);
    expect(
      engine.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0]?.inputs
        .rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    const policy = policyOf(engine.ofType("aws:s3/bucketPolicy:BucketPolicy")[0]);
    expect(policy.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "DenyOutdatedTls",
      "DenyOtherEncryption",
      "AllowS3ServerAccessLogs",
    ]);
    expect(bySid(policy, "DenyOtherEncryption")?.Condition).toEqual({
      StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "AES256" },
    });
    expect(bySid(policy, "AllowS3ServerAccessLogs")).toEqual({
      Sid: "AllowS3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::logs-a1b2c3d/*",
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": ["arn:aws:s3:::assets-a1b2c3d"] },
      },
    });
  });

  it("refuses bad input before creating anything, naming each field", async () => {
    const attempt = (args: unknown) => {
      try {
        new SecureBucket("bad", args as never);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const error = attempt({
      bucketName: "Bad.Name",
      policyStatements: [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: ["s3:GetObject", "s3:*"] },
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*" },
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject" },
        { Effect: "Alow", Action: "s3:GetObject" },
      ],
      lifecycle: {
        rules: [
          { id: "a", expirationDays: 1 },
          { id: "a", expirationDays: 0 },
        ],
      },
      minimumTlsVersion: "1.1",
    });
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as ComponentArgsError).component).toBe("stackline:storage:Bucket");
    expect((error as ComponentArgsError).problems).toEqual([
      {
        path: "bucketName",
        expected:
          "an S3 bucket name: 3-63 lower-case letters, digits and '-', starting and ending with a letter or digit",
        found: '"Bad.Name"',
      },
      {
        path: "accessLogs",
        expected: "an access log target { bucketName, prefix }, or false to turn access logging off on purpose",
        found: "nothing (not set)",
      },
      { path: "lifecycle.rules.1.expirationDays", expected: "at least 1", found: "0" },
      { path: "lifecycle.rules.1.id", expected: "a rule id used once", found: '"a"' },
      { path: "minimumTlsVersion", expected: 'one of "1.2", "1.3", or false', found: '"1.1"' },
      {
        path: "policyStatements.0.Action",
        expected: "named actions (least privilege: no '*' or '<service>:*' in an Allow)",
        found: '["s3:GetObject","s3:*"]',
      },
      {
        path: "policyStatements.1.Sid",
        expected:
          "a statement id other than DenyInsecureTransport, DenyOutdatedTls, DenyOtherEncryption, DenyOtherKmsKeys, DenyKmsUploadsWithoutKeyId, AllowS3ServerAccessLogs (the component's own statements)",
        found: '"DenyInsecureTransport"',
      },
      {
        path: "policyStatements.2.Principal",
        expected: "a named principal, or a Condition that narrows '*' (a bare '*' makes it public)",
        found: '"*"',
      },
      { path: "policyStatements.3.Effect", expected: 'one of "Allow", "Deny"', found: '"Alow"' },
    ]);
    expect((error as Error).message).toContain("Invalid arguments for stackline:storage:Bucket 'bad'");

    const conflicts = attempt({
      accessLogs: false,
      encryption: "AES256",
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
      kmsKeyPolicyStatements: [],
    });
    expect((conflicts as ComponentArgsError).problems.map((p) => [p.path, p.expected])).toEqual([
      ["kmsKeyArn", "nothing (a KMS key is used only with encryption 'aws:kms')"],
      [
        "kmsKeyPolicyStatements",
        "nothing (statements go into the key the bucket creates; with kmsKeyArn or AES256 none is created)",
      ],
    ]);
    const kmsLogs = attempt({ accessLogs: false, accessLogDelivery: {} });
    expect((kmsLogs as ComponentArgsError).problems).toEqual([
      {
        path: "encryption",
        expected: '"AES256" (S3 delivers server access logs only into buckets encrypted with SSE-S3)',
        found: "nothing (not set)",
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});
