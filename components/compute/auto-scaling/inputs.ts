import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { idListInput } from "../../aws/inputs";

/**
 * A non-empty list of ids (subnets, security groups) as plain values or Outputs, or one Output of the
 * whole list, which is what an upstream stack's `privateSubnetIds` output is.
 */
export const idListOrOutput = z.union(
  [idListInput, z.custom<pulumi.Output<string[]>>((value) => pulumi.Output.isInstance(value))],
  { error: "a non-empty list of ids, or a Pulumi Output of one" },
);

/** An IAM role ARN in any partition. */
export const iamRoleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "an IAM role ARN like arn:aws:iam::123456789012:role/admin");

/** An IAM managed policy ARN (AWS managed or the account's own) in any partition. */
export const iamPolicyArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/,
    "an IAM policy ARN like arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
  );
