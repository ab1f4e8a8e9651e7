import type * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { Vpc } from "../../components/network/vpc";
import { ComponentArgsError } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue, type RegisteredResource } from "./support/pulumi-mocks";

const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE = "aws:ec2/route:Route";
const NAT = "aws:ec2/natGateway:NatGateway";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

const threeZones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

interface Statement {
  Sid?: string;
  Principal?: Record<string, string>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
const statements = (json: unknown): Statement[] => (JSON.parse(String(json)) as { Statement: Statement[] }).Statement;

describe("Vpc", () => {
  let engine: MockedEngine;
  const one = (type: string, name: string): RegisteredResource => {
    const found = engine.ofType(type).find((r) => r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; have ${engine.ofType(type).map((r) => r.name)}`);
    return found;
  };

  beforeEach(async () => {
    engine = await mockEngine("dev-network", { "aws:region": "eu-west-1" });
  });

  it("by default: three tiers per zone, a NAT per zone, no public IPs, locked defaults", async () => {
    const vpc = new Vpc("main", { cidrBlock: "10.0.0.0/16", availabilityZones: threeZones });
    await engine.settle();

    expect(one("aws:ec2/vpc:Vpc", "main").inputs).toMatchObject({
      cidrBlock: "10.0.0.0/16",
      enableDnsHostnames: true,
      enableDnsSupport: true,
      region: "eu-west-1",
      tags: { Name: "main", "stackline:component": "network:Vpc/main", "stackline:environment": "dev" },
    });
    const subnets = engine.ofType(SUBNET);
    expect(subnets.map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone])).toEqual([
      ["main-public-eu-west-1a", "10.0.128.0/22", "eu-west-1a"],
      ["main-public-eu-west-1b", "10.0.132.0/22", "eu-west-1b"],
      ["main-public-eu-west-1c", "10.0.136.0/22", "eu-west-1c"],
      ["main-private-eu-west-1a", "10.0.0.0/20", "eu-west-1a"],
      ["main-private-eu-west-1b", "10.0.16.0/20", "eu-west-1b"],
      ["main-private-eu-west-1c", "10.0.32.0/20", "eu-west-1c"],
      ["main-isolated-eu-west-1a", "10.0.160.0/22", "eu-west-1a"],
      ["main-isolated-eu-west-1b", "10.0.164.0/22", "eu-west-1b"],
      ["main-isolated-eu-west-1c", "10.0.168.0/22", "eu-west-1c"],
    ]);
    for (const subnet of subnets) expect(subnet.inputs.mapPublicIpOnLaunch, subnet.name).toBe(false);

    // Default security group and network ACL adopted with no rules at all.
    const [defaultGroup] = engine.ofType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(defaultGroup?.inputs).toMatchObject({ vpcId: "vpc-main", ingress: [], egress: [] });
    const [defaultAcl] = engine.ofType("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl");
    expect(defaultAcl?.inputs).toMatchObject({ defaultNetworkAclId: "acl-default-main", ingress: [], egress: [] });
    // Our subnets carry their tier's ACL instead.
    expect(one("aws:ec2/networkAcl:NetworkAcl", "main-isolated").inputs.subnetIds).toEqual([
      "subnet-main-isolated-eu-west-1a",
      "subnet-main-isolated-eu-west-1b",
      "subnet-main-isolated-eu-west-1c",
    ]);

    // NAT: one per zone, each in its zone's public subnet; each private table routes to its own zone's NAT.
    expect(engine.ofType(NAT).map((n) => [n.name, n.inputs.subnetId])).toEqual([
      ["main-eu-west-1a", "subnet-main-public-eu-west-1a"],
      ["main-eu-west-1b", "subnet-main-public-eu-west-1b"],
      ["main-eu-west-1c", "subnet-main-public-eu-west-1c"],
    ]);
    expect(engine.ofType("aws:ec2/eip:Eip")).toHaveLength(3);
    const routes = engine
      .ofType(ROUTE)
      .map((r) => [r.inputs.routeTableId, r.inputs.natGatewayId ?? r.inputs.gatewayId]);
    expect(routes).toEqual([
      ["rtb-main-public", "igw-main"],
      ["rtb-main-private-eu-west-1a", "nat-main-eu-west-1a"],
      ["rtb-main-private-eu-west-1b", "nat-main-eu-west-1b"],
      ["rtb-main-private-eu-west-1c", "nat-main-eu-west-1c"],
    ]);
    // The isolated table exists but no route is ever added to it.
    expect(engine.ofType(ROUTE_TABLE).map((t) => t.name)).toContain("main-isolated");
    expect(engine.ofType(ROUTE).filter((r) => r.inputs.routeTableId === "rtb-main-isolated")).toEqual([]);
    const associations = engine.ofType("aws:ec2/routeTableAssociation:RouteTableAssociation");
    expect(associations.find((a) => a.inputs.subnetId === "subnet-main-isolated-eu-west-1b")?.inputs.routeTableId).toBe(
      "rtb-main-isolated",
    );

    // S3 gateway endpoint on the private and isolated tables; no interface endpoints by default.
    const endpoints = engine.ofType(ENDPOINT);
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.inputs).toMatchObject({
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
      routeTableIds: [
        "rtb-main-private-eu-west-1a",
        "rtb-main-private-eu-west-1b",
        "rtb-main-private-eu-west-1c",
        "rtb-main-isolated",
      ],
    });

    expect(await outputValue(vpc.vpcId)).toBe("vpc-main");
    expect(await outputValue(vpc.vpcCidrBlock)).toBe("10.0.0.0/16");
    expect(await outputValue(vpc.availabilityZones)).toEqual(threeZones);
    expect(await outputValue(vpc.privateSubnetIds)).toEqual(threeZones.map((z) => `subnet-main-private-${z}`));
    expect(await outputValue(vpc.isolatedSubnetIds)).toEqual(threeZones.map((z) => `subnet-main-isolated-${z}`));
    expect(await outputValue(vpc.publicRouteTableIds)).toEqual(["rtb-main-public"]);
    expect(await outputValue(vpc.privateRouteTableIds)).toHaveLength(3);
    expect(await outputValue(vpc.isolatedRouteTableIds)).toEqual(["rtb-main-isolated"]);
    expect(await outputValue(vpc.natGatewayIds)).toEqual(threeZones.map((z) => `nat-main-${z}`));
    expect(await outputValue(vpc.natPublicIps)).toHaveLength(3);
    expect(await outputValue(vpc.flowLogGroupName)).toBe("/stackline/dev-network/main/vpc-flow-logs");
  });

  it("records all traffic to a log group encrypted with a key only CloudWatch Logs may use, for that group only", async () => {
    new Vpc("main", { cidrBlock: "10.0.0.0/16", availabilityZones: threeZones });
    await engine.settle();
    const groupArn = "arn:aws:logs:eu-west-1:123456789012:log-group:/stackline/dev-network/main/vpc-flow-logs";

    const key = one("aws:kms/key:Key", "main-flow-logs");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30, region: "eu-west-1" });
    const [admin, logs] = statements(key.inputs.policy);
    expect(admin?.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(admin?.Action).not.toContain("kms:Decrypt");
    expect(admin?.Action).not.toContain("kms:*");
    expect(logs).toMatchObject({
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": groupArn } },
    });

    expect(one("aws:cloudwatch/logGroup:LogGroup", "main-flow-logs").inputs).toMatchObject({
      name: "/stackline/dev-network/main/vpc-flow-logs",
      retentionInDays: 365,
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/key-main-flow-logs",
    });

    const role = one("aws:iam/role:Role", "main-flow-logs");
    expect(statements(role.inputs.assumeRolePolicy)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
        },
      },
    ]);
    const rolePolicy = one("aws:iam/rolePolicy:RolePolicy", "main-flow-logs");
    expect(statements(rolePolicy.inputs.policy)).toEqual([
      {
        Sid: "WriteFlowLogStreams",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [groupArn, `${groupArn}:*`],
      },
    ]);

    expect(one("aws:ec2/flowLog:FlowLog", "main-flow-logs").inputs).toMatchObject({
      vpcId: "vpc-main",
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: groupArn,
      iamRoleArn: "arn:aws:iam::123456789012:role/main-flow-logs",
    });
  });

  it("single NAT: one gateway in the first zone listed serves every private table", async () => {
    const vpc = new Vpc("main", {
      cidrBlock: "10.1.0.0/16",
      availabilityZones: ["eu-west-1b", "eu-west-1a"],
      natStrategy: "single",
    });
    await engine.settle();
    expect(engine.ofType(NAT).map((n) => n.inputs.subnetId)).toEqual(["subnet-main-public-eu-west-1b"]);
    expect(
      engine
        .ofType(ROUTE)
        .map((r) => r.inputs.natGatewayId)
        .filter(Boolean),
    ).toEqual(["nat-main-eu-west-1b", "nat-main-eu-west-1b"]);
    expect(await outputValue(vpc.natGatewayIds)).toEqual(["nat-main-eu-west-1b"]);
  });

  it("no NAT: private tables keep no route out, nothing public is paid for", async () => {
    new Vpc("main", { cidrBlock: "10.1.0.0/16", availabilityZones: threeZones, natStrategy: "none" });
    await engine.settle();
    expect(engine.ofType(NAT)).toEqual([]);
    expect(engine.ofType("aws:ec2/eip:Eip")).toEqual([]);
    expect(engine.ofType(ROUTE).map((r) => r.inputs.routeTableId)).toEqual(["rtb-main-public"]);
    expect(engine.ofType(ROUTE_TABLE).filter((t) => t.name.startsWith("main-private-"))).toHaveLength(3);
  });

  it("adding a zone and a tier keeps every existing subnet's name and CIDR", async () => {
    new Vpc("main", {
      cidrBlock: "10.2.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1c"],
      tiers: ["public", "private"],
    });
    await engine.settle();
    const before = engine.ofType(SUBNET).map((s) => [s.name, s.inputs.cidrBlock]);

    engine = await mockEngine("dev-network", { "aws:region": "eu-west-1" });
    new Vpc("main", { cidrBlock: "10.2.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
    await engine.settle();
    const after = engine.ofType(SUBNET).map((s) => [s.name, s.inputs.cidrBlock]);
    expect(after).toHaveLength(9);
    expect(after).toEqual(expect.arrayContaining(before));
  });

  it("interface endpoints: private DNS, in the private subnets, behind a group open on 443 to the VPC only", async () => {
    const vpc = new Vpc("main", {
      cidrBlock: "10.0.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      interfaceEndpoints: ["ecr.api", "ssm"],
    });
    await engine.settle();
    const ecr = one(ENDPOINT, "main-ecr-api");
    expect(ecr.inputs).toMatchObject({
      serviceName: "com.amazonaws.eu-west-1.ecr.api",
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: ["subnet-main-private-eu-west-1a", "subnet-main-private-eu-west-1b"],
      securityGroupIds: ["sg-main-endpoints"],
    });
    expect(one(ENDPOINT, "main-ssm").inputs.serviceName).toBe("com.amazonaws.eu-west-1.ssm");
    const rules = engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        securityGroupId: "sg-main-endpoints",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "10.0.0.0/16",
        description: "HTTPS from the VPC",
      }),
    ]);
    expect(engine.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toEqual([]);
    expect(await outputValue(vpc.interfaceEndpointIds)).toEqual({
      "ecr.api": "vpce-main-ecr-api",
      ssm: "vpce-main-ssm",
    });
    expect(await outputValue(vpc.interfaceEndpointSecurityGroupId)).toBe("sg-main-endpoints");
  });

  it("takes overrides: public IPs in public subnets, own key, retention, no S3 endpoint, protection", async () => {
    const protectedNames: string[] = [];
    const recordProtect: pulumi.ResourceTransformation = ({ name, opts }) => {
      if (opts.protect) protectedNames.push(name);
      return undefined;
    };
    new Vpc(
      "main",
      {
        cidrBlock: "10.3.0.0/20",
        availabilityZones: ["eu-west-1a"],
        tiers: ["public", "private"],
        natStrategy: "single",
        mapPublicIpOnLaunch: true,
        s3GatewayEndpoint: false,
        flowLogs: {
          retentionInDays: 30,
          trafficType: "REJECT",
          kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/mine",
          logGroupName: "/team/flow-logs",
        },
        protect: true,
        tags: { team: "network" },
      },
      { transformations: [recordProtect] },
    );
    await engine.settle();
    expect(one(SUBNET, "main-public-eu-west-1a").inputs).toMatchObject({
      cidrBlock: "10.3.8.0/26",
      mapPublicIpOnLaunch: true,
    });
    expect(one(SUBNET, "main-private-eu-west-1a").inputs.mapPublicIpOnLaunch).toBe(false);
    expect(engine.ofType(SUBNET)).toHaveLength(2);
    expect(engine.ofType(ENDPOINT)).toEqual([]);
    expect(engine.ofType("aws:kms/key:Key")).toEqual([]);
    expect(one("aws:cloudwatch/logGroup:LogGroup", "main-flow-logs").inputs).toMatchObject({
      name: "/team/flow-logs",
      retentionInDays: 30,
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/mine",
      tags: { team: "network" },
    });
    expect(one("aws:ec2/flowLog:FlowLog", "main-flow-logs").inputs.trafficType).toBe("REJECT");
    expect(protectedNames.sort()).toEqual(["main", "main-flow-logs"]);
  });

  it("can go without flow logs", async () => {
    const vpc = new Vpc("main", {
      cidrBlock: "10.0.0.0/16",
      availabilityZones: ["eu-west-1a"],
      flowLogs: { enabled: false },
    });
    await engine.settle();
    expect(engine.resources.filter((r) => /flow|kms|logGroup|iam/.test(r.type))).toEqual([]);
    expect(await outputValue(vpc.flowLogGroupName)).toBeUndefined();
  });

  it("refuses bad input before creating anything, naming each field", async () => {
    let error: unknown;
    try {
      new Vpc("bad", {
        cidrBlock: "10.0.0.0/24",
        availabilityZones: ["eu-west-1a", "eu-central-1b"],
        tiers: ["private", "isolated"],
        natStrategy: "single",
        interfaceEndpoints: ["com.amazonaws.eu-west-1.ssm"],
        flowLogs: { retentionInDays: 42 },
        subnets: 3,
      } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as Error).message).toContain("Invalid arguments for stackline:network:Vpc 'bad'");
    expect((error as ComponentArgsError).problems).toEqual([
      {
        path: "interfaceEndpoints.0",
        expected: "the short service name like 'ssm' (com.amazonaws.<region>. is added for you)",
        found: '"com.amazonaws.eu-west-1.ssm"',
      },
      {
        path: "flowLogs.retentionInDays",
        expected: expect.stringMatching(/^one of CloudWatch Logs' retention periods in days: 0, 1, 3, 5, 7, 14, 30/),
        found: "42",
      },
      { path: "subnets", expected: "a known key (nothing reads this one: check the spelling)", found: "3" },
      // Cross-field checks still run, so every problem shows at once.
      {
        path: "availabilityZones",
        expected: "zones of one region (a VPC is regional), not of eu-west-1 and eu-central-1",
        found: '["eu-west-1a","eu-central-1b"]',
      },
      {
        path: "natStrategy",
        expected: `"none" (the default is "perAz") unless there are both a public tier (NAT gateways live there) and a private tier (they serve it)`,
        found: '"single"',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses layouts it cannot build: too small a VPC, NAT without a public tier, zones of two regions", () => {
    const problems = (args: unknown) => {
      try {
        new Vpc("bad", args as never);
      } catch (err) {
        return (err as ComponentArgsError).problems;
      }
      return [];
    };
    expect(problems({ cidrBlock: "10.0.0.0/24", availabilityZones: ["eu-west-1a"] })).toEqual([
      {
        path: "cidrBlock",
        expected:
          "a VPC CIDR of /22 or larger: in a /24 the public, isolated subnets would be as small as /30, " +
          "smaller than AWS's smallest subnet (/28)",
        found: '"10.0.0.0/24"',
      },
    ]);
    expect(
      problems({ cidrBlock: "10.0.0.0/16", availabilityZones: ["eu-west-1a"], tiers: ["private", "isolated"] }),
    ).toEqual([
      {
        path: "natStrategy",
        expected: `"none" (the default is "perAz") unless there are both a public tier (NAT gateways live there) and a private tier (they serve it)`,
        found: "nothing (not set)",
      },
    ]);
    expect(problems({ cidrBlock: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-central-1b"] })).toEqual([
      {
        path: "availabilityZones",
        expected: "zones of one region (a VPC is regional), not of eu-west-1 and eu-central-1",
        found: '["eu-west-1a","eu-central-1b"]',
      },
    ]);
  });
});
