import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { StackConfigError } from "../../stacks/config";
import program from "../../stacks/storage";
import { checkPrivateSubnetIds, checkVpcId } from "../../stacks/storage/network-inputs";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const BUCKET = "aws:s3/bucket:Bucket";
const FILE_SYSTEM = "aws:efs/fileSystem:FileSystem";
const MOUNT = "aws:efs/mountTarget:MountTarget";
const zones = { dev: 2, staging: 3, prod: 3 } as const;
type Env = keyof typeof zones;

function networkOutputs(env: string, subnetCount: number) {
  const privateSubnetIds = Array.from({ length: subnetCount }, (_, i) => `subnet-private-${i}`);
  return { [`organization/stackline/${env}-network`]: { vpcId: `vpc-${env}`, privateSubnetIds } };
}

function exampleConfig(env: string): Record<string, unknown> {
  return (parse(readFileSync(`stacks/Pulumi.${env}-storage.yaml`, "utf8")) as { config: Record<string, unknown> })
    .config;
}

interface LayerRun {
  engine: MockedEngine;
  outputs: Record<string, unknown>;
  /** The `protect` flag the engine received for each resource (after inheritance from parents), by name. */
  protect: Map<string, boolean>;
}

/**
 * Records what the engine receives beyond inputs at the mock monitor: the shared mocks pass only
 * inputs to newResource, and a child's inherited `protect` is only visible on the wire.
 */
function recordProtect(): Map<string, boolean> {
  const protect = new Map<string, boolean>();
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: { getName(): string; getProtect(): boolean }, callback: unknown): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    protect.set(req.getName(), req.getProtect());
    return original(req, callback);
  };
  return protect;
}

async function runLayer(env: Env, config = exampleConfig(env), subnets: number = zones[env]): Promise<LayerRun> {
  const engine = await mockEngine(`${env}-storage`, config, networkOutputs(env, subnets));
  const protect = recordProtect();
  const outputs = await program({ stack: `${env}-storage`, environment: env, layer: "storage" });
  await engine.settle();
  return { engine, outputs, protect };
}

const value = (output: unknown) => outputValue(output as pulumi.Output<unknown>);

describe("the storage layer", () => {
  it("dev: a log bucket, an assets bucket logging into it, EFS in both private subnets, nothing protected", async () => {
    const { engine, outputs, protect } = await runLayer("dev");
    expect(engine.ofType("pulumi:pulumi:StackReference").map((r) => r.name)).toEqual([
      "organization/stackline/dev-network",
    ]);
    expect(engine.ofType(BUCKET).map((b) => [b.name, b.inputs.forceDestroy])).toEqual([
      ["access-logs", true],
      ["assets", true],
    ]);
    expect(await value(outputs.assetsBucketName)).toBe("assets-a1b2c3d");
    expect(await value(outputs.assetsBucketArn)).toBe("arn:aws:s3:::assets-a1b2c3d");
    expect(await value(outputs.accessLogsBucketName)).toBe("access-logs-a1b2c3d");
    expect(await value(outputs.fileSystemId)).toBe("fs-files");
    expect(await value(outputs.fileSystemClientSecurityGroupId)).toBe("sg-files-client");
    expect(await value(outputs.fileSystemAccessPointIds)).toEqual({ app: "fsap-files-app" });

    expect(engine.ofType("aws:s3/bucketLogging:BucketLogging").map((l) => l.inputs)).toEqual([
      { bucket: "assets-a1b2c3d", targetBucket: "access-logs-a1b2c3d", targetPrefix: "assets/" },
    ]);
    const encryption = engine.ofType(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    expect(
      encryption.map((e) => [e.name, (e.inputs.rules as { applyServerSideEncryptionByDefault: unknown }[])[0]]),
    ).toEqual([
      ["access-logs-encryption", { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      [
        "assets-encryption",
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/key-assets-key",
          },
          bucketKeyEnabled: true,
        },
      ],
    ]);
    // The log bucket accepts S3's deliveries from the assets bucket only (its ARN, resolved later).
    const logPolicy = engine.ofType("aws:s3/bucketPolicy:BucketPolicy").find((p) => p.name === "access-logs-policy");
    const delivery = (JSON.parse(String(logPolicy?.inputs.policy)) as { Statement: { Sid: string }[] }).Statement.find(
      (s) => s.Sid === "AllowS3ServerAccessLogs",
    );
    expect(delivery).toMatchObject({
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": ["arn:aws:s3:::assets-a1b2c3d"] },
      },
    });
    const lifecycles = engine.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
    expect(lifecycles.find((l) => l.name === "access-logs-lifecycle")?.inputs.rules).toContainEqual({
      id: "expire-access-logs",
      status: "Enabled",
      filter: { prefix: "" },
      expiration: { days: 30 },
    });
    expect(lifecycles.find((l) => l.name === "assets-lifecycle")?.inputs.rules).toContainEqual(
      expect.objectContaining({ id: "expire-noncurrent-versions", noncurrentVersionExpiration: { noncurrentDays: 7 } }),
    );

    expect(engine.ofType(MOUNT).map((m) => m.inputs.subnetId)).toEqual(["subnet-private-0", "subnet-private-1"]);
    expect(engine.ofType("aws:ec2/securityGroup:SecurityGroup").map((g) => g.inputs.vpcId)).toEqual([
      "vpc-dev",
      "vpc-dev",
    ]);
    expect(engine.ofType(FILE_SYSTEM)[0]?.inputs).toMatchObject({ encrypted: true, tags: { team: "platform" } });
    expect([...protect.values()].some(Boolean)).toBe(false);
  });

  it("staging: three mount targets, buckets kept on destroy", async () => {
    const { engine } = await runLayer("staging");
    expect(engine.ofType(BUCKET).every((b) => b.inputs.forceDestroy === false)).toBe(true);
    expect(engine.ofType(MOUNT)).toHaveLength(3);
  });

  it("prod: buckets, file system and their keys protected, never force-destroyed", async () => {
    const { engine, protect } = await runLayer("prod");
    expect(engine.ofType(BUCKET).every((b) => b.inputs.forceDestroy === false)).toBe(true);
    for (const name of ["access-logs", "assets", "assets-key", "files", "files-key", "files-mount-2", "files-app"]) {
      expect(protect.get(name), name).toBe(true);
    }
    expect(engine.ofType(MOUNT)).toHaveLength(3);
    const assetsRules = engine
      .ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
      .find((l) => l.name === "assets-lifecycle")?.inputs.rules as { id: string }[];
    expect(assetsRules.map((r) => r.id)).toEqual([
      "abort-incomplete-multipart-uploads",
      "expire-noncurrent-versions",
      "assets-to-infrequent-access",
    ]);
  });

  it("can leave the file system out, reading nothing from the network", async () => {
    const { engine, outputs } = await runLayer("dev", {
      ...exampleConfig("dev"),
      "stackline:fileSystem": { enabled: false },
    });
    expect(engine.ofType(FILE_SYSTEM)).toHaveLength(0);
    expect(engine.ofType("pulumi:pulumi:StackReference")).toHaveLength(0);
    expect(outputs.fileSystemId).toBeUndefined();
    expect(await value(outputs.assetsBucketArn)).toBe("arn:aws:s3:::assets-a1b2c3d");
  });

  it("stops on bad config before registering any resource, naming each key", async () => {
    const engine = await mockEngine("dev-storage", {
      "stackline:assets": { bucketName: "Assets", lifecycle: { noncurrentVersionExpirationDays: 0 } },
      "stackline:fileSystem": { throughputMode: "fast", mountTargets: 0 },
      "stackline:bucket": {},
    });
    const error = await program({ stack: "dev-storage", environment: "dev", layer: "storage" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as StackConfigError).problems).toEqual([
      {
        key: "stackline:assets.bucketName",
        expected:
          "an S3 bucket name: 3-63 lower-case letters, digits and '-', starting and ending with a letter or digit",
        found: '"Assets"',
      },
      { key: "stackline:assets.lifecycle.noncurrentVersionExpirationDays", expected: "at least 1", found: "0" },
      { key: "stackline:fileSystem.mountTargets", expected: "at least 1", found: "0" },
      {
        key: "stackline:fileSystem.throughputMode",
        expected: 'one of "elastic", "bursting", "provisioned"',
        found: '"fast"',
      },
      {
        key: "stackline:bucket",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: "{}",
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses forceDestroy in production", async () => {
    const engine = await mockEngine("prod-storage", { ...exampleConfig("prod"), "stackline:forceDestroy": true });
    const error = await program({ stack: "prod-storage", environment: "prod", layer: "storage" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as StackConfigError).problems).toEqual([
      {
        key: "stackline:forceDestroy",
        expected: "false (a production bucket is never emptied by pulumi destroy)",
        found: "true",
      },
    ]);
    expect((error as Error).message).toContain("stacks/Pulumi.prod-storage.yaml");
    expect(await engine.settle()).toHaveLength(0);
  });
});

describe("the storage layer's network inputs", () => {
  it("explain an undeployed network or a mount target count that does not match its zones", () => {
    expect(checkVpcId("vpc-1", "dev-network")).toBe("vpc-1");
    expect(() => checkVpcId(undefined, "dev-network")).toThrow(
      "The storage layer needs output 'vpcId' of stack 'dev-network' as a VPC id, found nothing: deploy the network layer",
    );
    expect(checkPrivateSubnetIds(["a", "b"], 2, "dev-network")).toEqual(["a", "b"]);
    expect(() => checkPrivateSubnetIds(["a", "b"], 3, "dev-network")).toThrow(
      "Stack 'dev-network' has 2 private subnets but stackline:fileSystem.mountTargets is 3",
    );
    expect(() => checkPrivateSubnetIds("subnet-a", 1, "dev-network")).toThrow("as a list of subnet ids");
  });
});
