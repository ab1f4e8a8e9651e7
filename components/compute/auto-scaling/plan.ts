import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_AMI_PARAMETER } from "./args";

/**
 * The launch template's image id: the AMI given, or `resolve:ssm:<parameter>` so EC2 resolves the
 * parameter at each launch and the deployment needs no lookup.
 */
export function imageIdFor(image: { amiId?: pulumi.Input<string>; amiParameter?: string }): pulumi.Input<string> {
  return image.amiId ?? `resolve:ssm:${image.amiParameter ?? DEFAULT_AMI_PARAMETER}`;
}

/** One egress rule of the instances' security group. */
export interface EgressRule {
  name: string;
  description: string;
  ipProtocol: string;
  cidrIpv4: string;
  fromPort?: number;
  toPort?: number;
}

/** The egress rules for an egress choice: HTTPS only, everything, or nothing. */
export function egressRules(egress: "https" | "all" | "none"): EgressRule[] {
  switch (egress) {
    case "https":
      return [
        {
          name: "https",
          description: "HTTPS to AWS APIs (SSM), package repositories and other services",
          ipProtocol: "tcp",
          cidrIpv4: "0.0.0.0/0",
          fromPort: 443,
          toPort: 443,
        },
      ];
    case "all":
      return [{ name: "all", description: "All outbound traffic", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }];
    case "none":
      return [];
  }
}

/** Auto Scaling group tags (a list), each propagated to the instances the group launches. */
export function propagatedTags(tags: Record<string, string>) {
  return Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
}

/** User data as the launch template takes it: base64. */
export function encodeUserData(text: string | undefined): string | undefined {
  return text === undefined ? undefined : Buffer.from(text, "utf8").toString("base64");
}
