import * as aws from "@pulumi/aws";
import { describeRules } from "./support/policy-harness";

describeRules([
  {
    policy: "kms-key-rotation",
    level: "mandatory",
    bad: [
      {
        name: "a symmetric key without rotation",
        program: () => new aws.kms.Key("static", { description: "data" }),
        blames: "static",
        message: /enableKeyRotation is not set/,
      },
    ],
    good: [
      {
        name: "a rotating key; an asymmetric signing key, which cannot rotate",
        program: () => {
          new aws.kms.Key("rotating", { enableKeyRotation: true });
          new aws.kms.Key("signing", { customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" });
        },
      },
    ],
  },
]);
