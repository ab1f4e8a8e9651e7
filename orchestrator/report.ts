import type { OpMap } from "@pulumi/pulumi/automation";
import type { StackPreview } from "./stack-ops";

export type PreviewStatus = "changes" | "no changes" | "failed" | "skipped";

export interface StackReportEntry {
  stack: string;
  status: PreviewStatus;
  durationMs?: number;
  changes: OpMap;
  replaces: string[];
  deletes: string[];
  errors: string[];
  logFile?: string;
  skippedBecause?: string;
  /** Upstream outputs this stack reads that the upstream's own preview changes: its preview used the old values. */
  stale?: StaleRead[];
}

export interface StaleRead {
  upstream: string;
  outputs: string[];
}

export interface PreviewReport {
  kind: "preview";
  environment: string;
  startedAt: string;
  durationMs: number;
  stacks: StackReportEntry[];
}

/** GitHub rejects comments over 65,536 characters; stay below with room for a footer. */
export const COMMENT_LIMIT = 65_000;

const COUNTED: (keyof OpMap)[] = ["create", "update", "replace", "delete"];

export function hasChanges(changes: OpMap): boolean {
  return COUNTED.some((op) => (changes[op] ?? 0) > 0);
}

export function entryFromPreview(
  stack: string,
  preview: StackPreview,
  durationMs: number,
  logFile: string,
): StackReportEntry {
  return {
    stack,
    status: hasChanges(preview.changes) ? "changes" : "no changes",
    durationMs,
    changes: preview.changes,
    replaces: preview.replaces,
    deletes: preview.deletes,
    errors: preview.errors,
    logFile,
  };
}

/**
 * Marks downstream previews that read upstream outputs which the upstream preview changes: a
 * downstream preview reads its upstream's current outputs, so its result is stale until the upstream
 * stack is updated. `reads(stack, upstream)` names the outputs a stack reads from an upstream stack.
 */
export function markStale(
  entries: StackReportEntry[],
  previews: ReadonlyMap<string, StackPreview>,
  upstreamOf: (stack: string) => readonly string[],
  reads: (stack: string, upstream: string) => readonly string[],
): void {
  for (const entry of entries) {
    const stale: StaleRead[] = [];
    for (const upstream of upstreamOf(entry.stack)) {
      const outputs = previews.get(upstream)?.outputs;
      if (!outputs) continue;
      const changed = reads(entry.stack, upstream).filter(
        (name) => JSON.stringify(outputs.current[name]) !== JSON.stringify(outputs.planned[name]),
      );
      if (changed.length > 0) stale.push({ upstream, outputs: changed });
    }
    if (stale.length > 0) entry.stale = stale;
  }
}

/** `--detailed-exitcode`: 0 no changes, 2 changes, 1 any error. */
export function detailedExitCode(report: PreviewReport): number {
  if (report.stacks.some((s) => s.status === "failed" || s.status === "skipped")) return 1;
  return report.stacks.some((s) => s.status === "changes") ? 2 : 0;
}

/** `urn:pulumi:stack::project::parent$type::name` as `type name`, readable in a table. */
export function shortUrn(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0]?.startsWith("urn:pulumi:")) return urn;
  const type = parts[2]?.split("$").pop() ?? "";
  return `${type} ${parts.slice(3).join("::")}`;
}

const ICON: Record<PreviewStatus, string> = { changes: "🟡", "no changes": "🟢", failed: "🔴", skipped: "⚪" };

function seconds(ms?: number): string {
  return ms === undefined ? "–" : `${(ms / 1000).toFixed(1)}s`;
}

function stackDetails(entry: StackReportEntry): string {
  const parts: string[] = [];
  const list = (title: string, urns: string[]) => {
    if (urns.length > 0)
      parts.push(`**${title} (${urns.length})**\n${urns.map((u) => `- \`${shortUrn(u)}\``).join("\n")}`);
  };
  list("Replaces", entry.replaces);
  list("Deletes", entry.deletes);
  if (entry.errors.length > 0) parts.push(`**Errors**\n\`\`\`\n${entry.errors.join("\n").trim()}\n\`\`\``);
  if (entry.skippedBecause) parts.push(`Skipped: ${entry.skippedBecause}.`);
  for (const read of entry.stale ?? []) {
    const names = read.outputs.map((o) => `\`${o}\``).join(", ");
    parts.push(
      `⚠️ **Stale**: reads ${names} of ${read.upstream}, which its preview changes; this preview used the current values. Preview again after ${read.upstream} is updated.`,
    );
  }
  if (parts.length === 0) return "";
  const log = entry.logFile ? `\n\nFull log: \`${entry.logFile}\`` : "";
  return `### ${ICON[entry.status]} ${entry.stack}\n\n${parts.join("\n\n")}${log}\n`;
}

/**
 * The report a reviewer reads at a glance: one table row per stack, then every replace, delete and
 * error by stack. Cut to fit a pull-request comment, pointing to the full file when cut.
 */
export function renderMarkdown(
  report: PreviewReport,
  options: { fullReportPath?: string; limit?: number } = {},
): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const changed = report.stacks.filter((s) => s.status === "changes").length;
  const failed = report.stacks.filter((s) => s.status === "failed").length;
  const head = [
    `## Stackline preview: \`${report.environment}\``,
    "",
    `${report.stacks.length} stack(s): ${changed} with changes, ${failed} failed, in ${seconds(report.durationMs)}.`,
    "",
    "| Stack | Result | Create | Update | Replace | Delete | Time |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...report.stacks.map((s) => {
      const n = (op: keyof OpMap) => String(s.changes[op] ?? 0);
      const stale = s.stale ? " ⚠️ stale" : "";
      return `| ${s.stack} | ${ICON[s.status]} ${s.status}${stale} | ${n("create")} | ${n("update")} | ${n("replace")} | ${n("delete")} | ${seconds(s.durationMs)} |`;
    }),
    "",
  ].join("\n");
  const details = report.stacks.map(stackDetails).filter((d) => d !== "");
  let body = head;
  const pointer = options.fullReportPath ? ` Full report: \`${options.fullReportPath}\`.` : "";
  for (const [i, detail] of details.entries()) {
    const footer = `\n_Report cut to fit a comment: ${details.length - i} stack section(s) left out._${pointer}\n`;
    if (body.length + detail.length + 1 + footer.length > limit) return body + footer;
    body += `\n${detail}`;
  }
  return body;
}
