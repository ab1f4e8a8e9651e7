import { Address4 } from "ip-address";
import { type AvailabilityZone, AZ_SLOT_COUNT, parseAvailabilityZone } from "./availability-zones";

/** Subnet tiers: public (load balancers, NAT), private (workloads, egress through NAT), isolated (databases, no internet route). */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/**
 * Where each tier's block sits in the VPC: the VPC split into 2^`splitBits` equal parts, part number
 * `index`. Private gets the first half (workloads need the most addresses); public and isolated an
 * eighth each; the last quarter is reserved for tiers added later. A tier's block never moves, so
 * adding a tier never renumbers another.
 *
 *   /16 VPC 10.0.0.0/16:  private 10.0.0.0/17 | public 10.0.128.0/19 | isolated 10.0.160.0/19 | reserved 10.0.192.0/18
 */
export const TIER_LAYOUT: Readonly<Record<SubnetTier, { index: number; splitBits: number }>> = {
  private: { index: 0, splitBits: 1 },
  public: { index: 4, splitBits: 3 },
  isolated: { index: 5, splitBits: 3 },
};

/** Each tier block is split into one slot per zone letter (a to h), so a zone's subnet never depends on the other zones. */
const AZ_SLOT_BITS = Math.log2(AZ_SLOT_COUNT);

/** AWS's limits on a VPC's and a subnet's prefix length. */
const LARGEST_VPC_PREFIX = 16;
const SMALLEST_SUBNET_PREFIX = 28;

export interface SubnetPlanInput {
  /** The VPC's IPv4 CIDR, like 10.0.0.0/16. */
  cidr: string;
  /** Zone names, like eu-west-1a; all in one region. */
  availabilityZones: readonly string[];
  /** The tiers to create subnets for. */
  tiers: readonly SubnetTier[];
}

export interface PlannedSubnet {
  tier: SubnetTier;
  availabilityZone: string;
  cidrBlock: string;
}

export interface SubnetPlan {
  /** The region the zones are in. */
  region: string;
  vpcCidr: string;
  /** One subnet per tier and zone: tiers in SUBNET_TIERS order, zones in the order given. */
  subnets: PlannedSubnet[];
}

/** The plan's input cannot be laid out; `field` names the input that has to change and `expected` how. */
export class SubnetPlanError extends Error {
  readonly field: keyof SubnetPlanInput;
  readonly expected: string;
  constructor(field: keyof SubnetPlanInput, expected: string, found: unknown) {
    super(`Cannot lay out subnets: ${field}: expected ${expected}, found ${JSON.stringify(found)}`);
    this.name = "SubnetPlanError";
    this.field = field;
    this.expected = expected;
  }
}

/** The VPC CIDR as an address, or why it cannot be one. */
function parseVpcCidr(cidr: string): Address4 {
  const fail = (expected: string) => new SubnetPlanError("cidr", expected, cidr);
  if (!cidr.includes("/") || !Address4.isValid(cidr)) throw fail("an IPv4 CIDR like 10.0.0.0/16");
  const address = new Address4(cidr);
  const network = `${address.startAddress().correctForm()}/${address.subnetMask}`;
  if (address.addressMinusSuffix !== address.startAddress().correctForm()) {
    throw fail(`a network address without host bits set (did you mean ${network}?)`);
  }
  if (address.subnetMask < LARGEST_VPC_PREFIX || address.subnetMask > SMALLEST_SUBNET_PREFIX) {
    throw fail(`a prefix from /${LARGEST_VPC_PREFIX} to /${SMALLEST_SUBNET_PREFIX} (AWS's limits for a VPC)`);
  }
  return address;
}

function parseZones(names: readonly string[]): AvailabilityZone[] {
  const fail = (expected: string, found: unknown = names) => new SubnetPlanError("availabilityZones", expected, found);
  if (names.length === 0) throw fail("at least one Availability Zone name");
  const zones = names.map((name) => {
    const zone = parseAvailabilityZone(name);
    if (typeof zone === "string") throw fail(zone, name);
    return zone;
  });
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw fail(`each zone listed once ('${duplicate}' is listed twice)`);
  const regions = [...new Set(zones.map((z) => z.region))];
  if (regions.length > 1) throw fail(`zones of one region (a VPC is regional), not of ${regions.join(" and ")}`);
  return zones;
}

/** The number of addresses in a block of the given prefix length. */
const blockSize = (prefix: number) => 2n ** BigInt(32 - prefix);

/** The prefix length of each subnet of `tier` in a VPC of prefix length `vpcPrefix`. */
export function subnetPrefixLength(vpcPrefix: number, tier: SubnetTier): number {
  return vpcPrefix + TIER_LAYOUT[tier].splitBits + AZ_SLOT_BITS;
}

/**
 * Lays out one subnet per tier and zone. Each subnet's CIDR depends only on the VPC CIDR, its tier and
 * its zone's letter, never on which other zones or tiers exist or in what order they are listed: adding
 * a zone or a tier leaves every existing subnet as it is. Throws SubnetPlanError naming the input to fix.
 */
export function planSubnets(input: SubnetPlanInput): SubnetPlan {
  const vpc = parseVpcCidr(input.cidr);
  const zones = parseZones(input.availabilityZones);
  const tiers = SUBNET_TIERS.filter((tier) => input.tiers.includes(tier));
  if (tiers.length === 0) throw new SubnetPlanError("tiers", `at least one of ${SUBNET_TIERS.join(", ")}`, input.tiers);

  const tooSmall = tiers.filter((tier) => subnetPrefixLength(vpc.subnetMask, tier) > SMALLEST_SUBNET_PREFIX);
  if (tooSmall.length > 0) {
    const worst = Math.max(...tooSmall.map((tier) => subnetPrefixLength(vpc.subnetMask, tier)));
    const fits = Math.min(...tooSmall.map((tier) => SMALLEST_SUBNET_PREFIX - subnetPrefixLength(0, tier)));
    throw new SubnetPlanError(
      "cidr",
      `a VPC CIDR of /${fits} or larger: in a /${vpc.subnetMask} the ${tooSmall.join(", ")} subnets would be ` +
        `as small as /${worst}, smaller than AWS's smallest subnet (/${SMALLEST_SUBNET_PREFIX})`,
      input.cidr,
    );
  }

  const vpcStart = vpc.startAddress().bigInt();
  const subnets = tiers.flatMap((tier) => {
    const { index, splitBits } = TIER_LAYOUT[tier];
    const tierStart = vpcStart + BigInt(index) * blockSize(vpc.subnetMask + splitBits);
    const prefix = subnetPrefixLength(vpc.subnetMask, tier);
    return zones.map((zone): PlannedSubnet => {
      const start = Address4.fromBigInt(tierStart + BigInt(zone.slot) * blockSize(prefix));
      const cidrBlock = `${start.correctForm()}/${prefix}`;
      // The layout table guarantees this; checked with the library so a layout edit cannot slip out of the VPC.
      if (!new Address4(cidrBlock).isInSubnet(vpc)) throw new Error(`Subnet ${cidrBlock} falls outside ${input.cidr}`);
      return { tier, availabilityZone: zone.name, cidrBlock };
    });
  });
  return { region: zones[0]?.region ?? "", vpcCidr: input.cidr, subnets };
}
