import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import program from "../../stacks/compute";
import { ELB_LOG_DELIVERY_SERVICE, elbLogDeliveryStatement } from "../../stacks/compute/elb-log-delivery";
import { accessPointArn, appAccessPolicy, roleNameFromArn } from "../../stacks/compute/permissions";
import { checkUpstreamOutput, UpstreamOutputError } from "../../stacks/compute/upstream-inputs";
import { StackConfigError } from "../../stacks/config";
import { checkUpstream as checkEdgeUpstream } from "../../stacks/edge/upstream-inputs";
import { layers } from "../../stacks/layers";
import {
  ASSETS_KEY_ARN,
  DATABASE_KEY_ARN,
  domainOf,
  ENVIRONMENTS,
  type Env,
  FILE_SYSTEM_ARN,
  exampleConfig as layerConfig,
  SECRET_ARN,
  SG,
  upstreamOutputs,
  zoneLetters,
} from "./support/example-stacks";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const exampleConfig = (env: string) => layerConfig(env, "compute");

const ECS_SERVICE = "aws:ecs/service:Service";
const SCALING_TARGET = "aws:appautoscaling/target:Target";
const EKS_CLUSTER = "aws:eks/cluster:Cluster";
const ASG = "aws:autoscaling/group:Group";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

interface LayerRun {
  engine: MockedEngine;
  outputs: Record<string, unknown>;
  /** `type::name` of every resource the engine was asked to protect (inherited protection included). */
  protectedNames: string[];
}

/** The registration request carries `protect` (after inheritance from parents); the mocks do not pass it on. */
function recordProtect(): string[] {
  const names: string[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(
      req: { getProtect(): boolean | undefined; getType(): string; getName(): string },
      callback: unknown,
    ): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    if (req.getProtect()) names.push(`${req.getType()}::${req.getName()}`);
    return register(req, callback);
  };
  return names;
}

async function runLayer(
  env: Env,
  config: Record<string, unknown> = exampleConfig(env),
  upstream = upstreamOutputs(env),
): Promise<LayerRun> {
  const engine = await mockEngine(`${env}-compute`, config, upstream);
  const protectedNames = recordProtect();
  const outputs = await program({ stack: `${env}-compute`, environment: env, layer: "compute" });
  await engine.settle();
  return { engine, outputs, protectedNames };
}

/** Runs the layer expecting it to refuse; returns the error and what was registered. */
async function refusal(env: Env, config: Record<string, unknown>, upstream = upstreamOutputs(env)) {
  const engine = await mockEngine(`${env}-compute`, config, upstream);
  const error = await program({ stack: `${env}-compute`, environment: env, layer: "compute" }).catch(
    (err: unknown) => err,
  );
  return { error, registered: await engine.settle() };
}

const value = (output: unknown) => outputValue(output as pulumi.Output<unknown>);

function policyOf(engine: MockedEngine, type: string, name: string): { Statement: Record<string, unknown>[] } {
  const resource = engine.ofType(type).find((r) => r.name === name);
  expect(resource, `${type} ${name}`).toBeDefined();
  return JSON.parse(String(resource?.inputs.policy)) as { Statement: Record<string, unknown>[] };
}

const expected = {
  dev: { min: 1, max: 2, cpu: "256", eks: false, workers: false, deletionProtection: false, logDays: 30 },
  staging: { min: 2, max: 4, cpu: "512", eks: true, workers: false, deletionProtection: false, logDays: 90 },
  prod: { min: 3, max: 10, cpu: "1024", eks: true, workers: true, deletionProtection: true, logDays: 365 },
} as const;

describe("the compute layer", () => {
  for (const env of ENVIRONMENTS) {
    const want = expected[env];
    it(`runs the ${env} example: ${want.min}-${want.max} tasks, EKS ${want.eks ? "on" : "off"}, workers ${want.workers ? "on" : "off"}`, async () => {
      const { engine, outputs } = await runLayer(env);
      const domain = domainOf(env);

      // Reads exactly its three upstream stacks of the same environment.
      expect(engine.ofType("pulumi:pulumi:StackReference").map((r) => r.name)).toEqual([
        `organization/stackline/${env}-network`,
        `organization/stackline/${env}-data`,
        `organization/stackline/${env}-storage`,
      ]);

      // Task counts: the service starts at the minimum; the autoscaler owns the range.
      const [service] = engine.ofType(ECS_SERVICE);
      expect(service?.inputs.desiredCount).toBe(want.min);
      expect(engine.ofType(SCALING_TARGET)[0]?.inputs).toMatchObject({ minCapacity: want.min, maxCapacity: want.max });
      expect(engine.ofType("aws:ecs/taskDefinition:TaskDefinition")[0]?.inputs.cpu).toBe(want.cpu);

      // Optional parts.
      expect(engine.ofType(EKS_CLUSTER)).toHaveLength(want.eks ? 1 : 0);
      expect(engine.ofType(ASG)).toHaveLength(want.workers ? 1 : 0);
      expect(outputs.eksClusterName === undefined).toBe(!want.eks);
      expect(outputs.workersAutoScalingGroupName === undefined).toBe(!want.workers);

      // The load balancer: public subnets, deletion protection as the environment wants, logs to the bucket.
      const [alb] = engine.ofType("aws:lb/loadBalancer:LoadBalancer");
      expect(alb?.inputs).toMatchObject({
        internal: false,
        subnets: zoneLetters(env).map((z) => `subnet-00${z}1b2c3d4e5f6a7`),
        enableDeletionProtection: want.deletionProtection,
        dropInvalidHeaderFields: true,
        accessLogs: { bucket: "alb-logs-a1b2c3d", prefix: "alb", enabled: true },
      });
      const logRules = engine
        .ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
        .find((r) => r.name === "alb-logs-lifecycle")?.inputs.rules;
      expect(logRules).toContainEqual(
        expect.objectContaining({ id: "expire-alb-logs", expiration: { days: want.logDays } }),
      );

      // The certificate covers both names clients and CloudFront use, validated in the network's zone.
      const [certificate] = engine.ofType("aws:acm/certificate:Certificate");
      expect(certificate?.inputs).toMatchObject({
        domainName: `api.${domain}`,
        subjectAlternativeNames: [`origin.${domain}`],
        validationMethod: "DNS",
      });
      const validation = engine.ofType("aws:route53/record:Record").filter((r) => r.name.startsWith("api-validation"));
      expect(validation.map((r) => r.inputs.zoneId)).toEqual(["Z04512343EXAMPLE1ABC", "Z04512343EXAMPLE1ABC"]);
      expect(
        engine.ofType("aws:lb/listener:Listener").find((l) => l.name === "public-https")?.inputs.certificateArn,
      ).toBe(`arn:aws:acm:eu-west-1:123456789012:certificate/api`);

      // api.<domain> points at the load balancer.
      const alias = engine
        .ofType("aws:route53/record:Record")
        .filter((r) => r.name === "api-a" || r.name === "api-aaaa");
      expect(alias.map((r) => [r.inputs.type, r.inputs.name])).toEqual([["A", `api.${domain}`]]);

      // Outputs: the contract's, and what the edge layer checks when it reads loadBalancerDnsName.
      const dnsName = await value(outputs.loadBalancerDnsName);
      expect(dnsName).toBe("public-1234567890.eu-west-1.elb.amazonaws.com");
      expect(checkEdgeUpstream("compute", "loadBalancerDnsName", `${env}-compute`, dnsName)).toBe(dnsName);
      expect(await value(outputs.loadBalancerZoneId)).toBe("Z35SXDOTRQ7X7K");
      expect(await value(outputs.loadBalancerArn)).toBe("arn:aws:lb:eu-west-1:123456789012:loadbalancer/public");
      expect(await value(outputs.serviceSecurityGroupId)).toBe("sg-api-service");
      expect(await value(outputs.clusterName)).toBe("api");
      expect(outputs.apiUrl).toBe(`https://api.${domain}`);
      for (const name of layers.edge.reads.compute) expect(outputs[name], name).toBeDefined();

      // Every resource that takes tags carries the layer's.
      const untaggable = [
        ROLE_POLICY,
        "aws:route53/record:Record",
        "aws:acm/certificateValidation:CertificateValidation",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        BUCKET_POLICY,
        "aws:appautoscaling/policy:Policy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "aws:kms/alias:Alias",
        "aws:wafv2/webAclAssociation:WebAclAssociation",
        "aws:autoscaling/group:Group",
      ];
      for (const r of engine.resources.filter((r) => r.type.startsWith("aws:") && !untaggable.includes(r.type))) {
        expect(r.inputs.tags, `${r.type} ${r.name}`).toMatchObject({
          "stackline:stack": `${env}-compute`,
          team: "platform",
        });
      }
    });
  }

  it("lets the service security group take traffic from the load balancer's group only, never from a CIDR", async () => {
    const { engine } = await runLayer("dev");
    const ingress = engine.ofType(INGRESS);
    const toService = ingress.filter((r) => r.inputs.securityGroupId === "sg-api-service");
    expect(toService).toHaveLength(1);
    expect(toService[0]?.inputs).toMatchObject({
      referencedSecurityGroupId: "sg-public-alb",
      fromPort: 8080,
      toPort: 8080,
      ipProtocol: "tcp",
    });
    expect(toService[0]?.inputs.cidrIpv4).toBeUndefined();
    // The only CIDR ingress in the layer is the internet-facing load balancer's 443 and 80.
    expect(
      ingress.filter((r) => r.inputs.cidrIpv4 !== undefined).map((r) => [r.inputs.securityGroupId, r.inputs.fromPort]),
    ).toEqual([
      ["sg-public-alb", 443],
      ["sg-public-alb", 80],
    ]);
  });

  it("runs the tasks privately with the database, cache and file system client groups, and least-privilege roles", async () => {
    const { engine } = await runLayer("dev");
    const [service] = engine.ofType(ECS_SERVICE);
    expect(service?.inputs.networkConfiguration).toEqual({
      subnets: ["subnet-01a1b2c3d4e5f6a7", "subnet-01b1b2c3d4e5f6a7"],
      securityGroups: ["sg-api-service", SG.database, SG.cache, SG.files],
      assignPublicIp: false,
    });

    // The database secret reaches the container as two secrets, never as a value in the task definition.
    const taskDefinition = engine.ofType("aws:ecs/taskDefinition:TaskDefinition")[0];
    const [container] = JSON.parse(String(taskDefinition?.inputs.containerDefinitions)) as {
      secrets: { name: string; valueFrom: string }[];
      mountPoints: { containerPath: string; readOnly: boolean }[];
      readonlyRootFilesystem: boolean;
    }[];
    expect(container?.secrets).toEqual([
      { name: "DATABASE_USERNAME", valueFrom: `${SECRET_ARN}:username::` },
      { name: "DATABASE_PASSWORD", valueFrom: `${SECRET_ARN}:password::` },
    ]);
    expect(container?.readonlyRootFilesystem).toBe(true);
    expect(container?.mountPoints).toContainEqual(expect.objectContaining({ containerPath: "/data", readOnly: false }));
    expect(taskDefinition?.inputs.volumes).toContainEqual(
      expect.objectContaining({
        efsVolumeConfiguration: expect.objectContaining({
          fileSystemId: "fs-0123456789abcdef0",
          transitEncryption: "ENABLED",
          authorizationConfig: { accessPointId: "fsap-0fedcba9876543210", iam: "ENABLED" },
        }),
      }),
    );

    // Task role: S3 read on the assets bucket and the EFS access point (FargateService's grants) ...
    const grants = policyOf(engine, ROLE_POLICY, "api-task").Statement;
    expect(grants.map((s) => [s.Action, s.Resource])).toEqual([
      ["s3:ListBucket", ["arn:aws:s3:::assets-7f3a9c1"]],
      ["s3:GetObject", ["arn:aws:s3:::assets-7f3a9c1/*"]],
      [["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], FILE_SYSTEM_ARN],
    ]);
    expect(grants[2]?.Condition).toEqual({
      StringEquals: {
        "elasticfilesystem:AccessPointArn":
          "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0fedcba9876543210",
      },
    });
    // ... and the cache's IAM sign-in and the assets key, through S3 only.
    const appAccess = engine.ofType(ROLE_POLICY).find((r) => r.name === "api-app-access");
    expect(appAccess?.inputs.role).toBe("api-task");
    expect(policyOf(engine, ROLE_POLICY, "api-app-access").Statement).toEqual([
      {
        Sid: "ConnectAsCacheUser",
        Effect: "Allow",
        Action: ["elasticache:Connect"],
        Resource: [
          "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:dev-data-cache",
          "arn:aws:elasticache:eu-west-1:123456789012:user:dev-data-cache-app",
        ],
      },
      expect.objectContaining({
        Action: "kms:Decrypt",
        Resource: ASSETS_KEY_ARN,
        Condition: expect.objectContaining({ StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } }),
      }),
    ]);
    // Execution role: the secret itself, and the one key it is encrypted with.
    const execution = policyOf(engine, ROLE_POLICY, "api-execution").Statement;
    expect(execution.find((s) => s.Sid === "ReadSecrets")?.Resource).toEqual([SECRET_ARN]);
    expect(execution.find((s) => s.Action === "kms:Decrypt")?.Resource).toEqual(DATABASE_KEY_ARN);
    // No wildcard action anywhere in the layer's IAM policies.
    for (const policy of engine.ofType(ROLE_POLICY)) {
      const statements = (JSON.parse(String(policy.inputs.policy)) as { Statement: { Action: unknown }[] }).Statement;
      for (const action of statements.flatMap((s) => [s.Action].flat())) {
        expect(String(action), policy.name).not.toMatch(/(^\*$|:\*$)/);
      }
    }
  });

  it("writes load balancer logs into an SSE-S3 bucket that only ELB's log delivery may write to", async () => {
    const { engine } = await runLayer("dev");
    const encryption = engine
      .ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
      .find((r) => r.name === "alb-logs-encryption");
    expect(encryption?.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(engine.ofType("aws:kms/key:Key").filter((k) => k.name.startsWith("alb-logs"))).toHaveLength(0);
    const statements = policyOf(engine, BUCKET_POLICY, "alb-logs-policy").Statement;
    expect(statements.find((s) => s.Sid === "AllowElbAccessLogDelivery")).toEqual({
      Sid: "AllowElbAccessLogDelivery",
      Effect: "Allow",
      // Elastic Load Balancing's account in eu-west-1.
      Principal: { AWS: "arn:aws:iam::156460612806:root" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::alb-logs-a1b2c3d/alb/AWSLogs/123456789012/*",
    });
    expect(statements.map((s) => s.Sid)).toContain("DenyInsecureTransport");
    const publicAccess = engine
      .ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
      .find((r) => r.name === "alb-logs-public-access");
    expect(publicAccess?.inputs).toMatchObject({ blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(engine.ofType("aws:s3/bucket:Bucket")[0]?.inputs.forceDestroy).toBe(true);
  });

  it("staging: a small EKS cluster with a private endpoint in the private subnets, no deletion protection", async () => {
    const { engine, outputs } = await runLayer("staging");
    const [cluster] = engine.ofType(EKS_CLUSTER);
    expect(cluster?.inputs).toMatchObject({
      name: "staging-compute-eks",
      deletionProtection: false,
      vpcConfig: {
        subnetIds: ["subnet-01a1b2c3d4e5f6a7", "subnet-01b1b2c3d4e5f6a7", "subnet-01c1b2c3d4e5f6a7"],
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      },
    });
    expect(engine.ofType("aws:eks/nodeGroup:NodeGroup")[0]?.inputs).toMatchObject({
      instanceTypes: ["t3.medium"],
      scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 3 },
    });
    expect(engine.ofType("aws:eks/accessEntry:AccessEntry")[0]?.inputs.principalArn).toBe(
      "arn:aws:iam::123456789012:role/platform-admin",
    );
    expect(await value(outputs.eksClusterName)).toBe("staging-compute-eks");
    expect(pulumi.Output.isInstance(outputs.eksKubeconfig)).toBe(true);
    expect(await pulumi.isSecret(outputs.eksKubeconfig as pulumi.Output<string>)).toBe(true);
  });

  it("prod: protects the log bucket, keeps deletion protection on, scales on requests, adds a WAF and workers", async () => {
    const { engine, protectedNames } = await runLayer("prod");
    expect(protectedNames.sort()).toEqual(
      [
        "aws:s3/bucket:Bucket::alb-logs",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration::alb-logs-lifecycle",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls::alb-logs-ownership",
        "aws:s3/bucketPolicy:BucketPolicy::alb-logs-policy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::alb-logs-public-access",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::alb-logs-encryption",
        "aws:s3/bucketVersioning:BucketVersioning::alb-logs-versioning",
        "stackline:storage:Bucket::alb-logs",
      ].sort(),
    );
    expect(engine.ofType("aws:s3/bucket:Bucket")[0]?.inputs.forceDestroy).toBe(false);
    expect(engine.ofType(EKS_CLUSTER)[0]?.inputs.deletionProtection).toBe(true);
    expect(engine.ofType("aws:appautoscaling/policy:Policy").map((p) => p.name)).toEqual(["api-cpu", "api-requests"]);
    expect(engine.ofType("aws:wafv2/webAclAssociation:WebAclAssociation")[0]?.inputs.webAclArn).toMatch(
      /^arn:aws:wafv2:eu-west-1:123456789012:regional\/webacl\//,
    );
    const [workers] = engine.ofType(ASG);
    expect(workers?.inputs).toMatchObject({
      minSize: 2,
      maxSize: 4,
      vpcZoneIdentifiers: ["subnet-01a1b2c3d4e5f6a7", "subnet-01b1b2c3d4e5f6a7", "subnet-01c1b2c3d4e5f6a7"],
    });
    // The workers take no ingress at all.
    const workerGroup = engine.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.startsWith("workers"));
    expect(workerGroup).toBeDefined();
    expect(engine.ofType(INGRESS).filter((r) => r.inputs.securityGroupId === `sg-${workerGroup?.name}`)).toEqual([]);
  });

  it("attaches no file system client group and mounts nothing when service.fileSystem is not set", async () => {
    const config = exampleConfig("dev");
    const { fileSystem: _unused, ...service } = config["stackline:service"] as Record<string, unknown>;
    const { engine } = await runLayer("dev", { ...config, "stackline:service": service });
    expect(engine.ofType(ECS_SERVICE)[0]?.inputs.networkConfiguration).toMatchObject({
      securityGroups: ["sg-api-service", SG.database, SG.cache],
    });
    expect(policyOf(engine, ROLE_POLICY, "api-task").Statement.map((s) => s.Action)).toEqual([
      "s3:ListBucket",
      "s3:GetObject",
    ]);
  });

  it("stops on bad config before reading upstream stacks or registering anything, naming each key", async () => {
    const { error, registered } = await refusal("dev", {
      "aws:region": "eu-west-1",
      "stackline:service": {
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/stackline/api:latest",
        cpu: 256,
        memory: 4096,
        autoScaling: { minCapacity: 3, maxCapacity: 2 },
        fileSystem: { accessPoint: "app", containerPath: "/tmp" },
      },
      "stackline:eks": { nodeGroup: { instanceTypes: ["t3.medium"] } },
      "stackline:workers": { amiId: "ami-0123456789abcdef0", amiParameter: "/aws/service/x", keyName: "ops" },
      "stackline:loadBalancer": { sslPolicy: "ELBSecurityPolicy-2016-08" },
      "stackline:servce": { image: "nginx:1.27.3" },
    });
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as Error).message).toContain(
      "Invalid config for stack 'dev-compute' (stacks/Pulumi.dev-compute.yaml)",
    );
    const problems = (error as StackConfigError).problems;
    expect(problems.map((p) => p.key).sort()).toEqual(
      [
        "stackline:eks.adminRoleArns",
        "stackline:loadBalancer.sslPolicy",
        "stackline:servce",
        "stackline:service.autoScaling.maxCapacity",
        "stackline:service.fileSystem.containerPath",
        "stackline:service.image",
        "stackline:service.memory",
        "stackline:workers.amiParameter",
        "stackline:workers.keyName",
      ].sort(),
    );
    expect(problems.find((p) => p.key === "stackline:service.image")).toEqual({
      key: "stackline:service.image",
      expected: "an image pinned by tag (not 'latest') or digest, like nginx:1.27.3 or app@sha256:<64 hex>",
      found: '"123456789012.dkr.ecr.eu-west-1.amazonaws.com/stackline/api:latest"',
    });
    expect(problems.find((p) => p.key === "stackline:service.memory")?.expected).toBe(
      "for cpu 256: one of 512, 1024, 2048",
    );
    expect(registered).toHaveLength(0);
  });

  it("refuses an origin name equal to the API's (two records, one name)", async () => {
    const { error, registered } = await refusal("dev", { ...exampleConfig("dev"), "stackline:originSubdomain": "api" });
    expect((error as StackConfigError).problems).toEqual([
      {
        key: "stackline:originSubdomain",
        expected: "a name other than apiSubdomain (CloudFront's origin name and the API's name are two records)",
        found: '"api"',
      },
    ]);
    expect(registered).toHaveLength(0);
  });

  it("requires the service (its image at least)", async () => {
    const { error, registered } = await refusal("dev", { "aws:region": "eu-west-1" });
    expect((error as StackConfigError).problems).toEqual([
      { key: "stackline:service", expected: "object", found: "nothing (not set)" },
    ]);
    expect(registered).toHaveLength(0);
  });

  it("refuses an access point the storage layer does not have, naming the key and the ones it has", async () => {
    const config = exampleConfig("dev");
    const service = {
      ...(config["stackline:service"] as object),
      fileSystem: { accessPoint: "uploads", containerPath: "/data" },
    };
    const { error, registered } = await refusal("dev", { ...config, "stackline:service": service });
    expect((error as StackConfigError).problems).toEqual([
      {
        key: "stackline:service.fileSystem.accessPoint",
        expected: "an access point of stack 'dev-storage' (app)",
        found: '"uploads"',
      },
    ]);
    expect(registered.filter((r) => r.type.startsWith("aws:"))).toHaveLength(0);
  });

  it("refuses to start when upstream outputs are missing, naming each stack, output and what to deploy", async () => {
    const upstream = upstreamOutputs("dev");
    const { hostedZoneId: _zone, ...network } = upstream["organization/stackline/dev-network"] ?? {};
    const { assetsKmsKeyArn: _key, ...storage } = upstream["organization/stackline/dev-storage"] ?? {};
    const { error, registered } = await refusal("dev", exampleConfig("dev"), {
      ...upstream,
      "organization/stackline/dev-network": network,
      "organization/stackline/dev-storage": { ...storage, fileSystemArn: undefined },
    });
    expect(error).toBeInstanceOf(UpstreamOutputError);
    const message = (error as Error).message;
    expect(message).toContain(
      "output 'hostedZoneId' of stack 'dev-network': expected a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ " +
        "(set stackline:domainName there), found nothing",
    );
    expect(message).toContain("output 'assetsKmsKeyArn' of stack 'dev-storage': expected a KMS key ARN, found nothing");
    expect(message).toContain("output 'fileSystemArn' of stack 'dev-storage'");
    expect(message).toContain(
      "Deploy the network, storage layers of this environment first (stackline up), then retry.",
    );
    expect((error as UpstreamOutputError).problems.map((p) => `${p.stack}:${p.output}`)).toEqual([
      "dev-network:hostedZoneId",
      "dev-storage:assetsKmsKeyArn",
      "dev-storage:fileSystemArn",
    ]);
    // Nothing but the three stack references was registered.
    expect(registered.map((r) => r.type)).toEqual(Array(3).fill("pulumi:pulumi:StackReference"));
  });

  it("checks each upstream output's shape, not only its presence", () => {
    expect(checkUpstreamOutput("network", "publicSubnetIds", "dev-network", ["subnet-0a"])).toMatchObject({
      output: "publicSubnetIds",
      expected: "a list of at least two subnet ids (one per zone)",
    });
    expect(checkUpstreamOutput("data", "databaseSecretArn", "dev-data", "db-secret")).toMatchObject({
      stack: "dev-data",
      expected: "a Secrets Manager secret ARN",
    });
    expect(checkUpstreamOutput("data", "databaseSecretArn", "dev-data", SECRET_ARN)).toBeUndefined();
    expect(
      checkUpstreamOutput("storage", "fileSystemAccessPointIds", "dev-storage", { app: "fsap-0a1b" }),
    ).toBeUndefined();
  });
});

describe("the layers' declared reads", () => {
  /** The keys of the object a layer program returns, read from its source. */
  function exportedNames(layer: string): string[] {
    const source = readFileSync(`stacks/${layer}/index.ts`, "utf8");
    const block = /return \{([\s\S]*?)\n {2}\};/.exec(source)?.[1] ?? "";
    const assigned = [...source.matchAll(/Object\.assign\(outputs, \{([\s\S]*?)\}\);/g)].map((m) => m[1]).join("\n");
    const declared = /const outputs[^=]*= \{([\s\S]*?)\n {2}\};/.exec(source)?.[1] ?? "";
    return [...`${block}\n${declared}\n${assigned}`.matchAll(/^\s+(\w+):/gm)].map((m) => m[1] as string);
  }

  it("name only outputs their upstream layers return", () => {
    for (const [layer, definition] of Object.entries(layers)) {
      for (const [upstream, names] of Object.entries(definition.reads as Record<string, readonly string[]>)) {
        if (upstream === "platform") continue; // the Kubernetes layers are covered by apps-layer.test.ts
        const exported = exportedNames(upstream);
        for (const name of names) expect(exported, `${layer} reads ${upstream}.${name}`).toContain(name);
      }
    }
  });

  it("are exactly what the compute layer reads", () => {
    expect(layers.compute.reads).toEqual({
      network: ["vpcId", "publicSubnetIds", "privateSubnetIds", "hostedZoneId", "domainName"],
      data: [
        "databaseClientSecurityGroupId",
        "databaseSecretArn",
        "databaseKmsKeyArn",
        "cacheClientSecurityGroupId",
        "cacheArn",
        "cacheUserArn",
      ],
      storage: [
        "assetsBucketArn",
        "assetsKmsKeyArn",
        "fileSystemClientSecurityGroupId",
        "fileSystemArn",
        "fileSystemAccessPointIds",
      ],
    });
  });
});

describe("the compute layer's policies", () => {
  it("lets ELB's account write logs in old regions, and its service principal in newer ones", () => {
    const delivery = { bucketArn: "arn:aws:s3:::logs", prefix: "alb", accountId: "123456789012", partition: "aws" };
    expect(elbLogDeliveryStatement({ ...delivery, region: "us-east-1" }).Principal).toEqual({
      AWS: "arn:aws:iam::127311923021:root",
    });
    expect(elbLogDeliveryStatement({ ...delivery, region: "eu-central-2" })).toEqual({
      Sid: "AllowElbAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*",
    });
  });

  it("limits the assets key to S3 reads of that bucket", () => {
    const [, decrypt] = appAccessPolicy({
      cacheArn: "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:c",
      cacheUserArn: "arn:aws:elasticache:eu-west-1:123456789012:user:u",
      assetsBucketArn: "arn:aws:s3:::assets",
      assetsKmsKeyArn: ASSETS_KEY_ARN,
    }).Statement;
    expect(decrypt?.Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::assets", "arn:aws:s3:::assets/*"] },
    });
  });

  it("derives role names and access point ARNs from ARNs, refusing anything else", () => {
    expect(roleNameFromArn("arn:aws:iam::123456789012:role/service/api-task-1a2b")).toBe("api-task-1a2b");
    expect(() => roleNameFromArn("arn:aws:iam::123456789012:user/bob")).toThrow("is not an IAM role ARN");
    expect(accessPointArn(FILE_SYSTEM_ARN, "fsap-0a1b")).toBe(
      "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0a1b",
    );
    expect(() => accessPointArn("arn:aws:s3:::bucket", "fsap-0a1b")).toThrow("is not an EFS file system ARN");
  });
});
