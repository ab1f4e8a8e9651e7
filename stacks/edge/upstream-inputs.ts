import type * as pulumi from "@pulumi/pulumi";
import { isDomainName } from "../../components/dns/domain-name";
import type { LayerContext } from "../layers";
import { upstreamStack } from "../upstream";

/** What the edge layer takes from the network and compute layers, checked when the values arrive. */
export interface EdgeUpstreamInputs {
  hostedZoneId: pulumi.Output<string>;
  domainName: pulumi.Output<string>;
  loadBalancerDnsName: pulumi.Output<string>;
}

function unusable(layer: string, name: string, stack: string, expected: string, found: unknown): Error {
  return new Error(
    `The edge layer needs output '${name}' of stack '${stack}' as ${expected}, found ${JSON.stringify(found) ?? "nothing"}: ` +
      `deploy the ${layer} layer of this environment first (stackline up), then retry.`,
  );
}

/** Checks one upstream output when it arrives; the error names the stack, the output and the fix. */
export function checkUpstream(layer: "network" | "compute", name: string, stack: string, value: unknown): string {
  const checks: Record<string, [string, (v: string) => boolean]> = {
    hostedZoneId: ["a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ", (v) => /^Z[A-Z0-9]{1,31}$/.test(v)],
    domainName: ["a domain name like example.com", isDomainName],
    loadBalancerDnsName: ["a load balancer DNS name", (v) => isDomainName(v.toLowerCase())],
  };
  const [expected, valid] = checks[name] ?? ["a value", () => true];
  if (typeof value === "string" && valid(value)) return value;
  throw unusable(layer, name, stack, expected, value);
}

export function edgeUpstreamInputs(context: LayerContext): EdgeUpstreamInputs {
  const networkStack = `${context.environment}-network`;
  const computeStack = `${context.environment}-compute`;
  const network = upstreamStack(context, "network");
  const compute = upstreamStack(context, "compute");
  const read = (layer: "network" | "compute", name: string, stack: string) =>
    (layer === "network" ? network : compute).output(name).apply((value) => checkUpstream(layer, name, stack, value));
  return {
    hostedZoneId: read("network", "hostedZoneId", networkStack),
    domainName: read("network", "domainName", networkStack),
    loadBalancerDnsName: read("compute", "loadBalancerDnsName", computeStack),
  };
}
