import type * as aws from "@pulumi/aws";
import type { Policies } from "@pulumi/policy";
import { isSet, isTrue, knownElements, peek, shown, UNKNOWN } from "./support/props";
import { validateAnyOf, validateTypes } from "./support/resources";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const EBS_VOLUME = "aws:ebs/volume:Volume";
const AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

interface MetadataOptions {
  httpEndpoint?: string;
  httpTokens?: string;
  httpPutResponseHopLimit?: number;
}

/** What is wrong with an instance metadata configuration; [] when it requires IMDSv2 with hop limit 1 (or turns IMDS off). */
export function metadataProblems(options: MetadataOptions | undefined): string[] {
  if (options === undefined || options === null)
    return [
      'metadataOptions is not set, so IMDSv1 stays available (set httpTokens "required", httpPutResponseHopLimit 1)',
    ];
  if (options.httpEndpoint === "disabled") return [];
  const problems: string[] = [];
  if (options.httpTokens !== "required")
    problems.push(`metadataOptions.httpTokens is ${shown(options.httpTokens)} (must be "required": IMDSv2 only)`);
  if (options.httpPutResponseHopLimit !== 1)
    problems.push(
      `metadataOptions.httpPutResponseHopLimit is ${shown(options.httpPutResponseHopLimit)} (must be 1, so containers cannot reach the instance role's credentials)`,
    );
  return problems;
}

const EBS_FIX = "Set encrypted (with a kmsKeyId) on every EBS volume.";

export const computePolicies: Policies = [
  {
    name: "ec2-imdsv2",
    description:
      "Launch templates and instances require IMDSv2 (httpTokens required) with a response hop limit of 1, against SSRF credential theft.",
    enforcementLevel: "mandatory",
    validateResource: validateAnyOf(
      validateTypes<aws.ec2.LaunchTemplateArgs>([LAUNCH_TEMPLATE], (template, _args, report) => {
        const problems = metadataProblems(template.metadataOptions);
        if (problems.length > 0) report(`${problems.join("; ")}.`);
      }),
      validateTypes<aws.ec2.InstanceArgs>([INSTANCE], (instance, _args, report) => {
        // An instance launched from a template inherits its metadata options; the template is judged on its own.
        if (instance.metadataOptions === undefined && isSet(() => instance.launchTemplate)) return;
        const problems = metadataProblems(instance.metadataOptions);
        if (problems.length > 0) report(`${problems.join("; ")}.`);
      }),
    ),
  },
  {
    name: "ebs-encryption",
    description: "EBS volumes of launch templates, instances and standalone volumes are encrypted.",
    enforcementLevel: "mandatory",
    validateResource: validateAnyOf(
      validateTypes<aws.ec2.LaunchTemplateArgs>([LAUNCH_TEMPLATE], (template, _args, report) => {
        const mappings = peek(() => template.blockDeviceMappings);
        if (mappings === UNKNOWN) return;
        const volumes = knownElements(() => mappings).filter((mapping) => mapping.ebs !== undefined);
        if (volumes.length === 0)
          report(
            `No EBS block device mapping is declared, so the root volume's encryption is left to the AMI. Add a mapping for the AMI's root device with ebs.encrypted "true". ${EBS_FIX}`,
          );
        for (const mapping of volumes) {
          const encrypted = peek(() => mapping.ebs?.encrypted);
          if (encrypted !== UNKNOWN && !isTrue(encrypted))
            report(
              `Block device ${shown(mapping.deviceName)} has ebs.encrypted ${shown(encrypted)} (must be "true"). ${EBS_FIX}`,
            );
        }
      }),
      validateTypes<aws.ec2.InstanceArgs>([INSTANCE], (instance, _args, report) => {
        const fromTemplate = isSet(() => instance.launchTemplate);
        const root = instance.rootBlockDevice;
        if (root === undefined ? !fromTemplate : !isTrue(root.encrypted))
          report(`rootBlockDevice.encrypted is ${shown(root?.encrypted)} (must be true). ${EBS_FIX}`);
        for (const volume of knownElements(() => instance.ebsBlockDevices)) {
          if (!isTrue(volume.encrypted))
            report(`EBS block device ${shown(volume.deviceName)} is not encrypted. ${EBS_FIX}`);
        }
      }),
      validateTypes<aws.ebs.VolumeArgs>([EBS_VOLUME], (volume, _args, report) => {
        if (!isTrue(volume.encrypted)) report(`encrypted is ${shown(volume.encrypted)} (must be true). ${EBS_FIX}`);
      }),
    ),
  },
  {
    name: "node-groups-use-launch-templates",
    description:
      "Auto Scaling groups and EKS node groups launch from launch templates, whose IMDSv2 and encryption settings are judged by ec2-imdsv2 and ebs-encryption.",
    enforcementLevel: "mandatory",
    validateResource: validateAnyOf(
      validateTypes<aws.autoscaling.GroupArgs>([AUTOSCALING_GROUP], (group, _args, report) => {
        if (isSet(() => group.launchConfiguration))
          report(
            "This group uses a launch configuration (deprecated, no IMDSv2 enforcement here). Use a launch template.",
          );
        else if (!isSet(() => group.launchTemplate) && !isSet(() => group.mixedInstancesPolicy?.launchTemplate))
          report("This group names no launch template. Set launchTemplate (or mixedInstancesPolicy.launchTemplate).");
      }),
      validateTypes<aws.eks.NodeGroupArgs>([NODE_GROUP], (group, _args, report) => {
        if (!isSet(() => group.launchTemplate))
          report(
            "This node group has no launchTemplate, so EKS's default template decides the metadata options. Set launchTemplate to a template requiring IMDSv2 with hop limit 1.",
          );
      }),
    ),
  },
];
