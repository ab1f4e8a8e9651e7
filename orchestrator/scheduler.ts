import type { StackGraph } from "./graph";

export type TaskStatus = "succeeded" | "failed" | "skipped";

export interface TaskResult<T> {
  stack: string;
  status: TaskStatus;
  /** Milliseconds since the run began. */
  startedAt?: number;
  endedAt?: number;
  /** endedAt - startedAt, for stacks that ran. */
  durationMs?: number;
  value?: T;
  error?: unknown;
  /** For skipped stacks: the upstream stack whose failure (or skip) caused it. */
  skippedBecause?: string;
}

export interface ScheduleOptions<T = unknown> {
  /** At most this many tasks run at once. */
  parallel: number;
  /**
   * `pipeline`: a stack starts once all its upstream stacks succeeded (updates).
   * `fanout`: every stack starts as soon as a slot is free, in graph order (previews).
   */
  mode: "pipeline" | "fanout";
  /** Pipeline only: after a failure keep starting stacks that do not depend on it. @default false (fail fast) */
  continueOnError?: boolean;
  /** Stop starting new tasks (running ones finish); used for Ctrl-C. */
  signal?: AbortSignal;
  /** Called when a task starts and ends, for live status lines. */
  onEvent?: (event: { stack: string; phase: "start" | "end"; result?: TaskResult<T> }) => void;
}

/**
 * Runs one task per stack with a bounded pool. In pipeline mode a stack starts as soon as all its
 * upstream stacks have succeeded (not in rigid waves); a failure skips its dependents, and unless
 * `continueOnError` it also stops starting anything else, while running tasks finish.
 */
export async function schedule<T>(
  graph: StackGraph,
  task: (stack: string) => Promise<T>,
  options: ScheduleOptions<T>,
): Promise<TaskResult<T>[]> {
  if (!Number.isInteger(options.parallel) || options.parallel < 1) {
    throw new Error(`parallel must be a positive integer, got ${options.parallel}`);
  }
  const began = Date.now();
  const results = new Map<string, TaskResult<T>>();
  const pending = [...graph.order];
  let running = 0;
  let stopped = false;

  return new Promise((resolve) => {
    const finishIfDone = () => {
      if (running === 0 && pending.length === 0) resolve(graph.order.map((s) => results.get(s) as TaskResult<T>));
    };

    const skip = (stack: string, because: string) => {
      results.set(stack, { stack, status: "skipped", skippedBecause: because });
      options.onEvent?.({ stack, phase: "end", result: results.get(stack) });
    };

    const ready = (stack: string): "ready" | "wait" | { blockedBy: string } => {
      if (options.mode === "fanout") return "ready";
      for (const up of graph.upstream.get(stack) ?? []) {
        const r = results.get(up);
        if (!r) return "wait";
        if (r.status !== "succeeded") return { blockedBy: up };
      }
      return "ready";
    };

    const pump = () => {
      for (let i = 0; i < pending.length; ) {
        const stack = pending[i] as string;
        if (options.signal?.aborted) {
          pending.splice(i, 1);
          skip(stack, "cancelled");
          continue;
        }
        const state = ready(stack);
        if (typeof state === "object") {
          pending.splice(i, 1);
          skip(stack, state.blockedBy);
          continue;
        }
        if (stopped) {
          pending.splice(i, 1);
          skip(stack, "an earlier failure (fail-fast)");
          continue;
        }
        if (state === "wait" || running >= options.parallel) {
          i++;
          continue;
        }
        pending.splice(i, 1);
        running++;
        const startedAt = Date.now() - began;
        options.onEvent?.({ stack, phase: "start" });
        const timing = () => {
          const endedAt = Date.now() - began;
          return { startedAt, endedAt, durationMs: endedAt - startedAt };
        };
        task(stack).then(
          (value) => done({ stack, status: "succeeded", ...timing(), value }),
          (error: unknown) => done({ stack, status: "failed", ...timing(), error }),
        );
      }
      finishIfDone();
    };

    const done = (result: TaskResult<T>) => {
      running--;
      results.set(result.stack, result);
      options.onEvent?.({ stack: result.stack, phase: "end", result });
      if (result.status === "failed" && options.mode === "pipeline" && !options.continueOnError) stopped = true;
      pump();
    };

    options.signal?.addEventListener("abort", () => pump(), { once: true });
    pump();
  });
}
