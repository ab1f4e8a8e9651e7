import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { Cache } from "../../components/database/cache";
import { cacheConnectPolicy } from "../../components/database/cache-auth";
import { RelationalDatabase } from "../../components/database/relational-database";
import { ComponentArgsError } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const INSTANCE = "aws:rds/instance:Instance";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const network = { vpcId: "vpc-123", subnetIds: ["subnet-a", "subnet-b"] };

/** The `protect` option each child was created with, seen by a transformation on the component. */
function protectRecorder() {
  const protect = new Map<string, boolean | undefined>();
  const transformation: pulumi.ResourceTransformation = ({ type, name, opts }) => {
    protect.set(`${type}::${name}`, opts.protect);
    return undefined;
  };
  return { protect, opts: { transformations: [transformation] } };
}

describe("RelationalDatabase", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("test-data", { "aws:region": "eu-west-1" });
  });

  it("creates an encrypted, private PostgreSQL with a managed master secret by default", async () => {
    const db = new RelationalDatabase("orders", network);
    await engine.settle();
    const [instance] = engine.ofType(INSTANCE);
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/key-orders-key";
    expect(instance?.inputs).toMatchObject({
      engine: "postgres",
      engineVersion: "17",
      instanceClass: "db.t4g.medium",
      port: 5432,
      storageEncrypted: true,
      kmsKeyId: keyArn,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: keyArn,
      publiclyAccessible: false,
      multiAz: false,
      deletionProtection: false,
      backupRetentionPeriod: 7,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "test-data-orders-final",
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: keyArn,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
      autoMinorVersionUpgrade: true,
      iamDatabaseAuthenticationEnabled: true,
      storageType: "gp3",
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      vpcSecurityGroupIds: ["sg-orders-server"],
      dbSubnetGroupName: "orders",
      parameterGroupName: "orders",
      tags: { "stackline:component": "database:RelationalDatabase/orders", "stackline:stack": "test-data" },
    });
    // Never a password: RDS generates it and Secrets Manager keeps it.
    expect(instance?.inputs.password).toBeUndefined();
    expect(instance?.inputs.passwordWo).toBeUndefined();

    const [key] = engine.ofType("aws:kms/key:Key");
    expect(key?.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const [params] = engine.ofType("aws:rds/parameterGroup:ParameterGroup");
    expect(params?.inputs).toMatchObject({ family: "postgres17" });
    expect(params?.inputs.parameters).toEqual([{ name: "rds.force_ssl", value: "1" }]);
    const [subnets] = engine.ofType("aws:rds/subnetGroup:SubnetGroup");
    expect(subnets?.inputs.subnetIds).toEqual(["subnet-a", "subnet-b"]);

    expect(await outputValue(db.secretArn)).toBe("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-orders");
    expect(await outputValue(db.address)).toBe("orders.cabcdefghijk.eu-west-1.rds.amazonaws.com");
    expect(await outputValue(db.endpoint)).toBe("orders.cabcdefghijk.eu-west-1.rds.amazonaws.com:5432");
    expect(await pulumi.isSecret(db.endpoint)).toBe(true);
    expect(await pulumi.isSecret(db.address)).toBe(true);
    expect(await pulumi.isSecret(db.port)).toBe(false);
    expect(await outputValue(db.port)).toBe(5432);
    expect(await outputValue(db.kmsKeyArn)).toBe(keyArn);
    expect(await outputValue(db.instanceArn)).toBe("arn:aws:rds:eu-west-1:123456789012:instance/orders");
    expect(await outputValue(db.securityGroupId)).toBe("sg-orders-server");
    expect(await outputValue(db.clientSecurityGroupId)).toBe("sg-orders-client");
  });

  it("is reachable only from its client group and the named groups, on its port, never from a CIDR", async () => {
    new RelationalDatabase("orders", { ...network, allowedSecurityGroupIds: ["sg-bastion", pulumi.output("sg-jobs")] });
    await engine.settle();
    const ingress = engine.ofType(INGRESS);
    expect(ingress.map((r) => r.inputs.referencedSecurityGroupId).sort()).toEqual([
      "sg-bastion",
      "sg-jobs",
      "sg-orders-client",
    ]);
    for (const rule of ingress) {
      expect(rule.inputs).toMatchObject({
        securityGroupId: "sg-orders-server",
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
      });
      expect(rule.inputs.cidrIpv4).toBeUndefined();
      expect(rule.inputs.cidrIpv6).toBeUndefined();
      expect(rule.inputs.prefixListId).toBeUndefined();
    }
    // Both groups have no inline rules; the client group's only rule is egress to the server.
    for (const group of engine.ofType("aws:ec2/securityGroup:SecurityGroup")) {
      expect(group.inputs).toMatchObject({ vpcId: "vpc-123" });
      expect(group.inputs.ingress).toBeUndefined();
      expect(group.inputs.egress).toBeUndefined();
    }
    expect(engine.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        securityGroupId: "sg-orders-client",
        referencedSecurityGroupId: "sg-orders-server",
        fromPort: 5432,
        toPort: 5432,
      }),
    ]);
  });

  it("turns on Multi-AZ and deletion protection for production, and protects the instance and key when asked", async () => {
    const recorder = protectRecorder();
    new RelationalDatabase("orders", { ...network, production: true, protect: true }, recorder.opts);
    await engine.settle();
    expect(engine.ofType(INSTANCE)[0]?.inputs).toMatchObject({ multiAz: true, deletionProtection: true });
    expect(recorder.protect.get(`${INSTANCE}::orders`)).toBe(true);
    expect(recorder.protect.get("aws:kms/key:Key::orders-key")).toBe(true);
    // Security groups and rules are cheap to recreate and stay unprotected.
    expect(recorder.protect.get("aws:ec2/securityGroup:SecurityGroup::orders-server")).toBeUndefined();
  });

  it("leaves the instance unprotected by default", async () => {
    const recorder = protectRecorder();
    new RelationalDatabase("orders", network, recorder.opts);
    await engine.settle();
    expect(recorder.protect.get(`${INSTANCE}::orders`)).toBe(false);
    expect(recorder.protect.get("aws:kms/key:Key::orders-key")).toBe(false);
  });

  it("takes overrides: MySQL, a given key, production without Multi-AZ, more backups and storage", async () => {
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/shared";
    const db = new RelationalDatabase("legacy", {
      ...network,
      engine: "mysql",
      kmsKeyArn: keyArn,
      production: true,
      multiAz: false,
      backupRetentionDays: 30,
      instanceClass: "db.r7g.large",
      allocatedStorage: 100,
      maxAllocatedStorage: 500,
      masterUsername: "owner",
      databaseName: "legacy",
      tags: { team: "billing" },
    });
    await engine.settle();
    expect(engine.ofType("aws:kms/key:Key")).toHaveLength(0);
    const [instance] = engine.ofType(INSTANCE);
    expect(instance?.inputs).toMatchObject({
      engine: "mysql",
      engineVersion: "8.4",
      port: 3306,
      kmsKeyId: keyArn,
      masterUserSecretKmsKeyId: keyArn,
      performanceInsightsKmsKeyId: keyArn,
      multiAz: false,
      deletionProtection: true,
      backupRetentionPeriod: 30,
      instanceClass: "db.r7g.large",
      allocatedStorage: 100,
      maxAllocatedStorage: 500,
      username: "owner",
      dbName: "legacy",
      enabledCloudwatchLogsExports: ["error", "general", "slowquery"],
      tags: { team: "billing" },
    });
    const [params] = engine.ofType("aws:rds/parameterGroup:ParameterGroup");
    expect(params?.inputs.family).toBe("mysql8.4");
    expect(params?.inputs.parameters).toContainEqual({ name: "require_secure_transport", value: "ON" });
    expect(engine.ofType(INGRESS).every((r) => r.inputs.fromPort === 3306)).toBe(true);
    expect(await outputValue(db.kmsKeyArn)).toBe(keyArn);
  });

  it("accepts the subnets as one Output of a list, as an upstream stack gives them", async () => {
    new RelationalDatabase("orders", { vpcId: pulumi.output("vpc-1"), subnetIds: pulumi.output(["s-1", "s-2"]) });
    await engine.settle();
    expect(engine.ofType("aws:rds/subnetGroup:SubnetGroup")[0]?.inputs.subnetIds).toEqual(["s-1", "s-2"]);
  });

  it("refuses short backups, a password, CIDR-like input and bad storage before creating anything", async () => {
    let error: unknown;
    try {
      new RelationalDatabase("bad", {
        vpcId: "vpc-123",
        subnetIds: ["subnet-a"],
        backupRetentionDays: 1,
        allocatedStorage: 200,
        engine: "oracle",
        password: "hunter2",
        allowedSecurityGroupIds: ["sg-app", "0.0.0.0/0"],
      } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    const { problems, message } = error as ComponentArgsError;
    expect(problems).toEqual([
      { path: "subnetIds", expected: "length at least 2", found: '["subnet-a"]' },
      {
        path: "allowedSecurityGroupIds.1",
        expected: "a security group id like sg-0123456789abcdef0",
        found: '"0.0.0.0/0"',
      },
      { path: "engine", expected: 'one of "postgres", "mysql"', found: '"oracle"' },
      { path: "backupRetentionDays", expected: "at least 7", found: "1" },
      {
        path: "password",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: '"hunter2"',
      },
    ]);
    expect(message).toContain("Invalid arguments for stackline:database:RelationalDatabase 'bad'");
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses a storage ceiling below the allocation and a MySQL version without its minor part", async () => {
    const error = (() => {
      try {
        new RelationalDatabase("bad", { ...network, engine: "mysql", engineVersion: "8", allocatedStorage: 200 });
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as ComponentArgsError).problems).toEqual([
      {
        path: "maxAllocatedStorage",
        expected: "more than allocatedStorage (200 GiB), so storage autoscaling has room to grow (default 100)",
        found: "nothing (not set)",
      },
      { path: "engineVersion", expected: "a mysql version with major and minor parts, like 8.4", found: '"8"' },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});

describe("the database module's documented example (README.md)", () => {
  it("runs as written: a production PostgreSQL and a cache in upstream subnets", async () => {
    const engine = await mockEngine("prod-data", { "aws:region": "eu-west-1" });
    const network = {
      vpcId: pulumi.output("vpc-0abc"),
      isolatedSubnetIds: pulumi.output(["subnet-a", "subnet-b", "subnet-c"]),
    };
    // --- example start ---
    const db = new RelationalDatabase("orders", {
      vpcId: network.vpcId,
      subnetIds: network.isolatedSubnetIds,
      production: true, // Multi-AZ and deletion protection
      protect: true, // Pulumi refuses to delete or replace the instance and its key
      backupRetentionDays: 14,
      allowedSecurityGroupIds: ["sg-0123456789abcdef0"], // e.g. a bastion
    });
    const cache = new Cache("sessions", { vpcId: network.vpcId, subnetIds: network.isolatedSubnetIds });
    const connect = pulumi.jsonStringify(
      pulumi.all([cache.arn, cache.userArn]).apply(([groupArn, userArn]) => cacheConnectPolicy(groupArn, userArn)),
    );
    // --- example end ---
    await engine.settle();
    expect(engine.ofType(INSTANCE)[0]?.inputs).toMatchObject({
      multiAz: true,
      deletionProtection: true,
      backupRetentionPeriod: 14,
    });
    expect(await outputValue(db.clientSecurityGroupId)).toBe("sg-orders-client");
    expect(JSON.parse(await outputValue(connect)).Statement[0].Resource).toEqual([
      "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions",
      "arn:aws:elasticache:eu-west-1:123456789012:user:prod-data-sessions-app",
    ]);
  });
});
