import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  ConcurrentUpdateError,
  type EngineEvent,
  LocalWorkspace,
  type OpMap,
  type PulumiCommand,
  type Stack,
} from "@pulumi/pulumi/automation";
import { projectRoot } from "./engine";
import { locksOf, StackLockedError } from "./locks";
import { runStackCli } from "./releases/capture";

/** Which copy of the project to run, and extra environment for the engine (tests use a sandbox). */
export interface ProjectLocation {
  /** @default the repository root */
  workDir?: string;
  envVars?: Record<string, string>;
}

/** What one stack's preview found, in a form the report can render without the engine. */
export interface StackPreview {
  changes: OpMap;
  /** URNs of resources the preview would replace, and delete. */
  replaces: string[];
  deletes: string[];
  /** Error diagnostics the engine reported, message by message. */
  errors: string[];
  /** The stack's outputs now, and as this preview plans them (unknown values as Pulumi's sentinel). */
  outputs: { current: Record<string, unknown>; planned: Record<string, unknown> };
}

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);

/**
 * Creates or selects each stack one at a time: the CLI rewrites shared files under the Pulumi home
 * when it does this, so it must not run concurrently (the fan-out comes after).
 */
export async function prepareStacks(
  stacks: readonly string[],
  pulumiCommand: PulumiCommand,
  where: ProjectLocation = {},
): Promise<Map<string, Stack>> {
  const prepared = new Map<string, Stack>();
  for (const stackName of stacks) {
    const workDir = where.workDir ?? projectRoot;
    prepared.set(
      stackName,
      await LocalWorkspace.createOrSelectStack({ stackName, workDir }, { pulumiCommand, envVars: where.envVars }),
    );
  }
  return prepared;
}

/** Collects the steps and diagnostics a report needs from the engine's event stream. */
export function eventCollector() {
  const replaces = new Set<string>();
  const deletes = new Set<string>();
  const errors: string[] = [];
  const outputs = { current: {} as Record<string, unknown>, planned: {} as Record<string, unknown> };
  return {
    onEvent(event: EngineEvent) {
      // The stack resource's last outputs event carries its outputs before and after the operation.
      const stackOutputs = event.resOutputsEvent?.metadata;
      if (stackOutputs?.type === "pulumi:pulumi:Stack") {
        outputs.current = stackOutputs.old?.outputs ?? {};
        outputs.planned = stackOutputs.new?.outputs ?? {};
      }
      const step = event.resourcePreEvent?.metadata;
      if (step) {
        if (REPLACE_OPS.has(step.op)) replaces.add(step.urn);
        else if (step.op === "delete") deletes.add(step.urn);
      }
      const diag = event.diagnosticEvent;
      if (diag?.severity === "error") errors.push(diag.message.trim());
    },
    result: () => ({ replaces: [...replaces], deletes: [...deletes], errors, outputs }),
  };
}

/** Starts an empty log file for one operation and returns a writer for the engine's output. */
function freshLog(logFile: string): (text: string) => void {
  mkdirSync(path.dirname(logFile), { recursive: true });
  writeFileSync(logFile, "");
  return (text) => appendFileSync(logFile, text);
}

/** Runs a preview with the engine's output going to the stack's own log file, never the terminal. */
export async function previewStack(stack: Stack, logFile: string, signal?: AbortSignal): Promise<StackPreview> {
  const log = freshLog(logFile);
  const collector = eventCollector();
  try {
    const result = await stack.preview({
      onOutput: log,
      onEvent: collector.onEvent,
      signal,
    });
    return { changes: result.changeSummary, ...collector.result() };
  } catch (err) {
    throw new StackOperationError(stack.name, "preview", collector.result().errors, logFile, err);
  }
}

/** An engine operation failed; carries the error diagnostics and where the full log is. */
export class StackOperationError extends Error {
  readonly stackName: string;
  readonly errors: string[];
  readonly logFile: string;

  constructor(stack: string, operation: string, errors: string[], logFile: string, cause: unknown) {
    const detail =
      errors.length > 0
        ? errors.join("\n")
        : String((cause as Error)?.message ?? cause)
            .split("\n")
            .slice(-5)
            .join("\n");
    super(`${operation} of ${stack} failed:\n${detail}`, { cause });
    this.name = "StackOperationError";
    this.stackName = stack;
    this.errors = errors.length > 0 ? errors : [detail];
    this.logFile = logFile;
  }
}

/** What one stack's update did. */
export interface StackUpdate {
  changes: OpMap;
  outputs: Record<string, { value: unknown; secret: boolean }>;
}

/** Runs an update with the engine's output going to the stack's own log file. */
export async function updateStack(stack: Stack, logFile: string, signal?: AbortSignal): Promise<StackUpdate> {
  const log = freshLog(logFile);
  const collector = eventCollector();
  try {
    const result = await stack.up({
      onOutput: log,
      onEvent: collector.onEvent,
      signal,
    });
    return { changes: result.summary.resourceChanges ?? {}, outputs: await maskedOutputs(stack, result.outputs) };
  } catch (err) {
    // By name as well: a second copy of the SDK (bundlers, test runners) defines its own class.
    if (err instanceof ConcurrentUpdateError || (err instanceof Error && err.name === "ConcurrentUpdateError")) {
      const settings = await stack.workspace.projectSettings();
      const backend = stack.workspace.envVars.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL;
      const message = err instanceof Error ? err.message : String(err);
      const locked = new StackLockedError(stack.name, await locksOf(message, backend, settings.name, stack.name), err);
      throw new StackOperationError(stack.name, "update", [locked.message], logFile, locked);
    }
    throw new StackOperationError(stack.name, "update", collector.result().errors, logFile, err);
  }
}

/** What `pulumi stack output --json` shows in place of a secret, at any depth. */
const SECRET_SENTINEL = "[secret]";

function holdsSentinel(value: unknown): boolean {
  if (value === SECRET_SENTINEL) return true;
  return value !== null && typeof value === "object" && Object.values(value).some(holdsSentinel);
}

/**
 * The stack's outputs with every secret masked, however deep. The Automation API's `up()` result marks
 * an output secret only when the whole value is one, so a secret inside an object came back in plaintext.
 * Read after the operation succeeded, so a failure to read must not fail it: the outputs the operation
 * returned (`fallback`) are then all treated as secret, which hides them and shows up as a difference.
 */
export async function maskedOutputs(
  stack: Stack,
  fallback: StackUpdate["outputs"] = {},
): Promise<StackUpdate["outputs"]> {
  let masked: Record<string, unknown>;
  try {
    masked = JSON.parse(await runStackCli(stack, ["stack", "output", "--json", "--stack", stack.name])) ?? {};
  } catch {
    return Object.fromEntries(Object.keys(fallback).map((name) => [name, { value: SECRET_SENTINEL, secret: true }]));
  }
  return Object.fromEntries(
    Object.entries(masked).map(([name, value]) => [name, { value, secret: holdsSentinel(value) }]),
  );
}

/** The lines a report shows for a failed stack: the engine's error diagnostics when there are any. */
export function errorLines(error: unknown): string[] {
  if (error instanceof StackOperationError) return error.errors;
  return error === undefined ? [] : [String(error)];
}
