import { describe, expect, it } from "vitest";
import {
  containerDefinition,
  secretValueFrom,
  writableVolumeName,
} from "../../components/compute/fargate/container-definition";
import { ecrRepositoryArn } from "../../components/compute/fargate/ecr";
import {
  ecsTasksTrustPolicy,
  executionRolePolicy,
  taskRolePolicy,
} from "../../components/compute/fargate/iam-policies";
import { serviceSecurityGroupRules } from "../../components/compute/fargate/security-group-rules";
import { FARGATE_TASK_SIZES, isFargateTaskSize, memoryChoices } from "../../components/compute/fargate/task-size";

const LOG_GROUP = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/dev-compute/api";

describe("Fargate task sizes", () => {
  it("knows the CPU and memory pairs Fargate runs", () => {
    expect(isFargateTaskSize(256, 512)).toBe(true);
    expect(isFargateTaskSize(256, 4096)).toBe(false);
    expect(isFargateTaskSize(512, 4096)).toBe(true);
    expect(isFargateTaskSize(4096, 30720)).toBe(true);
    expect(isFargateTaskSize(8192, 20480)).toBe(true);
    expect(isFargateTaskSize(8192, 18432)).toBe(false);
    expect(isFargateTaskSize(16384, 122880)).toBe(true);
    expect(isFargateTaskSize(300, 512)).toBe(false);
    expect(FARGATE_TASK_SIZES[1024]).toHaveLength(7);
  });

  it("describes the choices for a CPU size", () => {
    expect(memoryChoices(256)).toBe("one of 512, 1024, 2048");
    expect(memoryChoices(16384)).toBe("32768 to 122880 in steps of 8192");
  });
});

describe("ecrRepositoryArn", () => {
  it.each([
    [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1.4.2",
      "arn:aws:ecr:eu-west-1:123456789012:repository/shop/api",
    ],
    [
      `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:${"a".repeat(64)}`,
      "arn:aws:ecr:eu-west-1:123456789012:repository/app",
    ],
    [
      "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1.0",
      "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app",
    ],
    [
      "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app:1.0",
      "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/app",
    ],
  ])("finds the repository of %s", (image, arn) => {
    expect(ecrRepositoryArn(image)).toBe(arn);
  });

  it("finds none for other registries", () => {
    expect(ecrRepositoryArn("ghcr.io/stefanprodan/podinfo:6.7.1")).toBeUndefined();
    expect(ecrRepositoryArn("public.ecr.aws/nginx/nginx:1.27")).toBeUndefined();
    expect(ecrRepositoryArn("nginx:1.27.3")).toBeUndefined();
  });
});

describe("IAM policies", () => {
  it("trusts ECS tasks of this account only", () => {
    expect(ecsTasksTrustPolicy("123456789012").Statement[0]).toMatchObject({
      Principal: { Service: "ecs-tasks.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
  });

  it("writes to the log group's streams whichever form of ARN the provider returns", () => {
    for (const arn of [LOG_GROUP, `${LOG_GROUP}:*`]) {
      const policy = executionRolePolicy({ logGroupArn: arn, secretsManagerArns: [], parameterArns: [] });
      expect(policy.Statement).toEqual([
        expect.objectContaining({ Sid: "WriteLogs", Resource: `${LOG_GROUP}:log-stream:*` }),
      ]);
    }
  });

  it("names each secret once, however many keys are read from it", () => {
    const secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
    const policy = executionRolePolicy({
      logGroupArn: LOG_GROUP,
      secretsManagerArns: [secret, secret],
      parameterArns: [],
    });
    expect(policy.Statement.find((s) => s.Sid === "ReadSecrets")?.Resource).toEqual([secret]);
    expect(policy.Statement.some((s) => s.Sid === "DecryptSecrets" || s.Sid === "ReadParameters")).toBe(false);
  });

  it("gives the task role nothing unless something is granted", () => {
    expect(taskRolePolicy({ s3Read: [], s3ReadWrite: [] })).toBeUndefined();
  });

  it("reads and writes a bucket granted both ways once, and mounts EFS read-only when asked", () => {
    const bucket = "arn:aws:s3:::dev-assets";
    const policy = taskRolePolicy({
      s3Read: [bucket],
      s3ReadWrite: [bucket],
      efs: {
        fileSystemArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1",
        accessPointArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-1",
        readOnly: true,
      },
    });
    expect(policy?.Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ["ListBuckets", "s3:ListBucket", [bucket]],
      ["ReadWriteObjects", ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], [`${bucket}/*`]],
      [
        "MountFileSystemThroughAccessPoint",
        "elasticfilesystem:ClientMount",
        "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1",
      ],
    ]);
  });
});

describe("container definition", () => {
  it("names a volume after its path", () => {
    expect(writableVolumeName("/tmp")).toBe("writable-tmp");
    expect(writableVolumeName("/var/cache/nginx")).toBe("writable-var-cache-nginx");
  });

  it("points a secret at its ARN, or at a key of a JSON secret", () => {
    const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
    expect(secretValueFrom({ name: "A", store: "secretsmanager", arn })).toBe(arn);
    expect(secretValueFrom({ name: "A", store: "secretsmanager", arn, jsonKey: "password" })).toBe(`${arn}:password::`);
  });

  it("is read-only, unprivileged and non-root, with writable paths only where asked", () => {
    const definition = containerDefinition({
      name: "app",
      image: "app:1.0.0",
      port: 8080,
      user: "1000:1000",
      environment: { B: "2", A: "1" },
      secrets: [],
      writablePaths: [],
      efs: { containerPath: "/data", readOnly: true },
      logGroupName: "/ecs/x",
      region: "eu-west-1",
    });
    expect(definition).toMatchObject({ readonlyRootFilesystem: true, privileged: false, user: "1000:1000" });
    expect(definition.environment).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
    expect(definition.mountPoints).toEqual([{ sourceVolume: "efs", containerPath: "/data", readOnly: true }]);
  });
});

describe("serviceSecurityGroupRules", () => {
  it("connects load balancer and service by group on the container port, in both directions", () => {
    const plan = serviceSecurityGroupRules({
      serviceName: "api",
      containerPort: 8080,
      loadBalancerSecurityGroupId: "sg-alb",
      serviceSecurityGroupId: "sg-svc",
      egress: [
        { description: "HTTPS", port: 443, protocol: "tcp", cidr: "0.0.0.0/0" },
        { description: "PostgreSQL", port: 5432, protocol: "tcp", securityGroupId: "sg-db" },
      ],
    });
    expect(plan.ingressFromLoadBalancer).toMatchObject({ port: 8080, securityGroupId: "sg-alb" });
    expect(plan.ingressFromLoadBalancer.cidr).toBeUndefined();
    expect(plan.loadBalancerEgress).toMatchObject({ port: 8080, securityGroupId: "sg-svc" });
    expect(plan.egress.map((r) => r.key)).toEqual(["egress-tcp-443-0-0-0-0-0", "egress-tcp-5432-1"]);
  });
});
