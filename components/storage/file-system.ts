import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { arn, idInput } from "../aws/inputs";
import { extraTagsSchema, standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import { customerManagedKey } from "./customer-key";
import { fileSystemPolicyDocument, RESERVED_FILE_SYSTEM_SIDS } from "./file-system-policy";
import { outputOr } from "./input-schemas";
import { policyStatementsInput, type ResolvedStatement } from "./statements";

export const NFS_PORT = 2049;

const posixId = z.number().int().min(0).max(4_294_967_295);
const resourceKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "a short name of lower-case letters, digits and '-', starting with a letter");

export const accessPointSchema = z
  .object({
    /** The access point's name, used in resource names and as the key of `accessPointIds`. */
    name: resourceKey,
    /** The user id every request through this access point runs as. */
    uid: posixId,
    /** The group id every request through this access point runs as. */
    gid: posixId,
    /** More group ids of that user. @default [] */
    secondaryGids: z.array(posixId).max(16).default([]),
    /** The directory clients see as `/`; created on first use, owned by uid/gid. */
    path: z.string().regex(/^\/[A-Za-z0-9._\-/]{0,99}$/, "an absolute path like /app"),
    /** Mode of the directory when EFS creates it. @default "0750" */
    permissions: z
      .string()
      .regex(/^0?[0-7]{3}$/, "an octal mode like 0750")
      .default("0750"),
  })
  .strict();

const efsTransition = <const Values extends readonly [string, ...string[]]>(values: Values, expected: string) =>
  z.union([z.enum(values), z.literal(false)], { error: expected });

export const fileSystemArgsShape = z
  .object({
    /** The VPC the security groups are created in. */
    vpcId: idInput,
    /** One mount target per subnet, at most one subnet per availability zone (the private subnets). */
    subnetIds: z.array(idInput).min(1).max(16),
    /** An existing customer managed KMS key to encrypt with. @default a new key, with yearly rotation */
    kmsKeyArn: outputOr(arn).optional(),
    /** `maxIO` only for thousands of clients; it adds latency and works without elastic throughput. @default "generalPurpose" */
    performanceMode: z.enum(["generalPurpose", "maxIO"]).default("generalPurpose"),
    /** `elastic` scales with use and bills by it; `provisioned` needs `provisionedThroughputInMibps`. @default "elastic" */
    throughputMode: z.enum(["elastic", "bursting", "provisioned"]).default("elastic"),
    /** Throughput bought with `throughputMode: "provisioned"`, in MiB/s. @default not set */
    provisionedThroughputInMibps: z.number().min(1).max(10_240).optional(),
    /** Move files not read for this long to Infrequent Access, or false to keep them. @default "AFTER_30_DAYS" */
    transitionToIa: efsTransition(
      [
        "AFTER_1_DAY",
        "AFTER_7_DAYS",
        "AFTER_14_DAYS",
        "AFTER_30_DAYS",
        "AFTER_60_DAYS",
        "AFTER_90_DAYS",
        "AFTER_180_DAYS",
        "AFTER_270_DAYS",
        "AFTER_365_DAYS",
      ],
      'one of "AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS", or false',
    ).default("AFTER_30_DAYS"),
    /** Move a file back from Infrequent Access when it is read, or false to leave it there. @default "AFTER_1_ACCESS" */
    transitionToPrimaryStorageClass: efsTransition(["AFTER_1_ACCESS"], '"AFTER_1_ACCESS", or false').default(
      "AFTER_1_ACCESS",
    ),
    /** Daily AWS Backup of the file system (35 days kept). @default true */
    backups: z.boolean().default(true),
    /** Access points: each pins a POSIX user and a root directory. @default [{ name: "app", uid: 1000, gid: 1000, path: "/app", permissions: "0750" }] */
    accessPoints: z
      .array(accessPointSchema)
      .default([{ name: "app", uid: 1000, gid: 1000, secondaryGids: [], path: "/app", permissions: "0750" }])
      .superRefine((points, ctx) => {
        const seen = new Set<string>();
        points.forEach((point, index) => {
          if (seen.has(point.name)) {
            ctx.addIssue({ code: "custom", path: [index, "name"], message: "a name used once", input: point.name });
          }
          seen.add(point.name);
        });
      }),
    /**
     * More security groups allowed to reach NFS, by a name used in the rule's resource name. Prefer
     * attaching `clientSecurityGroupId` to clients. @default {}
     */
    allowedSecurityGroups: z
      .record(z.string(), idInput)
      .default({})
      .superRefine((groups, ctx) => {
        for (const key of Object.keys(groups).filter((k) => !resourceKey.safeParse(k).success)) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `a key of lower-case letters, digits and '-', starting with a letter (not ${JSON.stringify(key)})`,
            input: groups[key],
          });
        }
      }),
    /** Let clients mount without IAM authorization. @default false (clients' roles need elasticfilesystem:ClientMount) */
    allowAnonymousAccess: z.boolean().default(false),
    /** Let clients act as root (uid 0) instead of being squashed. @default false */
    allowRootAccess: z.boolean().default(false),
    /** Statements merged into the file system policy; one without Resource applies to this file system. @default [] */
    policyStatements: policyStatementsInput(RESERVED_FILE_SYSTEM_SIDS).optional(),
    /** Extra tags for every taggable resource. @default {} */
    tags: extraTagsSchema,
  })
  .strict();

export const fileSystemArgsSchema = fileSystemArgsShape.superRefine((args, ctx) => {
  const provisioned = args.throughputMode === "provisioned";
  if (provisioned && args.provisionedThroughputInMibps === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["provisionedThroughputInMibps"],
      message: 'a throughput in MiB/s (throughputMode is "provisioned")',
      input: undefined,
    });
  }
  if (!provisioned && args.provisionedThroughputInMibps !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["provisionedThroughputInMibps"],
      message: 'nothing (only read with throughputMode "provisioned")',
      input: args.provisionedThroughputInMibps,
    });
  }
  if (args.performanceMode === "maxIO" && args.throughputMode === "elastic") {
    ctx.addIssue({
      code: "custom",
      path: ["throughputMode"],
      message: '"bursting" or "provisioned" (EFS refuses elastic throughput with maxIO)',
      input: args.throughputMode,
    });
  }
});

export type SecureFileSystemArgs = z.input<typeof fileSystemArgsSchema>;

/**
 * An EFS file system encrypted with a customer managed key, reachable over NFS only from its client
 * security group (and named extra groups), with a policy that requires TLS and IAM-authorized mounts
 * and squashes root, access points pinning a POSIX user and directory, daily backups and a lifecycle
 * to Infrequent Access.
 */
export class SecureFileSystem extends pulumi.ComponentResource {
  static readonly type = "stackline:storage:FileSystem";
  readonly fileSystemId: pulumi.Output<string>;
  readonly fileSystemArn: pulumi.Output<string>;
  /** The security group of the mount targets. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Attach this group to a client (task, instance) to let it reach NFS. */
  readonly clientSecurityGroupId: pulumi.Output<string>;
  /** Access point ids by access point name. */
  readonly accessPointIds: pulumi.Output<Record<string, string>>;
  /** Access point ARNs by access point name (for IAM conditions on elasticfilesystem:AccessPointArn). */
  readonly accessPointArns: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SecureFileSystemArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(SecureFileSystem.type, name, fileSystemArgsSchema, args);
    super(SecureFileSystem.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(SecureFileSystem.type, name, parsed.tags);

    const kmsKeyArn = parsed.kmsKeyArn
      ? pulumi.output(parsed.kmsKeyArn)
      : customerManagedKey(`${name}-key`, {
          description: `Encrypts the EFS file system ${name} (${pulumi.getStack()})`,
          statements: [],
          tags,
          parent: this,
        }).arn;

    const fileSystem = new aws.efs.FileSystem(
      name,
      {
        encrypted: true,
        kmsKeyId: kmsKeyArn,
        performanceMode: parsed.performanceMode,
        throughputMode: parsed.throughputMode,
        provisionedThroughputInMibps: parsed.provisionedThroughputInMibps,
        lifecyclePolicies: [
          ...(parsed.transitionToIa ? [{ transitionToIa: parsed.transitionToIa }] : []),
          ...(parsed.transitionToPrimaryStorageClass
            ? [{ transitionToPrimaryStorageClass: parsed.transitionToPrimaryStorageClass }]
            : []),
        ],
        tags: { ...tags, Name: name },
      },
      child,
    );

    new aws.efs.BackupPolicy(
      `${name}-backup`,
      { fileSystemId: fileSystem.id, backupPolicy: { status: parsed.backups ? "ENABLED" : "DISABLED" } },
      child,
    );

    const serverGroup = new aws.ec2.SecurityGroup(
      `${name}-server`,
      {
        vpcId: parsed.vpcId,
        description: `EFS ${name} mount targets: NFS only from the client security group`,
        tags,
      },
      child,
    );
    const clientGroup = new aws.ec2.SecurityGroup(
      `${name}-client`,
      { vpcId: parsed.vpcId, description: `Attach to reach EFS ${name} over NFS`, tags },
      child,
    );
    const nfs = { ipProtocol: "tcp", fromPort: NFS_PORT, toPort: NFS_PORT, tags };
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-nfs-from-clients`,
      {
        ...nfs,
        securityGroupId: serverGroup.id,
        referencedSecurityGroupId: clientGroup.id,
        description: "NFS from the client security group",
      },
      child,
    );
    for (const [groupName, groupId] of Object.entries(parsed.allowedSecurityGroups)) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-nfs-from-${groupName}`,
        {
          ...nfs,
          securityGroupId: serverGroup.id,
          referencedSecurityGroupId: groupId,
          description: `NFS from ${groupName}`,
        },
        child,
      );
    }
    // Clients need no other rule to reach NFS, whatever egress their own groups allow.
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-clients-to-nfs`,
      {
        ...nfs,
        securityGroupId: clientGroup.id,
        referencedSecurityGroupId: serverGroup.id,
        description: "NFS to the file system's mount targets",
      },
      child,
    );

    parsed.subnetIds.forEach((subnetId, index) => {
      new aws.efs.MountTarget(
        `${name}-mount-${index}`,
        { fileSystemId: fileSystem.id, subnetId, securityGroups: [serverGroup.id] },
        child,
      );
    });

    const accessPoints = parsed.accessPoints.map(
      (point) =>
        [
          point.name,
          new aws.efs.AccessPoint(
            `${name}-${point.name}`,
            {
              fileSystemId: fileSystem.id,
              posixUser: { uid: point.uid, gid: point.gid, secondaryGids: point.secondaryGids },
              rootDirectory: {
                path: point.path,
                creationInfo: { ownerUid: point.uid, ownerGid: point.gid, permissions: point.permissions },
              },
              tags: { ...tags, Name: `${name}-${point.name}` },
            },
            child,
          ),
        ] as const,
    );

    const policy = pulumi
      .all([fileSystem.arn, pulumi.output(parsed.policyStatements ?? [])])
      .apply(([fileSystemArn, statements]) =>
        JSON.stringify(
          fileSystemPolicyDocument({
            fileSystemArn,
            allowAnonymousAccess: parsed.allowAnonymousAccess,
            allowRootAccess: parsed.allowRootAccess,
            callerStatements: statements as ResolvedStatement[],
          }),
        ),
      );
    new aws.efs.FileSystemPolicy(`${name}-policy`, { fileSystemId: fileSystem.id, policy }, child);

    const byName = (pick: (point: aws.efs.AccessPoint) => pulumi.Output<string>) =>
      pulumi
        .all(accessPoints.map(([pointName, point]) => pick(point).apply((value) => [pointName, value] as const)))
        .apply((entries) => Object.fromEntries(entries));

    this.fileSystemId = fileSystem.id;
    this.fileSystemArn = fileSystem.arn;
    this.securityGroupId = serverGroup.id;
    this.clientSecurityGroupId = clientGroup.id;
    this.accessPointIds = byName((point) => point.id);
    this.accessPointArns = byName((point) => point.arn);
    this.registerOutputs({
      fileSystemId: this.fileSystemId,
      fileSystemArn: this.fileSystemArn,
      securityGroupId: this.securityGroupId,
      clientSecurityGroupId: this.clientSecurityGroupId,
      accessPointIds: this.accessPointIds,
      accessPointArns: this.accessPointArns,
    });
  }
}
