import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { idInput } from "../aws/inputs";
import { extraTagsSchema, standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import {
  awsDescription,
  egressRuleSchema,
  ingressRuleSchema,
  ruleKeys,
  ruleResourceArgs,
} from "./security-group-rules";

/** Rule names must be unique in a list: each becomes part of a resource name. */
function uniqueRuleNames(rules: ReadonlyArray<{ name?: string | undefined }>, ctx: z.RefinementCtx, field: string) {
  const keys = ruleKeys(rules);
  keys.forEach((key, index) => {
    if (keys.indexOf(key) !== index) {
      ctx.addIssue({ code: "custom", path: [field, index, "name"], message: `a rule name not used twice ('${key}')` });
    }
  });
}

export const securityGroupArgsSchema = z
  .object({
    /** The VPC the group belongs to. */
    vpcId: idInput,
    /** What the group is for (AWS cannot change it later: a new description replaces the group). */
    description: awsDescription,
    /** Who may connect in. Refuses SSH, RDP or every port from 0.0.0.0/0 or ::/0 without the rule's `unsafeAllowFromInternet`. @default [] (nothing) */
    ingress: z.array(ingressRuleSchema).default([]),
    /** Where members may connect out. Unlike AWS's own default (all traffic out), nothing is allowed unless listed. @default [] (nothing) */
    egress: z.array(egressRuleSchema).default([]),
    /** The region to create the group in (it must be the VPC's). @default the AWS provider's region */
    region: z
      .string()
      .regex(/^[a-z]{2}(?:-[a-z]+)+-\d+$/, "a region name like eu-west-1")
      .optional(),
    /** Extra tags for the group and its rules. @default {} */
    tags: extraTagsSchema,
  })
  .strict()
  .superRefine((args, ctx) => {
    uniqueRuleNames(args.ingress, ctx, "ingress");
    uniqueRuleNames(args.egress, ctx, "egress");
  });

export type SecurityGroupArgs = z.input<typeof securityGroupArgsSchema>;

/**
 * A security group whose every rule is explicit and described: no implicit allow-all egress, and
 * no SSH, RDP or all-ports ingress from the whole internet unless a rule says so by name. Rules are
 * separate aws.vpc.SecurityGroupIngressRule/EgressRule resources, so changing one never rewrites the others.
 */
export class SecurityGroup extends pulumi.ComponentResource {
  static readonly type = "stackline:network:SecurityGroup";
  /** The group's id, to attach to instances, tasks, endpoints or load balancers, or to reference in other groups' rules. */
  readonly securityGroupId: pulumi.Output<string>;
  readonly securityGroupArn: pulumi.Output<string>;

  constructor(name: string, args: SecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(SecurityGroup.type, name, securityGroupArgsSchema, args);
    super(SecurityGroup.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(SecurityGroup.type, name, parsed.tags);

    const group = new aws.ec2.SecurityGroup(
      name,
      {
        vpcId: parsed.vpcId,
        description: parsed.description,
        // The provider removes AWS's default allow-all egress on create; rules below are the only ones.
        revokeRulesOnDelete: true,
        region: parsed.region,
        tags: { ...tags, Name: name },
      },
      child,
    );

    const ingressKeys = ruleKeys(parsed.ingress);
    parsed.ingress.forEach((rule, index) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-in-${ingressKeys[index]}`,
        { securityGroupId: group.id, ...ruleResourceArgs(rule, group.id), region: parsed.region, tags },
        child,
      );
    });
    const egressKeys = ruleKeys(parsed.egress);
    parsed.egress.forEach((rule, index) => {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-out-${egressKeys[index]}`,
        { securityGroupId: group.id, ...ruleResourceArgs(rule, group.id), region: parsed.region, tags },
        child,
      );
    });

    this.securityGroupId = group.id;
    this.securityGroupArn = group.arn;
    this.registerOutputs({ securityGroupId: this.securityGroupId, securityGroupArn: this.securityGroupArn });
  }
}
