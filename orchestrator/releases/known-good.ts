import { parseDocument } from "yaml";
import { z } from "zod";
import { backendFilesFor } from "../backend-files";

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
 * newest history entry may be the failed update itself, so neither will do. Self-managed backends
 * Stackline can read (`file://`, `s3://`) only.
 */
export async function knownGoodConfig(
  backendUrl: string | undefined,
  project: string,
  stack: string,
  /** Only updates that started before this time (epoch seconds): a release's creation time. */
  before = Number.POSITIVE_INFINITY,
): Promise<KnownGoodConfig | undefined> {
  const files = backendFilesFor(backendUrl);
  if (!files) return undefined;
  const dir = `.pulumi/history/${project}/${stack}`;
  const names = (await files.list(dir)).filter((f) => f.endsWith(".history.json"));
  const texts = await Promise.all(names.map((name) => files.read(`${dir}/${name}`)));
  const updates = texts
    .flatMap((text) => (text ? [historyEntrySchema.safeParse(JSON.parse(text.toString("utf8")))] : []))
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
