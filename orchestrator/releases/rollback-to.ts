import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { projectRoot, pulumiCommand } from "../engine";
import { planRun, type RunScope } from "../plan";
import { prepareStacks } from "../stack-ops";
import { NoReleaseStoreError } from "./capture";
import type { Release } from "./record";
import { type RollbackReport, rollbackStacks } from "./rollback";
import { type ReleaseStore, releaseStoreFor } from "./store";

export interface RollbackToOptions extends RunScope {
  /** The release to return to. */
  tag: string;
  /** Only preview: what the rollback would create, replace and delete. */
  previewOnly: boolean;
  runDir: string;
  onStatus?: (stack: string, status: string) => void;
  /** Records a release of the current state before applying, so the rollback itself can be undone. */
  recordCurrent?: (
    stacks: Map<string, Stack>,
    order: string[],
  ) => Promise<{ release: Release; store: ReleaseStore } | undefined>;
}

/** The release store of an environment, from the backend the engine will use. */
export function storeOf(scope: RunScope): { store: ReleaseStore; project: string } {
  const workDir = scope.workDir ?? projectRoot;
  const project = (parse(readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
  const backendUrl = scope.envVars?.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL;
  const store = releaseStoreFor(backendUrl, project, scope.environment);
  if (!store) throw new NoReleaseStoreError(backendUrl);
  return { store, project };
}

/**
 * `stackline rollback --to <tag>`: the release's stacks back to what it recorded, dependents first;
 * with `previewOnly`, what that would do, changing nothing.
 */
export async function rollbackTo(
  options: RollbackToOptions,
): Promise<{ release: Release; report: RollbackReport; undo?: Release }> {
  const { store } = storeOf(options);
  const release = await store.load(options.tag);
  const { graph } = planRun({ ...options, selection: { stacks: Object.keys(release.stacks) } });
  const command = await pulumiCommand();
  let undo: { release: Release; store: ReleaseStore } | undefined;
  if (!options.previewOnly && options.recordCurrent) {
    undo = await options.recordCurrent(await prepareStacks(graph.order, command, options), graph.order);
  }
  const report = await rollbackStacks({
    release,
    store,
    stacks: [...graph.order].reverse(),
    upstream: graph.upstream,
    workDir: options.workDir ?? projectRoot,
    envVars: options.envVars,
    pulumiCommand: command,
    backendUrl: options.envVars?.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL,
    runDir: options.runDir,
    scratchDir: path.join(projectRoot, ".stackline", "rollback"),
    onStatus: options.onStatus,
    previewOnly: options.previewOnly,
  });
  if (undo) {
    undo.release.status = report.ok ? "succeeded" : "failed";
    await undo.store.save(undo.release);
  }
  return { release, report, undo: undo?.release };
}

/** Per stack, what the rollback would do, for the confirmation prompt. */
export function formatRollbackPlan(report: RollbackReport): string {
  const lines = report.stacks.map((s) => {
    if (s.status === "failed") return `  ${s.stack}: cannot preview: ${s.errors.join(" ").split("\n")[0]}`;
    const plan = s.plan;
    if (!plan) return `  ${s.stack}: -`;
    const counts = Object.entries(plan.changes)
      .filter(([op, n]) => op !== "same" && n > 0)
      .map(([op, n]) => `${n} to ${op}`);
    const what = plan.destroy
      ? "destroy the stack's resources (it did not exist before)"
      : counts.join(", ") || "no changes";
    const listed = [
      ...plan.replaces.map((u) => `      replace ${u}`),
      ...plan.deletes.map((u) => `      delete  ${u}`),
    ];
    return [`  ${s.stack}: ${what}`, ...listed].join("\n");
  });
  return [
    `Rolling back to ${report.tag} would (program: ${report.program}):`,
    ...lines,
    ...report.warnings.map((w) => `  warning: ${w}`),
  ].join("\n");
}
