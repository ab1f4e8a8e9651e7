import type * as pulumi from "@pulumi/pulumi";
import type { UpstreamStack } from "../upstream";

/** What the data layer takes from the network layer, checked when the values arrive. */
export interface NetworkInputs {
  vpcId: pulumi.Output<string>;
  isolatedSubnetIds: pulumi.Output<string[]>;
}

function unusable(name: string, stack: string, expected: string, found: unknown): Error {
  return new Error(
    `The data layer needs output '${name}' of stack '${stack}' as ${expected}, found ${JSON.stringify(found) ?? "nothing"}: ` +
      "deploy the network layer of this environment first (stackline up), then retry.",
  );
}

/** The network's VPC id, or an error naming the upstream stack and output. */
export function checkVpcId(value: unknown, networkStack: string): string {
  if (typeof value === "string" && value.length > 0) return value;
  throw unusable("vpcId", networkStack, "a VPC id", value);
}

/** The network's isolated subnets (two or more, for two Availability Zones), or an error naming the output. */
export function checkIsolatedSubnetIds(value: unknown, networkStack: string): string[] {
  if (Array.isArray(value) && value.length >= 2 && value.every((id) => typeof id === "string" && id.length > 0)) {
    return value as string[];
  }
  throw unusable("isolatedSubnetIds", networkStack, "a list of at least two subnet ids", value);
}

export function networkInputs(network: UpstreamStack, networkStack: string): NetworkInputs {
  return {
    vpcId: network.output("vpcId").apply((value) => checkVpcId(value, networkStack)),
    isolatedSubnetIds: network
      .output("isolatedSubnetIds")
      .apply((value) => checkIsolatedSubnetIds(value, networkStack)),
  };
}
