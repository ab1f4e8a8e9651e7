import * as os from "node:os";
import * as path from "node:path";
import { projectRoot, pulumiCommand } from "./engine";
import { planRun, type RunScope } from "./plan";
import { entryFromPreview, hasChanges, markStale, type PreviewReport, type StackReportEntry } from "./report";
import { schedule } from "./scheduler";
import { errorLines, prepareStacks, previewStack } from "./stack-ops";

export interface PreviewOptions extends RunScope {
  /** Stacks to preview at once. @default defaultParallelism() */
  parallel?: number;
  /** Where each stack's log goes. @default .stackline/runs/<timestamp>/ */
  runDir?: string;
  signal?: AbortSignal;
  onStatus?: (stack: string, status: "queued" | "running" | StackReportEntry["status"], detail?: string) => void;
}

/**
 * A bound that keeps the machine responsive: every preview runs a Node.js program, the engine and its
 * plugins, about 1 GiB and most of a core at peak.
 */
export function defaultParallelism(): number {
  const byMemory = Math.floor(os.totalmem() / 2 ** 30);
  return Math.max(1, Math.min(os.availableParallelism() * 2, byMemory, 16));
}

export function newRunDir(kind: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return path.join(projectRoot, ".stackline", "runs", `${stamp}-${kind}`);
}

/** Previews every stack of an environment at once (bounded), one log file per stack, one report. */
export async function previewEnvironment(options: PreviewOptions): Promise<PreviewReport> {
  const started = Date.now();
  const { graph, entries, registry } = planRun(options);
  const runDir = options.runDir ?? newRunDir("preview");
  for (const stack of graph.order) options.onStatus?.(stack, "queued");
  const stacks = await prepareStacks(graph.order, await pulumiCommand(), options);
  const results = await schedule(
    graph,
    (name) =>
      previewStack(
        stacks.get(name) as NonNullable<ReturnType<typeof stacks.get>>,
        path.join(runDir, `${name}.log`),
        options.signal,
      ),
    {
      mode: "fanout",
      parallel: options.parallel ?? defaultParallelism(),
      signal: options.signal,
      onEvent: ({ stack, phase, result }) => {
        if (phase === "start") options.onStatus?.(stack, "running");
        else if (result?.status === "succeeded" && result.value) {
          options.onStatus?.(stack, hasChanges(result.value.changes) ? "changes" : "no changes");
        } else if (result) options.onStatus?.(stack, result.status === "skipped" ? "skipped" : "failed");
      },
    },
  );
  const report: PreviewReport = {
    kind: "preview",
    environment: options.environment,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    stacks: results.map((r): StackReportEntry => {
      const logFile = path.relative(projectRoot, path.join(runDir, `${r.stack}.log`));
      const { durationMs } = r;
      if (r.status === "succeeded" && r.value) return entryFromPreview(r.stack, r.value, durationMs ?? 0, logFile);
      const errors = errorLines(r.error);
      return {
        stack: r.stack,
        status: r.status === "skipped" ? "skipped" : "failed",
        durationMs,
        changes: {},
        replaces: [],
        deletes: [],
        errors,
        logFile: r.status === "skipped" ? undefined : logFile,
        skippedBecause: r.skippedBecause,
      };
    }),
  };
  const previews = new Map(results.flatMap((r) => (r.value ? [[r.stack, r.value] as const] : [])));
  markStale(
    report.stacks,
    previews,
    (stack) => graph.upstream.get(stack) ?? [],
    (stack, upstream) => {
      const layer = entries.get(stack)?.layer;
      const upstreamLayer = entries.get(upstream)?.layer;
      const reads: Readonly<Record<string, readonly string[]>> = (layer && registry[layer]?.reads) || {};
      return upstreamLayer ? (reads[upstreamLayer] ?? []) : [];
    },
  );
  return report;
}
