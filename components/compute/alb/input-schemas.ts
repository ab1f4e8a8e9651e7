import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { idInput } from "../../aws/inputs";

/**
 * A union field (value or Output) whose error, when neither branch fits (most often: the field is
 * missing), says what the caller should give instead of zod's bare "Invalid input".
 */
export function expecting<Options extends readonly [z.ZodType, ...z.ZodType[]]>(
  union: z.ZodUnion<Options>,
  expected: string,
) {
  return z.union(union.options, { error: (issue) => (issue.code === "invalid_union" ? expected : undefined) });
}

/**
 * A list of ids (subnets, security groups): a plain list whose items may be Outputs, or a whole list
 * read from another stack as one Output.
 */
export function idListOf(minimum: number, expected: string) {
  return expecting(
    z.union([
      z.array(idInput).refine((ids) => ids.length >= minimum, expected),
      z.custom<pulumi.Output<string[]>>((value) => pulumi.Output.isInstance(value)),
    ]),
    `${expected}, or an Output of such a list`,
  );
}

/** An IPv4 address block in canonical form (no host bits set), like 10.0.0.0/16 or 0.0.0.0/0. */
export const ipv4Cidr = z
  .string()
  .refine(isCanonicalIpv4Cidr, "an IPv4 CIDR block with no host bits set, like 10.0.0.0/16 or 0.0.0.0/0");

/** True for `a.b.c.d/n` where every octet is 0-255, n is 0-32 and the bits past n are zero. */
export function isCanonicalIpv4Cidr(text: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return false;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return address % 2 ** (32 - prefix) === 0;
}
