import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { SUPPORTED_BACKENDS } from "./backend-files";
import { projectRoot, pulumiCommand } from "./engine";
import type { StackGraph } from "./graph";
import { StackLockedError } from "./locks";
import { planRun, type RunScope } from "./plan";
import { defaultParallelism, newRunDir } from "./preview";
import { assertNoInterruptedRuns } from "./recovery";
import { backendUrlOf, captureRelease } from "./releases/capture";
import type { Release, ReleaseStatus } from "./releases/record";
import { formatRollback, type RollbackReport, rollbackStacks } from "./releases/rollback";
import { type ReleaseStore, releaseStoreFor } from "./releases/store";
import { hasChanges } from "./report";
import { schedule } from "./scheduler";
import { readSmokeChecks, runSmokeChecks, type SmokeCheck } from "./smoke";
import { errorLines, prepareStacks, StackOperationError, type StackUpdate, updateStack } from "./stack-ops";

export type UpdateStatus = "succeeded" | "unchanged" | "failed" | "skipped";

export interface StackUpdateEntry {
  stack: string;
  status: UpdateStatus;
  /** Milliseconds from the start of the run. */
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  update?: StackUpdate;
  errors: string[];
  logFile?: string;
  skippedBecause?: string;
  /** Failed because another operation holds the stack: this run changed nothing there. */
  locked?: boolean;
}

export interface UpdateReport {
  kind: "update";
  environment: string;
  startedAt: string;
  durationMs: number;
  stacks: StackUpdateEntry[];
  /** The release recorded before the run (absent when none was: `release: false`, or no store). */
  /** `location`: the release's folder, or its `s3://` prefix. */
  release?: { tag: string; location: string };
  /** What the automatic rollback after a failure did (absent when nothing was rolled back). */
  rollback?: RollbackReport;
}

export interface UpdateOptions extends RunScope {
  parallel?: number;
  continueOnError?: boolean;
  runDir?: string;
  signal?: AbortSignal;
  onStatus?: (stack: string, status: "queued" | "running" | UpdateStatus, detail?: string) => void;
  /**
   * Record a release of the run's stacks before anything changes (see orchestrator/releases/), so the
   * run can be rolled back. `file://` and `s3://` backends keep records; others get one warning.
   * @default true
   */
  release?: boolean;
  /** A line for the user that belongs to no stack, e.g. that this run cannot be rolled back. */
  onWarning?: (text: string) => void;
  /**
   * After a failed run, roll back every stack the run changed (the failed ones included), dependents
   * first, to the release recorded before it. Not after Ctrl-C: the user asked to stop.
   * @default true
   */
  rollback?: boolean;
  /** Smoke checks to run after a stack's update besides those its config declares (the demo's). */
  extraSmokeChecks?: Readonly<Record<string, readonly SmokeCheck[]>>;
  onRollbackStatus?: (stack: string, status: string) => void;
}

/** What an update run leaves for whoever acts on its outcome (a rollback needs all of it). */
export interface UpdateRun {
  report: UpdateReport;
  /** The run's stacks by name, created or selected, ready for further operations. */
  stacks: Map<string, Stack>;
  /** The release recorded before the run, with its final status ("succeeded" or "failed"). */
  release?: Release;
  /** Where that release is stored. */
  store?: ReleaseStore;
}

/** The warning for a backend without a release store. */
export const NO_RELEASE_STORE_WARNING = `release records need ${SUPPORTED_BACKENDS}; this run cannot be rolled back`;

/**
 * Records a release of `order`'s stacks before the run changes them; undefined (after one warning)
 * when the backend has no release store.
 */
export async function recordRelease(
  stacks: Map<string, Stack>,
  order: readonly string[],
  options: UpdateOptions,
): Promise<{ release: Release; store: ReleaseStore } | undefined> {
  const first = stacks.get(order[0] ?? "");
  if (!first) return undefined;
  const { name: project } = await first.workspace.projectSettings();
  const store = releaseStoreFor(backendUrlOf(first), project, options.environment);
  if (!store) {
    options.onWarning?.(NO_RELEASE_STORE_WARNING);
    return undefined;
  }
  const release = await captureRelease(stacks, order, {
    environment: options.environment,
    project,
    workDir: options.workDir ?? projectRoot,
    store,
    parallel: options.parallel ?? defaultParallelism(),
    onWarning: options.onWarning,
  });
  return { release, store };
}

/** How a run ended, for its release: anything failed or skipped (fail-fast, Ctrl-C) is a failed run. */
export function releaseStatusOf(entries: readonly StackUpdateEntry[]): ReleaseStatus {
  return entries.some((e) => e.status === "failed" || e.status === "skipped") ? "failed" : "succeeded";
}

/** Secret output values never go into a report (it is written to report.json). */
function withoutSecretValues(update: StackUpdate): StackUpdate {
  const outputs = Object.fromEntries(
    Object.entries(update.outputs).map(([name, o]) => [name, o.secret ? { value: "[secret]", secret: true } : o]),
  );
  return { ...update, outputs };
}

/**
 * Updates an environment's stacks as a pipeline: each stack starts as soon as all its upstream
 * stacks succeeded, within the concurrency bound. Fail-fast by default. Records a release first
 * (`options.release`).
 */
export async function updateEnvironment(options: UpdateOptions): Promise<UpdateReport> {
  return (await runUpdate(options)).report;
}

/** updateEnvironment, returning also the stacks and the release, for a caller that acts on the outcome. */
export async function runUpdate(options: UpdateOptions): Promise<UpdateRun> {
  const started = Date.now();
  const { graph } = planRun(options);
  // A killed run's lock or pending create must be looked at before anything else changes.
  await assertNoInterruptedRuns(options);
  const workDir = options.workDir ?? projectRoot;
  // Malformed smoke checks stop the run before it changes anything.
  const smoke = new Map(
    graph.order.map((stack) => [
      stack,
      [...readSmokeChecks(path.join(workDir, "stacks"), stack), ...(options.extraSmokeChecks?.[stack] ?? [])],
    ]),
  );
  const runDir = options.runDir ?? newRunDir("up");
  for (const stack of graph.order) options.onStatus?.(stack, "queued");
  const stacks = await prepareStacks(graph.order, await pulumiCommand(), options);
  const recorded = options.release === false ? undefined : await recordRelease(stacks, graph.order, options);
  const finish = async (status: ReleaseStatus) => {
    if (!recorded) return;
    recorded.release.status = status;
    try {
      await recorded.store.save(recorded.release);
    } catch (err) {
      options.onWarning?.(`could not save the status of release ${recorded.release.tag}: ${(err as Error).message}`);
    }
  };
  const entries = await scheduleUpdates(graph, stacks, runDir, smoke, options).catch(async (err: unknown) => {
    await finish("failed");
    throw err;
  });
  await finish(releaseStatusOf(entries));
  const report: UpdateReport = {
    kind: "update",
    environment: options.environment,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    stacks: entries,
  };
  if (recorded)
    report.release = {
      tag: recorded.release.tag,
      location: recorded.store.locationOf(recorded.release.tag),
    };
  const changed = [...graph.order]
    .reverse()
    // A stack another operation holds was not touched: rolling it back would only meet the same lock.
    .filter((stack) =>
      entries.some((e) => e.stack === stack && !e.locked && (e.status === "failed" || e.status === "succeeded")),
    );
  const failed = entries.some((e) => e.status === "failed");
  if (recorded && failed && options.rollback !== false && !options.signal?.aborted && changed.length > 0) {
    report.rollback = await rollbackStacks({
      release: recorded.release,
      store: recorded.store,
      stacks: changed,
      upstream: graph.upstream,
      workDir,
      envVars: options.envVars,
      pulumiCommand: await pulumiCommand(),
      backendUrl: backendUrlOf(stacks.get(changed[0] as string) as Stack),
      runDir,
      scratchDir: path.join(projectRoot, ".stackline", "rollback"),
      onStatus: options.onRollbackStatus,
    });
    await finish(report.rollback.ok ? "rolled-back" : "rollback-failed");
    report.durationMs = Date.now() - started;
  }
  return { report, stacks, release: recorded?.release, store: recorded?.store };
}

/** Runs the stacks' updates as a pipeline and turns the results into report entries. */
async function scheduleUpdates(
  graph: StackGraph,
  stacks: Map<string, Stack>,
  runDir: string,
  smoke: ReadonlyMap<string, readonly SmokeCheck[]>,
  options: UpdateOptions,
): Promise<StackUpdateEntry[]> {
  const logFile = (stack: string) => path.join(runDir, `${stack}.log`);
  const updateAndCheck = async (name: string): Promise<StackUpdate> => {
    const update = await updateStack(stacks.get(name) as Stack, logFile(name), options.signal);
    const checks = smoke.get(name) ?? [];
    if (checks.length === 0) return update;
    const results = await runSmokeChecks(checks, update.outputs, options.workDir ?? projectRoot);
    const failures = results.filter((r) => !r.ok);
    if (failures.length === 0) return update;
    const lines = failures.map((f) => `smoke check '${f.name}' failed after ${f.attempts} attempt(s): ${f.detail}`);
    // The update itself went through; the stack still counts as failed, which triggers the rollback.
    throw new StackOperationError(name, "smoke check", lines, logFile(name), new Error(lines.join("\n")));
  };
  const results = await schedule(graph, updateAndCheck, {
    mode: "pipeline",
    parallel: options.parallel ?? defaultParallelism(),
    continueOnError: options.continueOnError,
    signal: options.signal,
    onEvent: ({ stack, phase, result }) => {
      if (phase === "start") options.onStatus?.(stack, "running");
      else if (result?.status === "skipped") options.onStatus?.(stack, "skipped", result.skippedBecause);
      else if (result?.status === "failed") options.onStatus?.(stack, "failed");
      else if (result?.value) options.onStatus?.(stack, hasChanges(result.value.changes) ? "succeeded" : "unchanged");
    },
  });
  return results.map((r): StackUpdateEntry => {
    const { durationMs } = r;
    const log = path.relative(projectRoot, logFile(r.stack));
    if (r.status === "succeeded" && r.value) {
      const status = hasChanges(r.value.changes) ? "succeeded" : "unchanged";
      return {
        stack: r.stack,
        status,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        durationMs,
        update: withoutSecretValues(r.value),
        errors: [],
        logFile: log,
      };
    }
    if (r.status === "skipped")
      return { stack: r.stack, status: "skipped", errors: [], skippedBecause: r.skippedBecause };
    const errors = errorLines(r.error);
    const locked = r.error instanceof StackOperationError && r.error.cause instanceof StackLockedError;
    return {
      stack: r.stack,
      status: "failed",
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      durationMs,
      errors,
      logFile: log,
      ...(locked ? { locked } : {}),
    };
  });
}

/** The final summary: every stack as succeeded, unchanged, failed or skipped, with durations. */
export function formatUpdateSummary(report: UpdateReport): string {
  const width = Math.max(...report.stacks.map((s) => s.stack.length));
  const lines = report.stacks.map((s) => {
    const time = s.durationMs === undefined ? "" : ` in ${(s.durationMs / 1000).toFixed(1)}s`;
    const why = s.status === "skipped" ? ` (because of ${s.skippedBecause})` : "";
    const err =
      s.status === "failed"
        ? `\n${" ".repeat(width + 4)}${s.errors
            .join("\n")
            .split("\n")
            .slice(0, 5)
            .join(`\n${" ".repeat(width + 4)}`)}`
        : "";
    return `  ${s.stack.padEnd(width)}  ${s.status}${time}${why}${err}`;
  });
  const failed = report.stacks.filter((s) => s.status === "failed").length;
  const total = `${report.stacks.length} stack(s) in ${(report.durationMs / 1000).toFixed(1)}s: ${failed === 0 ? "all done" : `${failed} failed`}`;
  const release = report.release
    ? [`Release ${report.release.tag} recorded in ${displayPath(report.release.location)}`]
    : [];
  const rollback = report.rollback ? ["", formatRollback(report.rollback)] : [];
  return [`Update of '${report.environment}': ${total}`, ...lines, ...release, ...rollback].join("\n");
}

/** A path relative to the repository when it is inside it, else absolute. */
function displayPath(dir: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dir)) return dir;
  const relative = path.relative(projectRoot, dir);
  return relative.startsWith("..") || path.isAbsolute(relative) ? dir : relative;
}
