import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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
  const key = new aws.kms.Key(
    `${name}-key`,
    {
      description: `Encrypts ${args.what}`,
      enableKeyRotation: true,
      // The longest wait: a key scheduled for deletion by mistake can be recovered for 30 days.
      deletionWindowInDays: 30,
      tags: args.tags,
    },
    { parent, protect: args.protect },
  );
  return key.arn;
}
