import * as pulumi from "@pulumi/pulumi";
import { awsCall, awsComputedState } from "./aws-computed";

/** A resource as the engine would have received it. */
export interface RegisteredResource {
  type: string;
  name: string;
  // Inputs are whatever the resource's args serialize to; tests narrow what they read.
  inputs: Record<string, unknown>;
  parent?: string;
  provider?: string;
}

export interface MockedEngine {
  resources: RegisteredResource[];
  /** Waits until registrations stop arriving, so a test sees everything a constructor started. */
  settle(): Promise<RegisteredResource[]>;
  ofType(type: string): RegisteredResource[];
}

/** Provider-computed fields a real provider would return, so tests see realistic values. */
function computedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  stackOutputs: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  if (type === "pulumi:pulumi:StackReference") {
    return { name, outputs: stackOutputs[name] ?? {}, secretOutputNames: [] };
  }
  if (type.startsWith("kubernetes:")) {
    const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
    return { ...inputs, metadata: { ...metadata, name: metadata.name ?? `${name}-generated`, uid: `uid-${name}` } };
  }
  return inputs;
}

/**
 * Installs Pulumi mocks for one stack and records every registration. Config is given as the engine
 * would pass it (full keys, structured values as JSON text); `stackOutputs` are what StackReferences
 * read, by fully qualified stack name.
 */
export async function mockEngine(
  stack: string,
  config: Record<string, unknown> = {},
  stackOutputs: Record<string, Record<string, unknown>> = {},
): Promise<MockedEngine> {
  const resources: RegisteredResource[] = [];
  const raw = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
  pulumi.runtime.setAllConfig(raw, []);
  const stackRegion = typeof config["aws:region"] === "string" ? config["aws:region"] : "us-east-1";
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        if (args.type.startsWith("aws:")) return awsComputedState(args.type, args.name, args.inputs, stackRegion);
        return { id: `${args.name}-id`, state: computedState(args.type, args.name, args.inputs, stackOutputs) };
      },
      call(args) {
        return awsCall(args.token, stackRegion) ?? args.inputs;
      },
    },
    "stackline",
    stack,
    false,
    "organization",
  );
  return {
    resources,
    ofType: (type) => resources.filter((r) => r.type === type),
    async settle() {
      let stableTurns = 0;
      let last = -1;
      while (stableTurns < 10) {
        await new Promise((resolve) => setImmediate(resolve));
        stableTurns = resources.length === last ? stableTurns + 1 : 0;
        last = resources.length;
      }
      return resources;
    },
  };
}

/** The value inside an Output, for assertions. */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Pulumi's wire marker for a secret value ("4dabf181..." is the special-secret signature). */
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** True when a registered input arrived at the engine marked as secret. */
export function isSecretInput(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === SECRET_SIGNATURE
  );
}
