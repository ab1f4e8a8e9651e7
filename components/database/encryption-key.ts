import * as pulumi from "@pulumi/pulumi";
import { customerKey } from "../aws/customer-key";

export interface EncryptionKeyArgs {
  /** A customer-managed key to use; when absent one is created. */
  kmsKeyArn?: pulumi.Input<string>;
  /** What the key encrypts, for its description. */
  what: string;
  tags: Record<string, string>;
  /** Protect a created key: deleting it would make the data and its snapshots unreadable. */
  protect: boolean;
}

/** The ARN of the given customer-managed key, or of a new one with yearly automatic rotation. */
export function encryptionKeyArn(
  name: string,
  args: EncryptionKeyArgs,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (args.kmsKeyArn !== undefined) return pulumi.output(args.kmsKeyArn);
  return customerKey(
    `${name}-key`,
    { description: `Encrypts ${args.what}`, tags: args.tags },
    { parent, protect: args.protect },
  ).arn;
}
