import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { idInput, inputOf } from "../aws/inputs";
import { parseComponentArgs } from "../validation";
import { domainName } from "./domain-name";

/** Route 53 hosted zone id of every CloudFront distribution, for alias records to one. */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

export const aliasRecordArgsSchema = z
  .object({
    /** The hosted zone the records go in. */
    zoneId: idInput,
    /** The records' fully qualified name, for example `www.example.com`. */
    name: inputOf(domainName),
    /** What the name points to: a CloudFront distribution's or a load balancer's DNS name and zone id. */
    target: z
      .object({
        /** The target's DNS name, for example `d111111abcdef8.cloudfront.net` or an ALB's `dnsName`. */
        dnsName: idInput,
        /** The target's own hosted zone id (`Z2FDTNDATAQYW2` for CloudFront, the ALB's `zoneId`). */
        hostedZoneId: idInput,
      })
      .strict(),
    /**
     * Answer only while the target is healthy (useful for an ALB with failover; CloudFront requires
     * false). @default false
     */
    evaluateTargetHealth: z.boolean().default(false),
    /** Also create the AAAA record, for IPv6 clients (CloudFront and dual-stack ALBs). @default true */
    ipv6: z.boolean().default(true),
  })
  .strict();

export type AliasRecordArgs = z.input<typeof aliasRecordArgsSchema>;

/** A and (by default) AAAA alias records pointing a name at a CloudFront distribution or a load balancer. */
export class AliasRecord extends pulumi.ComponentResource {
  static readonly type = "stackline:dns:AliasRecord";
  /** The name the records answer for. */
  readonly fqdn: pulumi.Output<string>;

  constructor(name: string, args: AliasRecordArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(AliasRecord.type, name, aliasRecordArgsSchema, args);
    super(AliasRecord.type, name, {}, opts);

    const record = (type: "A" | "AAAA") =>
      new aws.route53.Record(
        `${name}-${type.toLowerCase()}`,
        {
          zoneId: parsed.zoneId,
          name: parsed.name,
          type,
          aliases: [
            {
              name: parsed.target.dnsName,
              zoneId: parsed.target.hostedZoneId,
              evaluateTargetHealth: parsed.evaluateTargetHealth,
            },
          ],
        },
        { parent: this },
      );
    const ipv4 = record("A");
    if (parsed.ipv6) record("AAAA");

    this.fqdn = ipv4.fqdn;
    this.registerOutputs({ fqdn: this.fqdn });
  }
}
