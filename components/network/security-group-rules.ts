import type * as pulumi from "@pulumi/pulumi";
import { Address4, Address6 } from "ip-address";
import { z } from "zod";
import { idInput } from "../aws/inputs";

/** Characters AWS accepts in security group and rule descriptions. */
const DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]+$/;

/** A description AWS accepts: what the rule or group is for, so a reviewer never has to guess. */
export const awsDescription = z
  .string()
  .min(1)
  .max(255)
  .regex(DESCRIPTION, "text of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (AWS's allowed characters)");

const port = z.number().int().min(0).max(65535);
/** A port, or for ICMP a type or code (-1: all). */
const portOrIcmp = z.number().int().min(-1).max(65535);

/** Ports that must never be open to the whole internet by accident. */
const ADMIN_PORTS: ReadonlyArray<[number, string]> = [
  [22, "SSH (port 22)"],
  [3389, "RDP (port 3389)"],
];

const ruleShape = {
  /** Why the rule exists; required on every rule. */
  description: awsDescription,
  /** `tcp`, `udp`, `icmp`, `icmpv6`, or `all` (same as `-1`: every protocol and port). @default "tcp" */
  protocol: z.enum(["tcp", "udp", "icmp", "icmpv6", "all", "-1"]).default("tcp"),
  /** One port (tcp or udp); or give `fromPort` and `toPort`. */
  port: port.optional(),
  /** First port of a range (tcp, udp), or the ICMP type (-1 for all). */
  fromPort: portOrIcmp.optional(),
  /** Last port of a range (tcp, udp), or the ICMP code (-1 for all). */
  toPort: portOrIcmp.optional(),
  /** Peer: another security group (preferred: follows the group's members, never a stale address). */
  peerSecurityGroupId: idInput.optional(),
  /** Peer: this group itself (members talk to each other). */
  self: z.literal(true).optional(),
  /** Peer: an IPv4 CIDR, like 10.0.0.0/16. */
  cidrIpv4: z.string().optional(),
  /** Peer: an IPv6 CIDR, like 2001:db8::/56. */
  cidrIpv6: z.string().optional(),
  /** Peer: a managed prefix list, like the one of S3's or CloudFront's addresses. */
  prefixListId: idInput.optional(),
  /** Part of the rule's resource name; give one to keep the name when rules before it are added or removed. @default its index */
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and '-'")
    .optional(),
};

const PEERS = ["peerSecurityGroupId", "self", "cidrIpv4", "cidrIpv6", "prefixListId"] as const;

type RawRule = z.output<z.ZodObject<typeof ruleShape>>;

/** Ports and peers that a rule of this protocol must have. */
function checkRule(rule: RawRule, ctx: z.RefinementCtx) {
  const peers = PEERS.filter((peer) => rule[peer] !== undefined);
  if (peers.length !== 1) {
    ctx.addIssue({
      code: "custom",
      path: [],
      message: `exactly one peer of ${PEERS.join(", ")}${peers.length > 1 ? ` (found ${peers.join(" and ")})` : ""}`,
    });
  }
  if (rule.cidrIpv4 !== undefined && !isCidr(Address4, rule.cidrIpv4)) {
    ctx.addIssue({ code: "custom", path: ["cidrIpv4"], message: "an IPv4 CIDR like 10.0.0.0/16" });
  }
  if (rule.cidrIpv6 !== undefined && !isCidr(Address6, rule.cidrIpv6)) {
    ctx.addIssue({ code: "custom", path: ["cidrIpv6"], message: "an IPv6 CIDR like 2001:db8::/56" });
  }
  const hasRange = rule.fromPort !== undefined || rule.toPort !== undefined;
  const portIssue = (message: string) => ctx.addIssue({ code: "custom", path: ["port"], message });
  switch (rule.protocol) {
    case "tcp":
    case "udp":
      if (rule.port !== undefined && hasRange) portIssue("either port or fromPort and toPort, not both");
      else if (rule.port === undefined && (rule.fromPort === undefined || rule.toPort === undefined)) {
        portIssue(`a port (or fromPort and toPort) for ${rule.protocol}`);
      } else if (hasRange && ((rule.fromPort ?? 0) < 0 || (rule.toPort ?? 0) < (rule.fromPort ?? 0))) {
        ctx.addIssue({ code: "custom", path: ["toPort"], message: "a range with 0 <= fromPort <= toPort" });
      }
      break;
    case "icmp":
    case "icmpv6":
      if (rule.port !== undefined) portIssue("no port for ICMP (fromPort is the ICMP type, toPort the code)");
      break;
    default:
      if (rule.port !== undefined || hasRange) portIssue("no port for protocol 'all' (it opens every port)");
  }
}

function isCidr(kind: typeof Address4 | typeof Address6, text: string): boolean {
  return text.includes("/") && kind.isValid(text);
}

/** The peer field (cidrIpv4 or cidrIpv6) holding the whole internet, a /0 however it is spelled; undefined when none does. */
export function wholeInternetField(rule: { cidrIpv4?: string; cidrIpv6?: string }): string | undefined {
  if (rule.cidrIpv4 !== undefined && isCidr(Address4, rule.cidrIpv4) && new Address4(rule.cidrIpv4).subnetMask === 0) {
    return "cidrIpv4";
  }
  if (rule.cidrIpv6 !== undefined && isCidr(Address6, rule.cidrIpv6) && new Address6(rule.cidrIpv6).subnetMask === 0) {
    return "cidrIpv6";
  }
  return undefined;
}

/** What a rule exposes that must not face the internet: every port, SSH or RDP; empty when nothing. */
export function riskyExposure(rule: Pick<RawRule, "protocol" | "port" | "fromPort" | "toPort">): string[] {
  if (rule.protocol === "all" || rule.protocol === "-1") return ["every protocol and port"];
  if (rule.protocol !== "tcp" && rule.protocol !== "udp") return [];
  const from = rule.port ?? rule.fromPort ?? 0;
  const to = rule.port ?? rule.toPort ?? 65535;
  if (from <= 1 && to >= 65535) return ["every port"];
  return ADMIN_PORTS.filter(([p]) => from <= p && p <= to).map(([, what]) => what);
}

/** An ingress rule; opening SSH, RDP or every port to 0.0.0.0/0 or ::/0 needs `unsafeAllowFromInternet`. */
export const ingressRuleSchema = z
  .object({
    ...ruleShape,
    /**
     * Allow this rule to open SSH (22), RDP (3389) or every port to the whole internet (0.0.0.0/0 or
     * ::/0). Refused otherwise: reach hosts through SSM Session Manager or from a named group instead.
     * @default false
     */
    unsafeAllowFromInternet: z.boolean().default(false),
  })
  .strict()
  .superRefine((rule, ctx) => {
    checkRule(rule, ctx);
    const world = wholeInternetField(rule);
    const exposed = riskyExposure(rule);
    if (world && exposed.length > 0 && !rule.unsafeAllowFromInternet) {
      ctx.addIssue({
        code: "custom",
        path: [world],
        message:
          `a narrower source than the whole internet for ${exposed.join(" and ")}: use peerSecurityGroupId or a ` +
          `specific CIDR, or set unsafeAllowFromInternet: true on this rule if it really must be public`,
      });
    }
  });

/** An egress rule. Groups have no egress unless rules are given: what a group may reach is always explicit. */
export const egressRuleSchema = z.object(ruleShape).strict().superRefine(checkRule);

export type IngressRule = z.input<typeof ingressRuleSchema>;
export type EgressRule = z.input<typeof egressRuleSchema>;

/** The arguments of an aws.vpc.SecurityGroupIngressRule or SecurityGroupEgressRule for one parsed rule. */
export interface RuleResourceArgs {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: pulumi.Input<string>;
  referencedSecurityGroupId?: pulumi.Input<string>;
  description: string;
}

/** Turns a parsed rule into the rule resource's arguments; `self` refers to the rule's own group. */
export function ruleResourceArgs(rule: RawRule, ownGroupId: pulumi.Input<string>): RuleResourceArgs {
  const protocol = rule.protocol === "all" ? "-1" : rule.protocol;
  const ports =
    protocol === "-1"
      ? {}
      : protocol === "icmp" || protocol === "icmpv6"
        ? { fromPort: rule.fromPort ?? -1, toPort: rule.toPort ?? -1 }
        : { fromPort: rule.port ?? rule.fromPort, toPort: rule.port ?? rule.toPort };
  const peer = rule.self ? { referencedSecurityGroupId: ownGroupId } : {};
  return {
    ipProtocol: protocol,
    ...ports,
    ...(rule.cidrIpv4 !== undefined && { cidrIpv4: rule.cidrIpv4 }),
    ...(rule.cidrIpv6 !== undefined && { cidrIpv6: rule.cidrIpv6 }),
    ...(rule.prefixListId !== undefined && { prefixListId: rule.prefixListId }),
    ...(rule.peerSecurityGroupId !== undefined && { referencedSecurityGroupId: rule.peerSecurityGroupId }),
    ...peer,
    description: rule.description,
  };
}

/** Resource-name suffixes of a rule list: each rule's `name`, else its index. */
export function ruleKeys(rules: ReadonlyArray<{ name?: string | undefined }>): string[] {
  return rules.map((rule, index) => rule.name ?? String(index));
}
