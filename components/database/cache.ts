import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { encryptedLogGroup } from "../aws/encrypted-log-group";
import { extraTagsSchema, standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import { accessGroups } from "./access";
import { cacheUserPlan, DISABLED_ACCESS_STRING } from "./cache-auth";
import { encryptionKeyArn } from "./encryption-key";
import { CACHE_DEFAULT_VERSIONS, cacheEngines, cacheVersionProblem } from "./engines";
import { finalSnapshotIdentifier } from "./names";
import { dataStoreFields } from "./shared-args";

/** Retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The Cache's fields, without the checks across fields (so a stack config can pick some). */
export const cacheFields = z.object({
  ...dataStoreFields,
  /** The engine. @default "valkey" */
  engine: z.enum(cacheEngines).default("valkey"),
  /** Engine version (major.minor), 7+ for IAM authentication. @default "8.0" for valkey, "7.1" for redis */
  engineVersion: z.string().optional(),
  /** The node type. @default "cache.t4g.small" */
  nodeType: z
    .string()
    .regex(/^cache\.[a-z0-9-]+\.[a-z0-9]+$/, "a node type like cache.t4g.small or cache.r7g.large")
    .default("cache.t4g.small"),
  /** Nodes: one primary and the rest read replicas; at least 2 with automaticFailover. @default 2 */
  numCacheClusters: z.number().int().min(1).max(6).default(2),
  /** Promote a replica when the primary fails, with nodes spread over Availability Zones (Multi-AZ). @default true */
  automaticFailover: z.boolean().default(true),
  /** Days daily snapshots are kept. @default 7 */
  snapshotRetentionDays: z.number().int().min(1).max(35).default(7),
  /** Days the slow log is kept in CloudWatch Logs. @default 30 */
  logRetentionDays: z
    .number()
    .int()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `one of ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .default(30),
  /** What the application's IAM user may do (an ACL access string starting with "on"). @default "on ~* +@all" */
  accessString: z
    .string()
    .regex(/^on(\s+\S+)+$/, 'an access string starting with "on", like "on ~app:* +@read +@write"')
    .default("on ~* +@all"),
  /** The port. @default 6379 */
  port: z.number().int().min(1024).max(65535).default(6379),
  /** Extra tags on every taggable resource. @default {} */
  tags: extraTagsSchema,
});

type CacheChecked = Pick<
  z.output<typeof cacheFields>,
  "engine" | "engineVersion" | "numCacheClusters" | "automaticFailover"
>;

/** Checks across fields, shared with stack config that picks these fields. */
export function checkCache(value: CacheChecked, ctx: z.RefinementCtx): void {
  if (value.automaticFailover && value.numCacheClusters < 2) {
    ctx.addIssue({
      code: "custom",
      path: ["numCacheClusters"],
      message: "at least 2 while automaticFailover is on (a replica to fail over to); or set automaticFailover: false",
    });
  }
  const versionProblem = value.engineVersion && cacheVersionProblem(value.engine, value.engineVersion);
  if (versionProblem) ctx.addIssue({ code: "custom", path: ["engineVersion"], message: versionProblem });
}

export const cacheArgsSchema = cacheFields.strict().superRefine(checkCache);

export type CacheArgs = z.input<typeof cacheArgsSchema>;

/**
 * An ElastiCache replication group (Valkey by default, or Redis OSS) locked down by default: encrypted
 * at rest with a customer-managed key and in transit (TLS required); no password anywhere: the only
 * enabled user authenticates with IAM (short-lived SigV4 tokens, granted by `elasticache:Connect`), and
 * the open `default` user is replaced by a disabled one; automatic failover across Availability Zones;
 * daily snapshots and a final one on delete; the slow log in CloudWatch Logs; reachable only from its
 * client security group and named security groups.
 */
export class Cache extends pulumi.ComponentResource {
  static readonly type = "stackline:database:Cache";
  /** The primary's host name, for writes (secret). */
  readonly primaryEndpoint: pulumi.Output<string>;
  /** The host name spreading reads over the replicas (secret). */
  readonly readerEndpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** The cache's own security group. */
  readonly securityGroupId: pulumi.Output<string>;
  /** The group clients attach to be allowed in. */
  readonly clientSecurityGroupId: pulumi.Output<string>;
  /** The replication group's ARN, for `elasticache:Connect` policies. */
  readonly arn: pulumi.Output<string>;
  /** The IAM-authenticated user clients connect as (its name equals its id). */
  readonly userName: pulumi.Output<string>;
  /** The user's ARN, for `elasticache:Connect` policies (see cacheConnectPolicy). */
  readonly userArn: pulumi.Output<string>;
  /** The key encrypting the data at rest and the snapshots. */
  readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(Cache.type, name, cacheArgsSchema, args);
    super(Cache.type, name, {}, opts);
    const child = { parent: this };
    // User and user group ids are fixed names: a replacement must delete the old one first.
    const fixedId = { parent: this, deleteBeforeReplace: true };
    const tags = standardTags(Cache.type, name, parsed.tags);
    const stack = pulumi.getStack();
    const plan = cacheUserPlan(stack, name);

    const kmsKeyArn = encryptionKeyArn(
      name,
      { kmsKeyArn: parsed.kmsKeyArn, what: `the ${name} cache`, tags, protect: parsed.protect },
      this,
    );
    const groups = accessGroups(
      name,
      {
        vpcId: parsed.vpcId,
        port: parsed.port,
        allowedSecurityGroupIds: parsed.allowedSecurityGroupIds,
        what: `the ${name} cache`,
        tags,
      },
      this,
    );
    const subnetGroup = new aws.elasticache.SubnetGroup(
      name,
      { subnetIds: parsed.subnetIds, description: `Subnets of the ${name} cache`, tags },
      child,
    );

    // Users of engine "redis" fit both engines' clusters, and a "redis" user group may hold the
    // password-less (switched off) default user that a "valkey" user group refuses.
    const defaultUser = new aws.elasticache.User(
      `${name}-default-user`,
      {
        userId: plan.defaultUserId,
        userName: "default",
        engine: "redis",
        accessString: DISABLED_ACCESS_STRING,
        authenticationMode: { type: "no-password-required" },
        tags,
      },
      fixedId,
    );
    const appUser = new aws.elasticache.User(
      `${name}-app-user`,
      {
        userId: plan.appUserId,
        userName: plan.appUserId,
        engine: "redis",
        accessString: parsed.accessString,
        authenticationMode: { type: "iam" },
        tags,
      },
      fixedId,
    );
    const userGroup = new aws.elasticache.UserGroup(
      name,
      { userGroupId: plan.userGroupId, engine: "redis", userIds: [defaultUser.userId, appUser.userId], tags },
      fixedId,
    );

    const { logGroup: slowLog } = encryptedLogGroup(this, `${name}-slow-log`, {
      logGroupName: `/${pulumi.getProject()}/${stack}/cache/${name}/slow-log`,
      retentionInDays: parsed.logRetentionDays,
      what: `the ${name} cache's slow log`,
      tags,
      protect: parsed.protect,
    });

    const replicationGroup = new aws.elasticache.ReplicationGroup(
      name,
      {
        description: `Stackline cache ${name}`,
        engine: parsed.engine,
        engineVersion: parsed.engineVersion ?? CACHE_DEFAULT_VERSIONS[parsed.engine],
        nodeType: parsed.nodeType,
        numCacheClusters: parsed.numCacheClusters,
        automaticFailoverEnabled: parsed.automaticFailover,
        multiAzEnabled: parsed.automaticFailover,
        port: parsed.port,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [groups.server.id],
        atRestEncryptionEnabled: true,
        kmsKeyId: kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        userGroupIds: [userGroup.userGroupId],
        snapshotRetentionLimit: parsed.snapshotRetentionDays,
        finalSnapshotIdentifier: finalSnapshotIdentifier(stack, name),
        autoMinorVersionUpgrade: true,
        logDeliveryConfigurations: [
          { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        ],
        tags,
      },
      { parent: this, protect: parsed.protect },
    );

    this.primaryEndpoint = pulumi.secret(replicationGroup.primaryEndpointAddress);
    this.readerEndpoint = pulumi.secret(replicationGroup.readerEndpointAddress);
    this.port = replicationGroup.port.apply((port) => port ?? parsed.port);
    this.securityGroupId = groups.server.id;
    this.clientSecurityGroupId = groups.client.id;
    this.arn = replicationGroup.arn;
    this.userName = appUser.userName;
    this.userArn = appUser.arn;
    this.kmsKeyArn = kmsKeyArn;
    this.registerOutputs({
      primaryEndpoint: this.primaryEndpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      securityGroupId: this.securityGroupId,
      clientSecurityGroupId: this.clientSecurityGroupId,
      arn: this.arn,
      userName: this.userName,
      userArn: this.userArn,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
