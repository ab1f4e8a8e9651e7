import type * as pulumi from "@pulumi/pulumi";
import type { UpstreamStack } from "../upstream";

/** What the storage layer takes from the network layer, checked when the values arrive. */
export interface NetworkInputs {
  vpcId: pulumi.Output<string>;
  /** One Output per private subnet, so a mount target can be declared for each before the ids are known. */
  privateSubnetIds: pulumi.Output<string>[];
}

function unusable(name: string, stack: string, expected: string, found: unknown): Error {
  return new Error(
    `The storage layer needs output '${name}' of stack '${stack}' as ${expected}, found ${JSON.stringify(found) ?? "nothing"}: ` +
      "deploy the network layer of this environment first (stackline up), then retry.",
  );
}

/** The network's VPC id, or an error naming the upstream stack and output. */
export function checkVpcId(value: unknown, networkStack: string): string {
  if (typeof value === "string" && value.length > 0) return value;
  throw unusable("vpcId", networkStack, "a VPC id", value);
}

/**
 * The network's private subnets, exactly `count` of them (one per availability zone, each getting a
 * mount target), or an error naming the output and the config key to change.
 */
export function checkPrivateSubnetIds(value: unknown, count: number, networkStack: string): string[] {
  const isIdList = Array.isArray(value) && value.every((id) => typeof id === "string" && id.length > 0);
  if (!isIdList) throw unusable("privateSubnetIds", networkStack, "a list of subnet ids", value);
  if (value.length !== count) {
    throw new Error(
      `Stack '${networkStack}' has ${value.length} private subnets but stackline:fileSystem.mountTargets is ${count}: ` +
        "set it to the network layer's number of availability zones, so every zone gets a mount target.",
    );
  }
  return value as string[];
}

export function networkInputs(network: UpstreamStack, networkStack: string, mountTargets: number): NetworkInputs {
  const subnetIds = network
    .output("privateSubnetIds")
    .apply((value) => checkPrivateSubnetIds(value, mountTargets, networkStack));
  return {
    vpcId: network.output("vpcId").apply((value) => checkVpcId(value, networkStack)),
    privateSubnetIds: Array.from({ length: mountTargets }, (_, index) =>
      subnetIds.apply((ids) => ids[index] as string),
    ),
  };
}
