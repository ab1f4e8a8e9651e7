import { describe, expect, it } from "vitest";
import { cacheConnectPolicy, cacheUserPlan } from "../../components/database/cache-auth";
import {
  cacheVersionProblem,
  ENGINE_SETTINGS,
  engineVersionProblem,
  parameterGroupFamily,
} from "../../components/database/engines";
import { awsIdentifier, finalSnapshotIdentifier } from "../../components/database/names";

describe("database planning", () => {
  it("names parameter group families from the engine version", () => {
    expect(parameterGroupFamily("postgres", "17")).toBe("postgres17");
    expect(parameterGroupFamily("postgres", "16.4")).toBe("postgres16");
    expect(parameterGroupFamily("mysql", "8.4")).toBe("mysql8.4");
    expect(parameterGroupFamily("mysql", "8.0.39")).toBe("mysql8.0");
  });

  it("pins default major versions and requires TLS through each engine's parameter", () => {
    expect(ENGINE_SETTINGS.postgres).toMatchObject({ defaultVersion: "17", port: 5432 });
    expect(ENGINE_SETTINGS.postgres.parameters).toContainEqual({ name: "rds.force_ssl", value: "1" });
    expect(ENGINE_SETTINGS.mysql).toMatchObject({ defaultVersion: "8.4", port: 3306 });
    expect(ENGINE_SETTINGS.mysql.parameters).toContainEqual({ name: "require_secure_transport", value: "ON" });
    expect(ENGINE_SETTINGS.mysql.logExports).toEqual(["error", "general", "slowquery"]);
  });

  it("refuses engine versions that name no parameter group family", () => {
    expect(engineVersionProblem("postgres", "17")).toBeUndefined();
    expect(engineVersionProblem("mysql", "8.0.39")).toBeUndefined();
    expect(engineVersionProblem("mysql", "8")).toBe("a mysql version with major and minor parts, like 8.4");
    expect(engineVersionProblem("postgres", "latest")).toMatch(/^a version like 17/);
  });

  it("accepts only cache versions that support IAM authentication", () => {
    expect(cacheVersionProblem("valkey", "8.0")).toBeUndefined();
    expect(cacheVersionProblem("valkey", "7.2")).toBeUndefined();
    expect(cacheVersionProblem("valkey", "7.1")).toBe("valkey 7.2 or later (IAM authentication needs it)");
    expect(cacheVersionProblem("redis", "7.1")).toBeUndefined();
    expect(cacheVersionProblem("redis", "6.2")).toBe("redis 7.0 or later (IAM authentication needs it)");
    expect(cacheVersionProblem("redis", "7")).toMatch(/^a major.minor version/);
  });

  it("makes AWS identifiers: lower-case, single hyphens, a leading letter, cut with a hash when long", () => {
    expect(awsIdentifier(["Prod-Data", "main__db"], 255)).toBe("prod-data-main-db");
    expect(awsIdentifier(["1st", "db"], 255)).toBe("x-1st-db");
    const long = awsIdentifier(["staging-data", "a-very-long-component-name-indeed"], 40);
    expect(long).toHaveLength(40);
    expect(long).toMatch(/^staging-data-a-very-long-compo[a-z-]*-[0-9a-f]{8}$/);
    expect(awsIdentifier(["staging-data", "a-very-long-component-name-too"], 40)).not.toBe(long);
  });

  it("gives final snapshots a deterministic name per stack and component", () => {
    expect(finalSnapshotIdentifier("prod-data", "main")).toBe("prod-data-main-final");
    expect(finalSnapshotIdentifier("prod-data", "main")).toBe(finalSnapshotIdentifier("prod-data", "main"));
  });

  it("plans cache user ids within 40 characters, the IAM user's name equal to its id", () => {
    const plan = cacheUserPlan("prod-data", "sessions");
    expect(plan).toEqual({
      userGroupId: "prod-data-sessions",
      defaultUserId: "prod-data-sessions-default",
      appUserId: "prod-data-sessions-app",
    });
    for (const id of Object.values(cacheUserPlan("staging-data", "x".repeat(60)))) {
      expect(id.length).toBeLessThanOrEqual(40);
      expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
    }
  });

  it("grants elasticache:Connect on that cache and that user only", () => {
    const rg = "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:cache";
    const user = "arn:aws:elasticache:eu-west-1:123456789012:user:prod-data-cache-app";
    expect(cacheConnectPolicy(rg, user).Statement).toEqual([
      { Sid: "ConnectAsCacheUser", Effect: "Allow", Action: ["elasticache:Connect"], Resource: [rg, user] },
    ]);
  });
});
