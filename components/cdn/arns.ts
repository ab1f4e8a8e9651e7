import { z } from "zod";

const CLOUDFRONT_CERTIFICATE = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const CLOUDFRONT_WEB_ACL = /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;

const CERTIFICATE_EXPECTED =
  "an ACM certificate ARN in us-east-1 like arn:aws:acm:us-east-1:123456789012:certificate/... (CloudFront reads certificates from us-east-1 only)";
const WEB_ACL_EXPECTED =
  "a WAFv2 web ACL ARN with CLOUDFRONT scope like arn:aws:wafv2:us-east-1:123456789012:global/webacl/<name>/<id>";

/** An ACM certificate CloudFront can use: one in us-east-1. */
export const cloudFrontCertificateArn = z.string().regex(CLOUDFRONT_CERTIFICATE, CERTIFICATE_EXPECTED);

/** A WAFv2 web ACL CloudFront can use: one of CLOUDFRONT scope, which lives in us-east-1 under `global/`. */
export const cloudFrontWebAclArn = z.string().regex(CLOUDFRONT_WEB_ACL, WEB_ACL_EXPECTED);

/**
 * Checks an ARN known only at deployment (another resource's Output) with the same rule as a plain
 * one, so a certificate made in the wrong region fails with a clear message rather than a CloudFront
 * API error.
 */
export function checkDeployedArn(kind: "certificateArn" | "webAclId", value: string): string {
  const schema = kind === "certificateArn" ? cloudFrontCertificateArn : cloudFrontWebAclArn;
  if (schema.safeParse(value).success) return value;
  const expected = kind === "certificateArn" ? CERTIFICATE_EXPECTED : WEB_ACL_EXPECTED;
  throw new Error(`Distribution ${kind}: expected ${expected}, found ${JSON.stringify(value)}.`);
}
