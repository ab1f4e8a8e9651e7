import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { customerKey } from "./customer-key";
import { type LogGroupTarget, logGroupKeyPolicy } from "./log-group-key";

export interface EncryptedLogGroupArgs {
  /** A fixed name, so the key policy can name the group before the group exists. */
  logGroupName: string;
  retentionInDays: number;
  /** What the logs are, for the key's description. */
  what: string;
  tags: Record<string, string>;
  protect: boolean;
}

/**
 * A CloudWatch log group encrypted with its own customer key, which only CloudWatch Logs may use and
 * only for this group. Keys shared with data (a cache's or database's key) would need the logs service
 * in their policy too; a key per log group keeps each policy to one purpose.
 */
export function encryptedLogGroup(
  parent: pulumi.Resource,
  name: string,
  args: EncryptedLogGroupArgs,
): { logGroup: aws.cloudwatch.LogGroup; kmsKeyArn: pulumi.Output<string> } {
  const child = { parent };
  const identity = aws.getCallerIdentityOutput({}, child);
  const partition = aws.getPartitionOutput({}, child);
  const region = aws.getRegionOutput({}, child);
  const target = pulumi.all([identity.accountId, partition.partition, partition.dnsSuffix, region.region]).apply(
    ([accountId, partitionName, dnsSuffix, regionName]): LogGroupTarget => ({
      accountId,
      partition: partitionName,
      dnsSuffix,
      region: regionName,
      logGroupName: args.logGroupName,
    }),
  );
  const key = customerKey(
    name,
    {
      description: `Encrypts ${args.what} in ${args.logGroupName}`,
      policy: pulumi.jsonStringify(target.apply(logGroupKeyPolicy)),
      tags: args.tags,
    },
    { ...child, protect: args.protect },
  );
  const logGroup = new aws.cloudwatch.LogGroup(
    name,
    { name: args.logGroupName, retentionInDays: args.retentionInDays, kmsKeyId: key.arn, tags: args.tags },
    { ...child, protect: args.protect },
  );
  return { logGroup, kmsKeyArn: key.arn };
}
