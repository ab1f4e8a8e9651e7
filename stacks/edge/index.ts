import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cloudFrontLogDeliveryStatements } from "../../components/cdn/access-logs";
import { Distribution } from "../../components/cdn/distribution";
import { deferredS3OriginGrants } from "../../components/cdn/s3-origin-access";
import { AliasRecord } from "../../components/dns/alias-record";
import { Certificate, CLOUDFRONT_CERTIFICATE_REGION } from "../../components/dns/certificate";
import { recordFqdn } from "../../components/dns/domain-name";
import { SecureBucket } from "../../components/storage/bucket";
import { readConfig } from "../config";
import type { LayerProgram } from "../layers";
import { type EdgeConfig, edgeConfigSchema } from "./config";
import { edgeUpstreamInputs } from "./upstream-inputs";

/** Prefixes in the log bucket: S3 server access logs here, CloudFront's under AWSLogs/ (set by AWS). */
const S3_ACCESS_LOG_PREFIX = "s3/";

/**
 * The log bucket: SSE-S3 (S3 server access logs cannot be delivered into SSE-KMS buckets), receiving
 * the site bucket's access logs and CloudFront's standard logs (v2), which need no bucket ACLs.
 */
function logBucket(config: EdgeConfig, opts: pulumi.ComponentResourceOptions): SecureBucket {
  const [bucketArn, resolveBucketArn] = pulumi.deferredOutput<string>();
  const identity = aws.getCallerIdentityOutput();
  const partition = aws.getPartitionOutput();
  const bucket = new SecureBucket(
    "logs",
    {
      // A log bucket logging into itself would log its own log deliveries, forever.
      accessLogs: false,
      encryption: "AES256",
      accessLogDelivery: { prefix: S3_ACCESS_LOG_PREFIX },
      policyStatements: cloudFrontLogDeliveryStatements(bucketArn, identity.accountId, partition.partition),
      lifecycle: { rules: [{ id: "expire-logs", expirationDays: config.logRetentionDays }] },
      forceDestroy: !config.production,
      tags: config.tags,
    },
    opts,
  );
  resolveBucketArn(bucket.bucketArn);
  return bucket;
}

/**
 * The edge layer: the static site's bucket behind CloudFront (origin access control, scoped to this
 * distribution), the compute layer's load balancer behind the API path, a us-east-1 certificate for the
 * site's name, and A/AAAA alias records in the network layer's zone.
 */
const program: LayerProgram = async (context) => {
  const config = readConfig("stackline", edgeConfigSchema);
  const upstream = edgeUpstreamInputs(context);
  const protect = { protect: config.production };
  const siteName = upstream.domainName.apply((domain) => recordFqdn(config.siteSubdomain, domain));
  const originName = upstream.domainName.apply((domain) => recordFqdn(config.apiOriginSubdomain, domain));

  const logs = config.accessLogs ? logBucket(config, protect) : undefined;
  const grants = deferredS3OriginGrants();
  const site = new SecureBucket(
    "site",
    {
      accessLogs: logs ? { bucketName: logs.bucketName, prefix: `${S3_ACCESS_LOG_PREFIX}site/` } : false,
      policyStatements: grants.policyStatements,
      kmsKeyPolicyStatements: grants.kmsKeyPolicyStatements,
      forceDestroy: !config.production,
      tags: config.tags,
    },
    protect,
  );

  const certificate = new Certificate("site", {
    domainName: siteName,
    zoneId: upstream.hostedZoneId,
    region: CLOUDFRONT_CERTIFICATE_REGION,
    tags: config.tags,
  });

  // CloudFront checks the load balancer's certificate against the origin's name: a name in our zone,
  // not the load balancer's own *.elb.amazonaws.com name, which no certificate of ours can cover.
  const origin = new aws.route53.Record("api-origin", {
    zoneId: upstream.hostedZoneId,
    name: originName,
    type: "CNAME",
    records: [upstream.loadBalancerDnsName],
    ttl: 300,
  });

  const distribution = new Distribution("site", {
    s3Origin: { bucketRegionalDomainName: site.bucketRegionalDomainName },
    albOrigin: { domainName: origin.fqdn, pathPatterns: [config.apiPathPattern] },
    aliases: [siteName],
    certificateArn: certificate.certificateArn,
    logging: logs ? { bucketArn: logs.bucketArn } : false,
    webAclId: config.webAclArn,
    priceClass: config.priceClass,
    tags: config.tags,
  });
  grants.bind(distribution);

  new AliasRecord("site", {
    zoneId: upstream.hostedZoneId,
    name: siteName,
    target: { dnsName: distribution.domainName, hostedZoneId: distribution.hostedZoneId },
  });

  return {
    distributionId: distribution.distributionId,
    distributionDomainName: distribution.domainName,
    certificateArn: certificate.certificateArn,
    // Where the site's files are uploaded, and where it answers.
    siteBucketName: site.bucketName,
    siteUrl: pulumi.interpolate`https://${siteName}`,
  };
};

export default program;
