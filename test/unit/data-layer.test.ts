import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { StackConfigError } from "../../stacks/config";
import program from "../../stacks/data";
import { checkIsolatedSubnetIds, checkVpcId } from "../../stacks/data/network-inputs";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const INSTANCE = "aws:rds/instance:Instance";
const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const KEY = "aws:kms/key:Key";
const subnets = ["subnet-iso-a", "subnet-iso-b", "subnet-iso-c"];

function networkOutputs(env: string) {
  return { [`organization/stackline/${env}-network`]: { vpcId: `vpc-${env}`, isolatedSubnetIds: subnets } };
}

function exampleConfig(env: string): Record<string, unknown> {
  return (parse(readFileSync(`stacks/Pulumi.${env}-data.yaml`, "utf8")) as { config: Record<string, unknown> }).config;
}

interface LayerRun {
  engine: MockedEngine;
  outputs: Record<string, unknown>;
  /** The `protect` option each resource was created with, by `type::name`. */
  protect: Map<string, boolean | undefined>;
}

/**
 * Runs the layer inside a root stack, as `pulumi up` does, with a stack transformation recording each
 * resource's options: the mocks do not pass resource options to the engine, so `protect` is read there.
 */
async function runLayer(env: string, config: Record<string, unknown> = exampleConfig(env)): Promise<LayerRun> {
  const engine = await mockEngine(`${env}-data`, config, networkOutputs(env));
  const protect = new Map<string, boolean | undefined>();
  let outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(({ type, name, opts }) => {
      protect.set(`${type}::${name}`, opts.protect);
      return undefined;
    });
    outputs = await program({ stack: `${env}-data`, environment: env, layer: "data" });
    return outputs;
  });
  await engine.settle();
  return { engine, outputs, protect };
}

describe("the data layer", () => {
  it("dev: a small single-AZ database without deletion protection and a one-node cache, nothing protected", async () => {
    const { engine, outputs, protect } = await runLayer("dev");
    const [instance] = engine.ofType(INSTANCE);
    expect(instance?.inputs).toMatchObject({
      instanceClass: "db.t4g.small",
      multiAz: false,
      deletionProtection: false,
      backupRetentionPeriod: 7,
      storageEncrypted: true,
      publiclyAccessible: false,
      finalSnapshotIdentifier: "dev-data-database-final",
      tags: { team: "platform", "stackline:environment": "dev", "stackline:stack": "dev-data" },
    });
    expect(engine.ofType(GROUP)[0]?.inputs).toMatchObject({
      nodeType: "cache.t4g.micro",
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      transitEncryptionMode: "required",
    });
    expect(protect.get(`${INSTANCE}::database`)).toBe(false);
    expect(protect.get(`${GROUP}::cache`)).toBe(false);
    expect(await outputValue(outputs.databasePort as pulumi.Output<number>)).toBe(5432);
  });

  it("staging: Multi-AZ database and a failover cache, still deletable", async () => {
    const { engine, protect } = await runLayer("staging");
    expect(engine.ofType(INSTANCE)[0]?.inputs).toMatchObject({
      instanceClass: "db.t4g.medium",
      multiAz: true,
      deletionProtection: false,
    });
    expect(engine.ofType(GROUP)[0]?.inputs).toMatchObject({ numCacheClusters: 2, automaticFailoverEnabled: true });
    expect(protect.get(`${INSTANCE}::database`)).toBe(false);
  });

  it("prod: Multi-AZ, deletion protection, longer backups, and protect on the database, cache and keys", async () => {
    const { engine, protect } = await runLayer("prod");
    expect(engine.ofType(INSTANCE)[0]?.inputs).toMatchObject({
      instanceClass: "db.r7g.large",
      multiAz: true,
      deletionProtection: true,
      backupRetentionPeriod: 30,
      maxAllocatedStorage: 1000,
    });
    expect(engine.ofType(GROUP)[0]?.inputs).toMatchObject({
      nodeType: "cache.r7g.large",
      numCacheClusters: 3,
      multiAzEnabled: true,
      snapshotRetentionLimit: 14,
    });
    expect(protect.get(`${INSTANCE}::database`)).toBe(true);
    expect(protect.get(`${GROUP}::cache`)).toBe(true);
    expect(engine.ofType(KEY).map((key) => protect.get(`${KEY}::${key.name}`))).toEqual([true, true, true]);
  });

  it("places both stores in the network layer's VPC and isolated subnets", async () => {
    const { engine } = await runLayer("prod");
    expect(engine.ofType("aws:rds/subnetGroup:SubnetGroup")[0]?.inputs.subnetIds).toEqual(subnets);
    expect(engine.ofType("aws:elasticache/subnetGroup:SubnetGroup")[0]?.inputs.subnetIds).toEqual(subnets);
    const groups = engine.ofType("aws:ec2/securityGroup:SecurityGroup");
    expect(groups).toHaveLength(4);
    expect(groups.every((g) => g.inputs.vpcId === "vpc-prod")).toBe(true);
    const [reference] = engine.ofType("pulumi:pulumi:StackReference");
    expect(reference?.name).toBe("organization/stackline/prod-network");
  });

  it("exports the declared outputs, endpoints as secrets", async () => {
    const { outputs } = await runLayer("prod");
    const value = (name: string) => outputValue(outputs[name] as pulumi.Output<unknown>);
    expect(await value("databaseEndpoint")).toBe("database.cabcdefghijk.eu-west-1.rds.amazonaws.com:5432");
    expect(await pulumi.isSecret(outputs.databaseEndpoint as pulumi.Output<unknown>)).toBe(true);
    expect(await value("databasePort")).toBe(5432);
    expect(await value("databaseSecretArn")).toBe(
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-database",
    );
    expect(await value("databaseClientSecurityGroupId")).toBe("sg-database-client");
    expect(await value("cacheEndpoint")).toBe("master.cache.abcdef.use1.cache.amazonaws.com");
    expect(await pulumi.isSecret(outputs.cacheEndpoint as pulumi.Output<unknown>)).toBe(true);
    expect(await value("cacheClientSecurityGroupId")).toBe("sg-cache-client");
    expect(await value("cacheUserName")).toBe("prod-data-cache-app");
    for (const name of ["databasePort", "databaseSecretArn", "databaseClientSecurityGroupId"]) {
      expect(await pulumi.isSecret(outputs[name] as pulumi.Output<unknown>)).toBe(false);
    }
  });

  it("refuses bad config with StackConfigError naming each key, before registering anything", async () => {
    const engine = await mockEngine(
      "dev-data",
      {
        "stackline:database": { backupRetentionDays: 3, engine: "oracle", password: "hunter2" },
        "stackline:cache": { numCacheClusters: 1 },
        "stackline:productoin": true,
      },
      networkOutputs("dev"),
    );
    const error = await program({ stack: "dev-data", environment: "dev", layer: "data" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as StackConfigError).problems).toEqual([
      { key: "stackline:database.engine", expected: 'one of "postgres", "mysql"', found: '"oracle"' },
      { key: "stackline:database.backupRetentionDays", expected: "at least 7", found: "3" },
      {
        key: "stackline:database.password",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: '"hunter2"',
      },
      {
        key: "stackline:cache.numCacheClusters",
        expected:
          "at least 2 while automaticFailover is on (a replica to fail over to); or set automaticFailover: false",
        found: "1",
      },
      {
        key: "stackline:productoin",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: "true",
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("checks the network layer's outputs, naming the upstream stack and output when they are unusable", () => {
    expect(checkIsolatedSubnetIds(subnets, "dev-network")).toEqual(subnets);
    expect(checkVpcId("vpc-1", "dev-network")).toBe("vpc-1");
    expect(() => checkIsolatedSubnetIds(["subnet-only-one"], "dev-network")).toThrow(
      "The data layer needs output 'isolatedSubnetIds' of stack 'dev-network' as a list of at least two subnet ids, " +
        'found ["subnet-only-one"]: deploy the network layer',
    );
    expect(() => checkIsolatedSubnetIds(undefined, "dev-network")).toThrow("found nothing");
    expect(() => checkVpcId(42, "prod-network")).toThrow(
      "output 'vpcId' of stack 'prod-network' as a VPC id, found 42",
    );
  });
});
