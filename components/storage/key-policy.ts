import type { PolicyDocument } from "./bucket-policy";
import { assertUniqueSids, type ResolvedStatement, withDefaultResource } from "./statements";

export const KEY_POLICY_SIDS = { accountAdministration: "AllowAccountToManageKeyThroughIam" } as const;
export const RESERVED_KEY_SIDS: readonly string[] = Object.values(KEY_POLICY_SIDS);

/**
 * The policy of a customer managed key: AWS's default statement, which lets the owning account's IAM
 * policies govern the key (without it the key could become unmanageable, and KMS refuses a policy that
 * locks its creator out), then the caller's statements. In a key policy `Resource: "*"` means "this key",
 * so a caller statement without Resource gets exactly that.
 */
export function keyPolicyDocument(accountRootArn: string, callerStatements: ResolvedStatement[]): PolicyDocument {
  const statements: ResolvedStatement[] = [
    {
      Sid: KEY_POLICY_SIDS.accountAdministration,
      Effect: "Allow",
      Principal: { AWS: accountRootArn },
      // The whole service on purpose: this delegates to IAM, where each role is granted what it needs.
      Action: "kms:*",
      Resource: "*",
    },
    ...callerStatements.map((statement) => withDefaultResource(statement, "*")),
  ];
  assertUniqueSids(statements, "Key policy");
  return { Version: "2012-10-17", Statement: statements };
}
