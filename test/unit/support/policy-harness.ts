import {
  type EnforcementLevel,
  type Policies,
  type PolicyPackConfig,
  type PolicyProviderResource,
  type PolicyResource,
  type PolicyResourceOptions,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type StackValidationArgs,
  type StackValidationPolicy,
  UnknownValueError,
  unknownCheckingProxy,
} from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { stacklinePolicies } from "../../../policy/policies";
import { awsCall } from "./aws-computed";
import { mockEngine, type RegisteredResource } from "./pulumi-mocks";

// Runs CrossGuard policies the way the policy SDK's analyzer server does (node_modules/@pulumi/policy/
// server.js): resource policies see each resource's inputs, stack policies see every resource's
// outputs with parents and dependencies linked; properties are wrapped in the SDK's unknown-checking
// proxy with secrets unwrapped; `notApplicable` and values unknown during preview are handled alike.

/** A resource as the engine gives it to a policy pack. Values keep the wire form (secrets wrapped, unknowns as sentinels). */
export interface PolicyResourceRecord {
  type: string;
  name: string;
  urn: string;
  id?: string;
  /** What the program gave the engine: resource policies judge these. */
  inputs: Record<string, unknown>;
  /** What the provider returned: stack policies judge these. */
  outputs: Record<string, unknown>;
  parent?: string;
  /** Provider reference, `<provider urn>::<provider id>`. */
  provider?: string;
  dependencies: string[];
  /** For each input property, the URNs of the resources its value was computed from. */
  propertyDependencies: Record<string, string[]>;
  options: PolicyResourceOptions;
}

/** One reported violation. */
export interface PolicyViolation {
  policy: string;
  enforcementLevel: "advisory" | "mandatory";
  /** The resource in violation; unset when a stack policy blames the whole stack. */
  urn?: string;
  message: string;
}

export interface CheckOptions {
  /** Per-policy configuration as `pulumi preview --policy-pack-config` gives it (enforcementLevel and properties). */
  config?: PolicyPackConfig;
  /** The pack's default level for policies without one. @default "advisory" (the SDK's default) */
  defaultEnforcementLevel?: EnforcementLevel;
  stackTags?: Record<string, string>;
}

// The engine's wire signatures (node_modules/@pulumi/pulumi/runtime/rpc.js).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * A wire value as the policy SDK hands it to a policy: secrets unwrapped, resource references
 * downgraded to the resource's id (or URN for components) as the engine does for analyzers, output
 * values to their value (or the unknown sentinel), unknown sentinels kept so the proxy can throw.
 */
export function policyValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(policyValue);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  switch (object[SIG_KEY]) {
    case SECRET_SIG:
      return policyValue(object.value);
    case RESOURCE_SIG:
      return typeof object.id === "string" ? (object.id === "" ? UNKNOWN_VALUE : object.id) : object.urn;
    case OUTPUT_SIG:
      return "value" in object ? policyValue(object.value) : UNKNOWN_VALUE;
    case undefined:
      return Object.fromEntries(
        Object.entries(object)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, policyValue(v)]),
      );
    default:
      return value; // assets and archives, which no policy here reads
  }
}

function propsOf(values: Record<string, unknown>): Record<string, unknown> {
  return policyValue(values) as Record<string, unknown>;
}

// --- Recording what the engine receives -------------------------------------------------------------

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getObject(): Struct | undefined;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
  getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getAliasurnsList(): string[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): Struct | undefined;
}
type Callback = (error: Error | null, response?: RegisterResponse) => void;
interface RecordableMonitor {
  registerResource(request: RegisterRequest, callback: Callback): unknown;
  getRegisteredResources?(): Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
}

/** Seconds in a Go duration such as "5m" or "1h30m" (custom timeouts travel as text). */
function seconds(duration: string | undefined): number {
  if (!duration) return 0;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/([\d.]+)(ms|h|m|s)/g))
    total += Number(amount) * (units[unit ?? "s"] ?? 0);
  return total;
}

function recordOf(request: RegisterRequest, response: RegisterResponse): PolicyResourceRecord {
  const propertyDependencies: Record<string, string[]> = {};
  request.getPropertydependenciesMap().forEach((value, key) => {
    propertyDependencies[key] = value.getUrnsList();
  });
  const timeouts = request.getCustomtimeouts();
  const parent = request.getParent() || undefined;
  return {
    type: request.getType(),
    name: request.getName(),
    urn: response.getUrn(),
    id: response.getId() || undefined,
    inputs: request.getObject()?.toJavaScript() ?? {},
    outputs: response.getObject()?.toJavaScript() ?? {},
    parent,
    provider: request.getProvider() || undefined,
    dependencies: request.getDependenciesList(),
    propertyDependencies,
    options: {
      protect: request.getProtect() ?? false,
      ignoreChanges: request.getIgnorechangesList(),
      aliases: request.getAliasurnsList(),
      customTimeouts: {
        createSeconds: seconds(timeouts?.getCreate()),
        updateSeconds: seconds(timeouts?.getUpdate()),
        deleteSeconds: seconds(timeouts?.getDelete()),
      },
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
      ...(request.getDeletebeforereplacedefined() ? { deleteBeforeReplace: request.getDeletebeforereplace() } : {}),
      ...(parent ? { parent } : {}),
    },
  };
}

function currentMonitor(): RecordableMonitor {
  const monitor = pulumi.runtime.getMonitor() as unknown as RecordableMonitor | undefined;
  if (typeof monitor?.registerResource !== "function")
    throw new Error("No Pulumi mock monitor: call mockEngine() (test/unit/support/pulumi-mocks.ts) first.");
  return monitor;
}

/**
 * Records, from now on, every resource registration the current Pulumi mocks receive, with what
 * RegisteredResource lacks: URN, outputs, parent and the property dependencies stack policies use
 * during preview. Call it right after mockEngine(), before the program runs.
 */
export function recordPolicyResources(): { readonly resources: PolicyResourceRecord[] } {
  const monitor = currentMonitor();
  const resources: PolicyResourceRecord[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    register(request, (error, response) => {
      if (!error && response) resources.push(recordOf(request, response));
      callback(error, response);
    });
  return { resources };
}

/**
 * Records the resources of `program` under fresh Pulumi mocks. By default the mocks are
 * mockEngine()'s (an update: ids and computed fields known). With `preview: true`, the mocks behave
 * as a first preview does: every id and computed output is unknown, so stack policies must find
 * references through property dependencies.
 */
export async function recordProgram(
  program: () => unknown,
  options: {
    stack?: string;
    config?: Record<string, unknown>;
    stackOutputs?: Record<string, Record<string, unknown>>;
    preview?: boolean;
  } = {},
): Promise<PolicyResourceRecord[]> {
  const stack = options.stack ?? "dev-policy";
  if (options.preview) {
    pulumi.runtime.setAllConfig({ "aws:region": "eu-west-1" }, []);
    await pulumi.runtime.setMocks(
      {
        // No id and no computed state: the SDK makes them unknown, as a preview of new resources does.
        newResource: (args) => ({ id: undefined, state: args.inputs }),
        call: (args) => awsCall(args.token, "eu-west-1") ?? args.inputs,
      },
      "stackline",
      stack,
      true,
      "organization",
    );
  } else {
    await mockEngine(stack, { "aws:region": "eu-west-1", ...options.config }, options.stackOutputs);
  }
  const recorder = recordPolicyResources();
  await program();
  let stableTurns = 0;
  let last = -1;
  while (stableTurns < 10) {
    await new Promise((resolve) => setImmediate(resolve));
    stableTurns = recorder.resources.length === last ? stableTurns + 1 : 0;
    last = recorder.resources.length;
  }
  return recorder.resources;
}

/**
 * Turns mockEngine()'s RegisteredResources into policy records, taking URNs, ids and outputs from
 * the current mock monitor. Dependencies are not known this way, so stack policies match references
 * by value (ids are known under mockEngine); use recordPolicyResources() for dependencies.
 */
function fromRegistered(resources: readonly RegisteredResource[]): PolicyResourceRecord[] {
  const monitor = pulumi.runtime.getMonitor() as unknown as RecordableMonitor | undefined;
  const registered = [...(monitor?.getRegisteredResources?.().values() ?? [])];
  const used = new Set<string>();
  return resources.map((resource) => {
    const match = registered.find(
      (r) =>
        !used.has(r.urn) &&
        r.urn.endsWith(`::${resource.name}`) &&
        r.urn.split("::")[2]?.split("$").pop() === resource.type,
    );
    if (match) used.add(match.urn);
    const urn =
      match?.urn ?? `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${resource.type}::${resource.name}`;
    return {
      type: resource.type,
      name: resource.name,
      urn,
      id: match?.id ?? undefined,
      inputs: resource.inputs,
      outputs: { ...(match?.state ?? resource.inputs), ...(match?.id ? { id: match.id } : {}) },
      provider: resource.provider,
      dependencies: [],
      propertyDependencies: {},
      options: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
    };
  });
}

// --- Running policies ------------------------------------------------------------------------------

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/** True when `resourceClass` is the class of resources of `type`, as the SDK decides it. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token === "string" && token !== "") return token === type;
  const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function levelOf(
  policy: { name: string; enforcementLevel?: EnforcementLevel },
  options: CheckOptions,
): EnforcementLevel {
  const configured = options.config?.[policy.name];
  const fromConfig = typeof configured === "string" ? configured : configured?.enforcementLevel;
  return fromConfig ?? policy.enforcementLevel ?? options.defaultEnforcementLevel ?? "advisory";
}

function configOf(policyName: string, options: CheckOptions) {
  return <T extends object>(): T => {
    const configured = options.config?.[policyName];
    if (configured === undefined || typeof configured === "string") return {} as T;
    const { enforcementLevel: _level, ...properties } = configured;
    return properties as T;
  };
}

function providerOf(
  record: PolicyResourceRecord,
  byReference: Map<string, PolicyResourceRecord>,
): PolicyProviderResource | undefined {
  const provider = record.provider ? byReference.get(record.provider) : undefined;
  if (!provider) return undefined;
  return {
    type: provider.type,
    name: provider.name,
    urn: provider.urn,
    props: unknownCheckingProxy(propsOf(provider.inputs)),
  };
}

function isRecord(resource: RegisteredResource | PolicyResourceRecord): resource is PolicyResourceRecord {
  return "urn" in resource && typeof resource.urn === "string";
}

/**
 * Runs `policies` (by default the whole stackline-aws pack) over the resources of a mocked program,
 * as `pulumi preview --policy-pack policy` would, and returns every violation. Takes mockEngine()'s
 * `engine.resources` or recordPolicyResources()/recordProgram() records (which also carry dependencies).
 */
export async function checkPolicies(
  resources: readonly RegisteredResource[] | readonly PolicyResourceRecord[],
  policies: Policies = stacklinePolicies,
  options: CheckOptions = {},
): Promise<PolicyViolation[]> {
  const records = (resources as readonly (RegisteredResource | PolicyResourceRecord)[]).every(isRecord)
    ? (resources as PolicyResourceRecord[])
    : fromRegistered(resources as RegisteredResource[]);
  const byReference = new Map(records.filter((r) => r.id !== undefined).map((r) => [`${r.urn}::${r.id}`, r]));
  const stackTags = new Map(Object.entries(options.stackTags ?? {}));
  const violations: PolicyViolation[] = [];

  for (const policy of policies) {
    const level = levelOf(policy, options);
    if (level === "disabled") continue;
    // The SDK reports a remediation policy's remaining violations as mandatory.
    const enforcementLevel = level === "advisory" ? "advisory" : "mandatory";
    const onUnknown = (error: UnknownValueError) =>
      violations.push({
        policy: policy.name,
        enforcementLevel: "advisory",
        message: `can't run policy '${policy.name}' during preview: ${error.message}`,
      });

    if ("validateResource" in policy && policy.validateResource) {
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
      for (const record of records) {
        const token = (validations.length === 1 ? validations[0] : undefined) as { __pulumiType?: string } | undefined;
        if (token?.__pulumiType && token.__pulumiType !== record.type) continue;
        const report: ReportViolation = (message) =>
          violations.push({ policy: policy.name, enforcementLevel, urn: record.urn, message });
        for (const validation of validations) {
          const props = unknownCheckingProxy(propsOf(record.inputs));
          const provider = providerOf(record, byReference);
          const args: ResourceValidationArgs = {
            type: record.type,
            props,
            urn: record.urn,
            name: record.name,
            opts: record.options,
            stackTags,
            isType: (resourceClass) => isTypeOf(record.type, resourceClass),
            asType: ((resourceClass: unknown) =>
              isTypeOf(record.type, resourceClass) ? props : undefined) as ResourceValidationArgs["asType"],
            getConfig: configOf(policy.name, options),
            notApplicable,
            ...(provider ? { provider } : {}),
          };
          try {
            await validation(args, report);
          } catch (error) {
            if (error instanceof NotApplicable) continue;
            if (error instanceof UnknownValueError) onUnknown(error);
            else throw new Error(`policy ${policy.name} failed on ${record.urn}: ${String(error)}`, { cause: error });
          }
        }
      }
    }

    if ("validateStack" in policy && typeof policy.validateStack === "function") {
      const validateStack = (policy as StackValidationPolicy).validateStack;
      const byUrn = new Map<string, PolicyResource>();
      for (const record of records) {
        const props = unknownCheckingProxy(propsOf(record.outputs));
        const provider = providerOf(record, byReference);
        byUrn.set(record.urn, {
          type: record.type,
          props,
          urn: record.urn,
          name: record.name,
          opts: record.options,
          dependencies: [],
          propertyDependencies: {},
          isType: (resourceClass) => isTypeOf(record.type, resourceClass),
          asType: ((resourceClass: unknown) =>
            isTypeOf(record.type, resourceClass) ? props : undefined) as PolicyResource["asType"],
          ...(provider ? { provider } : {}),
        });
      }
      const linked = (urns: readonly string[]) =>
        urns.map((urn) => byUrn.get(urn)).filter((r): r is PolicyResource => r !== undefined);
      for (const record of records) {
        const resource = byUrn.get(record.urn) as PolicyResource;
        const parent = record.parent ? byUrn.get(record.parent) : undefined;
        if (parent) resource.parent = parent;
        resource.dependencies = linked(record.dependencies);
        for (const [property, urns] of Object.entries(record.propertyDependencies))
          resource.propertyDependencies[property] = linked(urns);
      }
      const args: StackValidationArgs = {
        resources: [...byUrn.values()],
        stackTags,
        getConfig: configOf(policy.name, options),
        notApplicable,
      };
      const report: ReportViolation = (message, urn) =>
        violations.push({ policy: policy.name, enforcementLevel, ...(urn ? { urn } : {}), message });
      try {
        await validateStack(args, report);
      } catch (error) {
        if (error instanceof NotApplicable) continue;
        if (error instanceof UnknownValueError) onUnknown(error);
        else throw new Error(`policy ${policy.name} failed on the stack: ${String(error)}`, { cause: error });
      }
    }
  }
  return violations;
}

/** The violations that block `pulumi up`. */
export function mandatoryViolations(violations: readonly PolicyViolation[]): PolicyViolation[] {
  return violations.filter((violation) => violation.enforcementLevel === "mandatory");
}

/** Violations as readable lines, for assertion messages: `[mandatory] policy (urn): message`. */
export function formatViolations(violations: readonly PolicyViolation[]): string {
  return violations
    .map((v) => `[${v.enforcementLevel}] ${v.policy}${v.urn ? ` (${v.urn})` : ""}: ${v.message}`)
    .join("\n");
}

// --- Rule tests ------------------------------------------------------------------------------------

/** The pack's policy named `name`. */
export function policyNamed(name: string, policies: Policies = stacklinePolicies) {
  const policy = policies.find((p) => p.name === name);
  if (!policy) throw new Error(`no policy named ${name} in the pack`);
  return policy;
}

/** Runs one policy of the pack over the resources `program` registers. */
export async function violationsOf(
  policyName: string,
  program: () => unknown,
  options: { preview?: boolean } = {},
): Promise<PolicyViolation[]> {
  return checkPolicies(await recordProgram(program, options), [policyNamed(policyName)]);
}

/** A program showing a rule at work; for a bad one, the resource blamed and what the message says. */
export interface RuleExample {
  name: string;
  program: () => unknown;
  /** Run as a first preview (ids and computed outputs unknown). @default false */
  preview?: boolean;
  /** The blamed resource's name (end of its URN). */
  blames?: string;
  message?: RegExp;
}

/** One rule with programs that break it and programs that keep it. */
export interface RuleCase {
  policy: string;
  level: "mandatory" | "advisory";
  bad: RuleExample[];
  good: RuleExample[];
}

/** For each rule: every bad program gets exactly one violation at the rule's level; every good one none. */
export function describeRules(cases: readonly RuleCase[]): void {
  for (const rule of cases) {
    describe(rule.policy, () => {
      it(`is ${rule.level}`, () => {
        expect(policyNamed(rule.policy).enforcementLevel).toBe(rule.level);
      });
      it.each(rule.bad)("fires: $name", async (example) => {
        const violations = await violationsOf(rule.policy, example.program, example);
        expect(violations, formatViolations(violations)).toHaveLength(1);
        const [violation] = violations;
        expect(violation?.enforcementLevel).toBe(rule.level);
        if (example.blames) expect(violation?.urn).toMatch(new RegExp(`::${example.blames}$`));
        if (example.message) expect(violation?.message).toMatch(example.message);
      });
      it.each(rule.good)("passes: $name", async (example) => {
        const violations = await violationsOf(rule.policy, example.program, example);
        expect(violations, formatViolations(violations)).toEqual([]);
      });
    });
  }
}
