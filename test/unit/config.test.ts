import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type ConfigSource, readConfig, StackConfigError } from "../../stacks/config";

const schema = z.object({
  environment: z.enum(["dev", "staging", "prod"]),
  replicas: z.number().int().min(1).default(2),
  cidr: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, "a CIDR block like 10.0.0.0/16"),
  labels: z.record(z.string(), z.string()).default({}),
  apiToken: z.string().min(32).optional(),
});

function source(values: Record<string, string>, secrets: string[] = []): ConfigSource {
  return { stack: "dev-network", values, isSecret: (key) => secrets.includes(key) };
}

function problemsOf(fn: () => unknown): StackConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StackConfigError) return err;
    throw err;
  }
  throw new Error("expected a StackConfigError");
}

describe("readConfig", () => {
  it("parses strings, numbers from text, JSON objects and defaults", () => {
    const config = readConfig(
      "stackline",
      schema,
      source({
        "stackline:environment": "dev",
        "stackline:replicas": "3",
        "stackline:cidr": "10.0.0.0/16",
        "stackline:labels": '{"team":"platform"}',
        "aws:region": "eu-west-1",
      }),
    );
    expect(config).toEqual({ environment: "dev", replicas: 3, cidr: "10.0.0.0/16", labels: { team: "platform" } });
  });

  it("names the stack, the key, what was expected and what was found", () => {
    const err = problemsOf(() =>
      readConfig("stackline", schema, source({ "stackline:environment": "qa", "stackline:cidr": "10.0.0.0/16" })),
    );
    expect(err.stackName).toBe("dev-network");
    expect(err.problems).toEqual([
      { key: "stackline:environment", expected: 'one of "dev", "staging", "prod"', found: '"qa"' },
    ]);
    expect(err.message).toContain("Invalid config for stack 'dev-network' (stacks/Pulumi.dev-network.yaml)");
    expect(err.message).toContain('stackline:environment: expected one of "dev", "staging", "prod", found "qa"');
  });

  it("reports a missing required key and a custom expectation", () => {
    const err = problemsOf(() =>
      readConfig("stackline", schema, source({ "stackline:environment": "dev", "stackline:cidr": "10.0.0.0/33x" })),
    );
    expect(err.problems).toEqual([
      { key: "stackline:cidr", expected: "a CIDR block like 10.0.0.0/16", found: '"10.0.0.0/33x"' },
    ]);
    const missing = problemsOf(() => readConfig("stackline", schema, source({ "stackline:environment": "dev" })));
    expect(missing.problems).toEqual([{ key: "stackline:cidr", expected: "string", found: "nothing (not set)" }]);
  });

  it("points into nested values and rejects numbers out of range", () => {
    const err = problemsOf(() =>
      readConfig(
        "stackline",
        schema,
        source({
          "stackline:environment": "dev",
          "stackline:cidr": "10.0.0.0/16",
          "stackline:replicas": "0",
          "stackline:labels": '{"team":7}',
        }),
      ),
    );
    expect(err.problems).toEqual([
      { key: "stackline:replicas", expected: "at least 1", found: "0" },
      { key: "stackline:labels.team", expected: "string", found: "7" },
    ]);
  });

  it("refuses unknown keys so a typo cannot fall back to a default", () => {
    const err = problemsOf(() =>
      readConfig(
        "stackline",
        schema,
        source({ "stackline:environment": "dev", "stackline:cidr": "10.0.0.0/16", "stackline:replica": "3" }),
      ),
    );
    expect(err.problems).toEqual([
      {
        key: "stackline:replica",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: "3",
      },
    ]);
  });

  it("never echoes a secret value", () => {
    const err = problemsOf(() =>
      readConfig(
        "stackline",
        schema,
        source(
          { "stackline:environment": "dev", "stackline:cidr": "10.0.0.0/16", "stackline:apiToken": "hunter2-short" },
          ["stackline:apiToken"],
        ),
      ),
    );
    expect(err.problems).toEqual([
      { key: "stackline:apiToken", expected: "length at least 32", found: "a secret value (not shown)" },
    ]);
    expect(err.message).not.toContain("hunter2");
  });
});
