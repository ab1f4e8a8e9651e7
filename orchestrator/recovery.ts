import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { z } from "zod";
import {
  type BackendEntry,
  type BackendFiles,
  backendFilesFor,
  backendText,
  inBatches,
  JSON_VARIANTS,
} from "./backend-files";
import { projectRoot, pulumiCommand } from "./engine";
import { describeLock, findLocks, type StackLock } from "./locks";
import { planRun, type RunScope } from "./plan";
import { newRunDir } from "./preview";

/**
 * A lock on another host cannot be checked for a live process, so it counts as stale only once it is
 * this old: GitHub Actions' longest job (6 h); a lock older than that has lost its runner.
 */
export const DEFAULT_STALE_AFTER_MS = 6 * 3600_000;

export interface RecoveryScope extends RunScope {
  /** A lock older than this is stale even when its pid is alive or on another host. @default 6 h */
  staleAfterMs?: number;
}

/**
 * - `stale`: its process is gone (pid not running on this host) or the lock is older than the threshold.
 * - `running`: its pid is running on this host: an operation in progress.
 * - `unknown`: held on another host and younger than the threshold: possibly still running.
 */
export type LockState = "stale" | "running" | "unknown";

export interface LockFinding {
  lock: StackLock;
  state: LockState;
  /** Milliseconds since the lock was taken (NaN when its timestamp does not parse). */
  ageMs: number;
  /** Why the lock is judged so, for people: "pid 4242 is not running on this host". */
  why: string;
}

/** An operation the engine started and never finished, as the checkpoint records it (inputs left out). */
export interface PendingOperation {
  /** `creating`, `updating`, `deleting`, `reading` or `importing`. */
  type: string;
  urn: string;
}

export interface StackFindings {
  stack: string;
  locks: LockFinding[];
  pending: PendingOperation[];
}

export interface Inspection {
  environment: string;
  /** The stacks that exist in the backend and were looked at, upstream first. */
  inspected: string[];
  /** Only the stacks with a lock or a pending operation. */
  findings: StackFindings[];
}

/** What the stale-lock judgement needs from the machine, injectable for tests. */
export interface LockContext {
  now: number;
  hostname: string;
  staleAfterMs: number;
  isAlive: (pid: number) => boolean;
}

/** Whether a process with this pid exists on this host (EPERM: it exists but belongs to someone else). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function hostContext(staleAfterMs = DEFAULT_STALE_AFTER_MS): LockContext {
  return { now: Date.now(), hostname: os.hostname(), staleAfterMs, isAlive: isPidAlive };
}

/** "45s", "12m", "6h", "1.5h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  const h = s / 3600;
  return `${Number.isInteger(h) ? h : h.toFixed(1)}h`;
}

/** Judges one lock: stale (safe to remove), running here, or unknown (another host, not old yet). */
export function judgeLock(lock: StackLock, context: LockContext): LockFinding {
  const ageMs = context.now - Date.parse(lock.timestamp);
  const old = ageMs > context.staleAfterMs;
  const limit = formatDuration(context.staleAfterMs);
  if (lock.hostname === context.hostname) {
    if (!context.isAlive(lock.pid)) {
      return { lock, state: "stale", ageMs, why: `pid ${lock.pid} is not running on this host` };
    }
    return old
      ? {
          lock,
          state: "stale",
          ageMs,
          why: `older than ${limit} (pid ${lock.pid} runs, but may be another program now)`,
        }
      : { lock, state: "running", ageMs, why: `pid ${lock.pid} is running on this host` };
  }
  const where = `on another host, age ${Number.isNaN(ageMs) ? "unknown" : formatDuration(ageMs)}`;
  return old
    ? { lock, state: "stale", ageMs, why: `${where}, older than ${limit}` }
    : { lock, state: "unknown", ageMs, why: `${where}: may still be running (stale after ${limit})` };
}

const pendingSchema = z.object({
  pending_operations: z.array(z.object({ type: z.string(), resource: z.object({ urn: z.string() }) })).nullish(),
});

/** The pending operations of a deployment (`stack export`'s `deployment`), type and URN only. */
export function pendingOperations(deployment: unknown): PendingOperation[] {
  const parsed = pendingSchema.safeParse(deployment);
  if (!parsed.success) return [];
  return (parsed.data.pending_operations ?? []).map((op) => ({ type: op.type, urn: op.resource.urn }));
}

/** Locks that block the stack: an operation may be running, so its pending operations are in flight. */
export function holders(findings: StackFindings): LockFinding[] {
  return findings.locks.filter((l) => l.state !== "stale");
}

/**
 * Left behind by a run that ended without cleaning up: a stale lock, or pending operations that no
 * live operation is carrying out.
 */
export function isInterrupted(findings: StackFindings): boolean {
  return holders(findings).length === 0 && (findings.locks.length > 0 || findings.pending.length > 0);
}

const VERB: Readonly<Record<string, string>> = {
  creating: "create",
  updating: "update",
  deleting: "delete",
  reading: "read",
  importing: "import",
};

/** "1 pending create, 2 pending updates". */
export function countPending(pending: readonly PendingOperation[]): string {
  const counts = new Map<string, number>();
  for (const op of pending) {
    const verb = VERB[op.type] ?? op.type;
    counts.set(verb, (counts.get(verb) ?? 0) + 1);
  }
  return [...counts].map(([verb, n]) => `${n} pending ${verb}${n === 1 ? "" : "s"}`).join(", ");
}

/** One stack's findings, one line per lock and per pending operation, for people. */
export function formatStackFindings(findings: StackFindings, now = Date.now()): string {
  const lines = [
    `${findings.stack}${isInterrupted(findings) ? " (interrupted)" : holders(findings).length > 0 ? " (in progress)" : ""}`,
  ];
  for (const l of findings.locks) {
    lines.push(`  lock     ${describeLock(l.lock, now)}: ${l.state === "stale" ? "stale, " : ""}${l.why}`);
  }
  for (const op of findings.pending) {
    lines.push(`  pending  ${VERB[op.type] ?? op.type} of ${op.urn}`);
  }
  return lines.join("\n");
}

export function formatFindings(findings: readonly StackFindings[], now = Date.now()): string {
  return findings.map((f) => formatStackFindings(f, now)).join("\n");
}

/** What recovery will do to each interrupted stack, for a confirmation prompt. */
export function formatRecoveryPlan(findings: readonly StackFindings[]): string {
  return findings
    .filter(isInterrupted)
    .map((f) => {
      const steps = [
        ...(f.locks.length > 0 ? [`remove ${f.locks.length} stale lock(s)`] : []),
        ...(f.pending.length > 0 ? [`refresh with --clear-pending-creates (${countPending(f.pending)})`] : []),
      ];
      return `  ${f.stack}: ${steps.join(", then ")}`;
    })
    .join("\n");
}

/** The project's name from its Pulumi.yaml: the file backend keeps stacks under it. */
export function projectName(workDir: string): string {
  const settings = z.object({ name: z.string() }).parse(parse(readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8")));
  return settings.name;
}

function backendOf(scope: RunScope): string | undefined {
  return scope.envVars?.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL;
}

const checkpointSchema = z.object({ checkpoint: z.object({ latest: z.unknown().optional() }) });

/**
 * A stack's checkpoint as a `file://` or `s3://` backend stores it (`.pulumi/stacks/<project>/<stack>.json`,
 * or `.json.gz`/`.json.zst` when the backend compresses), read directly: no engine process. When more
 * than one variant is there, the engine reads the newest, and so does this. `undefined` when the stack
 * does not exist.
 */
async function readCheckpointPending(
  files: BackendFiles,
  stacksDir: string,
  entries: readonly BackendEntry[],
  stack: string,
): Promise<PendingOperation[] | undefined> {
  const variants = JSON_VARIANTS.map((ext) => `${stack}.json${ext}`);
  let newest: BackendEntry | undefined;
  // In key order, a later variant wins a tie, as in the engine's stackPath.
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!variants.includes(entry.name)) continue;
    if (!newest || (entry.modified?.getTime() ?? 0) >= (newest.modified?.getTime() ?? 0)) newest = entry;
  }
  if (!newest) return undefined;
  const content = await files.read(`${stacksDir}/${newest.name}`);
  if (!content) return undefined;
  try {
    const parsed = checkpointSchema.safeParse(JSON.parse(backendText(newest.name, content)));
    return parsed.success ? pendingOperations(parsed.data.checkpoint.latest) : [];
  } catch {
    // Not JSON: nothing this can judge (the backend writes checkpoints whole).
    return [];
  }
}

/**
 * Locks and pending operations of a `file://` or `s3://` backend's stacks, read from its folder or
 * bucket: fast enough for `doctor` and for a check before every update. Other backends (Pulumi Cloud,
 * GCS, Azure Blob) give no findings here; the engine itself refuses a locked stack there.
 * @param stacks which stacks to look at. @default every stack of the project in the backend
 */
export async function inspectBackendFiles(
  backendUrl: string | undefined,
  project: string,
  stacks?: readonly string[],
  context: LockContext = hostContext(),
): Promise<StackFindings[]> {
  const files = backendFilesFor(backendUrl);
  if (!files) return [];
  const stacksDir = `.pulumi/stacks/${project}`;
  const checkpoints = await files.list(stacksDir);
  const names =
    stacks ??
    [
      ...new Set([
        ...checkpoints.flatMap((e) => /^(.+)\.json(?:\.gz|\.zst)?$/.exec(e.name)?.[1] ?? []),
        ...(await files.list(`.pulumi/locks/organization/${project}`)).map((e) => e.name),
      ]),
    ].sort();
  const found = await inBatches(names, 8, async (stack) => {
    const locks = (await findLocks(backendUrl, project, stack)).map((l) => judgeLock(l, context));
    const pending = (await readCheckpointPending(files, stacksDir, checkpoints, stack)) ?? [];
    return locks.length > 0 || pending.length > 0 ? [{ stack, locks, pending }] : [];
  });
  return found.flat();
}

/** Stacks left locked or half-done by an interrupted run: `stackline up` stops on them. */
export class InterruptedRunError extends Error {
  readonly findings: StackFindings[];

  constructor(environment: string, findings: StackFindings[]) {
    const named = findings.map((f) => {
      const lock = f.locks[0];
      const parts = [
        ...(lock ? [`locked by ${describeLock(lock.lock)} (${lock.why})`] : []),
        ...(f.pending.length > 0 ? [countPending(f.pending)] : []),
      ];
      return `  ${f.stack}: ${parts.join("; ")}`;
    });
    super(
      `An earlier run of '${environment}' was interrupted and left stacks locked or half-done:\n${named.join("\n")}\n` +
        `Run 'stackline recover --env ${environment}' first: it removes stale locks and refreshes the state ` +
        "to clear the pending operations (see README, Recovery).",
    );
    this.name = "InterruptedRunError";
    this.findings = findings;
  }
}

/**
 * The selected stacks' interrupted runs, from a file or S3 backend's files (nothing for other backends).
 * Cheap: meant to run before every update.
 */
export async function interruptedStacks(scope: RecoveryScope): Promise<StackFindings[]> {
  const { graph } = planRun(scope);
  const workDir = scope.workDir ?? projectRoot;
  return (
    await inspectBackendFiles(backendOf(scope), projectName(workDir), graph.order, hostContext(scope.staleAfterMs))
  ).filter(isInterrupted);
}

/** Throws InterruptedRunError when a selected stack has a stale lock or pending operations. */
export async function assertNoInterruptedRuns(scope: RecoveryScope): Promise<void> {
  const found = await interruptedStacks(scope);
  if (found.length > 0) throw new InterruptedRunError(scope.environment, found);
}

/** The environment's stacks that exist in the backend, selected without creating any. */
async function openStacks(scope: RecoveryScope): Promise<{ project: string; stacks: Stack[] }> {
  const { graph } = planRun(scope);
  const workspace = await LocalWorkspace.create({
    workDir: scope.workDir ?? projectRoot,
    pulumiCommand: await pulumiCommand(),
    envVars: scope.envVars,
  });
  const project = (await workspace.projectSettings()).name;
  // A file backend lists "t-base"; others may list "org/project/t-base".
  const existing = new Set((await workspace.listStacks()).map((s) => s.name.split("/").pop()));
  const stacks: Stack[] = [];
  // One at a time: selecting rewrites the workspace's files under the Pulumi home.
  for (const name of graph.order.filter((s) => existing.has(s))) stacks.push(await Stack.select(name, workspace));
  return { project, stacks };
}

async function inspectStack(stack: Stack, project: string, scope: RecoveryScope): Promise<StackFindings> {
  const context = hostContext(scope.staleAfterMs);
  const locks = (await findLocks(backendOf(scope), project, stack.name)).map((l) => judgeLock(l, context));
  const pending = pendingOperations((await stack.exportStack()).deployment);
  return { stack: stack.name, locks, pending };
}

/**
 * Finds, per stack of the environment (or selection) that exists in the backend: its locks (file
 * backends), each judged stale or not, and the pending operations in its checkpoint.
 */
export async function inspectStacks(scope: RecoveryScope): Promise<Inspection> {
  const { project, stacks } = await openStacks(scope);
  return inspectOpened(scope, project, stacks);
}

async function inspectOpened(scope: RecoveryScope, project: string, stacks: readonly Stack[]): Promise<Inspection> {
  const findings: StackFindings[] = [];
  for (const stack of stacks) {
    const found = await inspectStack(stack, project, scope);
    if (found.locks.length > 0 || found.pending.length > 0) findings.push(found);
  }
  return { environment: scope.environment, inspected: stacks.map((s) => s.name), findings };
}

/** What recovery did for one interrupted stack. */
export interface StackRecovery {
  stack: string;
  /** What it found before acting. */
  found: StackFindings;
  /** What it did, in order, for people: "removed 1 stale lock". */
  actions: string[];
  /** Set when an action failed; the stack may still need attention. */
  error?: string;
  /** The refresh's engine output, when there was one. */
  logFile?: string;
  /** What an inspection found afterwards (nothing, when recovery worked). */
  after: StackFindings;
}

export interface RecoveryReport {
  inspection: Inspection;
  /** False when there was nothing to recover or the confirmation said no. */
  confirmed: boolean;
  stacks: StackRecovery[];
}

export interface RecoverOptions {
  /** Shown the inspection when there is something to recover; nothing changes unless it returns true. */
  confirm: (inspection: Inspection) => boolean | Promise<boolean>;
  /** Where the refreshes' logs go. @default .stackline/runs/<timestamp>-recover/ */
  runDir?: string;
}

const lockFiles = (locks: readonly StackLock[]) =>
  locks
    .map((l) => l.file)
    .sort()
    .join("\n");

/**
 * Recovers the interrupted stacks of an environment, after `confirm` agrees: removes stale locks
 * (`pulumi cancel`, which deletes a file backend's lock files) and refreshes the stack with
 * `clearPendingCreates`, which drops pending creates from the state (the other pending operations
 * are settled by the refresh reading the resources back). Stacks held by a live or possibly live
 * operation are left alone.
 */
export async function recoverStacks(scope: RecoveryScope, options: RecoverOptions): Promise<RecoveryReport> {
  const { project, stacks } = await openStacks(scope);
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const inspection = await inspectOpened(scope, project, stacks);
  const interrupted = inspection.findings.filter(isInterrupted);
  if (interrupted.length === 0 || !(await options.confirm(inspection))) {
    return { inspection, confirmed: false, stacks: [] };
  }
  const runDir = options.runDir ?? newRunDir("recover");
  mkdirSync(runDir, { recursive: true });
  const recovered: StackRecovery[] = [];
  for (const found of interrupted) {
    const stack = byName.get(found.stack) as Stack;
    const actions: string[] = [];
    let error: string | undefined;
    let logFile: string | undefined;
    try {
      if (found.locks.length > 0) {
        // The locks judged stale must still be the ones there: never remove a lock taken since.
        const now = await findLocks(backendOf(scope), project, stack.name);
        if (lockFiles(now) !== lockFiles(found.locks.map((l) => l.lock))) {
          throw new Error("its locks changed since the inspection; run recover again");
        }
        await stack.cancel();
        actions.push(`removed ${found.locks.length} stale lock(s)`);
      }
      if (found.pending.length > 0) {
        logFile = path.join(runDir, `${stack.name}-refresh.log`);
        writeFileSync(logFile, "");
        const log = logFile;
        await stack.refresh({ clearPendingCreates: true, onOutput: (text) => appendFileSync(log, text) });
        actions.push(`refreshed, clearing ${countPending(found.pending)}`);
      }
    } catch (err) {
      error = (err instanceof Error ? err.message : String(err)).trim().split("\n").slice(-5).join("\n");
    }
    recovered.push({
      stack: stack.name,
      found,
      actions,
      error,
      logFile,
      after: await inspectStack(stack, project, scope),
    });
  }
  return { inspection, confirmed: true, stacks: recovered };
}

/** What recovery did, stack by stack, for people. */
export function formatRecovery(report: RecoveryReport): string {
  return report.stacks
    .map((s) => {
      const left = s.after.locks.length > 0 || s.after.pending.length > 0;
      const status = s.error ? "failed" : left ? "still not clear" : "recovered";
      const lines = [`  ${s.stack}: ${status}${s.actions.length > 0 ? ` (${s.actions.join("; ")})` : ""}`];
      if (s.error) lines.push(...s.error.split("\n").map((l) => `      ${l}`));
      if (left)
        lines.push(
          ...formatStackFindings(s.after)
            .split("\n")
            .slice(1)
            .map((l) => `    ${l}`),
        );
      return lines.join("\n");
    })
    .join("\n");
}
