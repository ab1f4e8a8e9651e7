import { z } from "zod";
import { idInput, inputOf } from "../../aws/inputs";
import { extraTagsSchema } from "../../aws/tags";
import { expecting, idListOf, ipv4Cidr } from "./input-schemas";

/**
 * TLS policies the HTTPS listener may use; all negotiate TLS 1.3. The default also accepts TLS 1.2
 * with forward-secret AEAD ciphers only, which every browser and HTTP client of the last decade speaks;
 * the `TLS13-1-3` policies refuse TLS 1.2 and lock out older clients (some corporate proxies, Java 8).
 */
export const TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
] as const;

const certificateArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/,
    "an ACM certificate ARN like arn:aws:acm:eu-west-1:123456789012:certificate/<id>",
  );

/** Only REGIONAL web ACLs can protect a load balancer; CLOUDFRONT ones are refused by AWS. */
const regionalWebAclArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/,
    "a REGIONAL WAFv2 web ACL ARN like arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/<name>/<id>",
  );

const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name (3-63 lower-case letters, digits, '.' and '-')");

const logPrefix = z
  .string()
  .regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, "a key prefix without leading or trailing '/'")
  .refine((prefix) => !prefix.includes("AWSLogs"), "a key prefix not containing 'AWSLogs' (ELB adds it)");

export const loadBalancerArgsSchema = z
  .object({
    /** The VPC the load balancer and its security group live in. */
    vpcId: expecting(idInput, "a VPC id"),
    /**
     * Subnets in at least two Availability Zones: the public subnets for an internet-facing load
     * balancer, the private ones for an internal one.
     */
    subnetIds: idListOf(2, "at least 2 subnet ids, in different Availability Zones"),
    /** `internet-facing` takes traffic from the internet; `internal` only from inside the VPC. @default "internet-facing" */
    scheme: z.enum(["internet-facing", "internal"]).default("internet-facing"),
    /**
     * The VPC's CIDR block: the default source of traffic of an internal load balancer (required for
     * `internal` unless `ingressCidrs` is given).
     * @default none
     */
    vpcCidrBlock: inputOf(ipv4Cidr).optional(),
    /**
     * Sources allowed to reach ports 443 (and 80, which only redirects). The world for an
     * internet-facing load balancer: the one place Stackline opens ingress to 0.0.0.0/0 on purpose.
     * @default ["0.0.0.0/0"] when internet-facing, [vpcCidrBlock] when internal
     */
    ingressCidrs: z.array(ipv4Cidr).min(1).optional(),
    /** ARN of the ACM certificate the HTTPS listener presents. */
    certificateArn: expecting(inputOf(certificateArn), "the ARN of an ACM certificate in the load balancer's region"),
    /** TLS policy of the HTTPS listener; see TLS_POLICIES. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
    sslPolicy: z.enum(TLS_POLICIES).default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    /** Listen on port 80 and answer every request with a 301 to HTTPS. @default true */
    httpRedirect: z.boolean().default(true),
    /**
     * Where access logs go. The bucket must be in the load balancer's region, encrypted with SSE-S3
     * (ELB cannot write to SSE-KMS buckets) and carry the ELB log-delivery bucket policy.
     */
    accessLogs: z
      .object({
        /** The bucket's name (not its ARN). */
        bucket: expecting(inputOf(bucketName), "an S3 bucket name"),
        /** Key prefix under which ELB writes `AWSLogs/<account>/...`. @default the component's name */
        prefix: logPrefix.optional(),
      })
      .strict(),
    /** ARN of a WAFv2 web ACL (REGIONAL scope) to associate. @default none */
    webAclArn: inputOf(regionalWebAclArn).optional(),
    /** Refuse deletion through the API until this is turned off. @default true */
    deletionProtection: z.boolean().default(true),
    /** Seconds an idle connection stays open. @default 60 */
    idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60),
    /** Extra tags for every taggable resource. @default {} */
    tags: extraTagsSchema,
  })
  .strict()
  .refine((a) => a.scheme === "internet-facing" || a.ingressCidrs !== undefined || a.vpcCidrBlock !== undefined, {
    message: "vpcCidrBlock (or ingressCidrs) for an internal load balancer",
    path: ["vpcCidrBlock"],
  });

export type LoadBalancerArgs = z.input<typeof loadBalancerArgsSchema>;
export type ParsedLoadBalancerArgs = z.output<typeof loadBalancerArgsSchema>;
