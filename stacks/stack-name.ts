import { z } from "zod";

/** Stacks are named `<environment>-<layer>`, for example `dev-network` or `local-apps`. */
export const stackNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*-[a-z][a-z0-9]*$/, "a stack name of the form <environment>-<layer>, like dev-network");

export interface StackName {
  environment: string;
  layer: string;
}

export function parseStackName(stack: string): StackName {
  const parsed = stackNameSchema.safeParse(stack);
  if (!parsed.success) {
    throw new Error(`Stack '${stack}' is not named <environment>-<layer> (for example dev-network or local-apps).`);
  }
  const [environment, layer] = parsed.data.split("-") as [string, string];
  return { environment, layer };
}

export function formatStackName(name: StackName): string {
  return `${name.environment}-${name.layer}`;
}
