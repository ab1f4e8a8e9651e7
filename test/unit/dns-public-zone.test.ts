import { beforeEach, describe, expect, it } from "vitest";
import { AliasRecord, CLOUDFRONT_HOSTED_ZONE_ID } from "../../components/dns/alias-record";
import { PublicZone } from "../../components/dns/public-zone";
import { ComponentArgsError } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

function argsError(create: () => unknown): ComponentArgsError {
  try {
    create();
  } catch (error) {
    if (error instanceof ComponentArgsError) return error;
    throw error;
  }
  throw new Error("expected a ComponentArgsError");
}

describe("PublicZone", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-network", { "aws:region": "eu-west-1" });
  });

  it("creates a public hosted zone that keeps foreign records on delete, tagged, with its outputs", async () => {
    const zone = new PublicZone("zone", { domainName: "dev.example.com" });
    expect(await outputValue(zone.zoneId)).toBe("ZZONE");
    expect(await outputValue(zone.nameServers)).toEqual(["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk"]);
    expect(await outputValue(zone.domainName)).toBe("dev.example.com");
    await engine.settle();
    expect(engine.resources.map((r) => r.type).sort()).toEqual(["aws:route53/zone:Zone", "stackline:dns:PublicZone"]);
    const [resource] = engine.ofType("aws:route53/zone:Zone");
    expect(resource?.inputs).toMatchObject({
      name: "dev.example.com",
      forceDestroy: false,
      comment: "Public zone for dev.example.com, managed by Stackline",
      tags: {
        "stackline:component": "dns:PublicZone/zone",
        "stackline:environment": "dev",
        "stackline:stack": "dev-network",
      },
    });
    // A public zone: no VPC association.
    expect(resource?.inputs.vpcs).toBeUndefined();
  });

  it("takes overrides: comment, forceDestroy, extra tags", async () => {
    new PublicZone("zone", {
      domainName: "example.org",
      comment: "sandbox",
      forceDestroy: true,
      tags: { team: "web" },
    });
    await engine.settle();
    const [resource] = engine.ofType("aws:route53/zone:Zone");
    expect(resource?.inputs).toMatchObject({ comment: "sandbox", forceDestroy: true, tags: { team: "web" } });
  });

  it("refuses a bad domain name and unknown fields before creating anything", async () => {
    const error = argsError(() => new PublicZone("zone", { domainName: "Example.com.", privateZone: true } as never));
    expect(error.message).toContain("Invalid arguments for stackline:dns:PublicZone 'zone'");
    expect(error.problems).toEqual([
      {
        path: "domainName",
        expected: "a lower-case domain name like example.com (labels of a-z, 0-9 and '-', no trailing dot)",
        found: '"Example.com."',
      },
      {
        path: "privateZone",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: "true",
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});

describe("AliasRecord", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-edge", { "aws:region": "eu-west-1" });
  });

  it("creates A and AAAA aliases to CloudFront, not evaluating target health", async () => {
    const zone = new PublicZone("zone", { domainName: "example.com" });
    const alias = new AliasRecord("www", {
      zoneId: zone.zoneId,
      name: "www.example.com",
      target: { dnsName: "d111111abcdef8.cloudfront.net", hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID },
    });
    expect(await outputValue(alias.fqdn)).toBe("www.example.com");
    await engine.settle();
    const records = engine.ofType("aws:route53/record:Record");
    expect(records.map((r) => [r.name, r.inputs.type])).toEqual([
      ["www-a", "A"],
      ["www-aaaa", "AAAA"],
    ]);
    for (const record of records) {
      expect(record.inputs).toMatchObject({
        zoneId: "ZZONE",
        name: "www.example.com",
        aliases: [{ name: "d111111abcdef8.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
      });
      expect(record.inputs.records).toBeUndefined();
    }
  });

  it("points at an ALB with target health, IPv4 only when asked", async () => {
    new AliasRecord("api", {
      zoneId: "Z123",
      name: "api.example.com",
      target: { dnsName: "app-123.eu-west-1.elb.amazonaws.com", hostedZoneId: "Z32O12XQLNTSW2" },
      evaluateTargetHealth: true,
      ipv6: false,
    });
    await engine.settle();
    const records = engine.ofType("aws:route53/record:Record");
    expect(records).toHaveLength(1);
    expect(records[0]?.inputs).toMatchObject({
      type: "A",
      aliases: [{ zoneId: "Z32O12XQLNTSW2", evaluateTargetHealth: true }],
    });
  });

  it("refuses a bad name and a target without a zone id", async () => {
    const error = argsError(
      () =>
        new AliasRecord("bad", {
          zoneId: "",
          name: "www.example.com.",
          target: { dnsName: "d111111abcdef8.cloudfront.net" },
        } as never),
    );
    expect(error.problems.map((p) => p.path)).toEqual(["zoneId", "name", "target.hostedZoneId"]);
    expect(error.problems[2]).toMatchObject({ found: "nothing (not set)" });
    expect(await engine.settle()).toHaveLength(0);
  });
});
