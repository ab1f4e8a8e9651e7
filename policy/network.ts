import type * as aws from "@pulumi/aws";
import type { Policies, ReportViolation } from "@pulumi/policy";
import { isSet, knownElements, peek, UNKNOWN } from "./support/props";
import { described, refersTo, resourcesOf, validateAnyOf, validateTypes } from "./support/resources";

const SECURITY_GROUPS = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const VPC_EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SUBNET = "aws:ec2/subnet:Subnet";
const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** Addresses meaning "the whole internet". */
const WORLD = ["0.0.0.0/0", "::/0"];
/** Remote administration ports: SSH and RDP. */
const ADMIN_PORTS = [22, 3389];
/** Protocols whose from/to ports are ICMP types, not ports. */
const ICMP = ["icmp", "1", "icmpv6", "58"];

/** One ingress rule, whichever resource declares it. */
interface IngressRule {
  protocol: unknown;
  fromPort: unknown;
  toPort: unknown;
  cidrs: string[];
}

/** What an ingress rule opens to the world that it must not, or undefined when it opens nothing of that kind. */
export function adminExposure(rule: IngressRule): string | undefined {
  const world = rule.cidrs.filter((cidr) => WORLD.includes(cidr));
  if (world.length === 0) return undefined;
  const protocol = String(rule.protocol).toLowerCase();
  const from = world.join(" and ");
  if (protocol === "-1" || protocol === "all") return `all traffic from ${from}`;
  if (ICMP.includes(protocol)) return undefined;
  if (!["tcp", "6", "udp", "17"].includes(protocol)) return undefined;
  const low = typeof rule.fromPort === "number" ? rule.fromPort : 0;
  const high = typeof rule.toPort === "number" ? rule.toPort : 65535;
  if (low <= 0 && high >= 65535) return `all ports from ${from}`;
  const port = ADMIN_PORTS.find((p) => low <= p && p <= high);
  return port === undefined ? undefined : `port ${port} (${protocol}, range ${low}-${high}) from ${from}`;
}

const FIX_INGRESS =
  "Allow administration through SSM Session Manager or a bastion's security group (referencedSecurityGroupId), never from 0.0.0.0/0 or ::/0.";

function checkIngress(rules: IngressRule[], where: (index: number) => string, report: ReportViolation) {
  rules.forEach((rule, index) => {
    const exposure = adminExposure(rule);
    if (exposure) report(`${where(index)} allows ${exposure}. ${FIX_INGRESS}`);
  });
}

/** True when a rule's description is known to be empty (an unknown one will be set). */
function missingDescription(read: () => unknown): boolean {
  const value = peek(read);
  return value !== UNKNOWN && (typeof value !== "string" || value.trim() === "");
}

export const networkPolicies: Policies = [
  {
    name: "security-group-no-public-admin-ingress",
    description:
      "Security groups and their rules allow no ingress from 0.0.0.0/0 or ::/0 to SSH (22), RDP (3389) or all ports.",
    enforcementLevel: "mandatory",
    validateResource: validateAnyOf(
      validateTypes<aws.ec2.SecurityGroupArgs>(SECURITY_GROUPS, (group, _args, report) => {
        const rules = knownElements(() => group.ingress).map((rule) => ({
          protocol: rule.protocol,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
          cidrs: [...knownElements(() => rule.cidrBlocks), ...knownElements(() => rule.ipv6CidrBlocks)],
        }));
        checkIngress(rules, (index) => `Inline ingress rule ${index}`, report);
      }),
      validateTypes<aws.ec2.SecurityGroupRuleArgs>([SECURITY_GROUP_RULE], (rule, _args, report) => {
        if (rule.type !== "ingress") return;
        const cidrs = [...knownElements(() => rule.cidrBlocks), ...knownElements(() => rule.ipv6CidrBlocks)];
        checkIngress([{ ...rule, cidrs }], () => "This ingress rule", report);
      }),
      validateTypes<aws.vpc.SecurityGroupIngressRuleArgs>([VPC_INGRESS_RULE], (rule, _args, report) => {
        const cidrs = [peek(() => rule.cidrIpv4), peek(() => rule.cidrIpv6)].filter(
          (cidr): cidr is string => typeof cidr === "string",
        );
        checkIngress(
          [{ protocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort, cidrs }],
          () => "This ingress rule",
          report,
        );
      }),
    ),
  },
  {
    name: "security-group-rule-description",
    description: "Every security group rule says why it exists (a description), so reviews and audits can judge it.",
    enforcementLevel: "advisory",
    validateResource: validateAnyOf(
      validateTypes<aws.ec2.SecurityGroupArgs>(SECURITY_GROUPS, (group, _args, report) => {
        for (const direction of ["ingress", "egress"] as const) {
          knownElements(() => group[direction]).forEach((rule, index) => {
            if (missingDescription(() => rule.description))
              report(`Inline ${direction} rule ${index} has no description: say which client or purpose it serves.`);
          });
        }
      }),
      validateTypes<aws.ec2.SecurityGroupRuleArgs>([SECURITY_GROUP_RULE], (rule, _args, report) => {
        if (missingDescription(() => rule.description))
          report("This security group rule has no description: say which client or purpose it serves.");
      }),
      validateTypes<aws.vpc.SecurityGroupIngressRuleArgs>(
        [VPC_INGRESS_RULE, VPC_EGRESS_RULE],
        (rule, _args, report) => {
          if (missingDescription(() => rule.description))
            report("This security group rule has no description: say which client or purpose it serves.");
        },
      ),
    ),
  },
  {
    name: "subnet-no-public-ip-on-launch",
    description: "Subnets do not give instances a public IP address on launch.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.ec2.SubnetArgs>([SUBNET], (subnet, _args, report) => {
      if (subnet.mapPublicIpOnLaunch === true)
        report(
          "mapPublicIpOnLaunch is true: every instance launched here gets a public IP. Set it to false; load balancers and NAT gateways in public subnets get their addresses without it.",
        );
    }),
  },
  {
    name: "vpc-flow-logs",
    description: "Every VPC has a flow log (an aws.ec2.FlowLog whose vpcId is the VPC), for incident investigation.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
      const flowLogs = resourcesOf(args, [FLOW_LOG]);
      for (const vpc of resourcesOf(args, [VPC])) {
        if (!flowLogs.some((log) => refersTo(log, { property: "vpcId" }, vpc, ["id"])))
          report(
            `${described(vpc)} has no flow log. Add an aws.ec2.FlowLog with vpcId set to this VPC's id (trafficType "ALL").`,
            vpc.urn,
          );
      }
    },
  },
  {
    name: "log-group-retention",
    description: "CloudWatch log groups expire their logs (retentionInDays), so storage costs do not grow forever.",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.cloudwatch.LogGroupArgs>([LOG_GROUP], (group, _args, report) => {
      const days = peek(() => group.retentionInDays);
      if (days !== UNKNOWN && (typeof days !== "number" || days <= 0))
        report("retentionInDays is not set: logs are kept forever. Set it (for example 90, or 365 for audit logs).");
    }),
  },
  {
    name: "log-group-kms",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key (kmsKeyId).",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.cloudwatch.LogGroupArgs>([LOG_GROUP], (group, _args, report) => {
      if (!isSet(() => group.kmsKeyId))
        report(
          "kmsKeyId is not set. Set it to a KMS key ARN whose key policy allows logs.<region>.amazonaws.com to use it.",
        );
    }),
  },
];
