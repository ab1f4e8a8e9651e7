import { z } from "zod";

/** Who can reach the cluster's Kubernetes API. The private endpoint (inside the VPC) is always on. */
export interface EndpointAccess {
  public: boolean;
  publicAccessCidrs: string[];
  allowPublicAccessFromAnywhere: boolean;
}

/** A problem with an endpoint access choice, at a path relative to the endpoint access object. */
export interface AccessProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What is wrong with an endpoint access choice: a public endpoint needs an explicit list of allowed
 * CIDRs, and 0.0.0.0/0 (any /0) needs allowPublicAccessFromAnywhere; a private-only endpoint takes no CIDRs.
 */
export function endpointAccessProblems(access: EndpointAccess): AccessProblem[] {
  if (!access.public) {
    return access.publicAccessCidrs.length > 0
      ? [
          {
            path: ["publicAccessCidrs"],
            message: "no CIDR blocks while public is false (set public: true to open the public endpoint)",
          },
        ]
      : [];
  }
  if (access.publicAccessCidrs.length === 0) {
    return [{ path: ["publicAccessCidrs"], message: "at least one CIDR block allowed to reach the public endpoint" }];
  }
  if (access.allowPublicAccessFromAnywhere) return [];
  return access.publicAccessCidrs.flatMap((cidr, index) =>
    cidr.endsWith("/0")
      ? [
          {
            path: ["publicAccessCidrs", index],
            message: "a CIDR block narrower than /0 (set allowPublicAccessFromAnywhere: true to allow the internet)",
          },
        ]
      : [],
  );
}

export const endpointAccessSchema = z
  .object({
    /** Also serve the Kubernetes API on a public endpoint. The private endpoint stays on. @default false */
    public: z.boolean().default(false),
    /** CIDR blocks allowed to reach the public endpoint; required when `public` is true. @default [] */
    publicAccessCidrs: z.array(z.cidrv4({ error: "an IPv4 CIDR block like 203.0.113.0/24" })).default([]),
    /** Allow 0.0.0.0/0 in publicAccessCidrs: the API open to the whole internet. @default false */
    allowPublicAccessFromAnywhere: z.boolean().default(false),
  })
  .strict()
  .superRefine((access, ctx) => {
    for (const problem of endpointAccessProblems(access)) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message, input: access });
    }
  })
  .prefault({});

/** The cluster's vpcConfig endpoint fields for an access choice. */
export function endpointVpcConfig(access: EndpointAccess) {
  return {
    endpointPrivateAccess: true,
    endpointPublicAccess: access.public,
    ...(access.public ? { publicAccessCidrs: access.publicAccessCidrs } : {}),
  };
}
