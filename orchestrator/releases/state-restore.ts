import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { pulumiCommand } from "../engine";
import { planRun } from "../plan";
import { prepareStacks } from "../stack-ops";
import { outputsOf, runStackCli } from "./capture";
import { outputDifferences } from "./outputs-diff";
import { type RollbackToOptions, storeOf } from "./rollback-to";

/** One stack's state-only restore. */
export interface StateRestoreEntry {
  stack: string;
  status: "previewed" | "restored" | "failed";
  /** Resources the state tracks now but the tagged checkpoint does not: they keep existing, untracked. */
  untracked: string[];
  differences: string[];
  errors: string[];
  logFile: string;
}

export interface StateRestoreReport {
  tag: string;
  stacks: StateRestoreEntry[];
  ok: boolean;
}

interface Checkpoint {
  deployment?: { resources?: { urn?: string; custom?: boolean; type?: string }[] };
}

/** The URNs of the real resources (not providers) a checkpoint tracks. */
function trackedUrns(checkpoint: Checkpoint): Set<string> {
  return new Set(
    (checkpoint.deployment?.resources ?? [])
      .filter((r) => r.custom && r.urn && !r.type?.startsWith("pulumi:providers:"))
      .map((r) => r.urn as string),
  );
}

/**
 * For experts: puts each stack's tagged checkpoint (encrypted, as recorded) back as its state, then
 * refreshes it against the real resources. Nothing is deployed: resources created since the tag keep
 * existing but are no longer tracked (listed, so they can be deleted or imported by hand), and
 * resources changed since then are only read back by the refresh, not changed back.
 */
export async function restoreState(options: Omit<RollbackToOptions, "recordCurrent">): Promise<StateRestoreReport> {
  const { store } = storeOf(options);
  const release = await store.load(options.tag);
  const { graph } = planRun({ ...options, selection: { stacks: Object.keys(release.stacks) } });
  const stacks = await prepareStacks(graph.order, await pulumiCommand(), options);
  mkdirSync(options.runDir, { recursive: true });
  const entries: StateRestoreEntry[] = [];
  for (const name of [...graph.order].reverse()) {
    const stack = stacks.get(name);
    const recorded = release.stacks[name];
    const logFile = path.join(options.runDir, `${name}.restore.log`);
    writeFileSync(logFile, "");
    const entry: StateRestoreEntry = {
      stack: name,
      status: "failed",
      untracked: [],
      differences: [],
      errors: [],
      logFile,
    };
    entries.push(entry);
    if (!stack || !recorded) {
      entry.errors.push(`${name} is not in release ${release.tag}`);
      continue;
    }
    try {
      options.onStatus?.(name, "restoring state");
      const checkpoint = await store.readFile(release.tag, recorded.checkpointFile);
      const tagged = trackedUrns(JSON.parse(checkpoint));
      const current = trackedUrns(JSON.parse(await runStackCli(stack, ["stack", "export", "--stack", name])));
      entry.untracked = [...current].filter((urn) => !tagged.has(urn));
      if (options.previewOnly) {
        entry.status = "previewed";
        continue;
      }
      // The import reads a file: the checkpoint as recorded, secrets still ciphertext, next to the log.
      const checkpointPath = path.join(options.runDir, recorded.checkpointFile);
      writeFileSync(checkpointPath, checkpoint);
      appendFileSync(logFile, await runStackCli(stack, ["stack", "import", "--file", checkpointPath, "--stack", name]));
      await stack.refresh({ onOutput: (text) => appendFileSync(logFile, text) });
      const after = outputsOf(JSON.parse(await runStackCli(stack, ["stack", "export", "--stack", name])));
      const now = Object.fromEntries(
        Object.entries(after).map(([key, o]) => [key, { value: o.secret ? undefined : o.value, secret: o.secret }]),
      );
      entry.differences = outputDifferences(recorded.outputs, now);
      entry.status = "restored";
      options.onStatus?.(name, "state restored");
    } catch (err) {
      entry.errors.push((err instanceof Error ? err.message : String(err)).split("\n").slice(-6).join("\n"));
      options.onStatus?.(name, "failed");
    }
  }
  return {
    tag: release.tag,
    stacks: entries,
    ok: entries.every((e) => e.status !== "failed" && e.differences.length === 0),
  };
}

/** The warning a state-only restore needs before anyone confirms it, and its outcome after. */
export function formatStateRestore(report: StateRestoreReport): string {
  const lines = report.stacks.map((s) => {
    const head = `  ${s.stack}: ${s.status}${s.errors.length > 0 ? `: ${s.errors.join(" ").split("\n")[0]}` : ""}`;
    const untracked = s.untracked.map((urn) => `      no longer tracked (still exists): ${urn}`);
    const differences = s.differences.map((d) => `      output ${d}`);
    return [head, ...untracked, ...differences].join("\n");
  });
  return [
    `State-only restore to ${report.tag}: state is replaced by the tagged checkpoints, then refreshed; nothing is deployed.`,
    ...lines,
  ].join("\n");
}
