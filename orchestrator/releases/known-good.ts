import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { z } from "zod";

/** One entry of a self-managed backend's update history (`.pulumi/history/<project>/<stack>/*.history.json`). */
const historyEntrySchema = z.object({
  kind: z.string(),
  result: z.string(),
  startTime: z.number(),
  endTime: z.number().optional(),
  // Values as the backend stores them: plain, structured, or `{ secure: <ciphertext> }`.
  config: z.record(z.string(), z.unknown()).default({}),
});

export interface KnownGoodConfig {
  /** The config of the newest update that succeeded, secrets still as ciphertext. */
  config: Record<string, unknown>;
  /** When that update ended (epoch seconds). */
  endTime: number | undefined;
}

/**
 * The config the stack's newest successful update ran with, as the backend stored it: what a rollback
 * re-applies. The stack file in the working tree may already hold the new, failing config, and the
 * newest history entry may be the failed update itself, so neither will do. File backends only.
 */
export function knownGoodConfig(
  backendUrl: string | undefined,
  project: string,
  stack: string,
  /** Only updates that started before this time (epoch seconds): a release's creation time. */
  before = Number.POSITIVE_INFINITY,
): KnownGoodConfig | undefined {
  if (!backendUrl?.startsWith("file://")) return undefined;
  const dir = path.join(fileURLToPath(backendUrl), ".pulumi", "history", project, stack);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".history.json"));
  } catch {
    return undefined;
  }
  const updates = files
    .map((file) => historyEntrySchema.safeParse(JSON.parse(readFileSync(path.join(dir, file), "utf8"))))
    .flatMap((parsed) => (parsed.success ? [parsed.data] : []))
    .filter((entry) => entry.kind === "update" && entry.result === "succeeded" && entry.startTime < before)
    .sort((a, b) => b.startTime - a.startTime);
  const newest = updates[0];
  return newest && { config: newest.config, endTime: newest.endTime };
}

/**
 * A stack file with `config` replaced by `config` and everything else (encryption salt, secrets
 * provider, comments) kept, so the ciphertext of stored secrets still decrypts.
 */
export function withConfig(stackFileText: string, config: Record<string, unknown>): string {
  const document = parseDocument(stackFileText);
  document.set("config", config);
  return document.toString();
}
