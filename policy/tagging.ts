import type { Policies, PolicyProviderResource } from "@pulumi/policy";
import { parseJson, peek, UNKNOWN } from "./support/props";
import { TAGGABLE_AWS_TYPES } from "./taggable-types";

/** The tags Stackline's components put on every taggable resource (components/aws/tags.ts, standardTags). */
export const REQUIRED_TAG_KEYS = ["stackline:project", "stackline:environment", "stackline:stack"];

/** The keys of a `tags` value: a map, or the Auto Scaling group's list of { key, value }; unknown or empty values do not count. */
export function tagKeys(tags: unknown): Set<string> {
  const keys = new Set<string>();
  if (Array.isArray(tags)) {
    for (let index = 0; index < tags.length; index++) {
      const tag = peek(() => tags[index] as { key?: unknown; value?: unknown });
      if (tag === UNKNOWN || typeof tag !== "object" || tag === null) continue;
      const key = peek(() => tag.key);
      if (typeof key === "string" && typeof peek(() => tag.value) === "string") keys.add(key);
    }
  } else if (typeof tags === "object" && tags !== null) {
    for (const key of Object.keys(tags)) {
      const value = peek(() => (tags as Record<string, unknown>)[key]);
      if (value === UNKNOWN || (typeof value === "string" && value !== "")) keys.add(key);
    }
  }
  return keys;
}

/** The keys of an AWS provider's `defaultTags.tags`, which the provider adds to every taggable resource. */
function providerTagKeys(provider: PolicyProviderResource | undefined): Set<string> {
  if (!provider?.type.startsWith("pulumi:providers:aws")) return new Set();
  // Provider inputs reach the engine as JSON text for structured values.
  const defaults = parseJson(peek(() => provider.props.defaultTags)) as { tags?: unknown } | undefined;
  return tagKeys(typeof defaults === "object" && defaults !== null ? peek(() => defaults.tags) : undefined);
}

export const taggingPolicies: Policies = [
  {
    name: "aws-standard-tags",
    description: `Taggable AWS resources carry Stackline's standard tags (${REQUIRED_TAG_KEYS.join(", ")}), for cost reports and incident response.`,
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
      if (!args.type.startsWith("aws:")) args.notApplicable("not an AWS resource");
      if (!TAGGABLE_AWS_TYPES.has(args.type) && !("tags" in args.props)) args.notApplicable("this type takes no tags");
      const tags = peek(() => args.props.tags);
      if (tags === UNKNOWN) return;
      const keys = new Set([...tagKeys(tags), ...providerTagKeys(args.provider)]);
      const missing = REQUIRED_TAG_KEYS.filter((key) => !keys.has(key));
      if (missing.length > 0)
        report(
          `Tags ${missing.join(", ")} are missing. Stackline components add them with standardTags(); elsewhere set them on the resource or in the AWS provider's defaultTags.`,
        );
    },
  },
];
