import type { z } from "zod";
import { ComponentArgsError, describeFound, parseComponentArgs, type ValueProblem } from "../../validation";

/**
 * Load balancer and target group names take letters, digits and '-' only, at most 32 characters of
 * which Pulumi's random suffix takes 8, and no load balancer name may start with "internal-". The
 * component's name becomes theirs (`kind` says which it names), so it is checked with the args rather than failing mid-deployment.
 */
export function loadBalancingNameProblems(name: string, kind: "load balancer" | "target group"): ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,22}[A-Za-z0-9])?$/.test(name)) {
    problems.push({
      path: "(name)",
      expected: "a name of 1-24 letters, digits and '-', not starting or ending with '-'",
      found: describeFound(name),
    });
  }
  if (kind === "load balancer" && /^internal(?:-|$)/i.test(name)) {
    problems.push({
      path: "(name)",
      expected: "a name not starting with 'internal' (AWS refuses such load balancer names)",
      found: describeFound(name),
    });
  }
  return problems;
}

/** parseComponentArgs, reporting the component name's problems with the args' in one error. */
export function parseLoadBalancingArgs<Schema extends z.ZodType>(
  component: string,
  name: string,
  kind: "load balancer" | "target group",
  schema: Schema,
  args: unknown,
): z.output<Schema> {
  const nameProblems = loadBalancingNameProblems(name, kind);
  let parsed: z.output<Schema>;
  try {
    parsed = parseComponentArgs(component, name, schema, args);
  } catch (err) {
    if (err instanceof ComponentArgsError && nameProblems.length > 0) {
      throw new ComponentArgsError(component, name, [...nameProblems, ...err.problems]);
    }
    throw err;
  }
  if (nameProblems.length > 0) throw new ComponentArgsError(component, name, nameProblems);
  return parsed;
}
