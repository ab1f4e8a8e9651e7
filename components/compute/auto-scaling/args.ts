import { z } from "zod";
import { arn, idInput, inputOf } from "../../aws/inputs";
import { extraTagsSchema } from "../../aws/tags";
import { capacitySchema } from "./capacity";
import { isRefusedInstancePolicy } from "./iam-policies";
import { iamPolicyArn, idListOrOutput } from "./inputs";

/** The latest Amazon Linux 2023 AMI for x86_64, as published by AWS in SSM Parameter Store. */
export const DEFAULT_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

const amiId = z.string().regex(/^ami-[0-9a-f]{8,17}$/, "an AMI id like ami-0123456789abcdef0");
const ssmParameterName = z
  .string()
  .regex(/^\/[A-Za-z0-9_.\-/]+$/, `an SSM parameter name starting with '/', like ${DEFAULT_AMI_PARAMETER}`);

/** Who may reach the instances: only members of another security group (the "client group" pattern). */
const ingressRuleSchema = z
  .object({
    /** The security group whose members may connect (a load balancer's, a client group's). */
    fromSecurityGroupId: idInput,
    /** The TCP port they may connect to. */
    port: z.number().int().min(1).max(65535),
    /** What the rule is for, shown in the console. @default "from <group> on <port>" */
    description: z.string().min(1).max(255).optional(),
  })
  .strict();

export const autoScalingGroupArgsSchema = z
  .object({
    /** The VPC of the group's security group. */
    vpcId: idInput,
    /** Private subnets to launch into (one per Availability Zone); instances never get a public IP. */
    subnetIds: idListOrOutput,
    /**
     * The AMI to launch. Give at most one of `amiId` and `amiParameter`.
     * @default none: use amiParameter
     */
    amiId: inputOf(amiId).optional(),
    /**
     * An SSM parameter holding the AMI id, resolved by EC2 at each launch (`resolve:ssm:`), so no
     * lookup happens at deployment. New instances get the AMI the parameter names at their launch.
     * @default "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
     */
    amiParameter: ssmParameterName.optional(),
    /** EC2 instance type. @default "t3.small" */
    instanceType: z
      .string()
      .regex(/^[a-z0-9-]+\.[a-z0-9]+$/, "an EC2 instance type like t3.small")
      .default("t3.small"),
    /** Instance counts. @default { minSize: 2, desiredSize: minSize, maxSize: 4 } */
    capacity: capacitySchema({ minSize: 2, maxSize: 4 }),
    /** The encrypted gp3 root volume. @default 20 GiB on /dev/xvda, encrypted with the aws/ebs key */
    rootVolume: z
      .object({
        /** Size in GiB. @default 20 */
        sizeGiB: z.number().int().min(8).max(16384).default(20),
        /** The AMI's root device name. @default "/dev/xvda" (Amazon Linux) */
        deviceName: z
          .string()
          .regex(/^\/dev\/[a-z0-9]+$/, "a device name like /dev/xvda")
          .default("/dev/xvda"),
        /**
         * A customer KMS key for the volume. Its key policy must let the Auto Scaling service-linked
         * role (AWSServiceRoleForAutoScaling) use it, or launches fail. @default the account's aws/ebs key
         */
        kmsKeyArn: inputOf(arn).optional(),
      })
      .strict()
      .prefault({}),
    /**
     * Managed policies attached to the instance role beyond AmazonSSMManagedInstanceCore (which
     * Session Manager needs). AdministratorAccess, PowerUserAccess and IAMFullAccess are refused.
     * @default []
     */
    extraManagedPolicyArns: z
      .array(
        iamPolicyArn.refine((value) => !isRefusedInstancePolicy(value), {
          message: "a policy narrower than AdministratorAccess, PowerUserAccess or IAMFullAccess",
        }),
      )
      .default([]),
    /** Ingress to the instances, from security groups only. @default [] (no ingress) */
    ingress: z.array(ingressRuleSchema).default([]),
    /**
     * Egress from the instances: "https" (TCP 443 anywhere: SSM, package repositories, AWS APIs),
     * "all", or "none" (for VPCs that reach everything through VPC endpoints you add rules for).
     * @default "https"
     */
    egress: z.enum(["https", "all", "none"]).default("https"),
    /** Target groups to register instances with; their health checks then replace EC2's. @default [] */
    targetGroupArns: z.array(inputOf(arn)).default([]),
    /** Seconds after launch before health checks count. @default 300 */
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(7200).default(300),
    /**
     * How instance refresh replaces instances when the launch template changes.
     * @default { minHealthyPercentage: 90, instanceWarmupSeconds: 300, autoRollback: true }
     */
    instanceRefresh: z
      .object({
        /** Share of capacity kept in service during a refresh. @default 90 */
        minHealthyPercentage: z.number().int().min(0).max(100).default(90),
        /** Seconds a new instance needs before it counts as ready. @default 300 */
        instanceWarmupSeconds: z.number().int().min(0).default(300),
        /** Roll back to the previous launch template if the refresh fails. @default true */
        autoRollback: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /**
     * Cloud-init user data, as plain text (the component encodes it). Instance user data is readable
     * by anyone who may describe the instance: never put secrets here. @default none
     */
    userData: z.string().min(1).max(16384).optional(),
    /**
     * Not supported: instances get no SSH key pair. Connect with SSM Session Manager instead
     * (`aws ssm start-session --target <instance-id>`). @default none (any value is refused)
     */
    keyName: z
      .custom<never>(() => false, {
        message: "no SSH key pair: connect with SSM Session Manager (aws ssm start-session --target <instance-id>)",
      })
      .optional(),
    /** Extra tags for every resource, propagated to instances, volumes and network interfaces. @default {} */
    tags: extraTagsSchema,
  })
  .strict()
  .superRefine((args, ctx) => {
    if (args.amiId !== undefined && args.amiParameter !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["amiParameter"],
        message: "at most one of amiId and amiParameter (amiId is set)",
        input: args.amiParameter,
      });
    }
  });

export type AutoScalingGroupArgs = z.input<typeof autoScalingGroupArgsSchema>;
export type ParsedAutoScalingGroupArgs = z.output<typeof autoScalingGroupArgsSchema>;
