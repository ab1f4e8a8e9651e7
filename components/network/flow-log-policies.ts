/** Where the flow logs go, as the policies need it: plain values, resolved before the policies are built. */
export interface FlowLogTarget {
  partition: string;
  /** The partition's DNS suffix (amazonaws.com, amazonaws.com.cn), for service principals. */
  dnsSuffix: string;
  region: string;
  accountId: string;
  logGroupName: string;
}

/** A fixed log group name, so the key policy can name the group before the group exists. */
export function flowLogGroupName(project: string, stack: string, component: string): string {
  return `/${project}/${stack}/${component}/vpc-flow-logs`.replace(/[^A-Za-z0-9_\-/.#]/g, "-");
}

export function logGroupArn(target: FlowLogTarget): string {
  return `arn:${target.partition}:logs:${target.region}:${target.accountId}:log-group:${target.logGroupName}`;
}

/** Managing the key (not using it): what `pulumi up` and the account's administrators need. */
export const KEY_ADMINISTRATION_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/**
 * The flow-log key's policy. The account may administer the key through IAM policies but no principal
 * of it may encrypt or decrypt with it; CloudWatch Logs in this region may, and only for this one log
 * group (the encryption-context condition AWS documents for log groups). In a key policy, Resource "*"
 * means this key.
 */
export function flowLogKeyPolicy(target: FlowLogTarget) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:${target.partition}:iam::${target.accountId}:root` },
        Action: KEY_ADMINISTRATION_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsEncryptsThisLogGroupOnly",
        Effect: "Allow",
        Principal: { Service: `logs.${target.region}.${target.dnsSuffix}` },
        Action: [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:DescribeKey",
        ],
        Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn(target) } },
      },
    ],
  };
}

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
