import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { projectRoot } from "../orchestrator/engine";
import { defaultParallelism, newRunDir, previewEnvironment } from "../orchestrator/preview";
import { detailedExitCode, type PreviewReport, renderMarkdown } from "../orchestrator/report";
import { runFlagsShape, selectionRules, withCancellation } from "./run-flags";
import { selectionFrom } from "./selection";
import { StatusLines } from "./status-lines";

export const previewFlagsSchema = z
  .object({
    ...runFlagsShape,
    "detailed-exitcode": z.boolean().default(false),
    /** Where logs and reports go, for CI to pick up. @default .stackline/runs/<time>-preview-<env>/ */
    "report-dir": z.string().min(1).optional(),
  })
  .strict()
  .superRefine(selectionRules);

export type PreviewFlags = z.infer<typeof previewFlagsSchema>;

/**
 * Writes report.md (whole), comment.md (cut to fit a pull-request comment, pointing to report.md) and
 * report.json into the run's folder; returns the comment's text for the terminal.
 */
export function writePreviewReports(report: PreviewReport, runDir: string): string {
  const markdownPath = path.join(runDir, "report.md");
  const comment = renderMarkdown(report, { fullReportPath: path.relative(projectRoot, markdownPath) });
  writeFileSync(markdownPath, renderMarkdown(report, { limit: Number.POSITIVE_INFINITY }));
  writeFileSync(path.join(runDir, "comment.md"), comment);
  writeFileSync(path.join(runDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  return comment;
}

/** `stackline preview --env <env>`: every stack at once, live status, a Markdown and a JSON report. */
export async function runPreviewCommand(flags: PreviewFlags): Promise<number> {
  const selection = selectionFrom(flags);
  if (selection === null) {
    process.stdout.write(`No stack of '${flags.env}' is affected by changes since ${flags.affected}.\n`);
    return 0;
  }
  const runDir = flags["report-dir"] ? path.resolve(flags["report-dir"]) : newRunDir(`preview-${flags.env}`);
  mkdirSync(runDir, { recursive: true });
  const parallel = flags.parallel ?? defaultParallelism();
  const where = path.relative(projectRoot, runDir);
  process.stdout.write(`Previewing '${flags.env}' (up to ${parallel} at once; logs and reports in ${where}/)\n`);
  const lines = new StatusLines();
  return withCancellation("previews", async (signal) => {
    const report = await previewEnvironment({
      environment: flags.env,
      selection,
      parallel,
      runDir,
      signal,
      onStatus: (stack, status) => lines.update(stack, status),
    });
    process.stdout.write(`\n${writePreviewReports(report, runDir)}\n`);
    const code = detailedExitCode(report);
    return flags["detailed-exitcode"] ? code : code === 1 ? 1 : 0;
  });
}
