import { KEY_ADMINISTRATION_ACTIONS, type LogGroupTarget, logGroupArn, logGroupKeyPolicy } from "../aws/log-group-key";

export { KEY_ADMINISTRATION_ACTIONS, logGroupArn };

/** Where the flow logs go, as the policies need it: plain values, resolved before the policies are built. */
export type FlowLogTarget = LogGroupTarget;

/** A fixed log group name, so the key policy can name the group before the group exists. */
export function flowLogGroupName(project: string, stack: string, component: string): string {
  return `/${project}/${stack}/${component}/vpc-flow-logs`.replace(/[^A-Za-z0-9_\-/.#]/g, "-");
}

/**
 * The flow-log key's policy: the shared log-group key policy (components/aws/log-group-key.ts). The
 * account administers the key; only CloudWatch Logs may use it, and only for this log group.
 */
export const flowLogKeyPolicy = logGroupKeyPolicy;

/** Only the VPC Flow Logs service, acting for a flow log of this account and region, may assume the role. */
export function flowLogAssumeRolePolicy(target: FlowLogTarget) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": target.accountId },
          ArnLike: {
            "aws:SourceArn": `arn:${target.partition}:ec2:${target.region}:${target.accountId}:vpc-flow-log/*`,
          },
        },
      },
    ],
  };
}

/** The role may write log streams of the one flow-log group, nothing else. */
export function flowLogRolePolicy(target: FlowLogTarget) {
  const group = logGroupArn(target);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFlowLogStreams",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [group, `${group}:*`],
      },
    ],
  };
}
