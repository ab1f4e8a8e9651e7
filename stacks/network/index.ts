import * as pulumi from "@pulumi/pulumi";
import { Vpc } from "../../components/network/vpc";
import { readConfig } from "../config";
import type { LayerProgram } from "../layers";
import { networkConfigSchema } from "./config";

/** The network layer: the environment's VPC. Other layers read its ids through the outputs declared in stacks/layers.ts. */
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
  return {
    vpcId: vpc.vpcId,
    vpcCidrBlock: vpc.vpcCidrBlock,
    availabilityZones: vpc.availabilityZones,
    publicSubnetIds: vpc.publicSubnetIds,
    privateSubnetIds: vpc.privateSubnetIds,
    isolatedSubnetIds: vpc.isolatedSubnetIds,
    domainName: config.domainName,
  };
};

export default program;
