/** Where a log group is, as key policies need it: plain values, resolved before the policies are built. */
export interface LogGroupTarget {
  partition: string;
  /** The partition's DNS suffix (amazonaws.com, amazonaws.com.cn), for service principals. */
  dnsSuffix: string;
  region: string;
  accountId: string;
  logGroupName: string;
}

export function logGroupArn(target: LogGroupTarget): string {
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
 * The policy of a key that encrypts one log group. The account may administer the key through IAM policies but no principal
 * of it may encrypt or decrypt with it; CloudWatch Logs in this region may, and only for this one log
 * group (the encryption-context condition AWS documents for log groups). In a key policy, Resource "*"
 * means this key.
 */
export function logGroupKeyPolicy(target: LogGroupTarget) {
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
