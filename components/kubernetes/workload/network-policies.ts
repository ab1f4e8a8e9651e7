import type * as k8s from "@pulumi/kubernetes";
import { DNS_EGRESS_RULE } from "../network";
import type { WorkloadArgs } from "./args";

type PolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/**
 * This workload's allows: ingress on its port from the ingress controller and from its own pods;
 * egress to DNS and to the declared destinations only.
 */
export function workloadPolicySpec(args: WorkloadArgs, selector: Record<string, string>): PolicySpec {
  const egress = args.egress.map((rule) => ({
    to: [
      rule.cidr
        ? { ipBlock: { cidr: rule.cidr } }
        : {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": rule.namespace ?? "" } },
            ...(rule.podLabels ? { podSelector: { matchLabels: rule.podLabels } } : {}),
          },
    ],
    ports: rule.ports.map((p) => ({ protocol: p.protocol, port: p.port })),
  }));
  return {
    podSelector: { matchLabels: selector },
    policyTypes: ["Ingress", "Egress"],
    ingress: [
      {
        from: [
          { namespaceSelector: { matchLabels: args.ingressControllerNamespaceLabels } },
          { podSelector: { matchLabels: selector } },
        ],
        ports: [{ protocol: "TCP", port: args.port }],
      },
    ],
    egress: [DNS_EGRESS_RULE, ...egress],
  };
}
