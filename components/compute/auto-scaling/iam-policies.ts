/** AWS services that assume the roles Stackline's compute components create. */
export type ServicePrincipal = "ec2.amazonaws.com" | "eks.amazonaws.com";

/** A trust policy letting exactly one AWS service assume a role, and nothing else. */
export function serviceTrustPolicy(service: ServicePrincipal) {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  };
}

/** The ARN of an AWS managed policy in a partition (aws, aws-cn, aws-us-gov). */
export function awsManagedPolicyArn(partition: string, policyName: string): string {
  return `arn:${partition}:iam::aws:policy/${policyName}`;
}

/** Managed policies too broad for an instance role; refused so they cannot slip in as an "extra". */
export const REFUSED_INSTANCE_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"] as const;

/** True when an ARN names one of REFUSED_INSTANCE_POLICIES. */
export function isRefusedInstancePolicy(policyArn: string): boolean {
  return REFUSED_INSTANCE_POLICIES.some((name) => policyArn.endsWith(`:iam::aws:policy/${name}`));
}
