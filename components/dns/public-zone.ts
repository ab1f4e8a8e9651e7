import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { extraTagsSchema, standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import { domainName } from "./domain-name";

export const publicZoneArgsSchema = z
  .object({
    /** The zone's domain name, for example `example.com` or `dev.example.com` (delegated from its parent). */
    domainName,
    /** A note shown in the Route 53 console. @default "Public zone for <domainName>, managed by Stackline" */
    comment: z.string().max(256).optional(),
    /**
     * Delete every record when the zone is deleted. Off so a `pulumi destroy` cannot silently drop
     * records made outside this stack (delegations, mail, verification). @default false
     */
    forceDestroy: z.boolean().default(false),
    /** Extra tags for the zone. @default {} */
    tags: extraTagsSchema,
  })
  .strict();

export type PublicZoneArgs = z.input<typeof publicZoneArgsSchema>;

/**
 * A public Route 53 hosted zone for one domain name. Delegate the domain to `nameServers` at its
 * registrar (or with an NS record in the parent zone) before certificates can be validated in it.
 */
export class PublicZone extends pulumi.ComponentResource {
  static readonly type = "stackline:dns:PublicZone";
  /** The hosted zone's id (`Z...`), for records, certificate validation and alias targets. */
  readonly zoneId: pulumi.Output<string>;
  /** The four name servers to delegate the domain to. */
  readonly nameServers: pulumi.Output<string[]>;
  /** The zone's domain name. */
  readonly domainName: pulumi.Output<string>;

  constructor(name: string, args: PublicZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(PublicZone.type, name, publicZoneArgsSchema, args);
    super(PublicZone.type, name, {}, opts);

    const zone = new aws.route53.Zone(
      name,
      {
        name: parsed.domainName,
        comment: parsed.comment ?? `Public zone for ${parsed.domainName}, managed by Stackline`,
        forceDestroy: parsed.forceDestroy,
        tags: standardTags(PublicZone.type, name, parsed.tags),
      },
      { parent: this },
    );

    this.zoneId = zone.zoneId;
    this.nameServers = zone.nameServers;
    this.domainName = pulumi.output(parsed.domainName);
    this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers, domainName: this.domainName });
  }
}
