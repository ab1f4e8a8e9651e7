import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { eventCollector, maskedOutputs } from "../stack-ops";
import { knownGoodConfig, withConfig } from "./known-good";
import { outputDifferences } from "./outputs-diff";
import { checkoutProgram } from "./program-checkout";
import type { Release } from "./record";
import type { ReleaseStore } from "./store";

export type RollbackStatus = "rolled-back" | "destroyed" | "failed" | "previewed";

/** What a rollback would do to one stack, from its preview. */
export interface RollbackPlan {
  /** Resource operations by kind (create, update, replace, delete, same). */
  changes: Record<string, number>;
  /** URNs the rollback would replace, and delete. */
  replaces: string[];
  deletes: string[];
  /** The stack did not exist before the release's run: the rollback destroys it. */
  destroy: boolean;
}

/** One stack's rollback. */
export interface RollbackEntry {
  stack: string;
  status: RollbackStatus;
  /** Where the tagged outputs and the outputs after the rollback differ; empty when they match. */
  differences: string[];
  errors: string[];
  durationMs: number;
  logFile: string;
  /** With `previewOnly`: what the rollback would do. */
  plan?: RollbackPlan;
}

export interface RollbackReport {
  tag: string;
  /** Where the program came from (the working folder, or a git worktree at the known-good commit). */
  program: string;
  warnings: string[];
  stacks: RollbackEntry[];
  ok: boolean;
}

export interface RollbackOptions {
  /** The release taken before the run: the state to return to. */
  release: Release;
  store: ReleaseStore;
  /** The stacks to roll back, in the order to do it (dependents first). */
  stacks: readonly string[];
  /** Each stack's upstream stacks (the run's graph), to re-read restored outputs. */
  upstream: ReadonlyMap<string, readonly string[]>;
  workDir: string;
  envVars?: Record<string, string>;
  pulumiCommand: PulumiCommand;
  backendUrl: string | undefined;
  /** Where each stack's rollback log goes. */
  runDir: string;
  /** Scratch space for a git worktree of the known-good program. */
  scratchDir: string;
  onStatus?: (stack: string, status: "rolling back" | RollbackStatus) => void;
  /** Only preview the rollback (what `stackline rollback` shows before asking). */
  previewOnly?: boolean;
}

/** The newest release before `release` whose run succeeded: whose program the known-good state came from. */
async function previousGoodRelease(store: ReleaseStore, release: Release): Promise<Release | undefined> {
  return (await store.list()).find((r) => r.createdAt < release.createdAt && r.status === "succeeded");
}

/** What re-applying (or, for a stack the run created, destroying) would do, for the confirmation prompt. */
async function previewPlan(stack: Stack, log: (text: string) => void, destroy: boolean): Promise<RollbackPlan> {
  const collector = eventCollector();
  const listen = { onOutput: log, onEvent: collector.onEvent };
  const result = destroy ? await stack.previewDestroy(listen) : await stack.preview(listen);
  const { replaces, deletes } = collector.result();
  return { changes: result.changeSummary, replaces, deletes, destroy };
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n").slice(-8).join("\n");
}

/**
 * Returns stacks to the state their release recorded, one at a time in the given order: a stack that
 * existed is updated with the known-good program and config (its newest successful update's config as
 * the backend stored it, secrets still encrypted); a stack the run created is destroyed. Afterwards
 * each stack's outputs are compared with the recorded ones. The working tree's stack files are put back
 * as they were.
 */
export async function rollbackStacks(options: RollbackOptions): Promise<RollbackReport> {
  const { release } = options;
  const checkout = checkoutProgram(
    options.workDir,
    await previousGoodRelease(options.store, release),
    options.scratchDir,
  );
  const warnings = [...checkout.warnings];
  const entries: RollbackEntry[] = [];
  const reapply = new Map<string, () => Promise<string[]>>();
  mkdirSync(options.runDir, { recursive: true });
  try {
    const releasedAt = Date.parse(release.createdAt) / 1000;
    for (const name of options.stacks) {
      const started = Date.now();
      const logFile = path.join(options.runDir, `${name}.rollback.log`);
      writeFileSync(logFile, "");
      const log = (text: string) => appendFileSync(logFile, text);
      const entry = (status: RollbackStatus, differences: string[], errors: string[]): RollbackEntry => ({
        stack: name,
        status,
        differences,
        errors,
        durationMs: Date.now() - started,
        logFile,
      });
      options.onStatus?.(name, "rolling back");
      const recorded = release.stacks[name];
      if (!recorded) {
        entries.push(entry("failed", [], [`${name} is not in release ${release.tag}`]));
        continue;
      }
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir: checkout.workDir },
        { pulumiCommand: options.pulumiCommand, envVars: options.envVars },
      );
      try {
        if (!recorded.existed && options.previewOnly) {
          entries.push({ ...entry("previewed", [], []), plan: await previewPlan(stack, log, true) });
          continue;
        }
        if (!recorded.existed) {
          await stack.destroy({ onOutput: log });
          entries.push(entry("destroyed", [], []));
          options.onStatus?.(name, "destroyed");
          continue;
        }
        const settings = (await stack.workspace.projectSettings()) as { stackConfigDir?: string };
        const stackFile = path.join(checkout.workDir, settings.stackConfigDir ?? "", `Pulumi.${name}.yaml`);
        const original = existsSync(stackFile) ? readFileSync(stackFile, "utf8") : undefined;
        const good = await knownGoodConfig(options.backendUrl, release.project, name, releasedAt);
        let knownGood: string | undefined;
        if (good) knownGood = withConfig(original ?? "", good.config);
        else if (recorded.configFile) {
          warnings.push(
            `${name}: no successful update in the backend's history; re-applying the config file recorded in ${release.tag}`,
          );
          knownGood = await options.store.readFile(release.tag, recorded.configFile);
        }
        if (knownGood !== undefined) writeFileSync(stackFile, knownGood);
        try {
          if (options.previewOnly) {
            entries.push({ ...entry("previewed", [], []), plan: await previewPlan(stack, log, false) });
            continue;
          }
          const result = await stack.up({ onOutput: log });
          // Masked at any depth, as recorded: the API's own outputs miss a secret inside an object.
          const differences = outputDifferences(recorded.outputs, await maskedOutputs(stack, result.outputs));
          entries.push(entry("rolled-back", differences, []));
          reapply.set(name, async () => {
            // The same known-good config again, now that its upstream stacks are restored.
            if (knownGood !== undefined) writeFileSync(stackFile, knownGood);
            try {
              const again = await stack.up({ onOutput: log });
              return outputDifferences(recorded.outputs, await maskedOutputs(stack, again.outputs));
            } finally {
              if (original === undefined) rmSync(stackFile, { force: true });
              else writeFileSync(stackFile, original);
            }
          });
          options.onStatus?.(name, "rolled-back");
        } finally {
          if (original === undefined) rmSync(stackFile, { force: true });
          else writeFileSync(stackFile, original);
        }
      } catch (err) {
        entries.push(entry("failed", [], [errorText(err)]));
        options.onStatus?.(name, "failed");
      }
    }
    // Dependents went first (so a stack the run created is destroyed before what it reads), but a
    // dependent re-applied before its upstream read the upstream's failed-run outputs: in dependency
    // order, re-apply each one whose upstream stacks were rolled back, so it reads the restored ones.
    const rolledBack = new Set(entries.filter((e) => e.status === "rolled-back").map((e) => e.stack));
    for (const name of [...options.stacks].reverse()) {
      const again = reapply.get(name);
      if (!again || !(options.upstream.get(name) ?? []).some((up) => rolledBack.has(up))) continue;
      const entry = entries.find((e) => e.stack === name) as RollbackEntry;
      const started = Date.now();
      try {
        entry.differences = await again();
      } catch (err) {
        entry.status = "failed";
        entry.errors = [errorText(err)];
      }
      entry.durationMs += Date.now() - started;
    }
  } finally {
    checkout.dispose();
  }
  return {
    tag: release.tag,
    program: checkout.source,
    warnings,
    stacks: entries,
    ok: entries.every((e) => e.status !== "failed" && e.differences.length === 0),
  };
}

/** "Rolled back to <tag>: ..." lines for the summary. */
export function formatRollback(report: RollbackReport): string {
  const width = Math.max(0, ...report.stacks.map((s) => s.stack.length));
  const lines = report.stacks.map((s) => {
    const time = ` in ${(s.durationMs / 1000).toFixed(1)}s`;
    const detail =
      s.status === "failed"
        ? `: ${s.errors.join(" ").split("\n")[0]}`
        : s.differences.length > 0
          ? `, outputs differ from the release: ${s.differences.join("; ")}`
          : s.status === "rolled-back"
            ? ", outputs match the release"
            : "";
    return `  ${s.stack.padEnd(width)}  ${s.status}${time}${detail}`;
  });
  const head = report.ok
    ? `Rolled back to release ${report.tag} (program: ${report.program}):`
    : `Rollback to release ${report.tag} incomplete (program: ${report.program}); check the stacks below:`;
  return [head, ...lines, ...report.warnings.map((w) => `  warning: ${w}`)].join("\n");
}
