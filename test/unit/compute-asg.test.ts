import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { AutoScalingGroup } from "../../components/compute/auto-scaling/auto-scaling-group";
import { problemsOf } from "./support/component-args";
import { type MockedEngine, mockEngine, outputValue, type RegisteredResource } from "./support/pulumi-mocks";

const SUBNETS = ["subnet-a", "subnet-b"];

function one(engine: MockedEngine, type: string): RegisteredResource {
  const found = engine.ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0] as RegisteredResource;
}

const problemsOfArgs = (args: unknown) => problemsOf(() => new AutoScalingGroup("bad", args as never));

describe("AutoScalingGroup", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-compute", { "aws:region": "eu-west-1" });
  });

  it("launches hardened, private, SSH-less instances with only the SSM policy by default", async () => {
    // The README example: the VPC and subnets as an upstream stack's Outputs.
    const group = new AutoScalingGroup("workers", {
      vpcId: pulumi.output("vpc-main"),
      subnetIds: pulumi.output(SUBNETS),
    });
    await engine.settle();
    expect(engine.resources.map((r) => r.type).sort()).toEqual([
      "aws:autoscaling/group:Group",
      "aws:ec2/launchTemplate:LaunchTemplate",
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:iam/instanceProfile:InstanceProfile",
      "aws:iam/role:Role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
      "stackline:compute:AutoScalingGroup",
    ]);

    const template = one(engine, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template.inputs).toMatchObject({
      imageId: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
      instanceType: "t3.small",
      iamInstanceProfile: { arn: "arn:aws:iam:eu-west-1:123456789012:instanceprofile/workers-instance-profile" },
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: 20, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: ["sg-workers-instances"],
        },
      ],
    });
    expect(template.inputs.keyName).toBeUndefined();
    expect(template.inputs.userData).toBeUndefined();
    expect(template.inputs.vpcSecurityGroupIds).toBeUndefined();

    const asg = one(engine, "aws:autoscaling/group:Group");
    expect(asg.inputs).toMatchObject({
      vpcZoneIdentifiers: SUBNETS,
      minSize: 2,
      desiredCapacity: 2,
      maxSize: 4,
      launchTemplate: { id: "lt-workers-launch-template", version: "1" },
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { minHealthyPercentage: 90, instanceWarmup: "300", autoRollback: true },
      },
      healthCheckType: "EC2",
      healthCheckGracePeriod: 300,
      targetGroupArns: [],
    });
    const tags = asg.inputs.tags as { key: string; value: string; propagateAtLaunch: boolean }[];
    expect(tags).toContainEqual({
      key: "stackline:component",
      value: "compute:AutoScalingGroup/workers",
      propagateAtLaunch: true,
    });
    expect(tags.every((t) => t.propagateAtLaunch)).toBe(true);

    // Its own security group: no ingress at all, egress HTTPS only.
    const sg = one(engine, "aws:ec2/securityGroup:SecurityGroup");
    expect(sg.inputs).toMatchObject({ vpcId: "vpc-main" });
    expect(sg.inputs.ingress).toBeUndefined();
    expect(sg.inputs.egress).toBeUndefined();
    expect(engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toHaveLength(0);
    expect(one(engine, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").inputs).toMatchObject({
      securityGroupId: "sg-workers-instances",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });

    expect(await outputValue(group.autoScalingGroupName)).toBe("workers-group");
    expect(await outputValue(group.arn)).toBe("arn:aws:autoscaling:eu-west-1:123456789012:group/workers-group");
    expect(await outputValue(group.launchTemplateId)).toBe("lt-workers-launch-template");
    expect(await outputValue(group.securityGroupId)).toBe("sg-workers-instances");
    expect(await outputValue(group.instanceRoleArn)).toBe("arn:aws:iam::123456789012:role/workers-instance-role");
  });

  it("gives the instance role AmazonSSMManagedInstanceCore only, assumable by EC2 only", async () => {
    new AutoScalingGroup("workers", { vpcId: "vpc-main", subnetIds: SUBNETS });
    await engine.settle();
    const role = one(engine, "aws:iam/role:Role");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const attachments = engine.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(attachments.map((a) => a.inputs)).toEqual([
      { role: "workers-instance-role-role", policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
    ]);
    expect(engine.ofType("aws:iam/rolePolicy:RolePolicy")).toHaveLength(0);
    expect(one(engine, "aws:iam/instanceProfile:InstanceProfile").inputs.role).toBe("workers-instance-role-role");
  });

  it("takes overrides: a pinned AMI, a customer key, extra policies, ingress from a group, target groups", async () => {
    const volumeKey = "arn:aws:kms:eu-west-1:123456789012:key/volumes";
    const targetGroup = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067";
    new AutoScalingGroup("web", {
      vpcId: "vpc-main",
      subnetIds: SUBNETS,
      amiId: "ami-0123456789abcdef0",
      instanceType: "m7i.large",
      capacity: { minSize: 1, desiredSize: 3, maxSize: 5 },
      rootVolume: { sizeGiB: 64, kmsKeyArn: volumeKey },
      extraManagedPolicyArns: ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
      ingress: [{ fromSecurityGroupId: "sg-load-balancer", port: 8080 }],
      egress: "all",
      targetGroupArns: [targetGroup],
      instanceRefresh: { minHealthyPercentage: 50, instanceWarmupSeconds: 120, autoRollback: false },
      userData: "#!/bin/bash\necho hello\n",
      tags: { team: "web" },
    });
    await engine.settle();

    const template = one(engine, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template.inputs).toMatchObject({
      imageId: "ami-0123456789abcdef0",
      instanceType: "m7i.large",
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: 64, volumeType: "gp3", encrypted: "true", kmsKeyId: volumeKey },
        },
      ],
      userData: Buffer.from("#!/bin/bash\necho hello\n").toString("base64"),
    });
    expect(one(engine, "aws:autoscaling/group:Group").inputs).toMatchObject({
      minSize: 1,
      desiredCapacity: 3,
      maxSize: 5,
      targetGroupArns: [targetGroup],
      healthCheckType: "ELB",
      instanceRefresh: { preferences: { minHealthyPercentage: 50, instanceWarmup: "120", autoRollback: false } },
    });
    expect(
      engine
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .map((a) => a.inputs.policyArn)
        .sort(),
    ).toEqual([
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    ]);
    // Ingress only from the other group, never from CIDRs.
    const ingress = one(engine, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.inputs).toMatchObject({
      securityGroupId: "sg-web-instances",
      referencedSecurityGroupId: "sg-load-balancer",
      ipProtocol: "tcp",
      fromPort: 8080,
      toPort: 8080,
      description: "From sg-load-balancer on port 8080",
    });
    expect(ingress.inputs.cidrIpv4).toBeUndefined();
    expect(one(engine, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").inputs).toMatchObject({
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    for (const r of engine.resources.filter((r) => r.type.startsWith("aws:") && r.inputs.tags !== undefined)) {
      if (r.type === "aws:autoscaling/group:Group") continue;
      expect(r.inputs.tags, r.type).toMatchObject({
        team: "web",
        "stackline:component": "compute:AutoScalingGroup/web",
      });
    }
    expect(
      (template.inputs.tagSpecifications as { resourceType: string; tags: Record<string, string> }[]).map((t) => [
        t.resourceType,
        t.tags.team,
      ]),
    ).toEqual([
      ["volume", "web"],
      ["network-interface", "web"],
    ]);
  });

  it("can have no egress at all", async () => {
    new AutoScalingGroup("sealed", { vpcId: "vpc-main", subnetIds: SUBNETS, egress: "none" });
    await engine.settle();
    expect(engine.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toHaveLength(0);
  });

  it("refuses an SSH key, pointing to Session Manager, and both an AMI id and an AMI parameter", async () => {
    expect(
      problemsOfArgs({
        vpcId: "vpc-main",
        subnetIds: SUBNETS,
        keyName: "my-laptop",
        amiId: "ami-0123456789abcdef0",
        amiParameter: "/my/ami",
      }),
    ).toEqual([
      {
        path: "keyName",
        expected: "no SSH key pair: connect with SSM Session Manager (aws ssm start-session --target <instance-id>)",
        found: '"my-laptop"',
      },
    ]);
    // Once the key is gone, the AMI conflict is reported.
    expect(
      problemsOfArgs({
        vpcId: "vpc-main",
        subnetIds: SUBNETS,
        amiId: "ami-0123456789abcdef0",
        amiParameter: "/my/ami",
      }),
    ).toEqual([
      { path: "amiParameter", expected: "at most one of amiId and amiParameter (amiId is set)", found: '"/my/ami"' },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses bad values before creating anything, naming each field, what it expects and what it found", async () => {
    const problems = problemsOfArgs({
      vpcId: "",
      subnetIds: "subnet-a",
      amiId: "ubuntu",
      instanceType: "large",
      capacity: { minSize: 2, desiredSize: 5, maxSize: 3 },
      rootVolume: { sizeGiB: 4 },
      extraManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess", "ReadOnlyAccess"],
      ingress: [{ fromSecurityGroupId: "sg-x", port: 70000 }],
      egress: "everything",
      associatePublicIpAddress: true,
    });
    expect(problems).toEqual([
      { path: "vpcId", expected: "length at least 1", found: '""' },
      { path: "subnetIds", expected: "a non-empty list of ids, or a Pulumi Output of one", found: '"subnet-a"' },
      { path: "amiId", expected: "an AMI id like ami-0123456789abcdef0", found: '"ubuntu"' },
      { path: "instanceType", expected: "an EC2 instance type like t3.small", found: '"large"' },
      {
        path: "capacity",
        expected: "minSize <= desiredSize <= maxSize and maxSize >= 1 (here 2 <= 5 <= 3)",
        found: '{"minSize":2,"desiredSize":5,"maxSize":3}',
      },
      { path: "rootVolume.sizeGiB", expected: "at least 8", found: "4" },
      {
        path: "extraManagedPolicyArns.0",
        expected: "a policy narrower than AdministratorAccess, PowerUserAccess or IAMFullAccess",
        found: '"arn:aws:iam::aws:policy/AdministratorAccess"',
      },
      {
        path: "extraManagedPolicyArns.1",
        expected: "an IAM policy ARN like arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
        found: '"ReadOnlyAccess"',
      },
      { path: "ingress.0.port", expected: "at most 65535", found: "70000" },
      { path: "egress", expected: 'one of "https", "all", "none"', found: '"everything"' },
      {
        path: "associatePublicIpAddress",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: "true",
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});
