import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { SecureFileSystem } from "../../components/storage/file-system";
import { ComponentArgsError } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

const network = { vpcId: "vpc-main", subnetIds: ["subnet-a", "subnet-b", "subnet-c"] };
const FS_ARN = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-shared";

describe("SecureFileSystem", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-storage", { "aws:region": "eu-west-1" });
  });

  it("is encrypted, TLS- and IAM-only, reachable from its client group, with an app access point", async () => {
    const fs = new SecureFileSystem("shared", network);
    expect(await outputValue(fs.fileSystemId)).toBe("fs-shared");
    expect(await outputValue(fs.fileSystemArn)).toBe(FS_ARN);
    expect(await outputValue(fs.securityGroupId)).toBe("sg-shared-server");
    expect(await outputValue(fs.clientSecurityGroupId)).toBe("sg-shared-client");
    expect(await outputValue(fs.accessPointIds)).toEqual({ app: "fsap-shared-app" });
    expect(await outputValue(fs.accessPointArns)).toEqual({
      app: "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-shared-app",
    });
    await engine.settle();

    const [key] = engine.ofType("aws:kms/key:Key");
    expect(key?.inputs).toMatchObject({ enableKeyRotation: true });
    const [fileSystem] = engine.ofType("aws:efs/fileSystem:FileSystem");
    expect(fileSystem?.inputs).toMatchObject({
      encrypted: true,
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/key-shared-key",
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
      tags: { Name: "shared", "stackline:component": "storage:FileSystem/shared" },
    });
    expect(fileSystem?.inputs.provisionedThroughputInMibps).toBeUndefined();
    expect(engine.ofType("aws:efs/backupPolicy:BackupPolicy")[0]?.inputs).toEqual({
      fileSystemId: "fs-shared",
      backupPolicy: { status: "ENABLED" },
    });

    const mounts = engine.ofType("aws:efs/mountTarget:MountTarget");
    expect(mounts.map((m) => [m.name, m.inputs.subnetId, m.inputs.securityGroups])).toEqual([
      ["shared-mount-0", "subnet-a", ["sg-shared-server"]],
      ["shared-mount-1", "subnet-b", ["sg-shared-server"]],
      ["shared-mount-2", "subnet-c", ["sg-shared-server"]],
    ]);
    const groups = engine.ofType("aws:ec2/securityGroup:SecurityGroup");
    expect(groups.map((g) => [g.name, g.inputs.vpcId, g.inputs.ingress, g.inputs.egress])).toEqual([
      ["shared-server", "vpc-main", undefined, undefined],
      ["shared-client", "vpc-main", undefined, undefined],
    ]);
    // NFS only, only between the two groups; never from a CIDR.
    const ingress = engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        securityGroupId: "sg-shared-server",
        referencedSecurityGroupId: "sg-shared-client",
        ipProtocol: "tcp",
        fromPort: 2049,
        toPort: 2049,
      }),
    ]);
    expect(ingress[0]?.inputs.cidrIpv4).toBeUndefined();
    expect(engine.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        securityGroupId: "sg-shared-client",
        referencedSecurityGroupId: "sg-shared-server",
        fromPort: 2049,
        toPort: 2049,
      }),
    ]);

    expect(engine.ofType("aws:efs/accessPoint:AccessPoint")[0]?.inputs).toMatchObject({
      fileSystemId: "fs-shared",
      posixUser: { uid: 1000, gid: 1000, secondaryGids: [] },
      rootDirectory: { path: "/app", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "0750" } },
    });

    const [policy] = engine.ofType("aws:efs/fileSystemPolicy:FileSystemPolicy");
    expect(policy?.inputs.fileSystemId).toBe("fs-shared");
    const statements = (JSON.parse(String(policy?.inputs.policy)) as { Statement: PolicyStatement[] }).Statement;
    expect(statements).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "*",
        Resource: FS_ARN,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "AllowClientsThroughMountTargets",
        Effect: "Allow",
        Principal: { AWS: "*" },
        // No ClientMount (anonymous clients cannot mount) and no ClientRootAccess (root is squashed).
        Action: ["elasticfilesystem:ClientWrite"],
        Resource: FS_ARN,
        Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
      },
    ]);
  });

  it("takes overrides: its key, provisioned throughput, access points, more groups, root access, caller statements", async () => {
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/99999999-2222-3333-4444-555555555555";
    const fs = new SecureFileSystem("media", {
      ...network,
      subnetIds: [pulumi.output("subnet-x")],
      kmsKeyArn: keyArn,
      performanceMode: "maxIO",
      throughputMode: "provisioned",
      provisionedThroughputInMibps: 128,
      transitionToIa: "AFTER_90_DAYS",
      transitionToPrimaryStorageClass: false,
      backups: false,
      accessPoints: [
        { name: "web", uid: 33, gid: 33, path: "/www", permissions: "0755" },
        { name: "jobs", uid: 2000, gid: 2000, secondaryGids: [33], path: "/jobs" },
      ],
      allowedSecurityGroups: { bastion: "sg-bastion" },
      allowRootAccess: true,
      policyStatements: [
        {
          Sid: "AllowAppRoleMount",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:role/app" },
          Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        },
      ],
    });
    expect(await outputValue(fs.accessPointIds)).toEqual({ web: "fsap-media-web", jobs: "fsap-media-jobs" });
    await engine.settle();
    expect(engine.ofType("aws:kms/key:Key")).toHaveLength(0);
    expect(engine.ofType("aws:efs/fileSystem:FileSystem")[0]?.inputs).toMatchObject({
      kmsKeyId: keyArn,
      performanceMode: "maxIO",
      throughputMode: "provisioned",
      provisionedThroughputInMibps: 128,
      lifecyclePolicies: [{ transitionToIa: "AFTER_90_DAYS" }],
    });
    expect(engine.ofType("aws:efs/backupPolicy:BackupPolicy")[0]?.inputs.backupPolicy).toEqual({ status: "DISABLED" });
    expect(engine.ofType("aws:efs/mountTarget:MountTarget").map((m) => m.inputs.subnetId)).toEqual(["subnet-x"]);
    expect(
      engine
        .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .map((r) => [r.name, r.inputs.referencedSecurityGroupId])
        .sort(),
    ).toEqual([
      ["media-nfs-from-bastion", "sg-bastion"],
      ["media-nfs-from-clients", "sg-media-client"],
    ]);
    const points = engine.ofType("aws:efs/accessPoint:AccessPoint");
    expect(points.map((p) => [p.name, p.inputs.posixUser, p.inputs.rootDirectory])).toEqual([
      [
        "media-web",
        { uid: 33, gid: 33, secondaryGids: [] },
        { path: "/www", creationInfo: { ownerUid: 33, ownerGid: 33, permissions: "0755" } },
      ],
      [
        "media-jobs",
        { uid: 2000, gid: 2000, secondaryGids: [33] },
        { path: "/jobs", creationInfo: { ownerUid: 2000, ownerGid: 2000, permissions: "0750" } },
      ],
    ]);
    const policy = engine.ofType("aws:efs/fileSystemPolicy:FileSystemPolicy")[0];
    const statements = (JSON.parse(String(policy?.inputs.policy)) as { Statement: PolicyStatement[] }).Statement;
    expect(statements.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "AllowClientsThroughMountTargets",
      "AllowAppRoleMount",
    ]);
    expect(statements[1]?.Action).toEqual(["elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"]);
    expect(statements[2]?.Resource).toBe("arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-media");
  });

  it("runs the example of README.md", async () => {
    // --- example start ---
    const files = new SecureFileSystem("files", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-private-a", "subnet-private-b"],
      accessPoints: [{ name: "uploads", uid: 1001, gid: 1001, path: "/uploads" }],
      allowedSecurityGroups: { bastion: "sg-0a1b2c3d4e5f60789" },
    });
    // Attach files.clientSecurityGroupId to the task; mount files.accessPointIds.uploads with IAM and TLS.
    // --- example end ---
    expect(await outputValue(files.accessPointIds)).toEqual({ uploads: "fsap-files-uploads" });
    expect(await outputValue(files.clientSecurityGroupId)).toBe("sg-files-client");
    await engine.settle();
    expect(engine.ofType("aws:efs/mountTarget:MountTarget")).toHaveLength(2);
    expect(engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toHaveLength(2);
  });

  it("refuses bad input before creating anything, naming each field", async () => {
    let error: unknown;
    try {
      new SecureFileSystem("bad", {
        vpcId: "vpc-main",
        subnetIds: [],
        performanceMode: "maxIO",
        provisionedThroughputInMibps: 64,
        transitionToIa: "AFTER_2_DAYS",
        accessPoints: [
          { name: "app", uid: -1, gid: 1000, path: "app" },
          { name: "app", uid: 1, gid: 1, path: "/x", permissions: "rwx" },
        ],
        allowedSecurityGroups: { "Bad Name": "sg-1" },
      } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as ComponentArgsError).problems).toEqual([
      { path: "subnetIds", expected: "length at least 1", found: "[]" },
      {
        path: "transitionToIa",
        expected:
          'one of "AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS", or false',
        found: '"AFTER_2_DAYS"',
      },
      { path: "accessPoints.0.uid", expected: "at least 0", found: "-1" },
      { path: "accessPoints.0.path", expected: "an absolute path like /app", found: '"app"' },
      { path: "accessPoints.1.permissions", expected: "an octal mode like 0750", found: '"rwx"' },
      { path: "accessPoints.1.name", expected: "a name used once", found: '"app"' },
      {
        path: "allowedSecurityGroups.Bad Name",
        expected: `a key of lower-case letters, digits and '-', starting with a letter (not "Bad Name")`,
        found: '"sg-1"',
      },
    ]);

    // Cross-field rules run once every field is valid on its own.
    let conflict: unknown;
    try {
      new SecureFileSystem("bad2", { ...network, performanceMode: "maxIO", provisionedThroughputInMibps: 64 });
    } catch (err) {
      conflict = err;
    }
    expect((conflict as ComponentArgsError).problems).toEqual([
      {
        path: "provisionedThroughputInMibps",
        expected: 'nothing (only read with throughputMode "provisioned")',
        found: "64",
      },
      {
        path: "throughputMode",
        expected: '"bursting" or "provisioned" (EFS refuses elastic throughput with maxIO)',
        found: "nothing (not set)",
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});
