import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { newRunDir } from "../orchestrator/preview";
import { TAG_PATTERN } from "../orchestrator/releases/record";
import { formatRollback } from "../orchestrator/releases/rollback";
import { formatRollbackPlan, rollbackTo } from "../orchestrator/releases/rollback-to";
import { formatStateRestore, restoreState } from "../orchestrator/releases/state-restore";
import { recordRelease } from "../orchestrator/update";
import { ask, confirmationMode } from "./confirm";
import { runFlagsShape } from "./run-flags";
import { StatusLines } from "./status-lines";

export const rollbackFlagsSchema = z
  .object({
    env: runFlagsShape.env,
    /** The release to return to (see `stackline releases`). */
    to: z.string().regex(TAG_PATTERN, "a release tag like dev-20261125T173012Z-9f3a (see stackline releases)"),
    /** Roll back without asking: for CI, where stdin is not a terminal. */
    yes: z.boolean().default(false),
    /** For experts: put the tagged checkpoints back as state and refresh; deploys nothing. */
    "state-only": z.boolean().default(false),
  })
  .strict();

export type RollbackFlags = z.infer<typeof rollbackFlagsSchema>;

/**
 * `stackline rollback --env <env> --to <tag>`: previews what returning to the release would create,
 * replace and delete, asks (or takes --yes), records the current state as a release of its own (so
 * the rollback can be undone), then rolls back and checks each stack's outputs against the release.
 */
export async function runRollbackCommand(flags: RollbackFlags): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const runDir = newRunDir(`rollback-${flags.env}`);
  mkdirSync(runDir, { recursive: true });
  const scope = { environment: flags.env, tag: flags.to, runDir };
  if (flags["state-only"]) return runStateRestore(flags, scope);
  const preview = await rollbackTo({ ...scope, previewOnly: true });
  out(formatRollbackPlan(preview.report));
  if (preview.report.stacks.some((s) => s.status === "failed")) {
    out("\nThe preview failed for a stack above; nothing was changed.");
    return 1;
  }
  const mode = confirmationMode(flags.yes, process.stdin.isTTY === true);
  if (mode === "refuse") {
    process.stderr.write("stackline: stdin is not a terminal, so nothing was changed; run again with --yes.\n");
    return 1;
  }
  if (mode === "ask" && !(await ask(`Roll '${flags.env}' back to ${flags.to}? [y/N] `))) {
    out("Nothing was changed.");
    return 0;
  }
  const lines = new StatusLines();
  const result = await rollbackTo({
    ...scope,
    previewOnly: false,
    onStatus: (stack, status) => lines.update(stack, status),
    recordCurrent: (stacks, order) => recordRelease(stacks, order, { environment: flags.env }),
  });
  writeFileSync(path.join(runDir, "report.json"), `${JSON.stringify(result.report, null, 2)}\n`);
  out(`\n${formatRollback(result.report)}`);
  if (result.undo) out(`The state before this rollback is release ${result.undo.tag}.`);
  return result.report.ok ? 0 : 1;
}

/** `--state-only`: shows what state would stop tracking, asks, then imports and refreshes. */
async function runStateRestore(flags: RollbackFlags, scope: { environment: string; tag: string; runDir: string }) {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const preview = await restoreState({ ...scope, previewOnly: true });
  out(formatStateRestore(preview));
  out(
    "Warning: a state-only restore changes no resource. Resources listed as no longer tracked keep running (and " +
      "costing); resources changed since the tag stay changed and are only read back by the refresh. " +
      "Use it when the state, not the infrastructure, is wrong.",
  );
  const mode = confirmationMode(flags.yes, process.stdin.isTTY === true);
  if (mode === "refuse") {
    process.stderr.write("stackline: stdin is not a terminal, so nothing was changed; run again with --yes.\n");
    return 1;
  }
  if (mode === "ask" && !(await ask(`Replace the state of '${flags.env}' with ${flags.to}? [y/N] `))) {
    out("Nothing was changed.");
    return 0;
  }
  const report = await restoreState({ ...scope, previewOnly: false });
  out(`\n${formatStateRestore(report)}`);
  return report.ok ? 0 : 1;
}
