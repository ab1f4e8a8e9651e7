import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import type { Policies, ResourceValidationPolicy } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { standardTags } from "../../components/aws/tags";
import { policyAreas, stacklinePolicies } from "../../policy/policies";
import {
  checkPolicies,
  formatViolations,
  mandatoryViolations,
  recordProgram,
  violationsOf,
} from "./support/policy-harness";
import { mockEngine } from "./support/pulumi-mocks";

const policyDir = path.join(__dirname, "..", "..", "policy");
const awsDir = path.join(__dirname, "..", "..", "node_modules", "@pulumi", "aws");

describe("the stackline-aws pack", () => {
  it("names every policy once, describes it and gives it a level", () => {
    const names = stacklinePolicies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
    for (const policy of stacklinePolicies) {
      expect(policy.name, policy.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(policy.description.length, policy.name).toBeGreaterThan(20);
      expect(["mandatory", "advisory"], policy.name).toContain(policy.enforcementLevel);
      const validates = "validateStack" in policy || (policy as ResourceValidationPolicy).validateResource;
      expect(validates, policy.name).toBeTruthy();
    }
  });

  it("has every area's policies; only cost, availability and hygiene rules are advisory", () => {
    expect(stacklinePolicies).toEqual(Object.values(policyAreas).flat());
    const advisory = stacklinePolicies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name);
    expect(advisory.sort()).toEqual([
      "alb-access-logs",
      "aws-standard-tags",
      "cloudfront-custom-certificate",
      "cloudfront-logging",
      "cloudfront-waf",
      "ecs-service-circuit-breaker",
      "eks-authentication-mode",
      "elasticache-automatic-failover",
      "lb-deletion-protection",
      "log-group-retention",
      "rds-deletion-protection",
      "rds-multi-az",
      "rds-performance-insights",
      "s3-versioning",
      "security-group-rule-description",
    ]);
  });

  it("judges only type tokens @pulumi/aws defines", () => {
    const sources = fs
      .readdirSync(policyDir)
      .filter((file) => file.endsWith(".ts") && file !== "taggable-types.ts")
      .map((file) => fs.readFileSync(path.join(policyDir, file), "utf8"))
      .join("\n");
    const tokens = [...new Set(sources.match(/"aws:[a-z0-9]+\/[A-Za-z0-9]+:[A-Za-z0-9]+"/g) ?? [])].map((t) =>
      JSON.parse(t),
    );
    expect(tokens.length).toBeGreaterThan(40);
    for (const token of tokens as string[]) {
      const [, module, file] = /^aws:([^/]+)\/([^:]+):/.exec(token) ?? [];
      const js = path.join(awsDir, module ?? "", `${file}.js`);
      expect(fs.existsSync(js) && fs.readFileSync(js, "utf8").includes(`__pulumiType = '${token}'`), token).toBe(true);
    }
  });

  it("starts its server only from index.ts, with a package version for PolicyPack to read", () => {
    const constructing = fs
      .readdirSync(policyDir)
      .filter(
        (file) =>
          file.endsWith(".ts") && fs.readFileSync(path.join(policyDir, file), "utf8").includes("new PolicyPack("),
      );
    expect(constructing).toEqual(["index.ts"]);
    const pkg = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8"));
    expect(pkg).toMatchObject({ name: "stackline-aws-policy", version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(fs.readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    expect(fs.existsSync(path.join(policyDir, "node_modules"))).toBe(false);
  });
});

/** A small stack built to every rule: what Stackline's layers should look like to the pack. */
function compliantStack() {
  const tags = standardTags("stackline:test:Baseline", "baseline");
  const key = new aws.kms.Key("data", { enableKeyRotation: true, tags });
  const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16", tags });
  const logs = new aws.cloudwatch.LogGroup("flow", { retentionInDays: 90, kmsKeyId: key.arn, tags });
  new aws.ec2.FlowLog("main", {
    vpcId: vpc.id,
    trafficType: "ALL",
    logDestination: logs.arn,
    iamRoleArn: "arn:aws:iam::1:role/flow",
    tags,
  });
  const subnet = new aws.ec2.Subnet("private-a", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24", tags });
  const web = new aws.ec2.SecurityGroup("web", {
    vpcId: vpc.id,
    description: "load balancer",
    ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS" }],
    egress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/16"], description: "to tasks" }],
    tags,
  });
  new aws.vpc.SecurityGroupIngressRule("db-from-app", {
    securityGroupId: web.id,
    referencedSecurityGroupId: web.id,
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    description: "from app",
    tags,
  });
  const template = new aws.ec2.LaunchTemplate("nodes", {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: key.arn, volumeSize: 30 } }],
    tags,
  });
  new aws.autoscaling.Group("workers", {
    minSize: 1,
    maxSize: 2,
    vpcZoneIdentifiers: [subnet.id],
    launchTemplate: { id: template.id, version: "$Latest" },
    tags: Object.entries(tags).map(([k, value]) => ({ key: k, value, propagateAtLaunch: true })),
  });
  new aws.ecs.TaskDefinition("app", {
    family: "app",
    containerDefinitions: JSON.stringify([
      { name: "app", image: "app:1", readonlyRootFilesystem: true, privileged: false, user: "1000:1000" },
    ]),
    tags,
  });
  new aws.ecs.Service("app", {
    networkConfiguration: { subnets: [subnet.id], assignPublicIp: false },
    deploymentCircuitBreaker: { enable: true, rollback: true },
    tags,
  });
  const albLogs = secureBucket("alb-logs", tags, key, "AES256");
  const alb = new aws.lb.LoadBalancer("web", {
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: albLogs.bucket, enabled: true },
    tags,
  });
  new aws.lb.Listener("http", {
    loadBalancerArn: alb.arn,
    protocol: "HTTP",
    port: 80,
    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    tags,
  });
  new aws.lb.Listener("https", {
    loadBalancerArn: alb.arn,
    protocol: "HTTPS",
    port: 443,
    certificateArn: "arn:aws:acm:eu-west-1:1:certificate/c",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
    tags,
  });
  new aws.eks.Cluster("main", {
    roleArn: "arn:aws:iam::1:role/eks",
    vpcConfig: { subnetIds: [subnet.id], endpointPrivateAccess: true, endpointPublicAccess: false },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
    accessConfig: { authenticationMode: "API" },
    tags,
  });
  new aws.rds.Instance("db", {
    instanceClass: "db.t4g.medium",
    engine: "postgres",
    allocatedStorage: 20,
    username: "app",
    manageMasterUserPassword: true,
    storageEncrypted: true,
    kmsKeyId: key.arn,
    backupRetentionPeriod: 7,
    finalSnapshotIdentifier: "db-final",
    deletionProtection: true,
    multiAz: true,
    performanceInsightsEnabled: true,
    tags,
  });
  new aws.elasticache.ReplicationGroup("cache", {
    description: "cache",
    numCacheClusters: 2,
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    authToken: pulumi.secret("a-long-generated-token-0123456789"),
    automaticFailoverEnabled: true,
    tags,
  });
  new aws.efs.FileSystem("shared", { encrypted: true, kmsKeyId: key.arn, tags });
  const assets = secureBucket("assets", tags, key, "aws:kms");
  const oac = new aws.cloudfront.OriginAccessControl("assets", {
    originAccessControlOriginType: "s3",
    signingBehavior: "always",
    signingProtocol: "sigv4",
  });
  const cdn = new aws.cloudfront.Distribution("edge", {
    enabled: true,
    aliases: ["www.example.com"],
    origins: [{ originId: "assets", domainName: assets.bucketRegionalDomainName, originAccessControlId: oac.id }],
    defaultCacheBehavior: {
      targetOriginId: "assets",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD"],
      cachedMethods: ["GET", "HEAD"],
    },
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: {
      acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/c",
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    },
    webAclId: "arn:aws:wafv2:us-east-1:1:global/webacl/edge/1",
    tags,
  });
  new aws.cloudwatch.LogDeliverySource("edge", { logType: "ACCESS_LOGS", resourceArn: cdn.arn, tags });
}

function secureBucket(name: string, tags: Record<string, string>, key: aws.kms.Key, sseAlgorithm: string) {
  const bucket = new aws.s3.Bucket(name, { tags });
  new aws.s3.BucketPublicAccessBlock(name, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new aws.s3.BucketServerSideEncryptionConfiguration(name, {
    bucket: bucket.id,
    rules: [
      {
        applyServerSideEncryptionByDefault:
          sseAlgorithm === "AES256" ? { sseAlgorithm } : { sseAlgorithm, kmsMasterKeyId: key.arn },
      },
    ],
  });
  new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  new aws.s3.BucketPolicy(name, {
    bucket: bucket.id,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    }),
  });
  return bucket;
}

describe("a stack built to the rules", () => {
  it("passes the whole pack without a single violation, after an update and in a first preview", async () => {
    for (const preview of [false, true]) {
      const violations = await checkPolicies(await recordProgram(compliantStack, { preview }));
      expect(violations, formatViolations(violations)).toEqual([]);
    }
  });

  it("passes when checked from mockEngine()'s resources (references matched by value)", async () => {
    const engine = await mockEngine("dev-policy", { "aws:region": "eu-west-1" });
    compliantStack();
    const violations = await checkPolicies(await engine.settle());
    expect(violations, formatViolations(violations)).toEqual([]);
  });
});

describe("the policy harness", () => {
  it("finds references by value in mockEngine()'s resources, and unwraps secrets", async () => {
    const engine = await mockEngine("dev-policy");
    const vpc = new aws.ec2.Vpc("logged", { cidrBlock: "10.0.0.0/16" });
    new aws.ec2.FlowLog("logged", { vpcId: vpc.id, trafficType: "ALL", logDestination: "arn:aws:logs:x" });
    new aws.ec2.Vpc("unlogged", { cidrBlock: "10.1.0.0/16" });
    new aws.rds.Instance("db", { instanceClass: "db.t4g.micro", password: pulumi.secret("hunter2-hunter2") });
    const resources = await engine.settle();
    const violations = await checkPolicies(resources, stacklinePolicies);
    const mandatory = mandatoryViolations(violations);
    expect(mandatory.filter((v) => v.policy === "vpc-flow-logs")).toEqual([
      {
        policy: "vpc-flow-logs",
        enforcementLevel: "mandatory",
        urn: "urn:pulumi:dev-policy::stackline::aws:ec2/vpc:Vpc::unlogged",
        message: expect.stringMatching(/"unlogged" has no flow log/),
      },
    ]);
    expect(mandatory.find((v) => v.policy === "rds-managed-master-password")?.message).toMatch(/password is given/);
    expect(violations.every((v) => ["mandatory", "advisory"].includes(v.enforcementLevel))).toBe(true);
    expect(mandatory.length).toBeLessThan(violations.length);
  });

  it("reports a policy that cannot read a value unknown during preview as advisory, as the SDK does", async () => {
    const violations = await violationsOf(
      "ecs-container-non-root-user",
      () => {
        const repository = new aws.ecr.Repository("app", {});
        new aws.ecs.TaskDefinition("app", {
          family: "app",
          containerDefinitions: pulumi.jsonStringify([{ name: "app", image: repository.repositoryUrl }]),
        });
      },
      { preview: true },
    );
    expect(violations).toEqual([
      {
        policy: "ecs-container-non-root-user",
        enforcementLevel: "advisory",
        message: expect.stringMatching(
          /can't run policy 'ecs-container-non-root-user' during preview: .*containerDefinitions/,
        ),
      },
    ]);
  });

  it("applies policy configuration: levels and properties", async () => {
    const records = await recordProgram(
      () => new aws.ec2.Subnet("public", { vpcId: "vpc-1", mapPublicIpOnLaunch: true }),
    );
    const configured: Policies = [
      {
        name: "subnet-size",
        description: "test policy reading its configuration",
        enforcementLevel: "advisory",
        validateResource: (args, report) => {
          const { limit } = args.getConfig<{ limit?: number }>();
          report(`limit ${limit}`);
        },
      },
    ];
    expect(
      await checkPolicies(records, configured, {
        config: { "subnet-size": { enforcementLevel: "mandatory", limit: 3 } },
      }),
    ).toEqual([expect.objectContaining({ enforcementLevel: "mandatory", message: "limit 3" })]);
    const pack = await checkPolicies(records, stacklinePolicies, {
      config: { "subnet-no-public-ip-on-launch": "disabled" },
    });
    expect(pack.map((v) => v.policy)).not.toContain("subnet-no-public-ip-on-launch");
  });
});
