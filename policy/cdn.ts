import type * as aws from "@pulumi/aws";
import type { Policies } from "@pulumi/policy";
import { isSet, knownElements, peek, shown, UNKNOWN } from "./support/props";
import { described, referrers, resourcesOf, validateTypes } from "./support/resources";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const LOG_DELIVERY_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource";

/**
 * True for a viewer TLS policy offering TLS 1.2 or newer with current ciphers: TLSv1.2_2021 and later
 * TLSv1.2 policies, and every TLSv1.3 policy. TLSv1.2_2018/2019 still accept weak CBC ciphers.
 */
export function isModernViewerTls(version: unknown): boolean {
  if (typeof version !== "string") return false;
  const tls12 = /^TLSv1\.2_(\d{4})$/.exec(version);
  if (tls12?.[1]) return Number(tls12[1]) >= 2021;
  return /^TLSv1\.3_\d{4}$/.test(version);
}

const S3_REST_ENDPOINT = /\.s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;
const S3_WEBSITE_ENDPOINT = /\.s3-website[.-]([a-z0-9-]+\.)*amazonaws\.com(\.cn)?$/;
/** TLS versions CloudFront may use towards an origin; SSLv3, TLSv1 and TLSv1.1 are broken or deprecated. */
const MODERN_ORIGIN_PROTOCOLS = ["TLSv1.2"];

/** How CloudFront reaches an origin, for the S3 origin rules. */
function originKind(origin: {
  domainName?: unknown;
  s3OriginConfig?: unknown;
  customOriginConfig?: unknown;
  vpcOriginConfig?: unknown;
}) {
  const domain = peek(() => origin.domainName);
  if (typeof domain === "string" && S3_WEBSITE_ENDPOINT.test(domain)) return "s3-website";
  if (isSet(() => origin.s3OriginConfig)) return "s3";
  if (typeof domain === "string" && S3_REST_ENDPOINT.test(domain)) return "s3";
  // With neither custom nor VPC origin settings, CloudFront treats the origin as an S3 REST origin.
  if (!isSet(() => origin.customOriginConfig) && !isSet(() => origin.vpcOriginConfig)) return "s3";
  return "other";
}

export const cdnPolicies: Policies = [
  {
    name: "cloudfront-viewer-https",
    description:
      "CloudFront cache behaviours never serve viewers over plain HTTP (viewerProtocolPolicy not allow-all).",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.cloudfront.DistributionArgs>([DISTRIBUTION], (distribution, _args, report) => {
      const behaviours = [
        { where: "defaultCacheBehavior", policy: distribution.defaultCacheBehavior?.viewerProtocolPolicy },
        ...knownElements(() => distribution.orderedCacheBehaviors).map((b) => ({
          where: `orderedCacheBehaviors ${shown(b.pathPattern)}`,
          policy: b.viewerProtocolPolicy,
        })),
      ];
      for (const behaviour of behaviours) {
        if (behaviour.policy === "allow-all")
          report(`${behaviour.where} has viewerProtocolPolicy "allow-all". Use "redirect-to-https" or "https-only".`);
      }
    }),
  },
  {
    name: "cloudfront-tls-minimum",
    description:
      "CloudFront distributions with their own certificate accept TLSv1.2_2021 or newer. Not applicable with the default *.cloudfront.net certificate, whose policy cannot be set (see cloudfront-custom-certificate).",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.cloudfront.DistributionArgs>([DISTRIBUTION], (distribution, args, report) => {
      const certificate = distribution.viewerCertificate;
      if (certificate?.cloudfrontDefaultCertificate === true)
        args.notApplicable("the default CloudFront certificate's TLS policy cannot be set");
      if (!isModernViewerTls(certificate?.minimumProtocolVersion))
        report(
          `viewerCertificate.minimumProtocolVersion is ${shown(certificate?.minimumProtocolVersion)}. Set "TLSv1.2_2021" or newer.`,
        );
    }),
  },
  {
    name: "cloudfront-custom-certificate",
    description:
      "CloudFront distributions serve their own domain with an ACM certificate; the default *.cloudfront.net certificate still accepts TLS 1.0.",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.cloudfront.DistributionArgs>([DISTRIBUTION], (distribution, _args, report) => {
      const certificate = distribution.viewerCertificate;
      const own = isSet(() => certificate?.acmCertificateArn) || isSet(() => certificate?.iamCertificateId);
      if (certificate?.cloudfrontDefaultCertificate === true || !own)
        report(
          "This distribution uses the default *.cloudfront.net certificate, whose TLS policy cannot be raised above TLSv1. Give it aliases and an ACM certificate (us-east-1) with minimumProtocolVersion TLSv1.2_2021.",
        );
    }),
  },
  {
    name: "cloudfront-s3-origin-access-control",
    description:
      "CloudFront reaches S3 origins through origin access control (OAC): no origin access identity (legacy), no public website endpoint.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.cloudfront.DistributionArgs>([DISTRIBUTION], (distribution, _args, report) => {
      for (const origin of knownElements(() => distribution.origins)) {
        const name = `Origin ${shown(peek(() => origin.originId))}`;
        const kind = originKind(origin);
        if (kind === "s3-website")
          report(
            `${name} is an S3 website endpoint, which needs a public bucket. Use the bucket's regional REST endpoint with origin access control.`,
          );
        if (kind !== "s3") continue;
        if (isSet(() => origin.s3OriginConfig?.originAccessIdentity))
          report(`${name} uses an origin access identity (legacy). Use originAccessControlId (OAC) instead.`);
        else if (!isSet(() => origin.originAccessControlId))
          report(
            `${name} is an S3 origin without originAccessControlId. Create an aws.cloudfront.OriginAccessControl (s3, sigv4, always) and let only this distribution read the bucket.`,
          );
      }
    }),
  },
  {
    name: "cloudfront-origin-https",
    description: "CloudFront reaches custom origins over HTTPS with TLS 1.2 only (never http-only).",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.cloudfront.DistributionArgs>([DISTRIBUTION], (distribution, _args, report) => {
      for (const origin of knownElements(() => distribution.origins)) {
        const config = peek(() => origin.customOriginConfig);
        if (config === UNKNOWN || config === undefined) continue;
        const name = `Origin ${shown(peek(() => origin.originId))}`;
        if (config.originProtocolPolicy === "http-only")
          report(
            `${name} has originProtocolPolicy "http-only": traffic to the origin is plain text. Use "https-only" with a certificate on the origin.`,
          );
        const weak = knownElements(() => config.originSslProtocols).filter((p) => !MODERN_ORIGIN_PROTOCOLS.includes(p));
        if (weak.length > 0)
          report(`${name} allows ${weak.join(", ")} towards the origin. Set originSslProtocols ["TLSv1.2"].`);
      }
    }),
  },
  {
    name: "cloudfront-waf",
    description: "CloudFront distributions are protected by an AWS WAF web ACL (webAclId).",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.cloudfront.DistributionArgs>([DISTRIBUTION], (distribution, _args, report) => {
      if (!isSet(() => distribution.webAclId))
        report(
          "No WAF web ACL is attached. Set webAclId to an aws.wafv2.WebAcl (scope CLOUDFRONT, in us-east-1) with the AWS managed rule groups.",
        );
    }),
  },
  {
    name: "cloudfront-logging",
    description:
      "CloudFront distributions log viewer requests: standard logging (loggingConfig) or a CloudWatch log delivery source for the distribution (logging v2).",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
      for (const distribution of resourcesOf(args, [DISTRIBUTION])) {
        if (isSet(() => (distribution.props.loggingConfig as { bucket?: string } | undefined)?.bucket)) continue;
        const sources = referrers(args, [LOG_DELIVERY_SOURCE], { property: "resourceArn" }, distribution, ["arn"]);
        const types = sources.map((source) => peek(() => source.props.logType));
        if (types.some((type) => type === UNKNOWN || type === "ACCESS_LOGS")) continue;
        report(
          `${described(distribution)} does not log requests. Add an aws.cloudwatch.LogDeliverySource (logType ACCESS_LOGS, resourceArn the distribution's ARN) with a delivery to S3 or CloudWatch Logs.`,
          distribution.urn,
        );
      }
    },
  },
];
