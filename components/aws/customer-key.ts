import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface CustomerKeyArgs {
  description: string;
  /** The key policy (JSON). @default AWS's default policy: the account administers and uses the key through IAM */
  policy?: pulumi.Input<string>;
  /** @default the provider's region */
  region?: string;
  tags: Record<string, string>;
}

/**
 * A symmetric customer managed KMS key with yearly automatic rotation and the longest deletion window
 * (30 days), so a key deleted by mistake can be restored before what it protects becomes unreadable.
 * Every component that makes a key makes it here, so these defaults hold everywhere.
 */
export function customerKey(name: string, args: CustomerKeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
  return new aws.kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      ...(args.policy === undefined ? {} : { policy: args.policy }),
      ...(args.region === undefined ? {} : { region: args.region }),
      tags: args.tags,
    },
    opts,
  );
}
