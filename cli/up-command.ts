import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { projectRoot } from "../orchestrator/engine";
import { defaultParallelism, newRunDir } from "../orchestrator/preview";
import { formatUpdateSummary, updateEnvironment } from "../orchestrator/update";
import { selectionFrom } from "./selection";
import { StatusLines } from "./status-lines";

export const upFlagsSchema = z
  .object({
    env: z.string().regex(/^[a-z][a-z0-9]*$/, "an environment name like local, dev or prod"),
    parallel: z.coerce.number().int().min(1).max(64).optional(),
    "continue-on-error": z.boolean().default(false),
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
  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write("\nCancelling: running updates are asked to stop; nothing new starts.\n");
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  try {
    const report = await updateEnvironment({
      environment: flags.env,
      selection,
      parallel,
      continueOnError: flags["continue-on-error"],
      runDir,
      signal: controller.signal,
      onStatus: (stack, status) => lines.update(stack, status),
    });
    writeFileSync(path.join(runDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\n${formatUpdateSummary(report)}\n`);
    return report.stacks.some((s) => s.status === "failed" || s.status === "skipped") ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
  }
}
