import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { projectRoot } from "../orchestrator/engine";
import { defaultParallelism, newRunDir } from "../orchestrator/preview";
import { formatUpdateSummary, updateEnvironment } from "../orchestrator/update";
import { runFlagsShape, selectionRules, withCancellation } from "./run-flags";
import { selectionFrom } from "./selection";
import { StatusLines } from "./status-lines";

export const upFlagsSchema = z
  .object({
    ...runFlagsShape,
    "continue-on-error": z.boolean().default(false),
    /** Leave stacks as the failed run left them (for debugging); the release is still recorded. */
    "no-rollback": z.boolean().default(false),
  })
  .strict()
  .superRefine(selectionRules);

export type UpFlags = z.infer<typeof upFlagsSchema>;

/** `stackline up --env <env>`: a pipelined update with live status and a final summary. */
export async function runUpCommand(flags: UpFlags): Promise<number> {
  const selection = selectionFrom(flags);
  if (selection === null) {
    process.stdout.write(`No stack of '${flags.env}' is affected by changes since ${flags.affected}.\n`);
    return 0;
  }
  const runDir = newRunDir(`up-${flags.env}`);
  mkdirSync(runDir, { recursive: true });
  const parallel = flags.parallel ?? defaultParallelism();
  process.stdout.write(
    `Updating '${flags.env}' (up to ${parallel} at once; logs in ${path.relative(projectRoot, runDir)}/)\n`,
  );
  const lines = new StatusLines();
  // Printed after the summary: a line written now would break the status lines redrawn in place.
  const warnings: string[] = [];
  return withCancellation("updates", async (signal) => {
    const report = await updateEnvironment({
      environment: flags.env,
      selection,
      parallel,
      continueOnError: flags["continue-on-error"],
      rollback: !flags["no-rollback"],
      onRollbackStatus: (stack, status) => lines.update(stack, status),
      runDir,
      signal,
      onStatus: (stack, status) => lines.update(stack, status),
      onWarning: (text) => warnings.push(text),
    });
    writeFileSync(path.join(runDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\n${formatUpdateSummary(report)}\n`);
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    return report.stacks.some((s) => s.status === "failed" || s.status === "skipped") ? 1 : 0;
  });
}
