import type { PolicyDocument } from "./bucket-policy";
import { assertUniqueSids, type ResolvedStatement, withDefaultResource } from "./statements";

/** The ids of the statements a file system policy gets from the component; callers may not reuse them. */
export const FILE_SYSTEM_POLICY_SIDS = {
  denyInsecureTransport: "DenyInsecureTransport",
  allowThroughMountTargets: "AllowClientsThroughMountTargets",
} as const;

export const RESERVED_FILE_SYSTEM_SIDS: readonly string[] = Object.values(FILE_SYSTEM_POLICY_SIDS);

export interface FileSystemPolicyPlan {
  fileSystemArn: string;
  /** Clients may mount without IAM authorization (grants `ClientMount` to everyone reaching a mount target). */
  allowAnonymousAccess: boolean;
  /** Clients act as root (uid 0) on the file system (grants `ClientRootAccess`). */
  allowRootAccess: boolean;
  /** The caller's statements; one without Resource applies to this file system. */
  callerStatements: ResolvedStatement[];
}

/**
 * The file system's policy. Once a policy exists, EFS grants clients only what it allows, so:
 * - everyone reaching a mount target may write, but may mount only when their IAM role grants
 *   `elasticfilesystem:ClientMount` (mount with IAM authorization), unless anonymous access is allowed;
 * - root access (`ClientRootAccess`) is not granted unless asked for, so uid 0 is squashed;
 * - any request without TLS is denied, whoever makes it.
 */
export function fileSystemPolicyDocument(plan: FileSystemPolicyPlan): PolicyDocument {
  const granted = [
    "elasticfilesystem:ClientWrite",
    ...(plan.allowAnonymousAccess ? ["elasticfilesystem:ClientMount"] : []),
    ...(plan.allowRootAccess ? ["elasticfilesystem:ClientRootAccess"] : []),
  ];
  const statements: ResolvedStatement[] = [
    {
      Sid: FILE_SYSTEM_POLICY_SIDS.denyInsecureTransport,
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "*",
      Resource: plan.fileSystemArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: FILE_SYSTEM_POLICY_SIDS.allowThroughMountTargets,
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: granted,
      Resource: plan.fileSystemArn,
      Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
    },
    ...plan.callerStatements.map((statement) => withDefaultResource(statement, plan.fileSystemArn)),
  ];
  assertUniqueSids(statements, `File system policy of ${plan.fileSystemArn}`);
  return { Version: "2012-10-17", Statement: statements };
}
