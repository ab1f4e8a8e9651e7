import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { customerKey } from "../aws/customer-key";
import {
  type FlowLogTarget,
  flowLogAssumeRolePolicy,
  flowLogGroupName,
  flowLogKeyPolicy,
  flowLogRolePolicy,
} from "./flow-log-policies";
import type { ParsedVpcArgs } from "./vpc-args";

export interface FlowLogResources {
  logGroupName: pulumi.Output<string>;
  logGroupArn: pulumi.Output<string>;
  kmsKeyArn: pulumi.Output<string>;
}

/**
 * A VPC's flow logs: a KMS key only CloudWatch Logs may use, for this log group only (unless the caller
 * brings a key), the encrypted log group with its retention, a role that may only write to that group,
 * and the flow log. Children of `parent`.
 */
export function createFlowLogs(
  parent: pulumi.Resource,
  name: string,
  args: {
    vpcId: pulumi.Output<string>;
    region: string;
    settings: ParsedVpcArgs["flowLogs"];
    protect: boolean;
    tags: Record<string, string>;
  },
): FlowLogResources {
  const child = { parent };
  const { region, settings, tags } = args;
  const logGroupName = settings.logGroupName ?? flowLogGroupName(pulumi.getProject(), pulumi.getStack(), name);
  const identity = aws.getCallerIdentityOutput({}, child);
  const partition = aws.getPartitionOutput({}, child);
  const target = pulumi.all([identity.accountId, partition.partition, partition.dnsSuffix]).apply(
    ([accountId, partitionName, dnsSuffix]): FlowLogTarget => ({
      accountId,
      partition: partitionName,
      dnsSuffix,
      region,
      logGroupName,
    }),
  );

  const kmsKeyArn =
    settings.kmsKeyArn !== undefined
      ? pulumi.output(settings.kmsKeyArn)
      : customerKey(
          `${name}-flow-logs`,
          {
            description: `Encrypts the VPC flow logs in ${logGroupName}`,
            policy: pulumi.jsonStringify(target.apply(flowLogKeyPolicy)),
            region,
            tags: { ...tags, Name: `${name}-flow-logs` },
          },
          { ...child, protect: args.protect },
        ).arn;

  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-flow-logs`,
    { name: logGroupName, retentionInDays: settings.retentionInDays, kmsKeyId: kmsKeyArn, region, tags },
    { ...child, protect: args.protect },
  );

  const role = new aws.iam.Role(
    `${name}-flow-logs`,
    {
      description: `Lets VPC Flow Logs write to ${logGroupName}`,
      assumeRolePolicy: pulumi.jsonStringify(target.apply(flowLogAssumeRolePolicy)),
      tags,
    },
    child,
  );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-flow-logs`,
    { role: role.id, policy: pulumi.jsonStringify(target.apply(flowLogRolePolicy)) },
    child,
  );

  new aws.ec2.FlowLog(
    `${name}-flow-logs`,
    {
      vpcId: args.vpcId,
      trafficType: settings.trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: settings.maxAggregationInterval,
      region,
      tags: { ...tags, Name: `${name}-flow-logs` },
    },
    // The role must be able to write before the flow log first delivers.
    { ...child, dependsOn: [rolePolicy] },
  );

  return { logGroupName: logGroup.name, logGroupArn: logGroup.arn, kmsKeyArn };
}
