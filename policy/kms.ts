import type * as aws from "@pulumi/aws";
import type { Policies } from "@pulumi/policy";
import { shown } from "./support/props";
import { validateTypes } from "./support/resources";

const KEY = "aws:kms/key:Key";

export const kmsPolicies: Policies = [
  {
    name: "kms-key-rotation",
    description: "Symmetric KMS keys rotate their key material every year (enableKeyRotation).",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.kms.KeyArgs>([KEY], (key, args, report) => {
      const spec = key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
      const usage = key.keyUsage ?? "ENCRYPT_DECRYPT";
      // AWS rotates only symmetric encryption keys; asymmetric and HMAC keys cannot rotate.
      if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") args.notApplicable(`a ${spec} ${usage} key`);
      if (key.enableKeyRotation !== true)
        report(`enableKeyRotation is ${shown(key.enableKeyRotation)} (must be true).`);
    }),
  },
];
