import type * as aws from "@pulumi/aws";
import type { Policies } from "@pulumi/policy";
import { isSet, shown } from "./support/props";
import { validateAnyOf, validateTypes } from "./support/resources";

const DB_INSTANCE = "aws:rds/instance:Instance";
const DB_CLUSTER = "aws:rds/cluster:Cluster";
const DB_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

/** Days of automated backups a database keeps at least. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** A read replica copies its source: it has no password, backups or encryption choice of its own. */
function isReplica(props: { replicateSourceDb?: string; replicationSourceIdentifier?: string }): boolean {
  return isSet(() => props.replicateSourceDb) || isSet(() => props.replicationSourceIdentifier);
}

export const databasePolicies: Policies = [
  {
    name: "rds-storage-encrypted-kms",
    description: "RDS instances and clusters encrypt their storage with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    validateResource: validateAnyOf(
      validateTypes<aws.rds.InstanceArgs | aws.rds.ClusterArgs>([DB_INSTANCE, DB_CLUSTER], (db, _args, report) => {
        if (db.storageEncrypted !== true || !isSet(() => db.kmsKeyId))
          report(
            `storageEncrypted is ${shown(db.storageEncrypted)} and kmsKeyId is ${isSet(() => db.kmsKeyId) ? "set" : "not set"}. Set storageEncrypted true and kmsKeyId to a KMS key ARN.`,
          );
      }),
    ),
  },
  {
    name: "rds-not-publicly-accessible",
    description: "RDS instances are not reachable from the internet (publiclyAccessible false).",
    enforcementLevel: "mandatory",
    validateResource: validateAnyOf(
      validateTypes<aws.rds.InstanceArgs | aws.rds.ClusterInstanceArgs>(
        [DB_INSTANCE, DB_CLUSTER_INSTANCE],
        (db, _args, report) => {
          if (db.publiclyAccessible === true)
            report("publiclyAccessible is true. Set it to false; clients reach the database inside the VPC.");
        },
      ),
    ),
  },
  {
    name: "rds-managed-master-password",
    description:
      "RDS master passwords are generated and rotated by RDS in Secrets Manager (manageMasterUserPassword), never given in the program.",
    enforcementLevel: "mandatory",
    validateResource: validateAnyOf(
      validateTypes<aws.rds.InstanceArgs>([DB_INSTANCE], (db, _args, report) => {
        if (isSet(() => db.password) || isSet(() => db.passwordWo))
          report("A master password is given (password/passwordWo). Remove it and set manageMasterUserPassword true.");
        else if (db.manageMasterUserPassword !== true && !isReplica(db))
          report(`manageMasterUserPassword is ${shown(db.manageMasterUserPassword)} (must be true).`);
      }),
      validateTypes<aws.rds.ClusterArgs>([DB_CLUSTER], (db, _args, report) => {
        if (isSet(() => db.masterPassword) || isSet(() => db.masterPasswordWo))
          report(
            "A master password is given (masterPassword/masterPasswordWo). Remove it and set manageMasterUserPassword true.",
          );
        else if (db.manageMasterUserPassword !== true && !isReplica(db))
          report(`manageMasterUserPassword is ${shown(db.manageMasterUserPassword)} (must be true).`);
      }),
    ),
  },
  {
    name: "rds-backup-retention",
    description: `RDS instances and clusters keep automated backups for at least ${MIN_BACKUP_RETENTION_DAYS} days.`,
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.rds.InstanceArgs | aws.rds.ClusterArgs>(
      [DB_INSTANCE, DB_CLUSTER],
      (db, args, report) => {
        if (isReplica(db)) args.notApplicable("a read replica's backups are its source's");
        const days = db.backupRetentionPeriod;
        if (typeof days !== "number" || days < MIN_BACKUP_RETENTION_DAYS)
          report(
            `backupRetentionPeriod is ${days === undefined ? "not set (1 day)" : shown(days)}. Set at least ${MIN_BACKUP_RETENTION_DAYS}.`,
          );
      },
    ),
  },
  {
    name: "rds-final-snapshot",
    description: "Deleting an RDS instance or cluster takes a final snapshot (skipFinalSnapshot false).",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.rds.InstanceArgs | aws.rds.ClusterArgs>(
      [DB_INSTANCE, DB_CLUSTER],
      (db, _args, report) => {
        if (db.skipFinalSnapshot === true)
          report("skipFinalSnapshot is true. Set it to false and give finalSnapshotIdentifier.");
      },
    ),
  },
  {
    name: "rds-deletion-protection",
    description: "RDS instances and clusters have deletion protection.",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.rds.InstanceArgs | aws.rds.ClusterArgs>(
      [DB_INSTANCE, DB_CLUSTER],
      (db, _args, report) => {
        if (db.deletionProtection !== true)
          report(`deletionProtection is ${shown(db.deletionProtection)}. Set it to true (at least in production).`);
      },
    ),
  },
  {
    name: "rds-multi-az",
    description: "RDS instances run a standby in a second availability zone (multiAz), to survive a zone failure.",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.rds.InstanceArgs>([DB_INSTANCE], (db, _args, report) => {
      if (db.multiAz !== true) report(`multiAz is ${shown(db.multiAz)}. Set it to true (at least in production).`);
    }),
  },
  {
    name: "rds-performance-insights",
    description: "RDS instances have Performance Insights (or Database Insights advanced mode) enabled.",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.rds.InstanceArgs | aws.rds.ClusterInstanceArgs>(
      [DB_INSTANCE, DB_CLUSTER_INSTANCE],
      (db, _args, report) => {
        const advanced = "databaseInsightsMode" in db && db.databaseInsightsMode === "advanced";
        if (db.performanceInsightsEnabled !== true && !advanced)
          report(`performanceInsightsEnabled is ${shown(db.performanceInsightsEnabled)}. Set it to true.`);
      },
    ),
  },
  {
    name: "elasticache-encryption",
    description: "ElastiCache replication groups encrypt data at rest and require TLS in transit.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.elasticache.ReplicationGroupArgs>(
      [REPLICATION_GROUP],
      (group, _args, report) => {
        const problems: string[] = [];
        if (group.atRestEncryptionEnabled !== true)
          problems.push(`atRestEncryptionEnabled is ${shown(group.atRestEncryptionEnabled)} (must be true)`);
        if (group.transitEncryptionEnabled !== true)
          problems.push(`transitEncryptionEnabled is ${shown(group.transitEncryptionEnabled)} (must be true)`);
        else if (group.transitEncryptionMode === "preferred")
          problems.push('transitEncryptionMode is "preferred", which still accepts plain text (use "required")');
        if (problems.length > 0) report(`${problems.join("; ")}.`);
      },
    ),
  },
  {
    name: "elasticache-auth",
    description: "ElastiCache replication groups require authentication: an AUTH token or RBAC user groups.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.elasticache.ReplicationGroupArgs>(
      [REPLICATION_GROUP],
      (group, _args, report) => {
        const token = isSet(() => group.authToken) || isSet(() => group.authTokenWo);
        if (!token && !isSet(() => group.userGroupIds))
          report("Neither authToken nor userGroupIds is set: any client in the network can connect. Set one.");
      },
    ),
  },
  {
    name: "elasticache-automatic-failover",
    description: "ElastiCache replication groups fail over to a replica automatically (automaticFailoverEnabled).",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.elasticache.ReplicationGroupArgs>(
      [REPLICATION_GROUP],
      (group, _args, report) => {
        if (group.automaticFailoverEnabled !== true)
          report(
            `automaticFailoverEnabled is ${shown(group.automaticFailoverEnabled)}. Set it (and multiAzEnabled) to true with at least one replica.`,
          );
      },
    ),
  },
];
