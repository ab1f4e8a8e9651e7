import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { problemsFrom } from "../components/validation";

/** One rejected config value: where it is, what was expected, what was found. */
export interface ConfigProblem {
  key: string;
  expected: string;
  found: string;
}

/**
 * Stack config that failed validation. Thrown before any resource is registered, so a bad value
 * never reaches the engine. Secret values are never echoed.
 */
export class StackConfigError extends pulumi.RunError {
  readonly stackName: string;
  readonly problems: ConfigProblem[];

  constructor(stack: string, problems: ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.key}: expected ${p.expected}, found ${p.found}`);
    super(
      `Invalid config for stack '${stack}' (stacks/Pulumi.${stack}.yaml):\n${lines.join("\n")}\n` +
        `Fix it with: pulumi config set --stack ${stack} --path '<key>' <value> (add --secret for secrets)`,
    );
    this.name = "StackConfigError";
    this.stackName = stack;
    this.problems = problems;
  }
}

/** Where raw config comes from: the engine's config bag by default, a plain map in tests. */
export interface ConfigSource {
  stack: string;
  /** Raw values by full key (`<namespace>:<name>`); structured values arrive as JSON text. */
  values: Record<string, string>;
  isSecret(fullKey: string): boolean;
}

export function engineConfigSource(): ConfigSource {
  // isConfigSecret is exported by the SDK at run time but marked internal in its typings.
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  return {
    stack: pulumi.getStack(),
    values: pulumi.runtime.allConfig(),
    isSecret: (key) => runtime.isConfigSecret?.(key) ?? false,
  };
}

/** `namespaces.0.podSecurity` as `pulumi config set --path` writes it: `namespaces[0].podSecurity`. */
function configPath(dotted: string): string {
  return dotted.replace(/\.(\d+)(?=\.|$)/g, "[$1]");
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Reads a namespace's config through a zod object schema. Each value is taken as the raw string when
 * the field accepts it, else as parsed JSON (numbers, booleans, objects), so `port: "8080"` and
 * `port: 8080` both work for a number field. Unknown keys in the namespace are refused: a typo must not
 * silently fall back to a default.
 */
export function readConfig<Shape extends z.ZodRawShape>(
  namespace: string,
  schema: z.ZodObject<Shape>,
  source: ConfigSource = engineConfigSource(),
): z.infer<z.ZodObject<Shape>> {
  const prefix = `${namespace}:`;
  const candidate: Record<string, unknown> = {};
  for (const [fullKey, raw] of Object.entries(source.values)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    const field = schema.shape[key] as z.ZodType | undefined;
    candidate[key] = field?.safeParse(raw).success ? raw : parseJson(raw);
  }
  const result = schema.strict().safeParse(candidate);
  if (result.success) return result.data;
  const problems = problemsFrom(result.error, candidate, (path) =>
    source.isSecret(`${prefix}${path.split(".")[0]}`),
  ).map((p): ConfigProblem => ({ key: `${prefix}${configPath(p.path)}`, expected: p.expected, found: p.found }));
  throw new StackConfigError(source.stack, problems);
}
