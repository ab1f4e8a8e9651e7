import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** Runs `schema` on `value` inside another schema's transform, reporting its problems at their own paths. */
export function parseWithin<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  ctx: z.core.$RefinementCtx,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Finished issues keep their code, path and message, which is all problemsFrom reads.
  for (const issue of result.error.issues) ctx.issues.push(issue as z.core.$ZodRawIssue);
  return z.NEVER;
}

/**
 * A field that is a plain value checked by `schema`, or a Pulumi Output accepted as it is. Unlike
 * `inputOf`, a plain value's problems are reported at their own path (`policyStatements.0.Effect`),
 * where a zod union would only say "Invalid input".
 */
export function outputOr<Schema extends z.ZodType>(schema: Schema) {
  return z
    .custom<z.input<Schema> | pulumi.Output<z.output<Schema>>>(() => true)
    .transform((value, ctx): z.output<Schema> | pulumi.Output<z.output<Schema>> =>
      pulumi.Output.isInstance(value) ? (value as pulumi.Output<z.output<Schema>>) : parseWithin(schema, value, ctx),
    );
}

/**
 * A required field that takes an object checked by `schema`, or `false` to turn the feature off on
 * purpose. Leaving it out is refused with `expected`, so turning a safeguard off is always explicit.
 */
export function objectOrFalse<Schema extends z.ZodType>(schema: Schema, expected: string) {
  return z
    .custom<z.input<Schema> | false>(() => true)
    .transform((value, ctx): z.output<Schema> | false => {
      if (value === false) return false;
      if (value === undefined || value === null || typeof value !== "object") {
        ctx.addIssue({ code: "custom", message: expected, input: value });
        return z.NEVER;
      }
      return parseWithin(schema, value, ctx);
    });
}
