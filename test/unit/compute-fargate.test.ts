import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { LoadBalancer } from "../../components/compute/alb";
import { FargateService, type FargateServiceArgs } from "../../components/compute/fargate";
import type { PolicyDocument } from "../../components/compute/fargate/iam-policies";
import { ComponentArgsError } from "../../components/validation";
import { problemsOf } from "./support/component-args";
import { type MockedEngine, mockEngine, outputValue, type RegisteredResource } from "./support/pulumi-mocks";

type Inputs = Record<string, unknown>;

const ALB_SG = "sg-web-alb";
const LISTENER =
  "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
const ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1.4.2";
const DB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev/db-AbCdEf";
const PARAMETER = "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/api/token";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const base: FargateServiceArgs = {
  vpcId: "vpc-main",
  subnetIds: ["subnet-private-a", "subnet-private-b"],
  loadBalancer: { securityGroupId: ALB_SG, httpsListenerArn: LISTENER },
  image: "ghcr.io/stefanprodan/podinfo:6.7.1",
};

const TYPES = {
  cluster: "aws:ecs/cluster:Cluster",
  service: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
} as const;

function only(engine: MockedEngine, type: string): Inputs {
  const found = engine.ofType(type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return (found[0] as RegisteredResource).inputs;
}

function named(engine: MockedEngine, type: string, name: string): Inputs {
  const found = engine.ofType(type).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found.inputs;
}

/** The policy document a role or role policy was registered with. */
function policyOf(inputs: Inputs, field = "policy"): PolicyDocument {
  return JSON.parse(inputs[field] as string) as PolicyDocument;
}

/** The single container of the registered task definition. */
function containerOf(engine: MockedEngine): Inputs {
  const definitions = JSON.parse(only(engine, TYPES.taskDefinition).containerDefinitions as string) as Inputs[];
  expect(definitions).toHaveLength(1);
  return definitions[0] as Inputs;
}

describe("FargateService", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-compute", { "aws:region": "eu-west-1" });
  });

  it("by default: hardened container, private tasks, circuit breaker, Container Insights, 2-4 tasks on CPU", async () => {
    const service = new FargateService("api", base);
    await engine.settle();

    expect(only(engine, TYPES.cluster)).toMatchObject({ settings: [{ name: "containerInsights", value: "enhanced" }] });

    const task = only(engine, TYPES.taskDefinition);
    expect(task).toMatchObject({
      family: "dev-compute-api",
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: "arn:aws:iam::123456789012:role/api-execution",
      taskRoleArn: "arn:aws:iam::123456789012:role/api-task",
      volumes: [{ name: "writable-tmp" }],
    });
    const container = containerOf(engine);
    expect(container).toMatchObject({
      name: "app",
      image: "ghcr.io/stefanprodan/podinfo:6.7.1",
      essential: true,
      readonlyRootFilesystem: true,
      user: "1000:1000",
      privileged: false,
      linuxParameters: { capabilities: { add: [], drop: ["ALL"] } },
      portMappings: [{ containerPort: 8080, protocol: "tcp" }],
      environment: [],
      secrets: [],
      mountPoints: [{ sourceVolume: "writable-tmp", containerPath: "/tmp", readOnly: false }],
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": "/ecs/dev-compute/api",
          "awslogs-region": "eu-west-1",
          "awslogs-stream-prefix": "app",
        },
      },
    });

    expect(only(engine, TYPES.logGroup)).toMatchObject({ name: "/ecs/dev-compute/api", retentionInDays: 90 });
    // Encrypted with a key of its own, which only CloudWatch Logs may use, for this group only.
    expect(only(engine, TYPES.logGroup).kmsKeyId).toBe("arn:aws:kms:eu-west-1:123456789012:key/key-api-logs");
    const keyPolicy = JSON.parse(String(engine.ofType("aws:kms/key:Key")[0]?.inputs.policy)) as {
      Statement: { Principal: unknown; Condition?: unknown }[];
    };
    expect(keyPolicy.Statement[1]).toMatchObject({
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Condition: {
        ArnEquals: {
          "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/dev-compute/api",
        },
      },
    });

    const svc = only(engine, TYPES.service);
    expect(svc).toMatchObject({
      launchType: "FARGATE",
      desiredCount: 2,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      networkConfiguration: {
        subnets: ["subnet-private-a", "subnet-private-b"],
        securityGroups: ["sg-api-service"],
        assignPublicIp: false,
      },
      loadBalancers: [{ containerName: "app", containerPort: 8080 }],
      enableExecuteCommand: false,
      propagateTags: "SERVICE",
    });

    expect(only(engine, TYPES.targetGroup)).toMatchObject({
      targetType: "ip",
      protocol: "HTTP",
      port: 8080,
      vpcId: "vpc-main",
      healthCheck: { path: "/ready", matcher: "200-399", port: "traffic-port" },
    });
    expect(only(engine, TYPES.listenerRule)).toMatchObject({
      listenerArn: LISTENER,
      priority: 100,
      actions: [{ type: "forward", targetGroupArn: "arn:aws:lb:eu-west-1:123456789012:targetgroup/api" }],
      conditions: [{ pathPattern: { values: ["/*"] } }],
    });

    expect(only(engine, TYPES.scalingTarget)).toMatchObject({
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: "service/api/api",
      minCapacity: 2,
      maxCapacity: 4,
    });
    expect(only(engine, TYPES.scalingPolicy)).toMatchObject({
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        targetValue: 60,
      },
    });

    expect(await outputValue(service.clusterName)).toBe("api");
    expect(await outputValue(service.serviceName)).toBe("api");
    expect(await outputValue(service.serviceArn)).toBe("arn:aws:ecs:eu-west-1:123456789012:service/api");
    expect(await outputValue(service.securityGroupId)).toBe("sg-api-service");
    expect(await outputValue(service.logGroupName)).toBe("/ecs/dev-compute/api");
    expect(await outputValue(service.targetGroupArn)).toBe("arn:aws:lb:eu-west-1:123456789012:targetgroup/api");
    expect(await outputValue(service.executionRoleArn)).toBe("arn:aws:iam::123456789012:role/api-execution");
  });

  it("connects the load balancer and the service by security group only, on the container port", async () => {
    new FargateService("api", { ...base, containerPort: 3000 });
    await engine.settle();

    // The service's only ingress: from the load balancer's group, on the container port; never a CIDR.
    const ingress = engine.ofType(TYPES.ingress).map((r) => r.inputs);
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({
      securityGroupId: "sg-api-service",
      referencedSecurityGroupId: ALB_SG,
      ipProtocol: "tcp",
      fromPort: 3000,
      toPort: 3000,
      description: "HTTP from the load balancer to api",
    });
    expect(ingress[0]?.cidrIpv4).toBeUndefined();

    const egress = engine.ofType(TYPES.egress).map((r) => r.inputs);
    // The load balancer's group may reach this service's group on that port, and nothing else.
    const fromAlb = egress.filter((r) => r.securityGroupId === ALB_SG);
    expect(fromAlb).toEqual([
      expect.objectContaining({
        referencedSecurityGroupId: "sg-api-service",
        fromPort: 3000,
        toPort: 3000,
        ipProtocol: "tcp",
      }),
    ]);
    expect(fromAlb[0]?.cidrIpv4).toBeUndefined();
    // The tasks may reach HTTPS (image pull, logs, secrets) and nothing else by default.
    expect(egress.filter((r) => r.securityGroupId === "sg-api-service")).toEqual([
      expect.objectContaining({ cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443, ipProtocol: "tcp" }),
    ]);

    const groups = engine.ofType(TYPES.securityGroup).map((r) => r.inputs);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.ingress).toBeUndefined();
    expect(groups[0]?.egress).toBeUndefined();
  });

  it("gives least-privilege roles: ECS-only trust, execution role limited to logs by default, task role without policy", async () => {
    new FargateService("api", base);
    await engine.settle();

    for (const role of engine.ofType(TYPES.role)) {
      expect(policyOf(role.inputs, "assumeRolePolicy").Statement).toEqual([
        {
          Sid: "EcsTasksOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ]);
      expect(role.inputs.managedPolicyArns).toBeUndefined();
    }
    // A public image needs no ECR permission; no secrets means no secret permission.
    expect(engine.ofType(TYPES.rolePolicy).map((r) => r.name)).toEqual(["api-execution"]);
    expect(policyOf(named(engine, TYPES.rolePolicy, "api-execution")).Statement).toEqual([
      {
        Sid: "WriteLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/dev-compute/api:log-stream:*",
      },
    ]);
  });

  it("scopes the execution role to the ECR repository, the named secrets and the key", async () => {
    new FargateService("api", {
      ...base,
      image: ECR_IMAGE,
      secrets: {
        DATABASE_PASSWORD: { arn: DB_SECRET, jsonKey: "password" },
        DATABASE_USER: { arn: DB_SECRET, jsonKey: "username" },
        API_TOKEN: { store: "ssm", arn: PARAMETER },
      },
      secretsKmsKeyArn: KEY,
      environment: { LOG_LEVEL: "info", APP_ENV: "dev" },
    });
    await engine.settle();

    const statements = policyOf(named(engine, TYPES.rolePolicy, "api-execution")).Statement;
    expect(statements).toEqual([
      {
        Sid: "PullImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: "arn:aws:ecr:eu-west-1:123456789012:repository/shop/api",
      },
      { Sid: "LogInToEcr", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      expect.objectContaining({ Sid: "WriteLogs" }),
      { Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [DB_SECRET] },
      { Sid: "ReadParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: [PARAMETER] },
      { Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY },
    ]);
    // No wildcard action anywhere, and "*" as a resource only where AWS allows nothing else.
    for (const statement of statements) {
      for (const action of [statement.Action].flat()) expect(action).not.toContain("*");
      if (statement.Resource === "*") expect(statement.Action).toBe("ecr:GetAuthorizationToken");
    }

    const container = containerOf(engine);
    expect(container.secrets).toEqual([
      { name: "DATABASE_PASSWORD", valueFrom: `${DB_SECRET}:password::` },
      { name: "DATABASE_USER", valueFrom: `${DB_SECRET}:username::` },
      { name: "API_TOKEN", valueFrom: PARAMETER },
    ]);
    // Only the plain settings are environment values; no secret value is in the task definition.
    expect(container.environment).toEqual([
      { name: "APP_ENV", value: "dev" },
      { name: "LOG_LEVEL", value: "info" },
    ]);
    expect(JSON.stringify(container.environment)).not.toContain("arn:");
  });

  it("reads secret ARNs given as another stack's Outputs", async () => {
    new FargateService("api", {
      ...base,
      secrets: { DATABASE_PASSWORD: { arn: pulumi.output(DB_SECRET), jsonKey: "password" } },
    });
    await engine.settle();
    expect(containerOf(engine).secrets).toEqual([{ name: "DATABASE_PASSWORD", valueFrom: `${DB_SECRET}:password::` }]);
    expect(policyOf(named(engine, TYPES.rolePolicy, "api-execution")).Statement).toContainEqual({
      Sid: "ReadSecrets",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: [DB_SECRET],
    });
  });

  it("grants the task role only what it is given: bucket reads and writes, and the EFS access point", async () => {
    const assets = "arn:aws:s3:::dev-assets";
    const uploads = "arn:aws:s3:::dev-uploads";
    const fileSystemArn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123abcd";
    const accessPointArn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0456ef78";
    new FargateService("api", {
      ...base,
      grants: { s3Read: [assets], s3ReadWrite: [pulumi.output(uploads)] },
      efs: { fileSystemArn, accessPointArn, containerPath: "/data" },
    });
    await engine.settle();

    expect(policyOf(named(engine, TYPES.rolePolicy, "api-task")).Statement).toEqual([
      { Sid: "ListBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: [assets, uploads] },
      { Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: [`${assets}/*`] },
      {
        Sid: "ReadWriteObjects",
        Effect: "Allow",
        Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: [`${uploads}/*`],
      },
      {
        Sid: "MountFileSystemThroughAccessPoint",
        Effect: "Allow",
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: fileSystemArn,
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPointArn } },
      },
    ]);
    expect(only(engine, TYPES.taskDefinition).volumes).toEqual([
      { name: "writable-tmp" },
      {
        name: "efs",
        efsVolumeConfiguration: {
          fileSystemId: "fs-0123abcd",
          transitEncryption: "ENABLED",
          authorizationConfig: { accessPointId: "fsap-0456ef78", iam: "ENABLED" },
        },
      },
    ]);
    expect(containerOf(engine).mountPoints).toContainEqual({
      sourceVolume: "efs",
      containerPath: "/data",
      readOnly: false,
    });
  });

  it("takes overrides: existing cluster, client groups, egress, size, user, scaling on requests too", async () => {
    const service = new FargateService("worker", {
      ...base,
      loadBalancer: { ...base.loadBalancer, arnSuffix: "app/web/50dc6c495c0c9188" },
      clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/shared",
      clientSecurityGroupIds: ["sg-db-client", pulumi.output("sg-cache-client")],
      egress: [{ description: "PostgreSQL", port: 5432, securityGroupId: "sg-db-server" }],
      cpu: 1024,
      memory: 4096,
      cpuArchitecture: "ARM64",
      user: "10001:10001",
      writablePaths: ["/tmp", "/var/cache/app"],
      containerName: "worker",
      containerPort: 9000,
      listenerRule: { priority: 20, pathPatterns: ["/api/*"], hostHeaders: ["api.example.com"] },
      healthCheck: { path: "/healthz" },
      logs: { retentionDays: 365, kmsKeyArn: KEY },
      deployment: { rollback: false, minimumHealthyPercent: 50 },
      autoScaling: { minCapacity: 3, maxCapacity: 12, cpuTargetPercent: 50, requestsPerTarget: 1000 },
      tags: { team: "shop" },
    });
    await engine.settle();

    expect(engine.ofType(TYPES.cluster)).toHaveLength(0);
    expect(await outputValue(service.clusterName)).toBe("shared");
    expect(await outputValue(service.clusterArn)).toBe("arn:aws:ecs:eu-west-1:123456789012:cluster/shared");
    const svc = only(engine, TYPES.service);
    expect(svc).toMatchObject({
      cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/shared",
      desiredCount: 3,
      deploymentCircuitBreaker: { enable: true, rollback: false },
      deploymentMinimumHealthyPercent: 50,
      networkConfiguration: {
        securityGroups: ["sg-worker-service", "sg-db-client", "sg-cache-client"],
        assignPublicIp: false,
      },
      tags: { team: "shop" },
    });
    expect(only(engine, TYPES.taskDefinition)).toMatchObject({
      cpu: "1024",
      memory: "4096",
      runtimePlatform: { cpuArchitecture: "ARM64" },
      volumes: [{ name: "writable-tmp" }, { name: "writable-var-cache-app" }],
    });
    expect(containerOf(engine)).toMatchObject({ name: "worker", user: "10001:10001", readonlyRootFilesystem: true });
    expect(only(engine, TYPES.logGroup)).toMatchObject({ retentionInDays: 365, kmsKeyId: KEY });
    expect(only(engine, TYPES.listenerRule)).toMatchObject({
      priority: 20,
      conditions: [{ pathPattern: { values: ["/api/*"] } }, { hostHeader: { values: ["api.example.com"] } }],
    });
    expect(only(engine, TYPES.targetGroup)).toMatchObject({ port: 9000, healthCheck: { path: "/healthz" } });
    const egress = engine.ofType(TYPES.egress).map((r) => r.inputs);
    expect(egress).toHaveLength(2);
    expect(egress).toContainEqual(
      expect.objectContaining({
        securityGroupId: ALB_SG,
        referencedSecurityGroupId: "sg-worker-service",
        fromPort: 9000,
      }),
    );
    // The given egress replaces the default HTTPS-anywhere rule.
    expect(egress).toContainEqual(
      expect.objectContaining({
        securityGroupId: "sg-worker-service",
        referencedSecurityGroupId: "sg-db-server",
        fromPort: 5432,
        toPort: 5432,
        description: "PostgreSQL",
      }),
    );
    expect(only(engine, TYPES.scalingTarget)).toMatchObject({
      resourceId: "service/shared/worker",
      minCapacity: 3,
      maxCapacity: 12,
    });
    const policies = engine.ofType(TYPES.scalingPolicy).map((r) => r.inputs.targetTrackingScalingPolicyConfiguration);
    expect(policies).toEqual([
      expect.objectContaining({
        targetValue: 50,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      }),
      expect.objectContaining({
        targetValue: 1000,
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: "app/web/50dc6c495c0c9188/targetgroup/worker/73e2d6bc24d8a067",
        },
      }),
    ]);
  });

  it("refuses a floating image, an impossible task size, root, and maxCapacity below minCapacity", async () => {
    const problems = problemsOf(
      () =>
        new FargateService("bad", {
          ...base,
          image: "nginx:latest",
          cpu: 300,
          user: "0:0",
          autoScaling: { minCapacity: 4, maxCapacity: 2 },
          logs: { retentionDays: 100 },
          writablePaths: ["tmp"],
        }),
    );
    expect(problems).toEqual([
      {
        path: "image",
        expected: "an image pinned by tag (not 'latest') or digest, like nginx:1.27.3 or app@sha256:<64 hex>",
        found: '"nginx:latest"',
      },
      { path: "cpu", expected: "one of 256, 512, 1024, 2048, 4096, 8192, 16384", found: "300" },
      { path: "user", expected: "a non-root numeric uid or uid:gid, like 1000:1000", found: '"0:0"' },
      {
        path: "writablePaths.0",
        expected: "an absolute path without a trailing '/', like /tmp or /var/cache/app",
        found: '"tmp"',
      },
      {
        path: "logs.retentionDays",
        expected: expect.stringMatching(/^one of 1, 3, 5, .*, 90, .*3653$/),
        found: "100",
      },
      { path: "autoScaling.maxCapacity", expected: "maxCapacity at least minCapacity", found: "2" },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses checks that span fields: memory for the CPU, secrets in the wrong store, names given twice", async () => {
    const problems = problemsOf(
      () =>
        new FargateService("bad", {
          ...base,
          cpu: 512,
          memory: 512,
          environment: { TOKEN: "plain" },
          secrets: {
            TOKEN: { arn: PARAMETER },
            KEY: { store: "ssm", arn: PARAMETER, jsonKey: "key" },
          },
          autoScaling: { requestsPerTarget: 500 },
        }),
    );
    expect(problems).toEqual([
      {
        path: "secrets.TOKEN.arn",
        expected: "a Secrets Manager secret ARN like arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf",
        found: JSON.stringify(PARAMETER),
      },
      { path: "secrets.KEY.jsonKey", expected: "no jsonKey for an SSM parameter (store ssm)", found: '"key"' },
      { path: "memory", expected: "for cpu 512: 1024 to 4096 in steps of 1024", found: "512" },
      { path: "environment.TOKEN", expected: "a name not also given in secrets", found: '"plain"' },
      {
        path: "loadBalancer.arnSuffix",
        expected: "the load balancer's arnSuffix, for autoScaling.requestsPerTarget",
        found: "nothing (not set)",
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("asks for the load balancer and the network it cannot run without", async () => {
    let error: unknown;
    try {
      new FargateService("bad", { image: "app:1.0.0", egress: [{ description: "x", port: 443 }] } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as Error).message).toContain("Invalid arguments for stackline:compute:FargateService 'bad'");
    expect((error as ComponentArgsError).problems).toEqual([
      { path: "vpcId", expected: "a VPC id", found: "nothing (not set)" },
      {
        path: "subnetIds",
        expected: "at least 1 private subnet id, or an Output of such a list",
        found: "nothing (not set)",
      },
      { path: "loadBalancer", expected: "object", found: "nothing (not set)" },
      {
        path: "egress.0",
        expected: "exactly one of cidr, securityGroupId or prefixListId",
        found: '{"description":"x","port":443}',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});

describe("the ECS example in README.md", () => {
  it("puts a service behind a load balancer and wires their security groups", async () => {
    const engine = await mockEngine("dev-compute", { "aws:region": "eu-west-1" });
    // --- example start (keep in step with README.md) ---
    const alb = new LoadBalancer("web", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-public-a", "subnet-public-b"],
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0f4a6a2e-5b1c-4d2e-9f3a-1234567890ab",
      accessLogs: { bucket: "dev-alb-logs-123456789012" },
    });
    const app = new FargateService("shop", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-private-a", "subnet-private-b"],
      loadBalancer: alb.attachment,
      image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:2.3.1",
      containerPort: 8080,
      secrets: {
        DATABASE_PASSWORD: {
          arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev/db-AbCdEf",
          jsonKey: "password",
        },
      },
      clientSecurityGroupIds: ["sg-0db0c11e57"],
      grants: { s3Read: ["arn:aws:s3:::dev-assets"] },
      autoScaling: { minCapacity: 2, maxCapacity: 6, requestsPerTarget: 500 },
    });
    // --- example end ---
    await engine.settle();

    expect(await outputValue(app.securityGroupId)).toBe("sg-shop-service");
    expect(await outputValue(alb.dnsName)).toBe("web-1234567890.eu-west-1.elb.amazonaws.com");
    const rules = [...engine.ofType(TYPES.ingress), ...engine.ofType(TYPES.egress)].map((r) => r.inputs);
    expect(rules).toContainEqual(
      expect.objectContaining({
        securityGroupId: "sg-shop-service",
        referencedSecurityGroupId: "sg-web-alb",
        fromPort: 8080,
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        securityGroupId: "sg-web-alb",
        referencedSecurityGroupId: "sg-shop-service",
        fromPort: 8080,
      }),
    );
    expect(only(engine, TYPES.listenerRule).listenerArn).toBe("arn:aws:lb:eu-west-1:123456789012:listener/web-https");
    const requests = engine.ofType(TYPES.scalingPolicy).find((p) => p.name === "shop-requests");
    expect(requests?.inputs.targetTrackingScalingPolicyConfiguration).toMatchObject({
      predefinedMetricSpecification: { resourceLabel: "app/web/50dc6c495c0c9188/targetgroup/shop/73e2d6bc24d8a067" },
    });
    // Every AWS resource the two components create carries the standard tags, except the few types that take none.
    const untaggable = ["aws:iam/rolePolicy:RolePolicy", "aws:appautoscaling/policy:Policy"];
    for (const r of engine.resources.filter((r) => r.type.startsWith("aws:") && !untaggable.includes(r.type))) {
      expect(r.inputs.tags, r.type).toMatchObject({ "stackline:stack": "dev-compute" });
    }
  });
});
