import { PolicyPack } from "@pulumi/policy";
import { stacklinePolicies } from "./policies";

// Constructing the pack starts the policy analyzer's gRPC server; the Pulumi CLI runs this file
// (`pulumi preview --policy-pack policy`). Tests import ./policies instead.
new PolicyPack("stackline-aws", {
  description: "Security (mandatory) and cost and availability (advisory) rules for Stackline's AWS resources.",
  provider: "aws",
  tags: ["aws", "security", "stackline"],
  policies: stacklinePolicies,
});
