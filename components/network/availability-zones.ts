/**
 * An Availability Zone name the caller pins, like `eu-west-1a`. Names are listed, not looked up, so a
 * plan never changes because AWS opened a new zone. Local Zones and Wavelength Zones
 * (`us-west-2-lax-1a`) are not supported: their names do not end in a zone letter after the region.
 */
const AZ_NAME = /^([a-z]{2}(?:-[a-z]+)+-\d+)([a-z])$/;

/** Zone letters that have a subnet slot: a to h. No AWS region has more than six zones (us-east-1: a to f). */
export const AZ_SLOT_COUNT = 8;

export interface AvailabilityZone {
  name: string;
  /** The region the zone is in: the name without its letter. */
  region: string;
  /** The zone's fixed slot in each tier's block: its letter's position (a = 0, b = 1 ...). */
  slot: number;
}

/** Parses a zone name, or returns why it is not one Stackline can place subnets in. */
export function parseAvailabilityZone(name: string): AvailabilityZone | string {
  const match = AZ_NAME.exec(name);
  if (!match) return `an Availability Zone name like eu-west-1a (Local and Wavelength Zones are not supported)`;
  const [, region = "", letter = "a"] = match;
  const slot = letter.charCodeAt(0) - "a".charCodeAt(0);
  if (slot >= AZ_SLOT_COUNT) return `a zone letter from a to h (each letter has a fixed subnet slot)`;
  return { name, region, slot };
}
