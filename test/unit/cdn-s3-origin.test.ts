import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import {
  cloudFrontLogDeliveryKeyStatement,
  cloudFrontLogDeliveryStatements,
  LOG_DELIVERY_SIDS,
} from "../../components/cdn/access-logs";
import { Distribution } from "../../components/cdn/distribution";
import { deferredS3OriginGrants, S3_ORIGIN_SIDS } from "../../components/cdn/s3-origin-access";
import { AliasRecord } from "../../components/dns/alias-record";
import { Certificate } from "../../components/dns/certificate";
import { PublicZone } from "../../components/dns/public-zone";
import { SecureBucket } from "../../components/storage/bucket";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7";

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function policyOf(engine: MockedEngine, type: string, name: string): Statement[] {
  const resource = engine.ofType(type).find((r) => r.name === name);
  if (!resource) throw new Error(`no ${type} named ${name}`);
  return (JSON.parse(String(resource.inputs.policy)) as { Statement: Statement[] }).Statement;
}

describe("an S3 origin through origin access control", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-edge", { "aws:region": "eu-west-1" });
  });

  it("lets exactly this distribution read the bucket and decrypt with its key", async () => {
    const grants = deferredS3OriginGrants();
    const bucket = new SecureBucket("site", {
      accessLogs: false,
      policyStatements: grants.policyStatements,
      kmsKeyPolicyStatements: grants.kmsKeyPolicyStatements,
    });
    const cdn = new Distribution("site", {
      s3Origin: { bucketRegionalDomainName: bucket.bucketRegionalDomainName },
      certificateArn: CERTIFICATE,
      logging: false,
    });
    grants.bind(cdn);
    const distributionArn = await outputValue(cdn.distributionArn);
    const bucketArn = await outputValue(bucket.bucketArn);
    await engine.settle();

    const [distribution] = engine.ofType("aws:cloudfront/distribution:Distribution");
    expect(distribution?.inputs.origins).toEqual([
      expect.objectContaining({ domainName: "site-a1b2c3d.s3.eu-west-1.amazonaws.com" }),
    ]);

    const read = policyOf(engine, "aws:s3/bucketPolicy:BucketPolicy", "site-policy").find(
      (s) => s.Sid === S3_ORIGIN_SIDS.bucketRead,
    );
    expect(read).toEqual({
      Sid: "AllowCloudFrontDistributionRead",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: ["s3:GetObject"],
      Resource: `${bucketArn}/*`,
      Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
    });
    expect(distributionArn).toBe("arn:aws:cloudfront::123456789012:distribution/ESITE");

    const decrypt = policyOf(engine, "aws:kms/key:Key", "site-key").find((s) => s.Sid === S3_ORIGIN_SIDS.keyDecrypt);
    expect(decrypt).toEqual({
      Sid: "AllowCloudFrontDistributionDecrypt",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
    });
  });

  it("lets CloudFront's v2 log delivery write into a SecureBucket without ACLs, from this account only", async () => {
    const [logBucketArn, resolveLogBucketArn] = pulumi.deferredOutput<string>();
    const account = aws.getCallerIdentityOutput().accountId;
    const logs = new SecureBucket("logs", {
      accessLogs: false,
      policyStatements: cloudFrontLogDeliveryStatements(logBucketArn, account),
      kmsKeyPolicyStatements: [cloudFrontLogDeliveryKeyStatement(account)],
    });
    resolveLogBucketArn(logs.bucketArn);
    new Distribution("api", {
      albOrigin: { domainName: "origin.example.com" },
      certificateArn: CERTIFICATE,
      logging: { bucketArn: logs.bucketArn, outputFormat: "parquet" },
    });
    await engine.settle();

    const [ownership] = engine.ofType("aws:s3/bucketOwnershipControls:BucketOwnershipControls");
    expect(ownership?.inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    const statements = policyOf(engine, "aws:s3/bucketPolicy:BucketPolicy", "logs-policy");
    const sources = "arn:aws:logs:us-east-1:123456789012:delivery-source:*";
    expect(statements.find((s) => s.Sid === LOG_DELIVERY_SIDS.write)).toEqual({
      Sid: "AllowCloudFrontLogDeliveryWrite",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["s3:PutObject"],
      Resource: "arn:aws:s3:::logs-a1b2c3d/AWSLogs/123456789012/*",
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012", "s3:x-amz-acl": "bucket-owner-full-control" },
        ArnLike: { "aws:SourceArn": sources },
      },
    });
    expect(statements.find((s) => s.Sid === LOG_DELIVERY_SIDS.aclCheck)).toMatchObject({
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: "arn:aws:s3:::logs-a1b2c3d",
    });
    const key = policyOf(engine, "aws:kms/key:Key", "logs-key").find((s) => s.Sid === LOG_DELIVERY_SIDS.key);
    expect(key).toMatchObject({
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": sources } },
    });
    const [destination] = engine.ofType("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
    expect(destination?.inputs).toMatchObject({
      deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::logs-a1b2c3d" },
      outputFormat: "parquet",
    });
  });
});

describe("the documented example (README.md)", () => {
  it("zone, us-east-1 certificate, site bucket, distribution and alias records", async () => {
    const engine = await mockEngine("dev-edge", { "aws:region": "eu-west-1" });

    // --- example start ---
    const zone = new PublicZone("zone", { domainName: "example.com" });
    const certificate = new Certificate("site", {
      domainName: "www.example.com",
      zoneId: zone.zoneId,
      region: "us-east-1", // CloudFront reads certificates from us-east-1 only
    });
    const grants = deferredS3OriginGrants();
    const bucket = new SecureBucket("site", {
      accessLogs: false,
      policyStatements: grants.policyStatements,
      kmsKeyPolicyStatements: grants.kmsKeyPolicyStatements,
    });
    const cdn = new Distribution("site", {
      s3Origin: { bucketRegionalDomainName: bucket.bucketRegionalDomainName },
      albOrigin: { domainName: "origin.example.com", pathPatterns: ["/api/*"] },
      aliases: ["www.example.com"],
      certificateArn: certificate.certificateArn,
      logging: false,
    });
    grants.bind(cdn); // the bucket's and key's policies now name this distribution's ARN
    new AliasRecord("www", {
      zoneId: zone.zoneId,
      name: "www.example.com",
      target: { dnsName: cdn.domainName, hostedZoneId: cdn.hostedZoneId },
    });
    // --- example end ---

    expect(await outputValue(cdn.distributionId)).toBe("ESITE");
    await engine.settle();
    const [distribution] = engine.ofType("aws:cloudfront/distribution:Distribution");
    expect(distribution?.inputs.viewerCertificate).toMatchObject({
      acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/site",
    });
    const read = policyOf(engine, "aws:s3/bucketPolicy:BucketPolicy", "site-policy").find(
      (s) => s.Sid === S3_ORIGIN_SIDS.bucketRead,
    );
    expect(read?.Condition).toEqual({ StringEquals: { "AWS:SourceArn": await outputValue(cdn.distributionArn) } });
    expect(engine.ofType("aws:route53/record:Record").map((r) => r.name)).toEqual([
      "site-validation-www-example-com",
      "www-a",
      "www-aaaa",
    ]);
  });
});
