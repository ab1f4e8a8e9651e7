import type * as aws from "@pulumi/aws";
import { z } from "zod";

const days = z.number().int().min(1);
const daysOrOff = z.union([days, z.literal(false)], {
  error: "a number of days (a whole number, at least 1), or false to turn the rule off",
});
const storageClass = z.enum([
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
]);

/** The ids of the default rules; a caller's rule with one of these ids replaces that default. */
export const DEFAULT_RULE_IDS = {
  abortIncompleteUploads: "abort-incomplete-multipart-uploads",
  expireNoncurrentVersions: "expire-noncurrent-versions",
} as const;

export const lifecycleRuleSchema = z
  .object({
    /** The rule's id, unique in the bucket; a default rule's id replaces that default. */
    id: z.string().min(1).max(255),
    /** Only objects whose key starts with this. @default "" (every object) */
    prefix: z.string().default(""),
    /** Turn the rule off without deleting it. @default true */
    enabled: z.boolean().default(true),
    /** Delete (current versions of) objects this many days after creation. @default not set */
    expirationDays: days.optional(),
    /** Move objects to cheaper storage classes after some days. @default [] */
    transitions: z.array(z.object({ days, storageClass }).strict()).default([]),
    /** Delete noncurrent versions this many days after they became noncurrent. @default not set */
    noncurrentVersionExpirationDays: days.optional(),
    /** Abort multipart uploads not completed after this many days. @default not set */
    abortIncompleteMultipartUploadDays: days.optional(),
  })
  .strict()
  .refine(
    (rule) =>
      rule.expirationDays !== undefined ||
      rule.transitions.length > 0 ||
      rule.noncurrentVersionExpirationDays !== undefined ||
      rule.abortIncompleteMultipartUploadDays !== undefined,
    {
      message:
        "at least one action: expirationDays, transitions, noncurrentVersionExpirationDays or abortIncompleteMultipartUploadDays",
    },
  );

export const bucketLifecycleSchema = z
  .object({
    /** Abort multipart uploads left incomplete (they are billed but invisible) after this many days. @default 7 */
    abortIncompleteMultipartUploadDays: daysOrOff.default(7),
    /** Delete noncurrent (overwritten or deleted) versions after this many days; needs versioning. @default 90 */
    noncurrentVersionExpirationDays: daysOrOff.default(90),
    /** More rules; one with a default rule's id replaces that default. @default [] */
    rules: z
      .array(lifecycleRuleSchema)
      .default([])
      .superRefine((rules, ctx) => {
        const seen = new Set<string>();
        rules.forEach((rule, index) => {
          if (seen.has(rule.id)) {
            ctx.addIssue({ code: "custom", path: [index, "id"], message: "a rule id used once", input: rule.id });
          }
          seen.add(rule.id);
        });
      }),
  })
  .strict();

export type BucketLifecycle = z.output<typeof bucketLifecycleSchema>;
type LifecycleRule = z.output<typeof lifecycleRuleSchema>;
type AwsRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

function awsRule(rule: LifecycleRule): AwsRule {
  return {
    id: rule.id,
    status: rule.enabled ? "Enabled" : "Disabled",
    filter: { prefix: rule.prefix },
    ...(rule.expirationDays !== undefined ? { expiration: { days: rule.expirationDays } } : {}),
    ...(rule.transitions.length > 0 ? { transitions: rule.transitions } : {}),
    ...(rule.noncurrentVersionExpirationDays !== undefined
      ? { noncurrentVersionExpiration: { noncurrentDays: rule.noncurrentVersionExpirationDays } }
      : {}),
    ...(rule.abortIncompleteMultipartUploadDays !== undefined
      ? { abortIncompleteMultipartUpload: { daysAfterInitiation: rule.abortIncompleteMultipartUploadDays } }
      : {}),
  };
}

/**
 * The bucket's lifecycle rules: the defaults (abort incomplete uploads, expire noncurrent versions when
 * the bucket is versioned) unless turned off or replaced by a caller's rule of the same id, then the
 * caller's rules in their order.
 */
export function lifecycleRules(lifecycle: BucketLifecycle, versioned: boolean): AwsRule[] {
  const callerIds = new Set(lifecycle.rules.map((rule) => rule.id));
  const defaults: LifecycleRule[] = [];
  if (lifecycle.abortIncompleteMultipartUploadDays !== false) {
    defaults.push({
      id: DEFAULT_RULE_IDS.abortIncompleteUploads,
      prefix: "",
      enabled: true,
      transitions: [],
      abortIncompleteMultipartUploadDays: lifecycle.abortIncompleteMultipartUploadDays,
    });
  }
  if (versioned && lifecycle.noncurrentVersionExpirationDays !== false) {
    defaults.push({
      id: DEFAULT_RULE_IDS.expireNoncurrentVersions,
      prefix: "",
      enabled: true,
      transitions: [],
      noncurrentVersionExpirationDays: lifecycle.noncurrentVersionExpirationDays,
    });
  }
  return [...defaults.filter((rule) => !callerIds.has(rule.id)), ...lifecycle.rules].map(awsRule);
}
