import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { metadataProblems } from "../../policy/compute";
import { describeRules } from "./support/policy-harness";

const imdsv2 = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 };
const encryptedRoot = [
  { deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k", volumeSize: 30 } },
];

describe("metadataProblems", () => {
  it("accepts IMDSv2 with hop limit 1, and IMDS turned off", () => {
    expect(metadataProblems(imdsv2)).toEqual([]);
    expect(metadataProblems({ httpEndpoint: "disabled" })).toEqual([]);
  });
  it("names each wrong setting", () => {
    expect(metadataProblems({ httpTokens: "optional", httpPutResponseHopLimit: 2 })).toEqual([
      expect.stringMatching(/httpTokens is "optional"/),
      expect.stringMatching(/httpPutResponseHopLimit is 2/),
    ]);
    expect(metadataProblems(undefined)).toEqual([expect.stringMatching(/metadataOptions is not set/)]);
  });
});

describeRules([
  {
    policy: "ec2-imdsv2",
    level: "mandatory",
    bad: [
      {
        name: "a launch template allowing IMDSv1",
        program: () =>
          new aws.ec2.LaunchTemplate("v1", { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } }),
        blames: "v1",
        message: /httpTokens is "optional"/,
      },
      {
        name: "a launch template with hop limit 2",
        program: () =>
          new aws.ec2.LaunchTemplate("hops", {
            metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 },
          }),
        blames: "hops",
        message: /httpPutResponseHopLimit is 2/,
      },
      {
        name: "an instance without metadata options or launch template",
        program: () => new aws.ec2.Instance("bare", { ami: "ami-1", instanceType: "t3.micro" }),
        blames: "bare",
        message: /metadataOptions is not set/,
      },
    ],
    good: [
      {
        name: "IMDSv2 with hop limit 1 on a template and an instance; an instance from a template",
        program: () => {
          const template = new aws.ec2.LaunchTemplate("nodes", { metadataOptions: imdsv2 });
          new aws.ec2.Instance("web", { ami: "ami-1", instanceType: "t3.micro", metadataOptions: imdsv2 });
          new aws.ec2.Instance("from-template", { launchTemplate: { id: template.id, version: "$Latest" } });
        },
      },
    ],
  },
  {
    policy: "ebs-encryption",
    level: "mandatory",
    bad: [
      {
        name: "a launch template with an unencrypted volume",
        program: () =>
          new aws.ec2.LaunchTemplate("plain", {
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 30 } }],
          }),
        blames: "plain",
        message: /"\/dev\/xvda" has ebs.encrypted "false"/,
      },
      {
        name: "a launch template declaring no EBS volume",
        program: () => new aws.ec2.LaunchTemplate("ami-decides", { imageId: "ami-1" }),
        blames: "ami-decides",
        message: /No EBS block device mapping/,
      },
      {
        name: "an instance with an unencrypted root volume",
        program: () => new aws.ec2.Instance("root", { ami: "ami-1", rootBlockDevice: { volumeSize: 20 } }),
        blames: "root",
        message: /rootBlockDevice.encrypted is not set/,
      },
      {
        name: "an unencrypted standalone volume",
        program: () => new aws.ebs.Volume("data", { availabilityZone: "eu-west-1a", size: 10 }),
        blames: "data",
      },
    ],
    good: [
      {
        name: "encrypted template, instance and volume",
        program: () => {
          new aws.ec2.LaunchTemplate("nodes", { blockDeviceMappings: encryptedRoot });
          new aws.ec2.Instance("web", {
            ami: "ami-1",
            rootBlockDevice: { encrypted: true },
            ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }],
          });
          new aws.ebs.Volume("data", { availabilityZone: "eu-west-1a", size: 10, encrypted: true });
        },
      },
    ],
  },
  {
    policy: "node-groups-use-launch-templates",
    level: "mandatory",
    bad: [
      {
        name: "an Auto Scaling group with a launch configuration",
        program: () => new aws.autoscaling.Group("legacy", { minSize: 1, maxSize: 2, launchConfiguration: "lc-1" }),
        blames: "legacy",
        message: /launch configuration/,
      },
      {
        name: "an EKS node group without launch template",
        program: () =>
          new aws.eks.NodeGroup("default", {
            clusterName: "main",
            nodeRoleArn: "arn:aws:iam::1:role/nodes",
            subnetIds: ["subnet-1"],
            scalingConfig: { desiredSize: 2, maxSize: 3, minSize: 1 },
          }),
        blames: "default",
        message: /no launchTemplate/,
      },
    ],
    good: [
      {
        name: "a group and a node group launching from templates",
        program: () => {
          const template = new aws.ec2.LaunchTemplate("nodes", { metadataOptions: imdsv2 });
          new aws.autoscaling.Group("workers", {
            minSize: 1,
            maxSize: 2,
            launchTemplate: { id: template.id, version: "$Latest" },
          });
          new aws.autoscaling.Group("mixed", {
            minSize: 1,
            maxSize: 2,
            mixedInstancesPolicy: {
              launchTemplate: { launchTemplateSpecification: { launchTemplateId: template.id } },
            },
          });
          new aws.eks.NodeGroup("general", {
            clusterName: "main",
            nodeRoleArn: "arn:aws:iam::1:role/nodes",
            subnetIds: ["subnet-1"],
            scalingConfig: { desiredSize: 2, maxSize: 3, minSize: 1 },
            launchTemplate: { id: template.id, version: "1" },
          });
        },
      },
    ],
  },
]);
