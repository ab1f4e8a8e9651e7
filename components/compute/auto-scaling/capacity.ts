import { z } from "zod";

/** Instance counts of a scaling group: how few, how many to start with, how many at most. */
export interface Capacity {
  minSize: number;
  desiredSize: number;
  maxSize: number;
}

/** Why a capacity cannot work (min <= desired <= max, max at least 1), or undefined when it can. */
export function capacityProblem(capacity: Capacity): string | undefined {
  const { minSize, desiredSize, maxSize } = capacity;
  if (maxSize >= 1 && minSize <= desiredSize && desiredSize <= maxSize) return undefined;
  return `minSize <= desiredSize <= maxSize and maxSize >= 1 (here ${minSize} <= ${desiredSize} <= ${maxSize})`;
}

/**
 * A `{ minSize, desiredSize, maxSize }` object with the given defaults; desiredSize defaults to
 * minSize. An impossible combination is reported on the object itself, with the values after defaults.
 */
export function capacitySchema(defaults: { minSize: number; maxSize: number }) {
  return z
    .object({
      /** Fewest instances. @default see the component */
      minSize: z.number().int().min(0).default(defaults.minSize),
      /** Instances to start with. @default minSize */
      desiredSize: z.number().int().min(0).optional(),
      /** Most instances. @default see the component */
      maxSize: z.number().int().min(1).default(defaults.maxSize),
    })
    .strict()
    .transform((value): Capacity => ({ ...value, desiredSize: value.desiredSize ?? value.minSize }))
    .superRefine((capacity, ctx) => {
      const problem = capacityProblem(capacity);
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: capacity });
    })
    .prefault({});
}
