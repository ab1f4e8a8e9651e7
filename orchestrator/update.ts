import * as path from "node:path";
import { projectRoot, pulumiCommand } from "./engine";
import { planRun, type RunScope } from "./plan";
import { defaultParallelism, newRunDir } from "./preview";
import { hasChanges } from "./report";
import { schedule } from "./scheduler";
import { errorLines, prepareStacks, type StackUpdate, updateStack } from "./stack-ops";

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
}

export interface UpdateReport {
  kind: "update";
  environment: string;
  startedAt: string;
  durationMs: number;
  stacks: StackUpdateEntry[];
}

export interface UpdateOptions extends RunScope {
  parallel?: number;
  continueOnError?: boolean;
  runDir?: string;
  signal?: AbortSignal;
  onStatus?: (stack: string, status: "queued" | "running" | UpdateStatus, detail?: string) => void;
}

/**
 * Updates an environment's stacks as a pipeline: each stack starts as soon as all its upstream
 * stacks succeeded, within the concurrency bound. Fail-fast by default.
 */
export async function updateEnvironment(options: UpdateOptions): Promise<UpdateReport> {
  const started = Date.now();
  const { graph } = planRun(options);
  const runDir = options.runDir ?? newRunDir("up");
  for (const stack of graph.order) options.onStatus?.(stack, "queued");
  const stacks = await prepareStacks(graph.order, await pulumiCommand(), options);
  const logFile = (stack: string) => path.join(runDir, `${stack}.log`);
  const results = await schedule(
    graph,
    (name) =>
      updateStack(stacks.get(name) as NonNullable<ReturnType<typeof stacks.get>>, logFile(name), options.signal),
    {
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
    },
  );
  const entries = results.map((r): StackUpdateEntry => {
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
        update: r.value,
        errors: [],
        logFile: log,
      };
    }
    if (r.status === "skipped")
      return { stack: r.stack, status: "skipped", errors: [], skippedBecause: r.skippedBecause };
    const errors = errorLines(r.error);
    return {
      stack: r.stack,
      status: "failed",
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      durationMs,
      errors,
      logFile: log,
    };
  });
  return {
    kind: "update",
    environment: options.environment,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    stacks: entries,
  };
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
  return [`Update of '${report.environment}': ${total}`, ...lines].join("\n");
}
