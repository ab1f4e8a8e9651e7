import { z } from "zod";
import { arn, inputOf } from "../aws/inputs";
import { extraTagsSchema } from "../aws/tags";
import { planSubnets, SUBNET_TIERS, SubnetPlanError, type SubnetPlanInput, type SubnetTier } from "./cidr-plan";

/** How private subnets reach the internet: not at all, through one NAT gateway, or through one per zone. */
export const NAT_STRATEGIES = ["none", "single", "perAz"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** The retention periods CloudWatch Logs accepts, in days; 0 keeps logs forever. */
export const LOG_RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays = z
  .number()
  .int()
  .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `one of CloudWatch Logs' retention periods in days: ${LOG_RETENTION_DAYS.join(", ")} (0: forever)`,
  });

/** A short AWS service name for an interface endpoint, like `ssm` or `ecr.api`. */
export const interfaceEndpointService = z
  .string()
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, "a service name like 'ssm', 'ecr.api' or 'secretsmanager'")
  .refine((service) => !service.startsWith("com.amazonaws."), {
    message: "the short service name like 'ssm' (com.amazonaws.<region>. is added for you)",
  })
  .refine((service) => service !== "s3", {
    message: "a service other than s3 (S3 has a free gateway endpoint: s3GatewayEndpoint)",
  });

const flowLogsSchema = z
  .object({
    /** Record the VPC's traffic to CloudWatch Logs. @default true */
    enabled: z.boolean().default(true),
    /** Which traffic to record: ALL, ACCEPT or REJECT. @default "ALL" */
    trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
    /** How long CloudWatch Logs keeps the records, in days (0: forever). @default 365 */
    retentionInDays: logRetentionDays.default(365),
    /** Seconds over which records are aggregated: 60 or 600. @default 600 */
    maxAggregationInterval: z.union([z.literal(60), z.literal(600)]).default(600),
    /**
     * A customer key of your own for the log group; its policy must let `logs.<region>.amazonaws.com`
     * use it for this group. @default a new key, rotated yearly, usable only by CloudWatch Logs for this group
     */
    kmsKeyArn: inputOf(arn).optional(),
    /** The log group's name. @default /<project>/<stack>/<component name>/vpc-flow-logs */
    logGroupName: z
      .string()
      .regex(/^[A-Za-z0-9_\-/.#]{1,512}$/, "a log group name of letters, digits and _-/.#")
      .optional(),
  })
  .strict();

export const vpcArgsSchema = z
  .object({
    /** The VPC's IPv4 CIDR, /16 to /22 with every tier (see docs: a /22 gives /28 public subnets). */
    cidrBlock: z.string(),
    /** The zones to use, named (like eu-west-1a), never looked up; all of one region, letters a to h. */
    availabilityZones: z.array(z.string()).min(1),
    /** The subnet tiers to create, one subnet per tier and zone. @default ["public", "private", "isolated"] */
    tiers: z
      .array(z.enum(SUBNET_TIERS))
      .min(1)
      .default([...SUBNET_TIERS]),
    /**
     * How private subnets reach the internet: "perAz" (a NAT gateway per zone: a zone's outage never cuts
     * the others off), "single" (one, in the first zone listed: cheaper, one zone's failure stops all
     * egress), or "none" (no internet egress; AWS services through endpoints only). @default "perAz"
     */
    natStrategy: z.enum(NAT_STRATEGIES).default("perAz"),
    /** Give instances launched in public subnets a public IP. Private and isolated subnets never do. @default false */
    mapPublicIpOnLaunch: z.boolean().default(false),
    /** Route S3 traffic of private and isolated subnets through a (free) gateway endpoint. @default true */
    s3GatewayEndpoint: z.boolean().default(true),
    /**
     * AWS services to reach through interface endpoints with private DNS, in the private subnets (the
     * isolated ones without a private tier), open on 443 to the VPC's CIDR only. @default [] (none)
     */
    interfaceEndpoints: z.array(interfaceEndpointService).default([]),
    /** VPC flow logs to a KMS-encrypted CloudWatch log group. @default all traffic, kept 365 days, a new key */
    flowLogs: flowLogsSchema.prefault({}),
    /** Protect the VPC, the flow-log group and its key: Pulumi then refuses to delete or replace them. @default false */
    protect: z.boolean().default(false),
    /** Extra tags for every resource. @default {} */
    tags: extraTagsSchema,
  })
  .strict()
  .superRefine((args, ctx) => {
    for (const { field, message } of vpcLayoutIssues(args)) ctx.addIssue({ code: "custom", path: [field], message });
  });

/** What a layout needs beyond each field's own checks. */
export interface VpcLayoutInput {
  cidrBlock: string;
  availabilityZones: readonly string[];
  tiers: readonly SubnetTier[];
  natStrategy: NatStrategy;
  interfaceEndpoints: readonly string[];
}

/**
 * Problems that involve several fields (or the subnet plan): each names the field to change. Shared
 * by the component's args and the network layer's config, which name some fields differently.
 */
export function vpcLayoutIssues(args: VpcLayoutInput): Array<{ field: keyof VpcLayoutInput; message: string }> {
  const issues: Array<{ field: keyof VpcLayoutInput; message: string }> = [];
  const fields: Record<keyof SubnetPlanInput, keyof VpcLayoutInput> = {
    cidr: "cidrBlock",
    availabilityZones: "availabilityZones",
    tiers: "tiers",
  };
  try {
    planSubnets({ cidr: args.cidrBlock, availabilityZones: args.availabilityZones, tiers: args.tiers });
  } catch (error) {
    if (!(error instanceof SubnetPlanError)) throw error;
    issues.push({ field: fields[error.field], message: error.expected });
  }
  const duplicate = (list: readonly string[]) => list.find((item, i) => list.indexOf(item) !== i);
  const tier = duplicate(args.tiers);
  if (tier) issues.push({ field: "tiers", message: `each tier once ('${tier}' is listed twice)` });
  const service = duplicate(args.interfaceEndpoints);
  if (service)
    issues.push({ field: "interfaceEndpoints", message: `each service once ('${service}' is listed twice)` });
  if (args.natStrategy !== "none" && !(args.tiers.includes("public") && args.tiers.includes("private"))) {
    issues.push({
      field: "natStrategy",
      message: `"none" (the default is "perAz") unless there are both a public tier (NAT gateways live there) and a private tier (they serve it)`,
    });
  }
  if (args.interfaceEndpoints.length > 0 && !args.tiers.some((t) => t === "private" || t === "isolated")) {
    issues.push({
      field: "interfaceEndpoints",
      message: "no endpoints without a private or isolated tier to place them in",
    });
  }
  return issues;
}

export type VpcArgs = z.input<typeof vpcArgsSchema>;
export type ParsedVpcArgs = z.output<typeof vpcArgsSchema>;
