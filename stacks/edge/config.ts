import { z } from "zod";
import { extraTagsSchema } from "../../components/aws/tags";
import { cloudFrontWebAclArn } from "../../components/cdn/arns";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

/** A name relative to the network layer's domain: `www`, `static.eu`, or `@` for the domain itself. */
const relativeName = z
  .string()
  .regex(
    new RegExp(`^(@|${LABEL}(\\.${LABEL})*)$`),
    "a name under the domain like www or static.eu, or @ for the domain itself",
  );

const pathPattern = z
  .string()
  .max(255)
  .regex(/^\/\S+$/, "a path pattern like /api/*")
  .refine((value) => value !== "/*", "a path pattern narrower than /* (the site's bucket serves everything else)");

/** The edge layer's stack config (`stackline:*` keys). */
export const edgeConfigSchema = z
  .object({
    /**
     * A production environment: Pulumi `protect` on the site and log buckets, which `pulumi destroy`
     * then also keeps with their objects. @default false
     */
    production: z.boolean().default(false),
    /** The site's name under the network layer's domain (`www` serves www.<domain>). @default "www" */
    siteSubdomain: relativeName.default("www"),
    /** Requests CloudFront sends to the compute layer's load balancer; the site's bucket serves the rest. @default "/api/*" */
    apiPathPattern: pathPattern.default("/api/*"),
    /**
     * The name (under the domain) CloudFront reaches the load balancer by: a CNAME to its DNS name made
     * here. CloudFront checks the origin's certificate against it, so the load balancer's certificate
     * must cover it. @default "origin"
     */
    apiOriginSubdomain: relativeName.refine((name) => name !== "@", "a name under the domain, not @").default("origin"),
    /** CloudFront edge locations used. @default "PriceClass_100" */
    priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]).default("PriceClass_100"),
    /** A WAFv2 web ACL of CLOUDFRONT scope (made in us-east-1) to put in front of the site. @default none */
    webAclArn: cloudFrontWebAclArn.optional(),
    /**
     * Keep CloudFront access logs and the site bucket's S3 access logs in a log bucket made here.
     * @default true
     */
    accessLogs: z.boolean().default(true),
    /** Days the log bucket keeps logs. @default 90 */
    logRetentionDays: z.number().int().min(1).max(3650).default(90),
    /** Extra tags on every taggable resource (a team, a cost centre). @default {} */
    tags: extraTagsSchema,
  })
  .strict()
  .refine((config) => config.apiOriginSubdomain !== config.siteSubdomain, {
    message: "a name other than siteSubdomain (the site's name points at CloudFront, this one at the load balancer)",
    path: ["apiOriginSubdomain"],
  });

export type EdgeConfig = z.output<typeof edgeConfigSchema>;
