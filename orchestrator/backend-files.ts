import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync, zstdDecompressSync } from "node:zlib";
import { isS3Backend, s3Files } from "./s3-files";

/** A name directly under a key: a file (with when it was last written) or a folder (without). */
export interface BackendEntry {
  name: string;
  modified?: Date;
}

/**
 * Files beside a self-managed backend's state, by key (`/`-separated, relative to the backend's root):
 * a `file://` backend's folder, or the bucket (and path) of an `s3://` backend.
 */
export interface BackendFiles {
  /** Where a key lives, for people: a path, or `s3://bucket/key`. */
  describe(key: string): string;
  /** What is directly under a key (files and folders alike); nothing when there is nothing there. */
  list(prefix: string): Promise<BackendEntry[]>;
  /** The content at a key; undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
  /** Writes a key whole: a reader sees the old content or the new, never half. */
  write(key: string, body: string): Promise<void>;
  /** Deletes a key; nothing happens when there is none. */
  remove(key: string): Promise<void>;
}

/**
 * The folder a `file://` backend URL names: Pulumi reads `file://~` as the home folder, and query
 * parameters (`?no_tmp_dir=true`) are options, not part of the path.
 */
export function fileBackendDir(backendUrl: string): string {
  const raw = decodeURIComponent(backendUrl.slice("file://".length).split("?")[0] ?? "");
  if (raw === "~" || raw.startsWith("~/")) return path.join(os.homedir(), raw.slice(1));
  return path.resolve(raw);
}

/** The files of a backend that Stackline can read and write, or undefined (Pulumi Cloud, gs://, azblob://). */
export function backendFilesFor(backendUrl: string | undefined): BackendFiles | undefined {
  if (backendUrl?.startsWith("file://")) return folderFiles(fileBackendDir(backendUrl));
  if (backendUrl && isS3Backend(backendUrl)) return s3Files(backendUrl);
  return undefined;
}

/** Which backends keep release records, for messages that say why one does not. */
export const SUPPORTED_BACKENDS = "a file:// or s3:// backend";

/** The suffixes Pulumi gives a JSON file it compresses (PULUMI_DIY_BACKEND_GZIP, PULUMI_DIY_BACKEND_ZSTD). */
export const JSON_VARIANTS = ["", ".gz", ".zst"] as const;

/** A backend JSON file's text, decompressed as its name says (`x.json`, `x.json.gz`, `x.json.zst`). */
export function backendText(name: string, content: Buffer): string {
  if (name.endsWith(".gz")) return gunzipSync(content).toString("utf8");
  if (name.endsWith(".zst")) return zstdDecompressSync(content).toString("utf8");
  return content.toString("utf8");
}

/** Runs `work` over `items`, at most `limit` at once, keeping the order of the results. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Files in a local folder. */
export function folderFiles(root: string): BackendFiles {
  const full = (key: string) => path.join(root, ...key.split("/"));
  return {
    describe: full,
    async list(prefix) {
      const dir = full(prefix);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return [];
      }
      return names.map((name) => {
        try {
          const stat = statSync(path.join(dir, name));
          return stat.isFile() ? { name, modified: stat.mtime } : { name };
        } catch {
          return { name };
        }
      });
    },
    async read(key) {
      try {
        return readFileSync(full(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
    },
    async write(key, body) {
      const file = full(key);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, body);
      renameSync(`${file}.tmp`, file);
    },
    async remove(key) {
      rmSync(full(key), { force: true });
      // A release's folder goes with its last file.
      try {
        rmdirSync(path.dirname(full(key)));
      } catch {
        // not empty, or already gone
      }
    },
  };
}
