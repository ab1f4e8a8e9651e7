import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Address4 } from "ip-address";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { StackConfigError } from "../../stacks/config";
import program from "../../stacks/network";
import { mockEngine, outputValue } from "./support/pulumi-mocks";

interface MonitorWithRegister {
  registerResource(
    request: { getProtect(): boolean | undefined; getType(): string; getName(): string },
    callback: unknown,
  ): unknown;
}

const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

/** The example stack's config as the engine passes it (full keys). */
function exampleConfig(environment: string): Record<string, unknown> {
  return (
    parse(readFileSync(`stacks/Pulumi.${environment}-network.yaml`, "utf8")) as { config: Record<string, unknown> }
  ).config;
}

async function runExample(environment: string, overrides: Record<string, unknown> = {}) {
  const stack = `${environment}-network`;
  const engine = await mockEngine(stack, { ...exampleConfig(environment), ...overrides });
  const protectedNames: string[] = [];
  // The mocks do not pass `protect` on; the registration request the mock monitor receives carries it.
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorWithRegister;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    if (request.getProtect()) protectedNames.push(`${request.getType()}::${request.getName()}`);
    return register(request, callback);
  };
  const outputs = await program({ stack, environment, layer: "network" });
  await engine.settle();
  return { engine, outputs, protectedNames };
}

const expected = {
  dev: { zones: 2, nat: 1, endpoints: 0, cidr: "10.10.0.0/16", protect: false, domain: "dev.example.com" },
  staging: { zones: 3, nat: 1, endpoints: 2, cidr: "10.20.0.0/16", protect: false, domain: "staging.example.com" },
  prod: { zones: 3, nat: 3, endpoints: 7, cidr: "10.30.0.0/16", protect: true, domain: "example.com" },
};

describe("the network layer", () => {
  for (const environment of ENVIRONMENTS) {
    it(`runs the ${environment} example: ${JSON.stringify(expected[environment])}`, async () => {
      const want = expected[environment];
      const { engine, outputs, protectedNames } = await runExample(environment);

      expect(engine.ofType("stackline:network:Vpc").map((r) => r.name)).toEqual([environment]);
      expect(engine.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(want.nat);
      expect(engine.ofType("aws:ec2/subnet:Subnet")).toHaveLength(3 * want.zones);
      const interfaceEndpoints = engine
        .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
        .filter((e) => e.inputs.vpcEndpointType === "Interface");
      expect(interfaceEndpoints).toHaveLength(want.endpoints);
      const aws = engine.resources.filter((r) => r.type.startsWith("aws:"));
      // Everything regional lands in eu-west-1, the zones' region (IAM and Route 53 are global).
      for (const r of aws.filter((r) => !r.type.startsWith("aws:iam") && !r.type.startsWith("aws:route53"))) {
        expect(r.inputs.region, `${r.type} ${r.name}`).toBe("eu-west-1");
      }
      // Every resource that takes tags carries the standard ones and the stack's extra ones.
      const untaggable = [
        "aws:ec2/route:Route",
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        "aws:iam/rolePolicy:RolePolicy",
      ];
      for (const r of aws.filter((r) => !untaggable.includes(r.type))) {
        expect(r.inputs.tags, `${r.type} ${r.name}`).toMatchObject({
          "stackline:stack": `${environment}-network`,
          "stackline:environment": environment,
          "cost-centre": `platform-${environment}`,
        });
      }
      // Production protects what must outlive a mistaken `pulumi destroy`: the VPC, the flow logs and
      // their key, and the DNS zone (its name servers are delegated to; a new zone gets new ones).
      expect(protectedNames.sort()).toEqual(
        want.protect
          ? [
              `aws:cloudwatch/logGroup:LogGroup::${environment}-flow-logs`,
              `aws:ec2/vpc:Vpc::${environment}`,
              `aws:kms/key:Key::${environment}-flow-logs`,
              "aws:route53/zone:Zone::zone",
              "stackline:dns:PublicZone::zone",
            ]
          : [],
      );

      // The environment's public zone, for the compute and edge layers' certificates and records.
      const zones = engine.ofType("aws:route53/zone:Zone");
      expect(zones.map((z) => z.inputs)).toEqual([expect.objectContaining({ name: want.domain, forceDestroy: false })]);
      expect(outputs.domainName).toBe(want.domain);
      expect(await outputValue(outputs.hostedZoneId as pulumi.Output<string>)).toBe("ZZONE");
      expect(await outputValue(outputs.nameServers as pulumi.Output<string[]>)).toEqual([
        "ns-1.awsdns-01.org",
        "ns-2.awsdns-02.co.uk",
      ]);

      expect(await outputValue(outputs.vpcId as pulumi.Output<string>)).toBe(`vpc-${environment}`);
      expect(await outputValue(outputs.vpcCidrBlock as pulumi.Output<string>)).toBe(want.cidr);
      expect(await outputValue(outputs.availabilityZones as pulumi.Output<string[]>)).toEqual(
        ["eu-west-1a", "eu-west-1b", "eu-west-1c"].slice(0, want.zones),
      );
      for (const tier of ["public", "private", "isolated"]) {
        const ids = await outputValue(outputs[`${tier}SubnetIds`] as pulumi.Output<string[]>);
        expect(ids, tier).toHaveLength(want.zones);
        expect(ids[0]).toBe(`subnet-${environment}-${tier}-eu-west-1a`);
      }
    });
  }

  it("gives each example environment a VPC CIDR of its own (peering needs them apart)", () => {
    const blocks = ENVIRONMENTS.map((env) => new Address4(String(exampleConfig(env)["stackline:cidr"])));
    for (const [i, block] of blocks.entries()) {
      for (const other of blocks.slice(i + 1)) {
        expect(block.isInSubnet(other) || other.isInSubnet(block), `${block.address} / ${other.address}`).toBe(false);
      }
    }
  });

  it("uses the defaults when only the CIDR and zones are set: NAT per zone, flow logs kept 365 days", async () => {
    const engine = await mockEngine("qa-network", {
      "aws:region": "eu-west-1",
      "stackline:cidr": "10.40.0.0/20",
      "stackline:availabilityZones": ["eu-west-1a", "eu-west-1b"],
    });
    const outputs = await program({ stack: "qa-network", environment: "qa", layer: "network" });
    await engine.settle();
    expect(engine.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(2);
    expect(engine.ofType("aws:cloudwatch/logGroup:LogGroup")[0]?.inputs.retentionInDays).toBe(365);
    // No domain, no zone: the compute and edge layers then refuse to start, naming hostedZoneId.
    expect(outputs.domainName).toBeUndefined();
    expect(outputs.hostedZoneId).toBeUndefined();
    expect(engine.ofType("aws:route53/zone:Zone")).toHaveLength(0);
  });

  it("stops on bad config before registering any resource, naming each key", async () => {
    const engine = await mockEngine("dev-network", {
      ...exampleConfig("dev"),
      "stackline:cidr": "10.10.0.0/24",
      "stackline:availabilityZones": ["eu-central-1a", "eu-central-1b"],
      "stackline:natStrategy": "double",
      "stackline:domainName": "Dev.Example.com.",
      "stackline:flowLogRetentionDays": "a year",
      "stackline:natStrategies": "perAz",
    });
    const error = await program({ stack: "dev-network", environment: "dev", layer: "network" }).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as Error).message).toContain(
      "Invalid config for stack 'dev-network' (stacks/Pulumi.dev-network.yaml)",
    );
    expect((error as StackConfigError).problems).toEqual([
      { key: "stackline:natStrategy", expected: 'one of "none", "single", "perAz"', found: '"double"' },
      { key: "stackline:flowLogRetentionDays", expected: "number", found: '"a year"' },
      {
        key: "stackline:domainName",
        expected: "a lower-case DNS name like example.com, without a trailing dot",
        found: '"Dev.Example.com."',
      },
      {
        key: "stackline:natStrategies",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: '"perAz"',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses a VPC too small for the layout and zones outside the stack's region", async () => {
    const engine = await mockEngine("dev-network", {
      ...exampleConfig("dev"),
      "stackline:cidr": "10.10.0.0/24",
      "stackline:availabilityZones": ["eu-central-1a", "eu-central-1b"],
    });
    const error = await program({ stack: "dev-network", environment: "dev", layer: "network" }).catch(
      (err: unknown) => err,
    );
    expect((error as StackConfigError).problems).toEqual([
      {
        key: "stackline:cidr",
        expected:
          "a VPC CIDR of /22 or larger: in a /24 the public, isolated subnets would be as small as /30, " +
          "smaller than AWS's smallest subnet (/28)",
        found: '"10.10.0.0/24"',
      },
      {
        key: "stackline:availabilityZones",
        expected: "zones of the stack's region eu-west-1 (aws:region), not eu-central-1a, eu-central-1b",
        found: '["eu-central-1a","eu-central-1b"]',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});
