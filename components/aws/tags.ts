import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** Extra tags a caller adds to every taggable resource of a component. Keys under `stackline:` are Stackline's own. */
export const extraTagsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(128)
      .refine((key) => !key.startsWith("aws:") && !key.startsWith("stackline:"), {
        message: "a tag key not starting with 'aws:' (reserved by AWS) or 'stackline:' (set by Stackline)",
      }),
    z.string().max(256),
  )
  .default({});

/**
 * The tags every taggable resource of a component carries: which project, environment and stack
 * made it, and which component instance, so cost reports and incident responders can group them.
 * Stackline's keys are namespaced so they never overwrite a team's own `Environment` or `Owner` tags.
 */
export function standardTags(componentType: string, componentName: string, extra: Record<string, string> = {}) {
  const stack = pulumi.getStack();
  // Stacks are named <environment>-<layer>; any other name (tests, ad-hoc stacks) is its own environment.
  const environment = /^([a-z][a-z0-9]*)-[a-z][a-z0-9]*$/.exec(stack)?.[1] ?? stack;
  return {
    ...extra,
    "stackline:project": pulumi.getProject(),
    "stackline:environment": environment,
    "stackline:stack": stack,
    "stackline:component": `${componentType.replace(/^stackline:/, "")}/${componentName}`,
  };
}
