import { z } from "zod";
import { extraTagsSchema } from "../../components/aws/tags";
import { parseAvailabilityZone } from "../../components/network/availability-zones";
import { SUBNET_TIERS } from "../../components/network/cidr-plan";
import {
  interfaceEndpointService,
  logRetentionDays,
  NAT_STRATEGIES,
  type VpcLayoutInput,
  vpcLayoutIssues,
} from "../../components/network/vpc-args";

/** A public DNS name like example.com or app.example.com (lower case, no trailing dot). */
export const dnsName = z
  .string()
  .max(253)
  .regex(
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
    "a lower-case DNS name like example.com, without a trailing dot",
  );

/** Config keys whose Vpc argument has another name. */
const CONFIG_KEY: Partial<Record<keyof VpcLayoutInput, string>> = { cidrBlock: "cidr" };

/**
 * The network layer's `stackline:*` config. `awsRegion` is the stack's `aws:region`, when set: the zones
 * must be in it.
 */
export function networkConfigSchema(awsRegion?: string) {
  return z
    .object({
      /** The VPC's IPv4 CIDR, /16 to /22; give each environment its own, so VPCs can be peered later. */
      cidr: z.string(),
      /** The zones to use, named (like eu-west-1a): a plan never changes because AWS adds a zone. */
      availabilityZones: z.array(z.string()).min(1),
      /** Subnet tiers. @default ["public", "private", "isolated"] */
      tiers: z
        .array(z.enum(SUBNET_TIERS))
        .min(1)
        .default([...SUBNET_TIERS]),
      /** NAT gateways: "perAz" (one per zone), "single" (one) or "none". @default "perAz" */
      natStrategy: z.enum(NAT_STRATEGIES).default("perAz"),
      /** Interface endpoints by short service name, like ecr.api or ssm. @default [] */
      interfaceEndpoints: z.array(interfaceEndpointService).default([]),
      /** Days the VPC flow logs are kept. @default 365 */
      flowLogRetentionDays: logRetentionDays.default(365),
      /** Protect the VPC and the flow logs (and their key) from deletion and replacement. @default false */
      protect: z.boolean().default(false),
      /**
       * The environment's public DNS name: a public hosted zone is created for it and exported (with
       * the name) for the compute and edge layers, which need both. @default none (no zone)
       */
      domainName: dnsName.optional(),
      /** Extra tags for every resource. @default {} */
      tags: extraTagsSchema,
    })
    .strict()
    .superRefine((config, ctx) => {
      const layout = { ...config, cidrBlock: config.cidr };
      for (const { field, message } of vpcLayoutIssues(layout)) {
        ctx.addIssue({ code: "custom", path: [CONFIG_KEY[field] ?? field], message });
      }
      const elsewhere = config.availabilityZones.filter((name) => {
        const zone = parseAvailabilityZone(name);
        return awsRegion !== undefined && typeof zone !== "string" && zone.region !== awsRegion;
      });
      if (elsewhere.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["availabilityZones"],
          message: `zones of the stack's region ${awsRegion} (aws:region), not ${elsewhere.join(", ")}`,
        });
      }
    });
}

export type NetworkConfig = z.output<ReturnType<typeof networkConfigSchema>>;
