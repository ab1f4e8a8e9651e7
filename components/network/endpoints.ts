import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecurityGroup } from "./security-group";

export interface EndpointResources {
  s3GatewayEndpointId?: pulumi.Output<string>;
  /** Interface endpoint ids by service name. */
  interfaceEndpointIds: Record<string, pulumi.Output<string>>;
  interfaceEndpointSecurityGroupId?: pulumi.Output<string>;
}

/**
 * The S3 gateway endpoint on the given route tables, and interface endpoints with private DNS in the
 * given subnets, behind a security group open on 443 to the VPC's CIDR only. Children of `parent`.
 */
export function createEndpoints(
  parent: pulumi.Resource,
  name: string,
  args: {
    vpcId: pulumi.Output<string>;
    vpcCidrBlock: string;
    region: string;
    /** Route tables that get the S3 gateway endpoint; none: no endpoint. */
    s3RouteTableIds: pulumi.Output<string>[];
    interfaceServices: readonly string[];
    interfaceSubnetIds: pulumi.Output<string>[];
    /** Standard tags for the endpoints. */
    tags: Record<string, string>;
    /** The caller's extra tags, for the endpoints' SecurityGroup component (which adds its own standard tags). */
    extraTags: Record<string, string>;
  },
): EndpointResources {
  const child = { parent };
  const { region, tags } = args;
  const prefix = aws.getPartitionOutput({}, child).reverseDnsPrefix;
  const result: EndpointResources = { interfaceEndpointIds: {} };

  if (args.s3RouteTableIds.length > 0) {
    result.s3GatewayEndpointId = new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: args.vpcId,
        serviceName: pulumi.interpolate`${prefix}.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: args.s3RouteTableIds,
        region,
        tags: { ...tags, Name: `${name}-s3` },
      },
      child,
    ).id;
  }

  if (args.interfaceServices.length > 0) {
    const group = new SecurityGroup(
      `${name}-endpoints`,
      {
        vpcId: args.vpcId,
        description: "Interface endpoints: HTTPS from inside the VPC only",
        ingress: [
          { name: "https-from-vpc", description: "HTTPS from the VPC", port: 443, cidrIpv4: args.vpcCidrBlock },
        ],
        // Endpoints answer; they never open connections, so no egress.
        egress: [],
        region,
        tags: args.extraTags,
      },
      child,
    );
    result.interfaceEndpointSecurityGroupId = group.securityGroupId;
    for (const service of args.interfaceServices) {
      result.interfaceEndpointIds[service] = new aws.ec2.VpcEndpoint(
        `${name}-${service.replace(/\./g, "-")}`,
        {
          vpcId: args.vpcId,
          serviceName: pulumi.interpolate`${prefix}.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: args.interfaceSubnetIds,
          securityGroupIds: [group.securityGroupId],
          region,
          tags: { ...tags, Name: `${name}-${service}` },
        },
        child,
      ).id;
    }
  }
  return result;
}
