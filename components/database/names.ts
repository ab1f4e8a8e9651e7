import { createHash } from "node:crypto";

/**
 * A deterministic AWS identifier from `parts`: lower-case letters, digits and single hyphens, starting
 * with a letter, at most `max` characters. Too-long names are cut and end in a short hash of the full
 * name, so two long names that share a prefix stay distinct.
 */
export function awsIdentifier(parts: readonly string[], max: number): string {
  const joined = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const base = /^[a-z]/.test(joined) ? joined : `x-${joined}`.replace(/-+$/, "");
  if (base.length <= max) return base;
  const hash = createHash("sha256").update(base).digest("hex").slice(0, 8);
  return `${base.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/**
 * The name of the snapshot taken when a database or cache is deleted. It is fixed for a stack and
 * component, so a reviewer knows where the last data went; RDS and ElastiCache allow 255 characters.
 */
export function finalSnapshotIdentifier(stack: string, name: string): string {
  return awsIdentifier([stack, name, "final"], 255);
}
