import * as pulumi from "@pulumi/pulumi";
import { PublicZone } from "../../components/dns/public-zone";
import { Vpc } from "../../components/network/vpc";
import { readConfig } from "../config";
import type { LayerProgram } from "../layers";
import { networkConfigSchema } from "./config";

/**
 * The network layer: the environment's VPC and, when `stackline:domainName` is set, its public DNS zone.
 * Other layers read their ids through the outputs declared in stacks/layers.ts.
 */
const program: LayerProgram = async ({ environment }) => {
  const config = readConfig("stackline", networkConfigSchema(new pulumi.Config("aws").get("region")));
  const vpc = new Vpc(environment, {
    cidrBlock: config.cidr,
    availabilityZones: config.availabilityZones,
    tiers: config.tiers,
    natStrategy: config.natStrategy,
    interfaceEndpoints: config.interfaceEndpoints,
    flowLogs: { retentionInDays: config.flowLogRetentionDays },
    protect: config.protect,
    tags: config.tags,
  });
  // The zone holds records other stacks (certificates, aliases) depend on: protected with the VPC.
  const zone =
    config.domainName === undefined
      ? undefined
      : new PublicZone("zone", { domainName: config.domainName, tags: config.tags }, { protect: config.protect });
  return {
    vpcId: vpc.vpcId,
    vpcCidrBlock: vpc.vpcCidrBlock,
    availabilityZones: vpc.availabilityZones,
    publicSubnetIds: vpc.publicSubnetIds,
    privateSubnetIds: vpc.privateSubnetIds,
    isolatedSubnetIds: vpc.isolatedSubnetIds,
    domainName: config.domainName,
    hostedZoneId: zone?.zoneId,
    // Delegate the domain to these at its registrar (or with an NS record in the parent zone).
    nameServers: zone?.nameServers,
  };
};

export default program;
