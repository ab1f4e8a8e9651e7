import type * as pulumi from "@pulumi/pulumi";

/** A security group rule between the service and one peer, before it becomes a resource. */
export interface PlannedRule {
  /** Stable suffix for the rule's resource name. */
  key: string;
  protocol: "tcp" | "udp";
  port: number;
  description: string;
  cidr?: string;
  securityGroupId?: pulumi.Input<string>;
  prefixListId?: pulumi.Input<string>;
}

export interface EgressInput {
  description: string;
  port: number;
  protocol: "tcp" | "udp";
  cidr?: string;
  securityGroupId?: pulumi.Input<string>;
  prefixListId?: pulumi.Input<string>;
}

export interface ServiceRulesPlan {
  /** On the service's group: the only ingress, from the load balancer's group. */
  ingressFromLoadBalancer: PlannedRule;
  /** On the load balancer's group: egress to the service's group, on the container port only. */
  loadBalancerEgress: PlannedRule;
  /** On the service's group: where the tasks may connect. */
  egress: PlannedRule[];
}

/**
 * The rules that connect a load balancer and a service by security group, never by CIDR: the
 * service accepts the container port from the load balancer only, and the load balancer may send
 * to the service on that port only.
 */
export function serviceSecurityGroupRules(args: {
  serviceName: string;
  containerPort: number;
  loadBalancerSecurityGroupId: pulumi.Input<string>;
  serviceSecurityGroupId: pulumi.Input<string>;
  egress: EgressInput[];
}): ServiceRulesPlan {
  return {
    ingressFromLoadBalancer: {
      key: "from-alb",
      protocol: "tcp",
      port: args.containerPort,
      securityGroupId: args.loadBalancerSecurityGroupId,
      description: `HTTP from the load balancer to ${args.serviceName}`,
    },
    loadBalancerEgress: {
      key: "alb-to-service",
      protocol: "tcp",
      port: args.containerPort,
      securityGroupId: args.serviceSecurityGroupId,
      description: `Requests and health checks to ${args.serviceName}`,
    },
    egress: args.egress.map((rule, index) => ({
      ...rule,
      // A CIDR names its rule; a group or prefix list may be an Output, so its position does.
      key: rule.cidr
        ? `egress-${rule.protocol}-${rule.port}-${rule.cidr.replace(/[./]/g, "-")}`
        : `egress-${rule.protocol}-${rule.port}-${index}`,
    })),
  };
}
