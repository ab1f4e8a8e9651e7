import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { projectRoot } from "../orchestrator/engine";
import { defaultParallelism, newRunDir, previewEnvironment } from "../orchestrator/preview";
import { detailedExitCode, renderMarkdown } from "../orchestrator/report";
import { selectionFrom } from "./selection";
import { StatusLines } from "./status-lines";

export const previewFlagsSchema = z
  .object({
    env: z.string().regex(/^[a-z][a-z0-9]*$/, "an environment name like local, dev or prod"),
    parallel: z.coerce.number().int().min(1).max(64).optional(),
    "detailed-exitcode": z.boolean().default(false),
    /** Where logs and reports go, for CI to pick up. @default .stackline/runs/<time>-preview-<env>/ */
    "report-dir": z.string().min(1).optional(),
    /** Comma-separated stack names to run instead of the whole environment. */
    stacks: z
      .string()
      .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, "comma-separated stack names like dev-network,dev-data")
      .optional(),
    /** A git ref: run the stacks changed since it, and their dependents. */
    affected: z.string().min(1).optional(),
    "with-deps": z.boolean().default(false),
    "with-dependents": z.boolean().default(false),
  })
  .strict()
  .refine((f) => f.stacks === undefined || f.affected === undefined, {
    message: "either --stacks or --affected, not both",
    path: ["affected"],
  })
  .refine((f) => f.stacks !== undefined || f.affected !== undefined || (!f["with-deps"] && !f["with-dependents"]), {
    message: "--stacks (--with-deps and --with-dependents widen a selection)",
    path: ["stacks"],
  });

export type PreviewFlags = z.infer<typeof previewFlagsSchema>;

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
  process.stdout.write(
    `Previewing '${flags.env}' (up to ${parallel} at once; logs in ${path.relative(projectRoot, runDir)}/)\n`,
  );
  const lines = new StatusLines();
  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write("\nCancelling: running previews are being stopped; the report is still written.\n");
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  try {
    const report = await previewEnvironment({
      environment: flags.env,
      selection,
      parallel,
      runDir,
      signal: controller.signal,
      onStatus: (stack, status) => lines.update(stack, status),
    });
    const markdownPath = path.join(runDir, "report.md");
    const relMarkdown = path.relative(projectRoot, markdownPath);
    writeFileSync(path.join(runDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(markdownPath, renderMarkdown(report, { limit: Number.POSITIVE_INFINITY }));
    writeFileSync(path.join(runDir, "comment.md"), renderMarkdown(report, { fullReportPath: relMarkdown }));
    process.stdout.write(`\n${renderMarkdown(report, { fullReportPath: relMarkdown })}\n`);
    process.stdout.write(`Reports: ${relMarkdown}, ${path.relative(projectRoot, path.join(runDir, "report.json"))}\n`);
    const code = detailedExitCode(report);
    return flags["detailed-exitcode"] ? code : code === 1 ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
  }
}
