import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import { accessLogDelivery } from "./access-logs";
import { checkDeployedArn } from "./arns";
import { ALB_ORIGIN_ID, planCacheBehaviours, S3_ORIGIN_ID } from "./behaviours";
import { type DistributionArgs, distributionArgsSchema, type ParsedDistributionArgs } from "./distribution-args";
import { securityHeadersConfig } from "./security-headers";

export type { DistributionArgs } from "./distribution-args";

/** A value that may be text or an Output, checked at deployment when it is an Output. */
function checked(kind: "certificateArn" | "webAclId", value: string | pulumi.Output<string>) {
  return typeof value === "string" ? value : value.apply((resolved) => checkDeployedArn(kind, resolved));
}

function origins(name: string, parsed: ParsedDistributionArgs, originAccessControlId?: pulumi.Output<string>) {
  const list: aws.types.input.cloudfront.DistributionOrigin[] = [];
  if (parsed.s3Origin) {
    list.push({
      originId: S3_ORIGIN_ID,
      domainName: parsed.s3Origin.bucketRegionalDomainName,
      originPath: parsed.s3Origin.originPath,
      originAccessControlId,
    });
  }
  if (parsed.albOrigin) {
    const alb = parsed.albOrigin;
    list.push({
      originId: ALB_ORIGIN_ID,
      domainName: alb.domainName,
      customOriginConfig: {
        originProtocolPolicy: "https-only",
        originSslProtocols: ["TLSv1.2"],
        httpPort: 80,
        httpsPort: alb.httpsPort,
        originReadTimeout: alb.readTimeoutSeconds,
      },
      customHeaders: alb.customHeader
        ? [{ name: alb.customHeader.name, value: pulumi.secret(alb.customHeader.value) }]
        : undefined,
    });
  }
  if (list.length === 0) throw new Error(`Distribution '${name}' has no origin.`);
  return list;
}

/**
 * A CloudFront distribution in front of an S3 bucket (through origin access control) and/or an ALB
 * (HTTPS only), with a us-east-1 ACM certificate, TLSv1.2_2021 or newer, HTTPS for viewers, security
 * headers on every response, standard access logs (v2) to S3, and an optional WAF web ACL.
 *
 * The bucket's policy must let this distribution, created after it, read: see `deferredS3OriginGrants`
 * (s3-origin-access.ts), which scopes the grant to this distribution's ARN.
 */
export class Distribution extends pulumi.ComponentResource {
  static readonly type = "stackline:cdn:Distribution";
  /** The distribution's id (`E...`), for invalidations. */
  readonly distributionId: pulumi.Output<string>;
  /** The distribution's ARN, for the S3 bucket's policy (`AWS:SourceArn`). */
  readonly distributionArn: pulumi.Output<string>;
  /** The distribution's own name, `d....cloudfront.net`, for alias records. */
  readonly domainName: pulumi.Output<string>;
  /** CloudFront's hosted zone id, for alias records. */
  readonly hostedZoneId: pulumi.Output<string>;
  /** The id of the security headers policy attached to every behaviour. */
  readonly responseHeadersPolicyId: pulumi.Output<string>;

  constructor(name: string, args: DistributionArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(Distribution.type, name, distributionArgsSchema, args);
    super(Distribution.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(Distribution.type, name, parsed.tags);

    const headersPolicy = new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-security-headers`,
      {
        comment: `Security headers for ${name}, managed by Stackline`,
        securityHeadersConfig: securityHeadersConfig(parsed.securityHeaders),
      },
      child,
    );

    const originAccessControl = parsed.s3Origin
      ? new aws.cloudfront.OriginAccessControl(
          `${name}-oac`,
          {
            description: `Signed requests from ${name} to its S3 origin`,
            originAccessControlOriginType: "s3",
            signingBehavior: "always",
            signingProtocol: "sigv4",
          },
          child,
        )
      : undefined;

    const behaviours = planCacheBehaviours({
      hasS3Origin: parsed.s3Origin !== undefined,
      hasAlbOrigin: parsed.albOrigin !== undefined,
      albPathPatterns: parsed.albOrigin?.pathPatterns ?? [],
      viewerProtocolPolicy: parsed.viewerProtocolPolicy,
      responseHeadersPolicyId: headersPolicy.id,
    });

    const distribution = new aws.cloudfront.Distribution(
      name,
      {
        enabled: true,
        comment: parsed.comment ?? `Managed by Stackline (${name})`,
        aliases: parsed.aliases,
        origins: origins(name, parsed, originAccessControl?.id),
        ...behaviours,
        defaultRootObject: parsed.defaultRootObject ?? (parsed.s3Origin ? "index.html" : undefined),
        viewerCertificate: {
          acmCertificateArn: checked("certificateArn", parsed.certificateArn),
          minimumProtocolVersion: parsed.minimumProtocolVersion,
          sslSupportMethod: "sni-only",
        },
        webAclId: parsed.webAclId === undefined ? undefined : checked("webAclId", parsed.webAclId),
        priceClass: parsed.priceClass,
        httpVersion: parsed.httpVersion,
        isIpv6Enabled: parsed.ipv6,
        restrictions: { geoRestriction: { restrictionType: "none" } },
        tags,
      },
      child,
    );

    if (parsed.logging !== false) {
      accessLogDelivery(name, distribution.arn, parsed.logging, tags, this);
    }

    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.hostedZoneId = distribution.hostedZoneId;
    this.responseHeadersPolicyId = headersPolicy.id;
    this.registerOutputs({
      distributionId: this.distributionId,
      distributionArn: this.distributionArn,
      domainName: this.domainName,
      hostedZoneId: this.hostedZoneId,
      responseHeadersPolicyId: this.responseHeadersPolicyId,
    });
  }
}
