import { parseDocument } from "yaml";
import { z } from "zod";
import { type BackendFiles, backendFilesFor, backendText, JSON_VARIANTS } from "../backend-files";

/** One entry of a self-managed backend's update history (`.pulumi/history/<project>/<stack>/*.history.json[.gz|.zst]`). */
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
  // `<stack>-<unix nanoseconds>.history.json[.gz|.zst]`: by name is by time. Newest first, a few at a
  // time, until the newest success: a long-lived stack has thousands of entries.
  const names = (await files.list(dir))
    .map((e) => e.name)
    .filter((name) => JSON_VARIANTS.some((ext) => name.endsWith(`.history.json${ext}`)))
    .sort()
    .reverse();
  for (let i = 0; i < names.length; i += BATCH) {
    const batch = names.slice(i, i + BATCH);
    const entries = await Promise.all(batch.map((name) => readEntry(files, `${dir}/${name}`)));
    const good = entries
      .flatMap((entry) => (entry ? [entry] : []))
      .filter((entry) => entry.kind === "update" && entry.result === "succeeded" && entry.startTime < before)
      .sort((a, b) => b.startTime - a.startTime)[0];
    if (good) return { config: good.config, endTime: good.endTime };
  }
  return undefined;
}

const BATCH = 8;

/** One history entry; undefined when it is gone or is not one (a foreign or damaged file is skipped). */
async function readEntry(files: BackendFiles, key: string): Promise<z.infer<typeof historyEntrySchema> | undefined> {
  const content = await files.read(key);
  if (!content) return undefined;
  try {
    const parsed = historyEntrySchema.safeParse(JSON.parse(backendText(key, content)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
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
