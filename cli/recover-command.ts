import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { projectRoot } from "../orchestrator/engine";
import { newRunDir } from "../orchestrator/preview";
import {
  DEFAULT_STALE_AFTER_MS,
  formatDuration,
  formatFindings,
  formatRecovery,
  formatRecoveryPlan,
  holders,
  type Inspection,
  isInterrupted,
  recoverStacks,
} from "../orchestrator/recovery";
import { ask, confirmationMode } from "./confirm";
import { runFlagsShape } from "./run-flags";

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

export const recoverFlagsSchema = z
  .object({
    env: runFlagsShape.env,
    /** Recover without asking: for CI, where stdin is not a terminal. */
    yes: z.boolean().default(false),
    /** Age after which a lock counts as stale even if its process may be alive (another host). */
    "stale-after": z
      .string()
      .regex(/^[1-9][0-9]*[smh]$/, "a duration like 30m or 6h")
      .transform((d) => Number(d.slice(0, -1)) * UNIT_MS[d.slice(-1) as keyof typeof UNIT_MS])
      .optional(),
  })
  .strict();

export type RecoverFlags = z.infer<typeof recoverFlagsSchema>;

/** `stackline recover --env <env>`: shows stale locks and pending operations, then clears them once confirmed. */
export async function runRecoverCommand(flags: RecoverFlags): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const mode = confirmationMode(flags.yes, process.stdin.isTTY === true);
  const staleAfter = flags["stale-after"] ?? DEFAULT_STALE_AFTER_MS;
  const runDir = newRunDir(`recover-${flags.env}`);
  let refused = false;
  const showFindings = (inspection: Inspection) => {
    out(`Stacks of '${flags.env}' with locks or pending operations:\n${formatFindings(inspection.findings)}\n`);
  };
  const report = await recoverStacks(
    { environment: flags.env, staleAfterMs: staleAfter },
    {
      runDir,
      confirm: async (inspection) => {
        showFindings(inspection);
        out(`Recovery will:\n${formatRecoveryPlan(inspection.findings)}`);
        if (inspection.findings.some((f) => isInterrupted(f) && f.pending.some((op) => op.type === "creating"))) {
          out(
            "A pending create is dropped from the state; if it did create a real resource, that resource is no " +
              "longer tracked (see README, Recovery, to find and import it).",
          );
        }
        if (mode === "yes") return true;
        if (mode === "refuse") {
          refused = true;
          return false;
        }
        return ask("Recover these stacks? [y/N] ");
      },
    },
  );
  const { inspection } = report;
  if (!report.confirmed) {
    const interrupted = inspection.findings.filter(isInterrupted);
    if (interrupted.length === 0) {
      if (inspection.findings.length > 0) showFindings(inspection);
      out(`Nothing to recover in '${flags.env}' (${inspection.inspected.length} stack(s) in the backend).`);
      if (inspection.findings.some((f) => holders(f).some((l) => l.state === "unknown"))) {
        out(
          `A lock on another host counts as stale after ${formatDuration(staleAfter)}; if that host is gone, ` +
            `run again with --stale-after <age below the lock's age>.`,
        );
      }
      return 0;
    }
    if (refused) {
      process.stderr.write("stackline: stdin is not a terminal, so nothing was changed; run again with --yes.\n");
      return 1;
    }
    out("Nothing changed.");
    return 0;
  }
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  out(`\nRecovery of '${flags.env}' (report in ${path.relative(projectRoot, runDir)}/):\n${formatRecovery(report)}`);
  const clear = report.stacks.every((s) => !s.error && s.after.locks.length === 0 && s.after.pending.length === 0);
  return clear ? 0 : 1;
}
