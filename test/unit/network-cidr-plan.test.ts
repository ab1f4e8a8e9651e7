import { Address4 } from "ip-address";
import { describe, expect, it } from "vitest";
import { planSubnets, SUBNET_TIERS, type SubnetPlanError, type SubnetTier } from "../../components/network/cidr-plan";

const letters = ["a", "b", "c", "d", "e", "f", "g", "h"];
const zones = (...picked: string[]) => picked.map((letter) => `eu-west-1${letter}`);

/** Every non-empty subset of `items`, in a stable order. */
function subsets<T>(items: readonly T[]): T[][] {
  const all: T[][] = [];
  for (let mask = 1; mask < 2 ** items.length; mask++) all.push(items.filter((_, i) => mask & (2 ** i)));
  return all;
}

const cidrs = (plan: ReturnType<typeof planSubnets>) =>
  Object.fromEntries(plan.subnets.map((s) => [`${s.tier}/${s.availabilityZone}`, s.cidrBlock]));

function planError(input: Parameters<typeof planSubnets>[0]): SubnetPlanError {
  try {
    planSubnets(input);
  } catch (error) {
    return error as SubnetPlanError;
  }
  throw new Error("expected planSubnets to throw");
}

describe("planSubnets", () => {
  it("gives private the first half, public and isolated an eighth each, one slot per zone letter", () => {
    const plan = planSubnets({ cidr: "10.0.0.0/16", availabilityZones: zones("a", "b", "c"), tiers: SUBNET_TIERS });
    expect(plan.region).toBe("eu-west-1");
    expect(plan.subnets).toEqual([
      { tier: "public", availabilityZone: "eu-west-1a", cidrBlock: "10.0.128.0/22" },
      { tier: "public", availabilityZone: "eu-west-1b", cidrBlock: "10.0.132.0/22" },
      { tier: "public", availabilityZone: "eu-west-1c", cidrBlock: "10.0.136.0/22" },
      { tier: "private", availabilityZone: "eu-west-1a", cidrBlock: "10.0.0.0/20" },
      { tier: "private", availabilityZone: "eu-west-1b", cidrBlock: "10.0.16.0/20" },
      { tier: "private", availabilityZone: "eu-west-1c", cidrBlock: "10.0.32.0/20" },
      { tier: "isolated", availabilityZone: "eu-west-1a", cidrBlock: "10.0.160.0/22" },
      { tier: "isolated", availabilityZone: "eu-west-1b", cidrBlock: "10.0.164.0/22" },
      { tier: "isolated", availabilityZone: "eu-west-1c", cidrBlock: "10.0.168.0/22" },
    ]);
  });

  it("scales with the VPC: a /22 gets /26 private and /28 public and isolated subnets", () => {
    const plan = planSubnets({ cidr: "172.16.4.0/22", availabilityZones: zones("a", "h"), tiers: SUBNET_TIERS });
    expect(cidrs(plan)).toEqual({
      "public/eu-west-1a": "172.16.6.0/28",
      "public/eu-west-1h": "172.16.6.112/28",
      "private/eu-west-1a": "172.16.4.0/26",
      "private/eu-west-1h": "172.16.5.192/26",
      "isolated/eu-west-1a": "172.16.6.128/28",
      "isolated/eu-west-1h": "172.16.6.240/28",
    });
  });

  for (const cidr of ["10.0.0.0/16", "10.20.0.0/18", "192.168.8.0/22"]) {
    it(`never renumbers a subnet when zones or tiers are added, removed or reordered (${cidr})`, () => {
      // The full plan: every zone letter that has a slot, every tier.
      const full = cidrs(planSubnets({ cidr, availabilityZones: zones(...letters), tiers: SUBNET_TIERS }));
      const moved: string[] = [];
      let compared = 0;
      for (const tiers of subsets<SubnetTier>(SUBNET_TIERS)) {
        for (const picked of subsets(letters.slice(0, 6))) {
          for (const order of [picked, [...picked].reverse()]) {
            const plan = cidrs(planSubnets({ cidr, availabilityZones: zones(...order), tiers }));
            if (Object.keys(plan).length !== tiers.length * picked.length) moved.push(`missing in ${tiers}/${order}`);
            for (const [key, block] of Object.entries(plan)) {
              if (block !== full[key]) moved.push(`${key} is ${block} with ${tiers}/${order}, ${full[key]} in full`);
              compared++;
            }
          }
        }
      }
      expect(moved).toEqual([]);
      expect(compared).toBeGreaterThan(1000);
    });
  }

  for (let prefix = 16; prefix <= 22; prefix++) {
    it(`places every subnet of a /${prefix} inside the VPC, clear of each other and of the reserved quarter`, () => {
      const vpcCidr = `10.1.0.0/${prefix}`;
      const vpc = new Address4(vpcCidr);
      const plan = planSubnets({ cidr: vpcCidr, availabilityZones: zones(...letters), tiers: SUBNET_TIERS });
      const blocks = plan.subnets.map((s) => new Address4(s.cidrBlock));
      expect(blocks).toHaveLength(24);
      const reserved = new Address4(
        `${Address4.fromBigInt(vpc.startAddress().bigInt() + 3n * 2n ** BigInt(30 - prefix)).correctForm()}/${prefix + 2}`,
      );
      for (const [i, block] of blocks.entries()) {
        expect(block.isInSubnet(vpc), block.address).toBe(true);
        expect(block.isInSubnet(reserved), block.address).toBe(false);
        expect(block.subnetMask).toBeLessThanOrEqual(28);
        for (const other of blocks.slice(i + 1)) {
          expect(block.isInSubnet(other) || other.isInSubnet(block), `${block.address} / ${other.address}`).toBe(false);
        }
      }
    });
  }

  it("refuses a VPC too small for the layout, saying which size fits", () => {
    const error = planError({ cidr: "10.0.0.0/24", availabilityZones: zones("a"), tiers: SUBNET_TIERS });
    expect(error.field).toBe("cidr");
    expect(error.expected).toBe(
      "a VPC CIDR of /22 or larger: in a /24 the public, isolated subnets would be as small as /30, " +
        "smaller than AWS's smallest subnet (/28)",
    );
    expect(error.message).toContain("Cannot lay out subnets: cidr: expected a VPC CIDR of /22 or larger");
    expect(error.message).toContain('found "10.0.0.0/24"');
    // The private tier alone is laid out in bigger subnets, so it fits a /24...
    expect(planSubnets({ cidr: "10.0.0.0/24", availabilityZones: zones("a"), tiers: ["private"] }).subnets).toEqual([
      { tier: "private", availabilityZone: "eu-west-1a", cidrBlock: "10.0.0.0/28" },
    ]);
    // ...but not a /25.
    expect(planError({ cidr: "10.0.0.0/25", availabilityZones: zones("a"), tiers: ["private"] }).expected).toMatch(
      /^a VPC CIDR of \/24 or larger: in a \/25 the private subnets would be as small as \/29/,
    );
  });

  it.each([
    ["10.0.0.0", "an IPv4 CIDR like 10.0.0.0/16"],
    ["10.0.0/16", "an IPv4 CIDR like 10.0.0.0/16"],
    ["fd00::/56", "an IPv4 CIDR like 10.0.0.0/16"],
    ["10.0.1.0/16", "a network address without host bits set (did you mean 10.0.0.0/16?)"],
    ["10.0.0.0/8", "a prefix from /16 to /28 (AWS's limits for a VPC)"],
  ])("refuses the VPC CIDR %s", (cidr, expected) => {
    const error = planError({ cidr, availabilityZones: zones("a"), tiers: SUBNET_TIERS });
    expect(error.field).toBe("cidr");
    expect(error.expected).toBe(expected);
  });

  it.each([
    [[], "at least one Availability Zone name"],
    [["eu-west-1"], "an Availability Zone name like eu-west-1a (Local and Wavelength Zones are not supported)"],
    [["us-west-2-lax-1a"], "an Availability Zone name like eu-west-1a (Local and Wavelength Zones are not supported)"],
    [["eu-west-1i"], "a zone letter from a to h (each letter has a fixed subnet slot)"],
    [["eu-west-1a", "eu-west-1a"], "each zone listed once ('eu-west-1a' is listed twice)"],
    [["eu-west-1a", "eu-central-1b"], "zones of one region (a VPC is regional), not of eu-west-1 and eu-central-1"],
  ])("refuses the zones %j", (availabilityZones, expected) => {
    const error = planError({ cidr: "10.0.0.0/16", availabilityZones, tiers: SUBNET_TIERS });
    expect(error.field).toBe("availabilityZones");
    expect(error.expected).toBe(expected);
  });

  it("refuses an empty tier list", () => {
    expect(planError({ cidr: "10.0.0.0/16", availabilityZones: zones("a"), tiers: [] }).field).toBe("tiers");
  });
});
