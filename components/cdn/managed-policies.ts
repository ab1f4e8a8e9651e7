/**
 * IDs of CloudFront's managed policies. AWS publishes them as fixed, global IDs (the same in every
 * account), so they are constants here rather than looked up at deployment, which would need an invoke.
 * Source: "Use managed cache policies" and "Use managed origin request policies" in the CloudFront
 * Developer Guide.
 */

/** Managed-CachingOptimized: long TTLs, no query strings or cookies in the cache key, gzip and brotli. */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/** Managed-CachingDisabled: every request goes to the origin (dynamic content, APIs). */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

/**
 * Managed-AllViewerExceptHostHeader: forwards every viewer header, cookie and query string except
 * `Host`, so the origin sees its own name (an ALB's certificate matches it) and not the viewer's.
 */
export const ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
