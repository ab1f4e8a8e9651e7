import { z } from "zod";

const ONE_YEAR_SECONDS = 31_536_000;

/** The security headers CloudFront adds to every response, whatever the origin sent. */
export const securityHeadersSchema = z
  .object({
    /**
     * `Strict-Transport-Security` max-age in seconds; at least one year, as the HSTS preload list
     * requires. @default 63072000 (two years)
     */
    hstsMaxAgeSeconds: z
      .number()
      .int()
      .min(ONE_YEAR_SECONDS)
      .default(2 * ONE_YEAR_SECONDS),
    /** Apply HSTS to every subdomain too (the preload list requires it). @default true */
    hstsIncludeSubdomains: z.boolean().default(true),
    /** Ask browsers to preload HSTS for the domain. @default true */
    hstsPreload: z.boolean().default(true),
    /** `X-Frame-Options`: refuse framing entirely, or only by the same origin. @default "DENY" */
    frameOptions: z.enum(["DENY", "SAMEORIGIN"]).default("DENY"),
    /** `Referrer-Policy`. @default "strict-origin-when-cross-origin" */
    referrerPolicy: z
      .enum([
        "no-referrer",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
      ])
      .default("strict-origin-when-cross-origin"),
    /** `Content-Security-Policy`, when the site has one (it depends on the site's own scripts). @default none */
    contentSecurityPolicy: z.string().min(1).max(1783).optional(),
  })
  .strict()
  .refine((headers) => !headers.hstsPreload || headers.hstsIncludeSubdomains, {
    message: "true when hstsPreload is true (the HSTS preload list requires both)",
    path: ["hstsIncludeSubdomains"],
  });

export type SecurityHeaders = z.output<typeof securityHeadersSchema>;

/**
 * A response headers policy's `securityHeadersConfig`. Every header overrides what the origin sent, so
 * an origin cannot weaken them. `X-Content-Type-Options: nosniff` and `X-XSS-Protection: 1; mode=block`
 * are always set.
 */
export function securityHeadersConfig(headers: SecurityHeaders) {
  return {
    strictTransportSecurity: {
      accessControlMaxAgeSec: headers.hstsMaxAgeSeconds,
      includeSubdomains: headers.hstsIncludeSubdomains,
      preload: headers.hstsPreload,
      override: true,
    },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: headers.frameOptions, override: true },
    referrerPolicy: { referrerPolicy: headers.referrerPolicy, override: true },
    xssProtection: { protection: true, modeBlock: true, override: true },
    ...(headers.contentSecurityPolicy
      ? { contentSecurityPolicy: { contentSecurityPolicy: headers.contentSecurityPolicy, override: true } }
      : {}),
  };
}
