import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** The example environments shipped in stacks/, and realistic outputs of their upstream stacks. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Env = (typeof ENVIRONMENTS)[number];

/** The AWS layers, upstream first. */
export const AWS_LAYERS = ["network", "data", "storage", "compute", "edge"] as const;

export const SECRET_ARN =
  "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0f3e5c2a-7b1d-4e9f-8a6c-2d4b6e8f0a1c-AbCdEf";
export const DATABASE_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8877-665544332211";
export const ASSETS_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
export const FILE_SYSTEM_ARN = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0";
export const SG = { database: "sg-0db0c11e57a1b2c3d", cache: "sg-0cac4ec11e47a1b2c", files: "sg-0ef5c11e47a1b2c3d" };

export const domainOf = (env: string) => (env === "prod" ? "example.com" : `${env}.example.com`);
export const zoneLetters = (env: string) => (env === "dev" ? ["a", "b"] : ["a", "b", "c"]);

/** What the upstream stacks of an environment export, as their layers would (some outputs compute never reads). */
export function upstreamOutputs(env: string): Record<string, Record<string, unknown>> {
  const subnets = (tier: string) => zoneLetters(env).map((z) => `subnet-0${tier}${z}1b2c3d4e5f6a7`);
  return {
    [`organization/stackline/${env}-network`]: {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      vpcCidrBlock: "10.10.0.0/16",
      availabilityZones: zoneLetters(env).map((z) => `eu-west-1${z}`),
      publicSubnetIds: subnets("0"),
      privateSubnetIds: subnets("1"),
      isolatedSubnetIds: subnets("2"),
      hostedZoneId: "Z04512343EXAMPLE1ABC",
      nameServers: ["ns-1.awsdns-01.org"],
      domainName: domainOf(env),
    },
    [`organization/stackline/${env}-data`]: {
      databaseEndpoint: `database.cabcdefghijk.eu-west-1.rds.amazonaws.com:5432`,
      databasePort: 5432,
      databaseSecretArn: SECRET_ARN,
      databaseKmsKeyArn: DATABASE_KEY_ARN,
      databaseClientSecurityGroupId: SG.database,
      cacheEndpoint: "master.cache.abcdef.euw1.cache.amazonaws.com",
      cacheClientSecurityGroupId: SG.cache,
      cacheUserName: `${env}-data-cache-app`,
      cacheArn: `arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:${env}-data-cache`,
      cacheUserArn: `arn:aws:elasticache:eu-west-1:123456789012:user:${env}-data-cache-app`,
    },
    [`organization/stackline/${env}-storage`]: {
      assetsBucketName: "assets-7f3a9c1",
      assetsBucketArn: "arn:aws:s3:::assets-7f3a9c1",
      assetsKmsKeyArn: ASSETS_KEY_ARN,
      accessLogsBucketName: "access-logs-2b8e4d0",
      fileSystemId: "fs-0123456789abcdef0",
      fileSystemArn: FILE_SYSTEM_ARN,
      fileSystemClientSecurityGroupId: SG.files,
      fileSystemAccessPointIds: { app: "fsap-0fedcba9876543210" },
    },
    [`organization/stackline/${env}-compute`]: {
      loadBalancerDnsName: `${env}-api-1234567890.eu-west-1.elb.amazonaws.com`,
      loadBalancerZoneId: "Z32O12XQLNTSW2",
      loadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/${env}-api/50dc6c495c0c9188`,
      serviceSecurityGroupId: "sg-0a9b8c7d6e5f40312",
      clusterName: `${env}-compute-api`,
    },
  };
}

/** A layer's example config as the engine would pass it (`stacks/Pulumi.<env>-<layer>.yaml`). */
export function exampleConfig(env: string, layer: string): Record<string, unknown> {
  const file = path.join(__dirname, "..", "..", "..", "stacks", `Pulumi.${env}-${layer}.yaml`);
  return (parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;
}
