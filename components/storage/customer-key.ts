import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyPolicyDocument } from "./key-policy";
import type { ResolvedStatement } from "./statements";

export interface CustomerKeyOptions {
  description: string;
  /** Extra key policy statements (a CloudFront distribution allowed to decrypt, for example). */
  statements: pulumi.Input<pulumi.Input<aws.iam.PolicyStatement>[]>;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

/**
 * A symmetric customer managed KMS key with yearly automatic rotation and the longest deletion window
 * (30 days), so a key deleted by mistake can be restored before the data it protects becomes unreadable.
 */
export function customerManagedKey(name: string, options: CustomerKeyOptions): aws.kms.Key {
  const identity = aws.getCallerIdentityOutput({}, { parent: options.parent });
  const partition = aws.getPartitionOutput({}, { parent: options.parent });
  const rootArn = pulumi.interpolate`arn:${partition.partition}:iam::${identity.accountId}:root`;
  const policy = pulumi
    .all([rootArn, pulumi.output(options.statements)])
    .apply(([root, statements]) => JSON.stringify(keyPolicyDocument(root, statements as ResolvedStatement[])));
  return new aws.kms.Key(
    name,
    {
      description: options.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy,
      tags: options.tags,
    },
    { parent: options.parent },
  );
}
