import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { extraTagsSchema, standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import { accessGroups } from "./access";
import { encryptionKeyArn } from "./encryption-key";
import {
  type DatabaseEngine,
  databaseEngines,
  ENGINE_SETTINGS,
  engineVersionProblem,
  parameterGroupFamily,
} from "./engines";
import { finalSnapshotIdentifier } from "./names";
import { dataStoreFields } from "./shared-args";

/** The RelationalDatabase's fields, without the checks across fields (so a stack config can pick some). */
export const relationalDatabaseFields = z.object({
  ...dataStoreFields,
  /** The database engine. @default "postgres" */
  engine: z.enum(databaseEngines).default("postgres"),
  /** Engine version; a major version lets RDS apply minor upgrades. @default "17" for postgres, "8.4" for mysql */
  engineVersion: z.string().optional(),
  /** The instance class. @default "db.t4g.medium" */
  instanceClass: z
    .string()
    .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, "an instance class like db.t4g.medium or db.r7g.large")
    .default("db.t4g.medium"),
  /** Storage (GiB, gp3) allocated at creation. @default 20 */
  allocatedStorage: z.number().int().min(20).max(65536).default(20),
  /** Storage autoscaling's ceiling (GiB); above allocatedStorage. @default 100 */
  maxAllocatedStorage: z.number().int().min(21).max(65536).default(100),
  /** Days of automated backups (point-in-time recovery); fewer than 7 is refused. @default 7 */
  backupRetentionDays: z.number().int().min(7).max(35).default(7),
  /** A production database: Multi-AZ and deletion protection unless overridden. @default false */
  production: z.boolean().default(false),
  /** A standby in a second Availability Zone. @default the value of `production` */
  multiAz: z.boolean().optional(),
  /** RDS refuses to delete the instance until this is turned off. @default the value of `production` */
  deletionProtection: z.boolean().optional(),
  /** The port. @default 5432 for postgres, 3306 for mysql */
  port: z.number().int().min(1150).max(65535).optional(),
  /** The database created with the instance. @default "app" */
  databaseName: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, "a letter, then up to 62 letters, digits or '_'")
    .default("app"),
  /** The master user's name; its password is generated and kept by Secrets Manager. @default "dbadmin" */
  masterUsername: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/, "a letter, then up to 15 letters, digits or '_'")
    .refine((name) => !["rdsadmin", "admin", "root"].includes(name.toLowerCase()), {
      message: "a name RDS does not reserve (not rdsadmin, admin or root)",
    })
    .default("dbadmin"),
  /** Days Performance Insights keeps data: 7 (free) or a multiple of 31 up to 731. @default 7 */
  performanceInsightsRetentionDays: z
    .number()
    .int()
    .refine((days) => days === 7 || (days % 31 === 0 && days >= 31 && days <= 731), {
      message: "7, or a multiple of 31 from 31 to 731",
    })
    .default(7),
  /** The certificate authority of the server certificate clients verify. @default "rds-ca-rsa2048-g1" */
  caCertIdentifier: z.string().min(1).default("rds-ca-rsa2048-g1"),
  /** Extra tags on every taggable resource. @default {} */
  tags: extraTagsSchema,
});

type RelationalDatabaseChecked = Pick<
  z.output<typeof relationalDatabaseFields>,
  "engine" | "engineVersion" | "allocatedStorage" | "maxAllocatedStorage"
>;

/** Checks across fields, shared with stack config that picks these fields. */
export function checkRelationalDatabase(value: RelationalDatabaseChecked, ctx: z.RefinementCtx): void {
  if (value.maxAllocatedStorage <= value.allocatedStorage) {
    ctx.addIssue({
      code: "custom",
      path: ["maxAllocatedStorage"],
      message: `more than allocatedStorage (${value.allocatedStorage} GiB), so storage autoscaling has room to grow (default 100)`,
    });
  }
  const versionProblem = value.engineVersion && engineVersionProblem(value.engine, value.engineVersion);
  if (versionProblem) ctx.addIssue({ code: "custom", path: ["engineVersion"], message: versionProblem });
}

export const relationalDatabaseArgsSchema = relationalDatabaseFields.strict().superRefine(checkRelationalDatabase);

export type RelationalDatabaseArgs = z.input<typeof relationalDatabaseArgsSchema>;

/**
 * An RDS instance (PostgreSQL by default, or MySQL) locked down by default: encrypted storage,
 * Performance Insights and master secret under a customer-managed KMS key; the master password created
 * and rotated by Secrets Manager (never an input); TLS required by a parameter group; private, in the
 * given subnets, reachable only from its client security group and named security groups; IAM
 * authentication on; backups kept at least 7 days and a final snapshot on delete. `production` turns on
 * Multi-AZ and deletion protection.
 */
export class RelationalDatabase extends pulumi.ComponentResource {
  static readonly type = "stackline:database:RelationalDatabase";
  /** `host:port` to connect to (secret). */
  readonly endpoint: pulumi.Output<string>;
  /** The host name to connect to (secret). */
  readonly address: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** The Secrets Manager secret RDS keeps the master user's credentials in (rotated by RDS). */
  readonly secretArn: pulumi.Output<string>;
  /** The database's own security group. */
  readonly securityGroupId: pulumi.Output<string>;
  /** The group clients attach to be allowed in. */
  readonly clientSecurityGroupId: pulumi.Output<string>;
  readonly instanceArn: pulumi.Output<string>;
  /** The key encrypting storage, snapshots, Performance Insights and the master secret. */
  readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: RelationalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(RelationalDatabase.type, name, relationalDatabaseArgsSchema, args);
    super(RelationalDatabase.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(RelationalDatabase.type, name, parsed.tags);
    const engine: DatabaseEngine = parsed.engine;
    const settings = ENGINE_SETTINGS[engine];
    const version = parsed.engineVersion ?? settings.defaultVersion;
    const port = parsed.port ?? settings.port;

    const kmsKeyArn = encryptionKeyArn(
      name,
      { kmsKeyArn: parsed.kmsKeyArn, what: `the ${name} database`, tags, protect: parsed.protect },
      this,
    );
    const groups = accessGroups(
      name,
      {
        vpcId: parsed.vpcId,
        port,
        allowedSecurityGroupIds: parsed.allowedSecurityGroupIds,
        what: `the ${name} database`,
        tags,
      },
      this,
    );
    const subnetGroup = new aws.rds.SubnetGroup(
      name,
      { subnetIds: parsed.subnetIds, description: `Subnets of the ${name} database`, tags },
      child,
    );
    const parameterGroup = new aws.rds.ParameterGroup(
      name,
      {
        family: parameterGroupFamily(engine, version),
        description: `Settings of the ${name} database: TLS required`,
        parameters: settings.parameters,
        tags,
      },
      child,
    );

    const instance = new aws.rds.Instance(
      name,
      {
        engine,
        engineVersion: version,
        instanceClass: parsed.instanceClass,
        dbName: parsed.databaseName,
        username: parsed.masterUsername,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: kmsKeyArn,
        port,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [groups.server.id],
        publiclyAccessible: false,
        parameterGroupName: parameterGroup.name,
        caCertIdentifier: parsed.caCertIdentifier,
        iamDatabaseAuthenticationEnabled: true,
        storageType: "gp3",
        allocatedStorage: parsed.allocatedStorage,
        maxAllocatedStorage: parsed.maxAllocatedStorage,
        storageEncrypted: true,
        kmsKeyId: kmsKeyArn,
        multiAz: parsed.multiAz ?? parsed.production,
        deletionProtection: parsed.deletionProtection ?? parsed.production,
        backupRetentionPeriod: parsed.backupRetentionDays,
        // Automated backups outlive the instance, so a deleted database can still be restored.
        deleteAutomatedBackups: false,
        copyTagsToSnapshot: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: finalSnapshotIdentifier(pulumi.getStack(), name),
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: kmsKeyArn,
        performanceInsightsRetentionPeriod: parsed.performanceInsightsRetentionDays,
        enabledCloudwatchLogsExports: settings.logExports,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        tags,
      },
      { parent: this, protect: parsed.protect },
    );

    this.endpoint = pulumi.secret(instance.endpoint);
    this.address = pulumi.secret(instance.address);
    this.port = instance.port;
    this.secretArn = instance.masterUserSecrets.apply((secrets) => {
      const secretArn = secrets[0]?.secretArn;
      if (!secretArn) throw new Error(`RDS returned no managed master user secret for database '${name}'.`);
      return secretArn;
    });
    this.securityGroupId = groups.server.id;
    this.clientSecurityGroupId = groups.client.id;
    this.instanceArn = instance.arn;
    this.kmsKeyArn = kmsKeyArn;
    this.registerOutputs({
      endpoint: this.endpoint,
      address: this.address,
      port: this.port,
      secretArn: this.secretArn,
      securityGroupId: this.securityGroupId,
      clientSecurityGroupId: this.clientSecurityGroupId,
      instanceArn: this.instanceArn,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
