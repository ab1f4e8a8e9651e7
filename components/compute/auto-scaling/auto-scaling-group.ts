import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { standardTags } from "../../aws/tags";
import { parseComponentArgs } from "../../validation";
import { type AutoScalingGroupArgs, autoScalingGroupArgsSchema } from "./args";
import { awsManagedPolicyArn, serviceTrustPolicy } from "./iam-policies";
import { encryptedRootVolume, IMDSV2_ONLY, launchTagSpecifications } from "./launch-template-hardening";
import { egressRules, encodeUserData, imageIdFor, propagatedTags } from "./plan";

export type { AutoScalingGroupArgs } from "./args";

/** The one managed policy an instance role gets by default: what SSM Session Manager and Run Command need. */
export const SSM_CORE_POLICY = "AmazonSSMManagedInstanceCore";

/**
 * An EC2 Auto Scaling group in private subnets, launched from a hardened launch template: IMDSv2
 * only with a hop limit of 1, encrypted gp3 volumes, no SSH key (Session Manager instead), no public
 * IP, its own security group with no ingress unless asked, an instance role with only
 * AmazonSSMManagedInstanceCore by default, rolling instance refresh, and tags propagated at launch.
 */
export class AutoScalingGroup extends pulumi.ComponentResource {
  static readonly type = "stackline:compute:AutoScalingGroup";
  /** The group's name. */
  readonly autoScalingGroupName: pulumi.Output<string>;
  /** The group's ARN. */
  readonly arn: pulumi.Output<string>;
  /** The launch template's id. */
  readonly launchTemplateId: pulumi.Output<string>;
  /** The instances' security group; add ingress rules from other groups to it. */
  readonly securityGroupId: pulumi.Output<string>;
  /** The instance role's ARN. */
  readonly instanceRoleArn: pulumi.Output<string>;
  /** The instance role's name, to attach more policies to. */
  readonly instanceRoleName: pulumi.Output<string>;

  constructor(name: string, args: AutoScalingGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(AutoScalingGroup.type, name, autoScalingGroupArgsSchema, args);
    super(AutoScalingGroup.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(AutoScalingGroup.type, name, parsed.tags);
    const { partition } = aws.getPartitionOutput({}, child);

    const role = new aws.iam.Role(
      `${name}-instance-role`,
      {
        description: `Instance role of the ${name} Auto Scaling group`,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
        tags,
      },
      child,
    );
    const policyArns: pulumi.Input<string>[] = [
      partition.apply((p) => awsManagedPolicyArn(p, SSM_CORE_POLICY)),
      ...parsed.extraManagedPolicyArns,
    ];
    const attachments = policyArns.map(
      (policyArn, index) =>
        new aws.iam.RolePolicyAttachment(`${name}-instance-policy-${index}`, { role: role.name, policyArn }, child),
    );
    const profile = new aws.iam.InstanceProfile(`${name}-instance-profile`, { role: role.name, tags }, child);

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-instances`,
      { vpcId: parsed.vpcId, description: `Instances of the ${name} Auto Scaling group`, tags },
      child,
    );
    for (const rule of egressRules(parsed.egress)) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress-${rule.name}`,
        {
          securityGroupId: securityGroup.id,
          description: rule.description,
          ipProtocol: rule.ipProtocol,
          cidrIpv4: rule.cidrIpv4,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
          tags,
        },
        child,
      );
    }
    parsed.ingress.forEach((rule, index) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-ingress-${index}`,
        {
          securityGroupId: securityGroup.id,
          referencedSecurityGroupId: rule.fromSecurityGroupId,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          description: rule.description ?? pulumi.interpolate`From ${rule.fromSecurityGroupId} on port ${rule.port}`,
          tags,
        },
        child,
      );
    });

    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-launch-template`,
      {
        description: `Launch template of the ${name} Auto Scaling group`,
        imageId: imageIdFor(parsed),
        instanceType: parsed.instanceType,
        iamInstanceProfile: { arn: profile.arn },
        metadataOptions: IMDSV2_ONLY,
        blockDeviceMappings: [encryptedRootVolume(parsed.rootVolume)],
        networkInterfaces: [
          {
            deviceIndex: 0,
            associatePublicIpAddress: "false",
            deleteOnTermination: "true",
            securityGroups: [securityGroup.id],
          },
        ],
        userData: encodeUserData(parsed.userData),
        tagSpecifications: launchTagSpecifications(tags, ["volume", "network-interface"]),
        updateDefaultVersion: true,
        tags,
      },
      child,
    );

    const group = new aws.autoscaling.Group(
      `${name}-group`,
      {
        vpcZoneIdentifiers: parsed.subnetIds,
        minSize: parsed.capacity.minSize,
        maxSize: parsed.capacity.maxSize,
        desiredCapacity: parsed.capacity.desiredSize,
        // A concrete version, not $Latest: a new template version then starts an instance refresh.
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        instanceRefresh: {
          strategy: "Rolling",
          preferences: {
            minHealthyPercentage: parsed.instanceRefresh.minHealthyPercentage,
            instanceWarmup: String(parsed.instanceRefresh.instanceWarmupSeconds),
            autoRollback: parsed.instanceRefresh.autoRollback,
          },
        },
        targetGroupArns: parsed.targetGroupArns,
        healthCheckType: parsed.targetGroupArns.length > 0 ? "ELB" : "EC2",
        healthCheckGracePeriod: parsed.healthCheckGracePeriodSeconds,
        tags: propagatedTags(tags),
      },
      // Instances must not launch before their role has its policies (SSM registration would fail).
      { parent: this, dependsOn: attachments },
    );

    this.autoScalingGroupName = group.name;
    this.arn = group.arn;
    this.launchTemplateId = launchTemplate.id;
    this.securityGroupId = securityGroup.id;
    this.instanceRoleArn = role.arn;
    this.instanceRoleName = role.name;
    this.registerOutputs({
      autoScalingGroupName: this.autoScalingGroupName,
      arn: this.arn,
      launchTemplateId: this.launchTemplateId,
      securityGroupId: this.securityGroupId,
      instanceRoleArn: this.instanceRoleArn,
      instanceRoleName: this.instanceRoleName,
    });
  }
}
