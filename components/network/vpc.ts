import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import { planSubnets, type SubnetTier } from "./cidr-plan";
import { createEndpoints } from "./endpoints";
import { createFlowLogs } from "./flow-logs";
import { type VpcArgs, vpcArgsSchema } from "./vpc-args";

/** Every rule a tier's network ACL holds: all traffic. Security groups filter; routes keep the isolated tier offline. */
const ALLOW_ALL = [{ ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }];

const ids = (resources: ReadonlyArray<{ id: pulumi.Output<string> }>) => pulumi.all(resources.map((r) => r.id));

/**
 * A VPC across named Availability Zones with public, private and isolated subnets laid out by
 * planSubnets (adding a zone or a tier never renumbers a subnet), NAT per zone, one or none, locked
 * default security group and network ACL, KMS-encrypted flow logs, an S3 gateway endpoint and
 * optional interface endpoints.
 */
export class Vpc extends pulumi.ComponentResource {
  static readonly type = "stackline:network:Vpc";
  readonly vpcId: pulumi.Output<string>;
  readonly vpcArn: pulumi.Output<string>;
  readonly vpcCidrBlock: pulumi.Output<string>;
  /** The zones, as given. Subnet and route table lists below follow this order. */
  readonly availabilityZones: pulumi.Output<string[]>;
  /** Empty when the tier is not created. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly isolatedSubnetIds: pulumi.Output<string[]>;
  /** One shared table routing to the internet gateway. */
  readonly publicRouteTableIds: pulumi.Output<string[]>;
  /** One table per zone, routing to that zone's (or the single) NAT gateway. */
  readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** One shared table with no route out of the VPC (S3 gateway endpoint only). */
  readonly isolatedRouteTableIds: pulumi.Output<string[]>;
  readonly natGatewayIds: pulumi.Output<string[]>;
  /** The NAT gateways' public addresses, for partners who allow-list callers. */
  readonly natPublicIps: pulumi.Output<string[]>;
  /** Empty when flow logs are disabled. */
  readonly flowLogGroupName: pulumi.Output<string | undefined>;
  readonly flowLogKeyArn: pulumi.Output<string | undefined>;
  readonly s3GatewayEndpointId: pulumi.Output<string | undefined>;
  /** Interface endpoint ids by service name. */
  readonly interfaceEndpointIds: pulumi.Output<Record<string, string>>;
  readonly interfaceEndpointSecurityGroupId: pulumi.Output<string | undefined>;

  constructor(name: string, args: VpcArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(Vpc.type, name, vpcArgsSchema, args);
    super(Vpc.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(Vpc.type, name, parsed.tags);
    const named = (suffix: string) => ({ ...tags, Name: `${name}-${suffix}` });
    const plan = planSubnets({
      cidr: parsed.cidrBlock,
      availabilityZones: parsed.availabilityZones,
      tiers: parsed.tiers,
    });
    const { region } = plan;
    const zones = parsed.availabilityZones;

    const vpc = new aws.ec2.Vpc(
      name,
      {
        cidrBlock: parsed.cidrBlock,
        enableDnsSupport: true,
        // Needed for interface endpoints' private DNS.
        enableDnsHostnames: true,
        region,
        tags: { ...tags, Name: name },
      },
      { ...child, protect: parsed.protect },
    );

    // Adopted with no rules: anything left in the default group can neither send nor receive.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default`,
      { vpcId: vpc.id, ingress: [], egress: [], region, tags: named("default-do-not-use") },
      child,
    );
    // Adopted with no rules (deny all): a subnet created outside this component cannot pass traffic
    // until someone gives it a network ACL on purpose. Our subnets use their tier's ACL below.
    new aws.ec2.DefaultNetworkAcl(
      `${name}-default`,
      {
        defaultNetworkAclId: vpc.defaultNetworkAclId,
        ingress: [],
        egress: [],
        region,
        tags: named("default-deny-all"),
      },
      { ...child, ignoreChanges: ["subnetIds"] },
    );

    const subnets = new Map<SubnetTier, aws.ec2.Subnet[]>();
    for (const planned of plan.subnets) {
      const subnet = new aws.ec2.Subnet(
        `${name}-${planned.tier}-${planned.availabilityZone}`,
        {
          vpcId: vpc.id,
          cidrBlock: planned.cidrBlock,
          availabilityZone: planned.availabilityZone,
          mapPublicIpOnLaunch: planned.tier === "public" && parsed.mapPublicIpOnLaunch,
          region,
          tags: { ...named(`${planned.tier}-${planned.availabilityZone}`), "stackline:subnet-tier": planned.tier },
        },
        child,
      );
      subnets.set(planned.tier, [...(subnets.get(planned.tier) ?? []), subnet]);
    }
    const tierSubnets = (tier: SubnetTier) => subnets.get(tier) ?? [];

    for (const [tier, members] of subnets) {
      new aws.ec2.NetworkAcl(
        `${name}-${tier}`,
        { vpcId: vpc.id, subnetIds: ids(members), ingress: ALLOW_ALL, egress: ALLOW_ALL, region, tags: named(tier) },
        child,
      );
    }

    const associate = (table: aws.ec2.RouteTable, subnet: aws.ec2.Subnet, suffix: string): void => {
      new aws.ec2.RouteTableAssociation(
        `${name}-${suffix}`,
        { routeTableId: table.id, subnetId: subnet.id, region },
        child,
      );
    };

    // Public: one table, default route to the internet gateway.
    const publicTables: aws.ec2.RouteTable[] = [];
    let internetGateway: aws.ec2.InternetGateway | undefined;
    if (tierSubnets("public").length > 0) {
      internetGateway = new aws.ec2.InternetGateway(
        name,
        { vpcId: vpc.id, region, tags: { ...tags, Name: name } },
        child,
      );
      const table = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, region, tags: named("public") }, child);
      new aws.ec2.Route(
        `${name}-public-internet`,
        { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id, region },
        child,
      );
      for (const [i, subnet] of tierSubnets("public").entries()) associate(table, subnet, `public-${zones[i]}`);
      publicTables.push(table);
    }

    // NAT gateways in public subnets: one per zone, or one in the first zone listed.
    const natZones = parsed.natStrategy === "perAz" ? zones : parsed.natStrategy === "single" ? zones.slice(0, 1) : [];
    const natGateways = natZones.map((zone) => {
      const publicSubnet = tierSubnets("public")[zones.indexOf(zone)];
      const eip = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc", region, tags: named(`nat-${zone}`) }, child);
      return new aws.ec2.NatGateway(
        `${name}-${zone}`,
        {
          allocationId: eip.allocationId,
          subnetId: publicSubnet?.id,
          connectivityType: "public",
          region,
          tags: named(`nat-${zone}`),
        },
        { ...child, dependsOn: internetGateway ? [internetGateway] : [] },
      );
    });

    // Private: a table per zone, so moving between NAT strategies only changes routes, never tables.
    const privateTables = tierSubnets("private").map((subnet, i) => {
      const zone = zones[i] ?? "";
      const table = new aws.ec2.RouteTable(
        `${name}-private-${zone}`,
        { vpcId: vpc.id, region, tags: named(`private-${zone}`) },
        child,
      );
      const nat = natGateways[parsed.natStrategy === "perAz" ? i : 0];
      if (nat) {
        new aws.ec2.Route(
          `${name}-private-${zone}-nat`,
          { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id, region },
          child,
        );
      }
      associate(table, subnet, `private-${zone}`);
      return table;
    });

    // Isolated: one table with no route out of the VPC.
    const isolatedTables: aws.ec2.RouteTable[] = [];
    if (tierSubnets("isolated").length > 0) {
      const table = new aws.ec2.RouteTable(
        `${name}-isolated`,
        { vpcId: vpc.id, region, tags: named("isolated") },
        child,
      );
      for (const [i, subnet] of tierSubnets("isolated").entries()) associate(table, subnet, `isolated-${zones[i]}`);
      isolatedTables.push(table);
    }

    const endpointSubnets = tierSubnets("private").length > 0 ? tierSubnets("private") : tierSubnets("isolated");
    const endpoints = createEndpoints(this, name, {
      vpcId: vpc.id,
      vpcCidrBlock: parsed.cidrBlock,
      region,
      s3RouteTableIds: parsed.s3GatewayEndpoint ? [...privateTables, ...isolatedTables].map((t) => t.id) : [],
      interfaceServices: parsed.interfaceEndpoints,
      interfaceSubnetIds: endpointSubnets.map((s) => s.id),
      tags,
      extraTags: parsed.tags,
    });

    const flowLogs = parsed.flowLogs.enabled
      ? createFlowLogs(this, name, { vpcId: vpc.id, region, settings: parsed.flowLogs, protect: parsed.protect, tags })
      : undefined;

    this.vpcId = vpc.id;
    this.vpcArn = vpc.arn;
    this.vpcCidrBlock = vpc.cidrBlock;
    this.availabilityZones = pulumi.output(zones);
    this.publicSubnetIds = ids(tierSubnets("public"));
    this.privateSubnetIds = ids(tierSubnets("private"));
    this.isolatedSubnetIds = ids(tierSubnets("isolated"));
    this.publicRouteTableIds = ids(publicTables);
    this.privateRouteTableIds = ids(privateTables);
    this.isolatedRouteTableIds = ids(isolatedTables);
    this.natGatewayIds = ids(natGateways);
    this.natPublicIps = pulumi.all(natGateways.map((nat) => nat.publicIp));
    this.flowLogGroupName = pulumi.output(flowLogs?.logGroupName);
    this.flowLogKeyArn = pulumi.output(flowLogs?.kmsKeyArn);
    this.s3GatewayEndpointId = pulumi.output(endpoints.s3GatewayEndpointId);
    this.interfaceEndpointIds = pulumi.output(endpoints.interfaceEndpointIds);
    this.interfaceEndpointSecurityGroupId = pulumi.output(endpoints.interfaceEndpointSecurityGroupId);
    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidrBlock: this.vpcCidrBlock,
      availabilityZones: this.availabilityZones,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      publicRouteTableIds: this.publicRouteTableIds,
      privateRouteTableIds: this.privateRouteTableIds,
      isolatedRouteTableIds: this.isolatedRouteTableIds,
      natGatewayIds: this.natGatewayIds,
      flowLogGroupName: this.flowLogGroupName,
    });
  }
}
