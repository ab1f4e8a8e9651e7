/**
 * Key administration, without use, each action named (no wildcards): the account, through its IAM
 * policies, may manage and grant the key (EKS needs kms:CreateGrant and kms:DescribeKey from whoever
 * creates the cluster) but not encrypt or decrypt with it.
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:CreateAlias",
  "kms:CreateGrant",
  "kms:DescribeKey",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
  "kms:RevokeGrant",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:DeleteAlias",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
] as const;

/** What the cluster role does with the key: envelope-encrypt Kubernetes secrets. */
export const SECRETS_ENCRYPTION_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"] as const;

/** What CloudWatch Logs does with the key for one log group's data. */
export const LOG_ENCRYPTION_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
] as const;

export interface ClusterKeyPolicyParts {
  partition: string;
  accountId: string;
  region: string;
  clusterRoleArn: string;
  logGroupName: string;
}

/**
 * The key policy of the cluster's customer key: the account administers it, the cluster role
 * encrypts secrets with it, and CloudWatch Logs encrypts the control-plane log group with it, bound
 * to that log group by the encryption context.
 */
export function clusterKeyPolicy(parts: ClusterKeyPolicyParts) {
  const logGroupArn = `arn:${parts.partition}:logs:${parts.region}:${parts.accountId}:log-group:${parts.logGroupName}`;
  const logsPrincipal = { Service: `logs.${parts.region}.amazonaws.com` };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${parts.partition}:iam::${parts.accountId}:root` },
        Action: [...KEY_ADMIN_ACTIONS],
        // In a key policy, "*" means this key.
        Resource: "*",
      },
      {
        Sid: "ClusterRoleEncryptsSecrets",
        Effect: "Allow",
        Principal: { AWS: parts.clusterRoleArn },
        Action: [...SECRETS_ENCRYPTION_ACTIONS],
        Resource: "*",
      },
      {
        Sid: "LogsEncryptsControlPlaneLogGroup",
        Effect: "Allow",
        Principal: logsPrincipal,
        Action: [...LOG_ENCRYPTION_ACTIONS],
        Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
      },
      {
        Sid: "LogsDescribesKey",
        Effect: "Allow",
        Principal: logsPrincipal,
        Action: "kms:DescribeKey",
        Resource: "*",
      },
    ],
  };
}
