import { awsIdentifier } from "./names";

/** ElastiCache user and user group ids are unique per account and region, so they carry the stack's name. */
const ID_MAX = 40;

export interface CacheUserPlan {
  /** The user group attached to the replication group. */
  userGroupId: string;
  /** Replaces the open, password-less `default` user every user group must contain; it is switched off. */
  defaultUserId: string;
  /** The application's IAM-authenticated user; IAM authentication requires its name to equal its id. */
  appUserId: string;
}

export function cacheUserPlan(stack: string, name: string): CacheUserPlan {
  return {
    userGroupId: awsIdentifier([stack, name], ID_MAX),
    defaultUserId: awsIdentifier([stack, name, "default"], ID_MAX),
    appUserId: awsIdentifier([stack, name, "app"], ID_MAX),
  };
}

/** The default user's access string: off, and no command allowed even if it were switched on. */
export const DISABLED_ACCESS_STRING = "off -@all";

/**
 * The IAM policy a client's role needs to connect as the cache's IAM user: `elasticache:Connect` on
 * that replication group and that user only.
 */
export function cacheConnectPolicy(replicationGroupArn: string, userArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ConnectAsCacheUser",
        Effect: "Allow",
        Action: ["elasticache:Connect"],
        Resource: [replicationGroupArn, userArn],
      },
    ],
  };
}
