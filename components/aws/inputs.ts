import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * A field that takes either a plain value, checked by `schema`, or a Pulumi Output (another
 * resource's id or ARN), which is only known at deployment and is accepted as it is.
 */
export function inputOf<Schema extends z.ZodType>(schema: Schema) {
  return z.union([
    schema,
    z.custom<pulumi.Output<z.output<Schema>>>((value) => pulumi.Output.isInstance(value), {
      message: "a value or a Pulumi Output",
    }),
  ]);
}

/** An AWS resource id or ARN given as text or as another resource's Output. */
export const idInput = inputOf(z.string().min(1));

/** A non-empty list of ids (subnets, security groups), as plain values or Outputs. */
export const idListInput = z.array(idInput).min(1);

/** An ARN in any partition. */
export const arn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/,
    "an ARN like arn:aws:kms:eu-west-1:123456789012:key/...",
  );
