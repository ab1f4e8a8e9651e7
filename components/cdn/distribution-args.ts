import { z } from "zod";
import { idInput, inputOf } from "../aws/inputs";
import { extraTagsSchema } from "../aws/tags";
import { domainName } from "../dns/domain-name";
import { objectOrFalse } from "../storage/input-schemas";
import { accessLogsSchema } from "./access-logs";
import { cloudFrontCertificateArn, cloudFrontWebAclArn } from "./arns";
import { securityHeadersSchema } from "./security-headers";

/** CloudFront security policies from TLSv1.2_2021 on; older ones allow weak ciphers and are refused. */
export const minimumProtocolVersion = z.string().refine((value) => {
  const match = /^TLSv1\.([23])_(\d{4})$/.exec(value);
  return match !== null && (match[1] === "3" || Number(match[2]) >= 2021);
}, "TLSv1.2_2021 or newer (TLSv1.2_2025, TLSv1.3_2025)");

const pathPattern = z
  .string()
  .max(255)
  .regex(/^\/\S+$/, "a path pattern like /api/*")
  .refine((value) => value !== "/*", "a path pattern narrower than /* (the default behaviour serves everything else)");

const headerName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "an HTTP header name like X-Origin-Verify");

export const s3OriginSchema = z
  .object({
    /** The bucket's regional domain name (SecureBucket's `bucketRegionalDomainName`). */
    bucketRegionalDomainName: idInput,
    /** A folder of the bucket to serve instead of its root, like `/site`. @default "" (the root) */
    originPath: z
      .string()
      .regex(/^(\/[A-Za-z0-9._~-]+)*$/, "a folder like /site (no trailing '/'), or empty for the root")
      .default(""),
  })
  .strict();

export const albOriginSchema = z
  .object({
    /**
     * The name CloudFront connects to over HTTPS. CloudFront checks the origin's certificate against
     * it, so give a name the ALB's certificate covers (or the ALB's DNS name if its certificate does).
     */
    domainName: idInput,
    /** Paths sent to the ALB when the S3 origin serves the rest. @default ["/api/*"] */
    pathPatterns: z.array(pathPattern).min(1).max(20).default(["/api/*"]),
    /**
     * A header CloudFront adds to every request to the ALB, so the ALB can refuse requests that did not
     * come through CloudFront. The value is kept secret in the state. @default none
     */
    customHeader: z
      .object({ name: headerName, value: inputOf(z.string().min(1).max(1783)) })
      .strict()
      .optional(),
    /** The ALB's HTTPS listener port. @default 443 */
    httpsPort: z.number().int().min(1).max(65_535).default(443),
    /** Seconds CloudFront waits for the ALB's response. @default 30 */
    readTimeoutSeconds: z.number().int().min(1).max(180).default(30),
  })
  .strict();

export const distributionArgsSchema = z
  .object({
    /** Serve static files from a bucket through origin access control. @default none */
    s3Origin: s3OriginSchema.optional(),
    /** Send requests (all, or `pathPatterns` when there is an S3 origin) to a load balancer. @default none */
    albOrigin: albOriginSchema.optional(),
    /** The names the distribution answers for; the certificate must cover each. @default [] */
    aliases: z.array(inputOf(domainName)).max(100).default([]),
    /** The viewer certificate: an ACM certificate in us-east-1 (see `Certificate` with `region`). */
    certificateArn: inputOf(cloudFrontCertificateArn),
    /** The oldest TLS security policy viewers may use. @default "TLSv1.2_2021" */
    minimumProtocolVersion: minimumProtocolVersion.default("TLSv1.2_2021"),
    /** What happens to plain HTTP requests: redirected to HTTPS, or refused. @default "redirect-to-https" */
    viewerProtocolPolicy: z.enum(["redirect-to-https", "https-only"]).default("redirect-to-https"),
    /**
     * Standard access logs (v2) to a bucket, or `false` to turn them off on purpose. Required: a
     * distribution is never unlogged by omission.
     */
    logging: objectOrFalse(
      accessLogsSchema,
      "access logs { bucketArn, outputFormat?, suffixPath? }, or false to turn logging off on purpose",
    ),
    /** A WAFv2 web ACL of CLOUDFRONT scope (a us-east-1 `global/webacl` ARN). @default none */
    webAclId: inputOf(cloudFrontWebAclArn).optional(),
    /** Edge locations used: PriceClass_100 (North America, Europe), _200 or _All. @default "PriceClass_100" */
    priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]).default("PriceClass_100"),
    /** The object served for `/` (S3 origin). @default "index.html" with an S3 origin, none otherwise */
    defaultRootObject: z
      .string()
      .regex(/^[A-Za-z0-9._~-][A-Za-z0-9._~/-]*$/, "an object key like index.html (no leading '/')")
      .optional(),
    /** HTTP versions offered to viewers. @default "http2and3" */
    httpVersion: z.enum(["http1.1", "http2", "http2and3", "http3"]).default("http2and3"),
    /** Answer over IPv6 too (pair with AAAA alias records). @default true */
    ipv6: z.boolean().default(true),
    /** Security headers added to every response. @default HSTS 2 years with subdomains and preload, nosniff, DENY, strict-origin-when-cross-origin, XSS block */
    securityHeaders: securityHeadersSchema.prefault({}),
    /** A note shown in the CloudFront console. @default "Managed by Stackline (<name>)" */
    comment: z.string().max(128).optional(),
    /** Extra tags for the distribution. @default {} */
    tags: extraTagsSchema,
  })
  .strict()
  .refine((args) => args.s3Origin !== undefined || args.albOrigin !== undefined, {
    message: "an s3Origin or an albOrigin (or both)",
    path: ["s3Origin"],
  });

export type DistributionArgs = z.input<typeof distributionArgsSchema>;
export type ParsedDistributionArgs = z.output<typeof distributionArgsSchema>;
