import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { customerKey } from "../aws/customer-key";
import { keyPolicyDocument } from "./key-policy";
import type { ResolvedStatement } from "./statements";

export interface CustomerKeyOptions {
  description: string;
  /** Extra key policy statements (a CloudFront distribution allowed to decrypt, for example). */
  statements: pulumi.Input<pulumi.Input<aws.iam.PolicyStatement>[]>;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

/** The storage key (customerKey's defaults) with a policy of the account root and the caller's statements. */
export function customerManagedKey(name: string, options: CustomerKeyOptions): aws.kms.Key {
  const identity = aws.getCallerIdentityOutput({}, { parent: options.parent });
  const partition = aws.getPartitionOutput({}, { parent: options.parent });
  const rootArn = pulumi.interpolate`arn:${partition.partition}:iam::${identity.accountId}:root`;
  const policy = pulumi
    .all([rootArn, pulumi.output(options.statements)])
    .apply(([root, statements]) => JSON.stringify(keyPolicyDocument(root, statements as ResolvedStatement[])));
  return customerKey(
    name,
    { description: options.description, policy, tags: options.tags },
    { parent: options.parent },
  );
}
