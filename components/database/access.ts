import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface AccessGroupsArgs {
  vpcId: pulumi.Input<string>;
  port: number;
  /** Security groups allowed in besides the client group. */
  allowedSecurityGroupIds: pulumi.Input<string>[];
  /** What the server is, for the groups' descriptions (ASCII, no quotes). */
  what: string;
  tags: Record<string, string>;
}

export interface AccessGroups {
  server: aws.ec2.SecurityGroup;
  client: aws.ec2.SecurityGroup;
}

/**
 * The "client security group" pattern: a server group whose only ingress is the service port from
 * named security groups (never a CIDR), and a client group that is always allowed in, for downstream
 * stacks to attach. The client group's one rule is egress to the server on that port, so attaching it is
 * enough even where a client's own groups restrict egress. Neither group has any other rule: the AWS
 * provider removes the allow-all egress rule AWS adds to a new group.
 */
export function accessGroups(name: string, args: AccessGroupsArgs, parent: pulumi.Resource): AccessGroups {
  const child = { parent };
  const server = new aws.ec2.SecurityGroup(
    `${name}-server`,
    {
      vpcId: args.vpcId,
      description: `${args.what}: port ${args.port} from its client group and allowed groups only`,
      tags: args.tags,
    },
    child,
  );
  const client = new aws.ec2.SecurityGroup(
    `${name}-client`,
    {
      vpcId: args.vpcId,
      description: `Clients of ${args.what}: attach to reach it on port ${args.port}`,
      tags: args.tags,
    },
    child,
  );
  const rule = { ipProtocol: "tcp", fromPort: args.port, toPort: args.port, tags: args.tags };
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-from-client`,
    { ...rule, securityGroupId: server.id, referencedSecurityGroupId: client.id, description: "From the client group" },
    child,
  );
  args.allowedSecurityGroupIds.forEach((groupId, index) => {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-from-allowed-${index}`,
      { ...rule, securityGroupId: server.id, referencedSecurityGroupId: groupId, description: "From an allowed group" },
      child,
    );
  });
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-client-to-server`,
    { ...rule, securityGroupId: client.id, referencedSecurityGroupId: server.id, description: `To ${args.what}` },
    child,
  );
  return { server, client };
}
