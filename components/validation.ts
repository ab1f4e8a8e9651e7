import type { z } from "zod";

/** One rejected value: where it is, what was expected, what was found. */
export interface ValueProblem {
  path: string;
  expected: string;
  found: string;
}

export function describeExpected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `${issue.origin === "string" || issue.origin === "array" ? "length " : ""}at least ${String(issue.minimum)}`;
    case "too_big":
      return `${issue.origin === "string" || issue.origin === "array" ? "length " : ""}at most ${String(issue.maximum)}`;
    case "unrecognized_keys":
      return "a known key (nothing reads this one: check the spelling)";
    default:
      return issue.message;
  }
}

export function describeFound(value: unknown, secret = false): string {
  if (secret) return "a secret value (not shown)";
  if (value === undefined) return "nothing (not set)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function pathOf(issue: z.core.$ZodIssue): string {
  const parts = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
  return parts.map(String).join(".");
}

/** Turns zod issues into problems that name the field, what was expected and what was found. */
export function problemsFrom(error: z.ZodError, input: unknown, isSecret: (path: string) => boolean = () => false) {
  return error.issues.map((issue): ValueProblem => {
    const path = pathOf(issue);
    const at = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
    const found = describeFound(valueAt(input, at), isSecret(path));
    return { path, expected: describeExpected(issue), found };
  });
}

/** A component was given arguments it cannot use; thrown before any child resource is created. */
export class ComponentArgsError extends Error {
  readonly component: string;
  readonly resourceName: string;
  readonly problems: ValueProblem[];

  constructor(component: string, resourceName: string, problems: ValueProblem[]) {
    const lines = problems.map((p) => `  - ${p.path || "(args)"}: expected ${p.expected}, found ${p.found}`);
    super(`Invalid arguments for ${component} '${resourceName}':\n${lines.join("\n")}`);
    this.name = "ComponentArgsError";
    this.component = component;
    this.resourceName = resourceName;
    this.problems = problems;
  }
}

/** Validates a component's args object, applying defaults; unknown fields are refused (typos must not pass). */
export function parseComponentArgs<Schema extends z.ZodType>(
  component: string,
  resourceName: string,
  schema: Schema,
  args: unknown,
): z.output<Schema> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  throw new ComponentArgsError(component, resourceName, problemsFrom(result.error, args));
}
