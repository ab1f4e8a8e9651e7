import * as aws from "@pulumi/aws";
import { describeRules } from "./support/policy-harness";

const kmsKeyId = "arn:aws:kms:eu-west-1:1:key/k";

/** An instance keeping every database rule. */
function instance(name: string, args: Partial<aws.rds.InstanceArgs> = {}) {
  return new aws.rds.Instance(name, {
    instanceClass: "db.t4g.medium",
    engine: "postgres",
    allocatedStorage: 20,
    username: "app",
    manageMasterUserPassword: true,
    storageEncrypted: true,
    kmsKeyId,
    publiclyAccessible: false,
    backupRetentionPeriod: 7,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: `${name}-final`,
    deletionProtection: true,
    multiAz: true,
    performanceInsightsEnabled: true,
    ...args,
  });
}

/** An Aurora cluster keeping every database rule. */
function cluster(name: string, args: Partial<aws.rds.ClusterArgs> = {}) {
  return new aws.rds.Cluster(name, {
    engine: "aurora-postgresql",
    masterUsername: "app",
    manageMasterUserPassword: true,
    storageEncrypted: true,
    kmsKeyId,
    backupRetentionPeriod: 14,
    skipFinalSnapshot: false,
    deletionProtection: true,
    ...args,
  });
}

/** A replication group keeping every cache rule. */
function cache(name: string, args: Partial<aws.elasticache.ReplicationGroupArgs> = {}) {
  return new aws.elasticache.ReplicationGroup(name, {
    description: name,
    engine: "valkey",
    nodeType: "cache.t4g.small",
    numCacheClusters: 2,
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    authToken: "a-long-generated-token-0123456789",
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    ...args,
  });
}

describeRules([
  {
    policy: "rds-storage-encrypted-kms",
    level: "mandatory",
    bad: [
      {
        name: "an unencrypted instance",
        program: () => instance("plain", { storageEncrypted: false, kmsKeyId: undefined }),
        blames: "plain",
        message: /storageEncrypted is false and kmsKeyId is not set/,
      },
      {
        name: "a cluster encrypted with the AWS-managed key",
        program: () => cluster("default-key", { kmsKeyId: undefined }),
        blames: "default-key",
        message: /kmsKeyId is not set/,
      },
    ],
    good: [
      {
        name: "an instance and a cluster with a key created alongside (first preview)",
        preview: true,
        program: () => {
          const key = new aws.kms.Key("db", { enableKeyRotation: true });
          instance("db", { kmsKeyId: key.arn });
          cluster("aurora", { kmsKeyId: key.arn });
        },
      },
    ],
  },
  {
    policy: "rds-not-publicly-accessible",
    level: "mandatory",
    bad: [
      {
        name: "a public instance",
        program: () => instance("public", { publiclyAccessible: true }),
        blames: "public",
        message: /publiclyAccessible is true/,
      },
      {
        name: "a public Aurora instance",
        program: () =>
          new aws.rds.ClusterInstance("public-member", {
            clusterIdentifier: "aurora",
            engine: "aurora-postgresql",
            instanceClass: "db.r6g.large",
            publiclyAccessible: true,
          }),
        blames: "public-member",
      },
    ],
    good: [{ name: "a private instance", program: () => instance("private") }],
  },
  {
    policy: "rds-managed-master-password",
    level: "mandatory",
    bad: [
      {
        name: "an instance given a password (as a secret)",
        program: () => instance("static", { manageMasterUserPassword: undefined, password: "hunter2-hunter2" }),
        blames: "static",
        message: /A master password is given/,
      },
      {
        name: "a cluster neither managing nor given a password",
        program: () => cluster("unset", { manageMasterUserPassword: undefined }),
        blames: "unset",
        message: /manageMasterUserPassword is not set/,
      },
    ],
    good: [
      {
        name: "managed passwords; a read replica inheriting its source's",
        program: () => {
          instance("primary");
          instance("replica", {
            manageMasterUserPassword: undefined,
            username: undefined,
            replicateSourceDb: "primary",
          });
          cluster("aurora");
        },
      },
    ],
  },
  {
    policy: "rds-backup-retention",
    level: "mandatory",
    bad: [
      {
        name: "3 days of backups",
        program: () => instance("short", { backupRetentionPeriod: 3 }),
        blames: "short",
        message: /backupRetentionPeriod is 3\. Set at least 7/,
      },
      {
        name: "a cluster with the default (1 day)",
        program: () => cluster("default", { backupRetentionPeriod: undefined }),
        blames: "default",
        message: /not set \(1 day\)/,
      },
    ],
    good: [
      {
        name: "7 and 14 days; a replica without its own",
        program: () => {
          instance("week");
          cluster("fortnight");
          instance("replica", {
            backupRetentionPeriod: 0,
            replicateSourceDb: "week",
            manageMasterUserPassword: undefined,
          });
        },
      },
    ],
  },
  {
    policy: "rds-final-snapshot",
    level: "mandatory",
    bad: [
      {
        name: "skipFinalSnapshot true",
        program: () => cluster("throwaway", { skipFinalSnapshot: true }),
        blames: "throwaway",
        message: /skipFinalSnapshot is true/,
      },
    ],
    good: [{ name: "a final snapshot", program: () => instance("kept") }],
  },
  {
    policy: "rds-deletion-protection",
    level: "advisory",
    bad: [
      {
        name: "no deletion protection",
        program: () => instance("fragile", { deletionProtection: undefined }),
        blames: "fragile",
        message: /deletionProtection is not set/,
      },
    ],
    good: [{ name: "deletion protection", program: () => cluster("protected") }],
  },
  {
    policy: "rds-multi-az",
    level: "advisory",
    bad: [
      {
        name: "a single-AZ instance",
        program: () => instance("single", { multiAz: false }),
        blames: "single",
        message: /multiAz is false/,
      },
    ],
    good: [{ name: "a Multi-AZ instance", program: () => instance("multi") }],
  },
  {
    policy: "rds-performance-insights",
    level: "advisory",
    bad: [
      {
        name: "no Performance Insights",
        program: () => instance("blind", { performanceInsightsEnabled: undefined }),
        blames: "blind",
        message: /performanceInsightsEnabled is not set/,
      },
    ],
    good: [
      {
        name: "Performance Insights; Database Insights advanced",
        program: () => {
          instance("seen");
          instance("advanced", { performanceInsightsEnabled: undefined, databaseInsightsMode: "advanced" });
        },
      },
    ],
  },
  {
    policy: "elasticache-encryption",
    level: "mandatory",
    bad: [
      {
        name: "no encryption at rest",
        program: () => cache("plain", { atRestEncryptionEnabled: false }),
        blames: "plain",
        message: /atRestEncryptionEnabled is false/,
      },
      {
        name: "TLS only preferred",
        program: () => cache("preferred", { transitEncryptionMode: "preferred" }),
        blames: "preferred",
        message: /"preferred"/,
      },
    ],
    good: [{ name: "at rest and in transit", program: () => cache("sealed", { transitEncryptionMode: "required" }) }],
  },
  {
    policy: "elasticache-auth",
    level: "mandatory",
    bad: [
      {
        name: "no token and no user group",
        program: () => cache("open", { authToken: undefined }),
        blames: "open",
        message: /Neither authToken nor userGroupIds/,
      },
    ],
    good: [
      {
        name: "an AUTH token; RBAC user groups",
        program: () => {
          cache("token");
          cache("rbac", { authToken: undefined, userGroupIds: ["app-users"] });
        },
      },
    ],
  },
  {
    policy: "elasticache-automatic-failover",
    level: "advisory",
    bad: [
      {
        name: "no automatic failover",
        program: () => cache("manual", { automaticFailoverEnabled: undefined, multiAzEnabled: undefined }),
        blames: "manual",
        message: /automaticFailoverEnabled is not set/,
      },
    ],
    good: [{ name: "automatic failover", program: () => cache("ha") }],
  },
]);
