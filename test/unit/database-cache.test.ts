import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { Cache } from "../../components/database/cache";
import { ComponentArgsError } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const USER = "aws:elasticache/user:User";
const network = { vpcId: "vpc-123", subnetIds: ["subnet-a", "subnet-b"] };

describe("Cache", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("test-data", { "aws:region": "eu-west-1" });
  });

  it("creates an encrypted, highly available Valkey that only an IAM user can use", async () => {
    const cache = new Cache("sessions", network);
    await engine.settle();
    const [group] = engine.ofType(GROUP);
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/key-sessions-key";
    expect(group?.inputs).toMatchObject({
      engine: "valkey",
      engineVersion: "8.0",
      nodeType: "cache.t4g.small",
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: 6379,
      atRestEncryptionEnabled: true,
      kmsKeyId: keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: ["test-data-sessions"],
      snapshotRetentionLimit: 7,
      finalSnapshotIdentifier: "test-data-sessions-final",
      autoMinorVersionUpgrade: true,
      subnetGroupName: "sessions",
      securityGroupIds: ["sg-sessions-server"],
      logDeliveryConfigurations: [
        {
          destination: "/stackline/test-data/cache/sessions/slow-log",
          destinationType: "cloudwatch-logs",
          logFormat: "json",
          logType: "slow-log",
        },
      ],
      tags: { "stackline:component": "database:Cache/sessions" },
    });
    // The slow log is encrypted with its own key, which only CloudWatch Logs may use.
    const [slowLog] = engine.ofType("aws:cloudwatch/logGroup:LogGroup");
    expect(slowLog?.inputs.kmsKeyId).toBe("arn:aws:kms:eu-west-1:123456789012:key/key-sessions-slow-log");
    // No shared secret anywhere: no AUTH token and no user password.
    expect(group?.inputs.authToken).toBeUndefined();
    expect(group?.inputs.authTokenWo).toBeUndefined();
    const users = engine.ofType(USER);
    for (const user of users) {
      expect(user.inputs.passwords).toBeUndefined();
      expect(user.inputs.passwordsWo).toBeUndefined();
    }
    // The default user every user group needs is switched off; the application user signs in with IAM.
    expect(users.map((u) => u.inputs).sort((a, b) => String(a.userId).localeCompare(String(b.userId)))).toEqual([
      expect.objectContaining({
        userId: "test-data-sessions-app",
        userName: "test-data-sessions-app",
        accessString: "on ~* +@all",
        authenticationMode: { type: "iam" },
      }),
      expect.objectContaining({
        userId: "test-data-sessions-default",
        userName: "default",
        accessString: "off -@all",
        authenticationMode: { type: "no-password-required" },
      }),
    ]);
    const [userGroup] = engine.ofType("aws:elasticache/userGroup:UserGroup");
    expect([...((userGroup?.inputs.userIds ?? []) as string[])].sort()).toEqual([
      "test-data-sessions-app",
      "test-data-sessions-default",
    ]);
    const [log] = engine.ofType("aws:cloudwatch/logGroup:LogGroup");
    expect(log?.inputs.retentionInDays).toBe(30);
    expect(engine.ofType("aws:kms/key:Key")[0]?.inputs).toMatchObject({ enableKeyRotation: true });
    const [subnets] = engine.ofType("aws:elasticache/subnetGroup:SubnetGroup");
    expect(subnets?.inputs.subnetIds).toEqual(["subnet-a", "subnet-b"]);

    expect(await outputValue(cache.primaryEndpoint)).toBe("master.sessions.abcdef.use1.cache.amazonaws.com");
    expect(await outputValue(cache.readerEndpoint)).toBe("replica.sessions.abcdef.use1.cache.amazonaws.com");
    expect(await pulumi.isSecret(cache.primaryEndpoint)).toBe(true);
    expect(await pulumi.isSecret(cache.readerEndpoint)).toBe(true);
    expect(await outputValue(cache.port)).toBe(6379);
    expect(await outputValue(cache.arn)).toBe("arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions");
    expect(await outputValue(cache.userName)).toBe("test-data-sessions-app");
    expect(await outputValue(cache.userArn)).toBe(
      "arn:aws:elasticache:eu-west-1:123456789012:user:test-data-sessions-app",
    );
    expect(await outputValue(cache.securityGroupId)).toBe("sg-sessions-server");
    expect(await outputValue(cache.clientSecurityGroupId)).toBe("sg-sessions-client");
    expect(await outputValue(cache.kmsKeyArn)).toBe(keyArn);
  });

  it("lets in only its client group and the named groups on the cache port", async () => {
    new Cache("sessions", { ...network, allowedSecurityGroupIds: ["sg-worker"], port: 6380 });
    await engine.settle();
    const ingress = engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.map((r) => r.inputs.referencedSecurityGroupId).sort()).toEqual(["sg-sessions-client", "sg-worker"]);
    for (const rule of ingress) {
      expect(rule.inputs).toMatchObject({ securityGroupId: "sg-sessions-server", fromPort: 6380, toPort: 6380 });
      expect(rule.inputs.cidrIpv4).toBeUndefined();
    }
    expect(engine.ofType(GROUP)[0]?.inputs.port).toBe(6380);
  });

  it("takes overrides: Redis OSS, one node without failover, a given key, protection, longer retention", async () => {
    const protect = new Map<string, boolean | undefined>();
    const deleteFirst = new Map<string, boolean | undefined>();
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/shared";
    new Cache(
      "sessions",
      {
        ...network,
        engine: "redis",
        numCacheClusters: 1,
        automaticFailover: false,
        kmsKeyArn: keyArn,
        protect: true,
        snapshotRetentionDays: 14,
        logRetentionDays: 90,
        accessString: "on ~sessions:* +@read +@write",
      },
      {
        transformations: [
          ({ type, name, opts }) => {
            protect.set(`${type}::${name}`, opts.protect);
            deleteFirst.set(`${type}::${name}`, (opts as pulumi.CustomResourceOptions).deleteBeforeReplace);
            return undefined;
          },
        ],
      },
    );
    await engine.settle();
    expect(engine.ofType(GROUP)[0]?.inputs).toMatchObject({
      engine: "redis",
      engineVersion: "7.1",
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      kmsKeyId: keyArn,
      snapshotRetentionLimit: 14,
    });
    // The given key encrypts the data; the only key created is the slow log's own.
    expect(engine.ofType("aws:kms/key:Key").map((key) => key.name)).toEqual(["sessions-slow-log"]);
    expect(engine.ofType("aws:cloudwatch/logGroup:LogGroup")[0]?.inputs.retentionInDays).toBe(90);
    expect(engine.ofType(USER).map((u) => u.inputs.accessString)).toContain("on ~sessions:* +@read +@write");
    expect(protect.get(`${GROUP}::sessions`)).toBe(true);
    expect(protect.get("aws:elasticache/subnetGroup:SubnetGroup::sessions")).toBeUndefined();
    // Users and the user group have fixed ids, so a replacement deletes the old one first.
    expect(deleteFirst.get(`${USER}::sessions-app-user`)).toBe(true);
    expect(deleteFirst.get(`${USER}::sessions-default-user`)).toBe(true);
    expect(deleteFirst.get("aws:elasticache/userGroup:UserGroup::sessions")).toBe(true);
  });

  it("refuses failover with one node, old engines and unknown fields before creating anything", async () => {
    let error: unknown;
    try {
      new Cache("bad", {
        ...network,
        numCacheClusters: 1,
        engineVersion: "6.2",
        engine: "redis",
        logRetentionDays: 10,
        authToken: "swordfish",
      } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as ComponentArgsError).problems).toEqual([
      { path: "logRetentionDays", expected: expect.stringMatching(/^one of 1, 3, 5, 7, 14, 30/), found: "10" },
      {
        path: "authToken",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: '"swordfish"',
      },
      {
        path: "numCacheClusters",
        expected:
          "at least 2 while automaticFailover is on (a replica to fail over to); or set automaticFailover: false",
        found: "1",
      },
      { path: "engineVersion", expected: "redis 7.0 or later (IAM authentication needs it)", found: '"6.2"' },
    ]);
    expect((error as Error).message).toContain("Invalid arguments for stackline:database:Cache 'bad'");
    expect(await engine.settle()).toHaveLength(0);
  });
});
