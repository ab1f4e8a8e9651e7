import type * as pulumi from "@pulumi/pulumi";

/** One ingress rule of the load balancer's security group. */
export interface PlannedIngress {
  /** Stable suffix for the rule's resource name, from the port and source (not the list position). */
  key: string;
  port: number;
  cidr: pulumi.Input<string>;
  description: string;
}

export interface IngressInputs {
  scheme: "internet-facing" | "internal";
  ingressCidrs?: string[];
  vpcCidrBlock?: pulumi.Input<string>;
  httpRedirect: boolean;
}

/**
 * The sources allowed to reach the load balancer: the given CIDRs, else the world for an
 * internet-facing load balancer and the VPC for an internal one; each on 443, and on 80 when the
 * HTTP listener (which only redirects) exists.
 */
export function loadBalancerIngress(inputs: IngressInputs): PlannedIngress[] {
  const sources: { key: string; cidr: pulumi.Input<string> }[] = inputs.ingressCidrs
    ? inputs.ingressCidrs.map((cidr) => ({ key: cidr.replace(/[./]/g, "-"), cidr }))
    : inputs.scheme === "internet-facing"
      ? [{ key: "0-0-0-0-0", cidr: "0.0.0.0/0" }]
      : [{ key: "vpc", cidr: requireVpcCidr(inputs.vpcCidrBlock) }];
  const ports = inputs.httpRedirect
    ? [
        { port: 443, label: "https", purpose: "HTTPS from clients" },
        { port: 80, label: "http", purpose: "HTTP from clients, redirected to HTTPS" },
      ]
    : [{ port: 443, label: "https", purpose: "HTTPS from clients" }];
  return ports.flatMap(({ port, label, purpose }) =>
    sources.map(({ key, cidr }) => ({
      key: `${label}-${key}`,
      port,
      cidr,
      description: typeof cidr === "string" ? `${purpose} in ${cidr}` : `${purpose} in the VPC`,
    })),
  );
}

function requireVpcCidr(cidr: pulumi.Input<string> | undefined): pulumi.Input<string> {
  // The args schema already refuses an internal load balancer with neither; this keeps the type honest.
  if (cidr === undefined) throw new Error("an internal load balancer needs vpcCidrBlock or ingressCidrs");
  return cidr;
}
