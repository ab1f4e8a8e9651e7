import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { isModernViewerTls } from "../../policy/cdn";
import { describeRules } from "./support/policy-harness";

const acmCertificateArn = "arn:aws:acm:us-east-1:1:certificate/c";
const webAclId = "arn:aws:wafv2:us-east-1:1:global/webacl/edge/1";
const behaviour = {
  targetOriginId: "app",
  viewerProtocolPolicy: "redirect-to-https",
  allowedMethods: ["GET", "HEAD"],
  cachedMethods: ["GET", "HEAD"],
  cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
};
const appOrigin = {
  originId: "app",
  domainName: "origin.example.com",
  customOriginConfig: {
    httpPort: 80,
    httpsPort: 443,
    originProtocolPolicy: "https-only",
    originSslProtocols: ["TLSv1.2"],
  },
};

/** A distribution keeping every CDN rule; `args` replaces fields. */
function distribution(name: string, args: Partial<aws.cloudfront.DistributionArgs> = {}) {
  return new aws.cloudfront.Distribution(name, {
    enabled: true,
    aliases: ["www.example.com"],
    origins: [appOrigin],
    defaultCacheBehavior: behaviour,
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: { acmCertificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
    webAclId,
    loggingConfig: { bucket: "logs.s3.amazonaws.com" },
    ...args,
  });
}

describe("isModernViewerTls", () => {
  it.each(["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"])("accepts %s", (v) =>
    expect(isModernViewerTls(v)).toBe(true),
  );
  it.each(["TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", undefined])("refuses %s", (v) =>
    expect(isModernViewerTls(v)).toBe(false),
  );
});

describeRules([
  {
    policy: "cloudfront-viewer-https",
    level: "mandatory",
    bad: [
      {
        name: "an ordered behaviour allowing HTTP",
        program: () =>
          distribution("mixed", {
            orderedCacheBehaviors: [{ ...behaviour, pathPattern: "/legacy/*", viewerProtocolPolicy: "allow-all" }],
          }),
        blames: "mixed",
        message: /orderedCacheBehaviors "\/legacy\/\*" has viewerProtocolPolicy "allow-all"/,
      },
    ],
    good: [
      {
        name: "redirect-to-https and https-only",
        program: () =>
          distribution("secure", {
            orderedCacheBehaviors: [{ ...behaviour, pathPattern: "/api/*", viewerProtocolPolicy: "https-only" }],
          }),
      },
    ],
  },
  {
    policy: "cloudfront-tls-minimum",
    level: "mandatory",
    bad: [
      {
        name: "an own certificate accepting TLSv1.2_2019",
        program: () =>
          distribution("old-tls", {
            viewerCertificate: {
              acmCertificateArn,
              sslSupportMethod: "sni-only",
              minimumProtocolVersion: "TLSv1.2_2019",
            },
          }),
        blames: "old-tls",
        message: /minimumProtocolVersion is "TLSv1.2_2019"/,
      },
    ],
    good: [
      { name: "TLSv1.2_2021", program: () => distribution("modern") },
      {
        name: "the default certificate (not applicable: its policy cannot be set)",
        program: () =>
          distribution("default-cert", { aliases: [], viewerCertificate: { cloudfrontDefaultCertificate: true } }),
      },
    ],
  },
  {
    policy: "cloudfront-custom-certificate",
    level: "advisory",
    bad: [
      {
        name: "the default *.cloudfront.net certificate",
        program: () =>
          distribution("default-cert", { aliases: [], viewerCertificate: { cloudfrontDefaultCertificate: true } }),
        blames: "default-cert",
        message: /default \*\.cloudfront\.net certificate/,
      },
    ],
    good: [{ name: "an ACM certificate", program: () => distribution("own") }],
  },
  {
    policy: "cloudfront-s3-origin-access-control",
    level: "mandatory",
    bad: [
      {
        name: "an S3 origin with an origin access identity",
        program: () =>
          distribution("oai", {
            origins: [
              {
                originId: "assets",
                domainName: "assets.s3.eu-west-1.amazonaws.com",
                s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" },
              },
            ],
          }),
        blames: "oai",
        message: /origin access identity \(legacy\)/,
      },
      {
        name: "an S3 website endpoint",
        program: () =>
          distribution("website", {
            origins: [
              {
                ...appOrigin,
                originId: "site",
                domainName: "site.s3-website-eu-west-1.amazonaws.com",
              },
            ],
          }),
        blames: "website",
        message: /S3 website endpoint/,
      },
      {
        name: "a bucket origin without OAC, during a first preview",
        preview: true,
        program: () => {
          const bucket = new aws.s3.Bucket("assets", {});
          distribution("no-oac", { origins: [{ originId: "assets", domainName: bucket.bucketRegionalDomainName }] });
        },
        blames: "no-oac",
        message: /without originAccessControlId/,
      },
    ],
    good: [
      {
        name: "a bucket origin with OAC (first preview); a custom origin",
        preview: true,
        program: () => {
          const bucket = new aws.s3.Bucket("assets", {});
          const oac = new aws.cloudfront.OriginAccessControl("assets", {
            originAccessControlOriginType: "s3",
            signingBehavior: "always",
            signingProtocol: "sigv4",
          });
          distribution("oac", {
            origins: [
              appOrigin,
              { originId: "assets", domainName: bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
            ],
          });
        },
      },
    ],
  },
  {
    policy: "cloudfront-origin-https",
    level: "mandatory",
    bad: [
      {
        name: "a custom origin over plain HTTP",
        program: () =>
          distribution("plain", {
            origins: [
              {
                ...appOrigin,
                customOriginConfig: { ...appOrigin.customOriginConfig, originProtocolPolicy: "http-only" },
              },
            ],
          }),
        blames: "plain",
        message: /originProtocolPolicy "http-only"/,
      },
      {
        name: "a custom origin allowing TLSv1",
        program: () =>
          distribution("weak", {
            origins: [
              {
                ...appOrigin,
                customOriginConfig: { ...appOrigin.customOriginConfig, originSslProtocols: ["TLSv1", "TLSv1.2"] },
              },
            ],
          }),
        blames: "weak",
        message: /allows TLSv1 towards the origin/,
      },
    ],
    good: [{ name: "https-only with TLS 1.2", program: () => distribution("strict") }],
  },
  {
    policy: "cloudfront-waf",
    level: "advisory",
    bad: [
      {
        name: "no web ACL",
        program: () => distribution("unguarded", { webAclId: undefined }),
        blames: "unguarded",
        message: /No WAF web ACL/,
      },
    ],
    good: [{ name: "a web ACL", program: () => distribution("guarded") }],
  },
  {
    policy: "cloudfront-logging",
    level: "advisory",
    bad: [
      {
        name: "no logging",
        program: () => distribution("silent", { loggingConfig: undefined }),
        blames: "silent",
        message: /does not log requests/,
      },
    ],
    good: [
      { name: "standard logging", program: () => distribution("legacy-logs") },
      {
        name: "a log delivery source for the distribution (first preview)",
        preview: true,
        program: () => {
          const cdn = distribution("v2-logs", { loggingConfig: undefined });
          new aws.cloudwatch.LogDeliverySource("cdn", {
            logType: "ACCESS_LOGS",
            resourceArn: cdn.arn,
            region: "us-east-1",
          });
        },
      },
    ],
  },
]);
