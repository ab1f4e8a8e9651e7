import type * as pulumi from "@pulumi/pulumi";
import {
  ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
  CACHING_DISABLED_POLICY_ID,
  CACHING_OPTIMIZED_POLICY_ID,
} from "./managed-policies";

/** Origin ids inside the distribution. */
export const S3_ORIGIN_ID = "s3";
export const ALB_ORIGIN_ID = "alb";

export type ViewerProtocolPolicy = "redirect-to-https" | "https-only";

export interface BehaviourPlanInput {
  hasS3Origin: boolean;
  hasAlbOrigin: boolean;
  /** Paths routed to the ALB when the S3 origin serves the rest. */
  albPathPatterns: readonly string[];
  viewerProtocolPolicy: ViewerProtocolPolicy;
  responseHeadersPolicyId: pulumi.Input<string>;
}

const READ_METHODS = ["GET", "HEAD"];
const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];

function s3Behaviour(input: BehaviourPlanInput) {
  return {
    targetOriginId: S3_ORIGIN_ID,
    viewerProtocolPolicy: input.viewerProtocolPolicy,
    allowedMethods: [...READ_METHODS],
    cachedMethods: [...READ_METHODS],
    compress: true,
    cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
    responseHeadersPolicyId: input.responseHeadersPolicyId,
  };
}

function albBehaviour(input: BehaviourPlanInput) {
  return {
    targetOriginId: ALB_ORIGIN_ID,
    viewerProtocolPolicy: input.viewerProtocolPolicy,
    allowedMethods: [...ALL_METHODS],
    cachedMethods: [...READ_METHODS],
    compress: true,
    cachePolicyId: CACHING_DISABLED_POLICY_ID,
    originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
    responseHeadersPolicyId: input.responseHeadersPolicyId,
  };
}

/**
 * The distribution's cache behaviours. With an S3 origin, it is the default (cached, read-only) and
 * the ALB gets one uncached behaviour per path pattern; with only an ALB, the ALB is the default.
 * Every behaviour carries the security headers policy.
 */
export function planCacheBehaviours(input: BehaviourPlanInput) {
  if (input.hasS3Origin) {
    return {
      defaultCacheBehavior: s3Behaviour(input),
      orderedCacheBehaviors: input.hasAlbOrigin
        ? input.albPathPatterns.map((pathPattern) => ({ pathPattern, ...albBehaviour(input) }))
        : [],
    };
  }
  if (input.hasAlbOrigin) return { defaultCacheBehavior: albBehaviour(input), orderedCacheBehaviors: [] };
  throw new Error("A distribution needs an S3 origin, an ALB origin, or both.");
}
