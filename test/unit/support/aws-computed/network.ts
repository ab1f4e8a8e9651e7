import type { ComputedFields } from "./index";

/** Provider-computed fields of the network module's resource types. */
export const networkComputed: Record<string, ComputedFields> = {
  "aws:ec2/vpc:Vpc": (name) => ({
    id: `vpc-${name}`,
    defaultSecurityGroupId: `sg-default-${name}`,
    defaultNetworkAclId: `acl-default-${name}`,
    mainRouteTableId: `rtb-main-${name}`,
  }),
  "aws:ec2/subnet:Subnet": (name) => ({ id: `subnet-${name}` }),
  "aws:ec2/securityGroup:SecurityGroup": (name, _inputs, { region }) => ({
    id: `sg-${name}`,
    arn: `arn:aws:ec2:${region}:123456789012:security-group/sg-${name}`,
  }),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (name) => ({ id: `sg-default-${name}` }),
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": (name) => ({ id: `acl-default-${name}` }),
  "aws:ec2/networkAcl:NetworkAcl": (name) => ({ id: `acl-${name}` }),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (name) => ({
    id: `sgr-in-${name}`,
    securityGroupRuleId: `sgr-in-${name}`,
  }),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (name) => ({
    id: `sgr-out-${name}`,
    securityGroupRuleId: `sgr-out-${name}`,
  }),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": (name) => ({ id: `rtbassoc-${name}` }),
  "aws:ec2/routeTable:RouteTable": (name) => ({ id: `rtb-${name}` }),
  "aws:ec2/internetGateway:InternetGateway": (name) => ({ id: `igw-${name}` }),
  "aws:ec2/natGateway:NatGateway": (name) => ({ id: `nat-${name}`, publicIp: "203.0.113.10" }),
  "aws:ec2/eip:Eip": (name) => ({ id: `eipalloc-${name}`, allocationId: `eipalloc-${name}`, publicIp: "203.0.113.10" }),
  "aws:ec2/vpcEndpoint:VpcEndpoint": (name) => ({ id: `vpce-${name}` }),
  "aws:ec2/flowLog:FlowLog": (name) => ({ id: `fl-${name}` }),
  "aws:cloudwatch/logGroup:LogGroup": (name, inputs, { region }) => ({
    name: inputs.name ?? `${name}-log-group`,
    arn: `arn:aws:logs:${region}:123456789012:log-group:${String(inputs.name ?? name)}`,
  }),
  "aws:kms/key:Key": (name, _inputs, { region }) => ({
    id: `key-${name}`,
    keyId: `key-${name}`,
    arn: `arn:aws:kms:${region}:123456789012:key/key-${name}`,
  }),
  "aws:iam/role:Role": (name, inputs) => ({
    name: inputs.name ?? `${name}-role`,
    arn: `arn:aws:iam::123456789012:role/${String(inputs.name ?? name)}`,
  }),
  "aws:iam/policy:Policy": (name, inputs) => ({
    arn: `arn:aws:iam::123456789012:policy/${String(inputs.name ?? name)}`,
  }),
};
