import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { adminExposure } from "../../policy/network";
import { describeRules } from "./support/policy-harness";

const vpcId = "vpc-0123456789abcdef0";
const securityGroupId = "sg-0123456789abcdef0";

describe("adminExposure", () => {
  it.each([
    [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrs: ["0.0.0.0/0"] }, /port 22/],
    [{ protocol: "6", fromPort: 20, toPort: 30, cidrs: ["::/0"] }, /port 22 \(6, range 20-30\) from ::\/0/],
    [{ protocol: "udp", fromPort: 3389, toPort: 3389, cidrs: ["0.0.0.0/0"] }, /port 3389/],
    [{ protocol: "-1", fromPort: 0, toPort: 0, cidrs: ["0.0.0.0/0"] }, /all traffic/],
    [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrs: ["0.0.0.0/0"] }, /all ports/],
  ])("refuses %j", (rule, reason) => {
    expect(adminExposure(rule)).toMatch(reason);
  });

  it.each([
    { protocol: "tcp", fromPort: 443, toPort: 443, cidrs: ["0.0.0.0/0"] },
    { protocol: "tcp", fromPort: 22, toPort: 22, cidrs: ["10.0.0.0/8"] },
    { protocol: "icmp", fromPort: -1, toPort: -1, cidrs: ["0.0.0.0/0"] },
    { protocol: "50", fromPort: 0, toPort: 0, cidrs: ["0.0.0.0/0"] },
  ])("allows %j", (rule) => {
    expect(adminExposure(rule)).toBeUndefined();
  });
});

describeRules([
  {
    policy: "security-group-no-public-admin-ingress",
    level: "mandatory",
    bad: [
      {
        name: "an inline rule opening SSH to 0.0.0.0/0",
        program: () =>
          new aws.ec2.SecurityGroup("ssh", {
            vpcId,
            ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], description: "ssh" }],
          }),
        blames: "ssh",
        message: /Inline ingress rule 0 allows port 22/,
      },
      {
        name: "an inline rule opening all traffic to ::/0",
        program: () =>
          new aws.ec2.SecurityGroup("open", {
            vpcId,
            ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }],
          }),
        blames: "open",
        message: /all traffic from ::\/0/,
      },
      {
        name: "a SecurityGroupRule opening RDP",
        program: () =>
          new aws.ec2.SecurityGroupRule("rdp", {
            type: "ingress",
            securityGroupId,
            protocol: "tcp",
            fromPort: 3389,
            toPort: 3389,
            cidrBlocks: ["0.0.0.0/0"],
          }),
        blames: "rdp",
        message: /port 3389/,
      },
      {
        name: "a vpc.SecurityGroupIngressRule opening every TCP port",
        program: () =>
          new aws.vpc.SecurityGroupIngressRule("all-ports", {
            securityGroupId,
            ipProtocol: "tcp",
            fromPort: 0,
            toPort: 65535,
            cidrIpv4: "0.0.0.0/0",
          }),
        blames: "all-ports",
        message: /all ports from 0\.0\.0\.0\/0/,
      },
    ],
    good: [
      {
        name: "HTTPS from the internet, SSH from the VPC, all egress",
        program: () => {
          new aws.ec2.SecurityGroup("web", {
            vpcId,
            ingress: [
              { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
              { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] },
            ],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
          });
          new aws.ec2.SecurityGroupRule("egress", {
            type: "egress",
            securityGroupId,
            protocol: "-1",
            fromPort: 0,
            toPort: 0,
            cidrBlocks: ["0.0.0.0/0"],
          });
          new aws.vpc.SecurityGroupIngressRule("from-clients", {
            securityGroupId,
            ipProtocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            referencedSecurityGroupId: "sg-0fedcba9876543210",
          });
        },
      },
    ],
  },
  {
    policy: "security-group-rule-description",
    level: "advisory",
    bad: [
      {
        name: "an inline egress rule without description",
        program: () =>
          new aws.ec2.SecurityGroup("quiet", {
            vpcId,
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS" }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
          }),
        blames: "quiet",
        message: /Inline egress rule 0 has no description/,
      },
      {
        name: "a SecurityGroupRule with a blank description",
        program: () =>
          new aws.ec2.SecurityGroupRule("blank", {
            type: "ingress",
            securityGroupId,
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["10.0.0.0/8"],
            description: "  ",
          }),
        blames: "blank",
      },
      {
        name: "a vpc.SecurityGroupEgressRule without description",
        program: () =>
          new aws.vpc.SecurityGroupEgressRule("out", { securityGroupId, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }),
        blames: "out",
      },
    ],
    good: [
      {
        name: "every rule described",
        program: () => {
          new aws.ec2.SecurityGroup("described", {
            vpcId,
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS" }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "all out" }],
          });
          new aws.vpc.SecurityGroupIngressRule("in", {
            securityGroupId,
            ipProtocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            referencedSecurityGroupId: "sg-0fedcba9876543210",
            description: "from app",
          });
        },
      },
    ],
  },
  {
    policy: "subnet-no-public-ip-on-launch",
    level: "mandatory",
    bad: [
      {
        name: "mapPublicIpOnLaunch true",
        program: () => new aws.ec2.Subnet("public-a", { vpcId, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true }),
        blames: "public-a",
        message: /mapPublicIpOnLaunch is true/,
      },
    ],
    good: [
      {
        name: "mapPublicIpOnLaunch false or unset",
        program: () => {
          new aws.ec2.Subnet("public-b", { vpcId, cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: false });
          new aws.ec2.Subnet("private-a", { vpcId, cidrBlock: "10.0.2.0/24" });
        },
      },
    ],
  },
  {
    policy: "vpc-flow-logs",
    level: "mandatory",
    bad: [
      {
        name: "a VPC whose flow log is another VPC's",
        program: () => {
          const logged = new aws.ec2.Vpc("logged", { cidrBlock: "10.0.0.0/16" });
          new aws.ec2.Vpc("unlogged", { cidrBlock: "10.1.0.0/16" });
          new aws.ec2.FlowLog("logged", { vpcId: logged.id, trafficType: "ALL", logDestination: "arn:aws:logs:x" });
        },
        blames: "unlogged",
        message: /has no flow log/,
      },
      {
        name: "a VPC without flow log, during a first preview",
        preview: true,
        program: () => {
          const logged = new aws.ec2.Vpc("logged", { cidrBlock: "10.0.0.0/16" });
          new aws.ec2.Vpc("unlogged", { cidrBlock: "10.1.0.0/16" });
          new aws.ec2.FlowLog("logged", { vpcId: logged.id, trafficType: "ALL", logDestination: "arn:aws:logs:x" });
        },
        blames: "unlogged",
      },
    ],
    good: [
      {
        name: "a flow log naming the VPC's id",
        program: () => {
          const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });
          new aws.ec2.FlowLog("main", { vpcId: vpc.id, trafficType: "ALL", logDestination: "arn:aws:logs:x" });
        },
      },
      {
        name: "the same during a first preview, when the VPC's id is unknown",
        preview: true,
        program: () => {
          const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });
          new aws.ec2.FlowLog("main", { vpcId: vpc.id, trafficType: "ALL", logDestination: "arn:aws:logs:x" });
        },
      },
    ],
  },
  {
    policy: "log-group-retention",
    level: "advisory",
    bad: [
      {
        name: "no retentionInDays",
        program: () => new aws.cloudwatch.LogGroup("forever", { kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" }),
        blames: "forever",
        message: /kept forever/,
      },
    ],
    good: [{ name: "90 days", program: () => new aws.cloudwatch.LogGroup("app", { retentionInDays: 90 }) }],
  },
  {
    policy: "log-group-kms",
    level: "mandatory",
    bad: [
      {
        name: "no kmsKeyId",
        program: () => new aws.cloudwatch.LogGroup("plain", { retentionInDays: 30 }),
        blames: "plain",
        message: /kmsKeyId is not set/,
      },
    ],
    good: [
      {
        name: "a key created alongside, even while its ARN is unknown (first preview)",
        preview: true,
        program: () => {
          const key = new aws.kms.Key("logs", { enableKeyRotation: true });
          new aws.cloudwatch.LogGroup("app", { retentionInDays: 30, kmsKeyId: key.arn });
        },
      },
    ],
  },
]);
