import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { arn, idInput, idListInput, inputOf } from "../aws/inputs";

/**
 * The subnets a database or cache lives in: at least two (two Availability Zones), as ids or Outputs,
 * or one Output of a list (an upstream stack's `isolatedSubnetIds`).
 */
export const subnetIdsInput = z.union([
  idListInput.min(2),
  z.custom<pulumi.Output<string[]>>((value) => pulumi.Output.isInstance(value), {
    message: "at least two subnet ids, or a Pulumi Output of a list of them",
  }),
]);

/** Fields every data store of this module takes. */
export const dataStoreFields = {
  /** The VPC the security groups are created in. */
  vpcId: idInput,
  /** Subnets of the subnet group: the network's isolated subnets, in at least two Availability Zones. */
  subnetIds: subnetIdsInput,
  /**
   * Security groups allowed in on the service port, besides the component's own client group (which is
   * always allowed). Ids or Outputs; CIDR ranges are never accepted. @default []
   */
  allowedSecurityGroupIds: z
    .array(inputOf(z.string().regex(/^sg-[a-zA-Z0-9-]+$/, "a security group id like sg-0123456789abcdef0")))
    .default([]),
  /** A customer-managed KMS key (ARN) to encrypt with. @default a new key with automatic rotation */
  kmsKeyArn: inputOf(arn).optional(),
  /**
   * Pulumi `protect` on the stateful resources (the instance or replication group and a created KMS key),
   * so `pulumi destroy` and replacements stop until protection is lifted. @default false
   */
  protect: z.boolean().default(false),
};
